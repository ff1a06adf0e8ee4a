import { LEDGER_JOBS, lastYearEndedEverywhere, scheduledAt } from './ledger-jobs.service';

describe('scheduledAt', () => {
  const utc = (iso: string) => new Date(`${iso}Z`);

  it('should run the year-end re-evaluation only once 31 December has ended at every property and its night audits are in', () => {
    // 2 a.m. UTC on 1 January is still 31 December in New York (9 p.m.) and Honolulu (4 p.m.).
    expect(scheduledAt('year-end-tiers', utc('2027-01-01T02:00:00'))).toBe(false);
    expect(scheduledAt('year-end-tiers', utc('2027-01-01T13:59:59'))).toBe(false);
    expect(scheduledAt('year-end-tiers', utc('2027-01-01T14:00:00'))).toBe(true);
    expect(scheduledAt('year-end-tiers', utc('2027-01-02T00:00:00'))).toBe(true);
    expect(scheduledAt('year-end-tiers', utc('2027-01-31T23:59:59'))).toBe(true);
  });

  it('should not run the year-end re-evaluation outside January', () => {
    expect(scheduledAt('year-end-tiers', utc('2027-02-01T00:00:00'))).toBe(false);
    expect(scheduledAt('year-end-tiers', utc('2026-12-31T23:59:59'))).toBe(false);
  });

  it('should run every other job on every tick, 1 January included', () => {
    const others = LEDGER_JOBS.filter((job) => job !== 'year-end-tiers');
    expect(others.filter((job) => !scheduledAt(job, utc('2027-01-01T00:30:00')))).toEqual([]);
    expect(others.filter((job) => !scheduledAt(job, utc('2027-06-15T12:00:00')))).toEqual([]);
  });
});

describe('lastYearEndedEverywhere', () => {
  const utc = (iso: string) => new Date(`${iso}Z`);

  it('should give the year before the last until 31 December has ended at every property', () => {
    expect(lastYearEndedEverywhere(utc('2027-01-01T00:30:00'))).toBe(2025);
    expect(lastYearEndedEverywhere(utc('2027-01-01T13:59:59'))).toBe(2025);
  });

  it('should give the last year once it has ended everywhere, for the rest of the year', () => {
    expect(lastYearEndedEverywhere(utc('2027-01-01T14:00:00'))).toBe(2026);
    expect(lastYearEndedEverywhere(utc('2027-06-15T12:00:00'))).toBe(2026);
    expect(lastYearEndedEverywhere(utc('2027-12-31T23:59:59'))).toBe(2026);
  });
});
