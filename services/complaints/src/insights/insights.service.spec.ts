import type { DataSource } from 'typeorm';
import type { Principal } from '@loyalty/auth';
import { addDays, localDateOf } from '@loyalty/time';
import { Insights, windowDates } from './insights.service';

describe('insight windows', () => {
  const analyst: Principal = { sub: 'analyst-1', roles: ['analyst'], properties: ['*'] };
  const now = new Date('2026-12-05T11:00:00Z');
  const window = { from: '2026-10-01', to: '2026-11-01' };

  /** The service over a database that records each query's parameters and answers `rows`. */
  function recorded(rows: unknown[] = []) {
    const params: unknown[][] = [];
    const dataSource = {
      query: async (_sql: string, values: unknown[]) => {
        params.push(values);
        return rows;
      },
    };
    return { insights: new Insights(dataSource as unknown as DataSource), params };
  }

  // node-postgres writes a Date in the Node process's zone, so `$1::date` of 1 October at midnight UTC
  // reads 30 September with the process in Chicago: the days must reach Postgres as text.
  it.each([
    ['complaint-rate', (insights: Insights) => insights.complaintRate(window, analyst, now)],
    ['pareto', (insights: Insights) => insights.categoryPareto(window, analyst, now)],
    ['sla', (insights: Insights) => insights.slaPerformance(window, analyst, now)],
    ['repeat-complainants', (insights: Insights) => insights.repeatComplainants(window, analyst, now)],
    ['recovery-rate', (insights: Insights) => insights.recoveryRate(window, analyst, now)],
  ])('should bind the window’s days as dates, not instants, for %s', async (_, ask) => {
    const { insights, params } = recorded([{ resolved: 0, returned: 0, met: 0, decided: 0 }]);
    await ask(insights);
    expect(params.length).toBeGreaterThan(0);
    for (const values of params) expect(values.slice(0, 2)).toEqual(['2026-10-01', '2026-11-01']);
  });

  it('should end a window left open after today everywhere, and start it on the 90th day back everywhere', async () => {
    const { insights, params } = recorded();
    // 11:00 UTC on 5 December is already 01:00 on 6 December on Kiritimati (UTC+14), and still 23:00 on
    // 4 December at UTC−12, whose 90 days up to today start on 6 September.
    const rate = await insights.complaintRate({}, analyst, now);
    expect(rate).toMatchObject({ from: '2026-09-06', to: '2026-12-07' });
    expect(params[0].slice(0, 2)).toEqual(['2026-09-06', '2026-12-07']);
  });

  it.each([
    ['Pacific/Honolulu', '2026-03-10T18:00:00Z'],
    ['America/New_York', '2026-03-10T18:00:00Z'],
    ['Pacific/Kiritimati', '2026-03-10T18:00:00Z'],
    ['Pacific/Pago_Pago', '2026-07-01T10:59:00Z'],
  ])('should hold the last 90 days up to today at %s by default, at %s', (zone, at) => {
    const when = new Date(at);
    const { from, to } = windowDates({}, when);
    const today = localDateOf(when, zone);
    expect(from <= addDays(today, -89)).toBe(true);
    expect(to > today).toBe(true);
  });

  it('should count 90 days back from a given end', () => {
    expect(windowDates({ to: '2026-11-01' }, now)).toEqual({ from: '2026-08-03', to: '2026-11-01' });
  });
});
