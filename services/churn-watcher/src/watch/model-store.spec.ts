import type { EntityManager } from 'typeorm';
import { CHAIN_WIDE } from '../domain';
import { modelFor, ModelStore } from './model-store';

const day = (n: number) => new Date(Date.UTC(2031, 2, n, 3));

function row(id: number, segment: string, fittedAt: Date) {
  return { id, segment, r: 0.8, alpha: 40, a: 0.5, b: 3, logLikelihood: -100, guests: 1000, fittedAt };
}

/** The store over a database whose latest model of each segment is `rows`. */
async function inUse(rows: ReturnType<typeof row>[]) {
  const manager = { query: async () => rows } as unknown as EntityManager;
  return new ModelStore().latest(manager);
}

describe('the models in use', () => {
  it('should use the chain-wide model for a segment the latest refit did not fit', async () => {
    const models = await inUse([
      row(7, 'business', day(1)),
      row(9, CHAIN_WIDE, day(8)),
      row(10, 'leisure', day(8)),
    ]);
    expect(modelFor(models, 'business')?.id).toBe(9);
    expect(modelFor(models, 'leisure')?.id).toBe(10);
  });

  it("should use a segment's own model when the latest refit fitted it", async () => {
    const models = await inUse([row(11, CHAIN_WIDE, day(15)), row(12, 'business', day(15))]);
    expect(modelFor(models, 'business')?.id).toBe(12);
  });

  it('should have no model before the first refit', async () => {
    expect(modelFor(await inUse([]), 'business')).toBeUndefined();
  });
});
