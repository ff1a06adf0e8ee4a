import type { EntityManager } from 'typeorm';
import { SignalStore } from './signal-store';

describe('SignalStore.recent', () => {
  it('should not age out a complaint still open when it opened before the cutoff', async () => {
    const queries: { sql: string; parameters: unknown[] }[] = [];
    const manager = {
      query: async (sql: string, parameters: unknown[]) => {
        queries.push({ sql, parameters });
        return [];
      },
    } as unknown as EntityManager;
    await new SignalStore().recent(manager, ['6f1c2b1e-0000-4000-8000-000000000001'], new Date());
    // The cutoff is waived for the kinds in the fourth parameter (a state, not an event).
    const [{ sql, parameters }] = queries;
    expect(sql).toMatch(/\(at >= \$2 or kind = any\(\$4::text\[\]\)\)/);
    expect(parameters[3]).toEqual(['complaint-opened']);
  });
});
