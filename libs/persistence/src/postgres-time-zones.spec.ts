import type { EntityManager } from 'typeorm';
import { PostgresTimeZones } from './postgres-time-zones';

const managerKnowing = (...lists: string[][]) => {
  const query = jest.fn();
  for (const list of lists) query.mockResolvedValueOnce(list.map((name) => ({ name })));
  return { manager: { query } as unknown as EntityManager, query };
};

describe('PostgresTimeZones', () => {
  it('should read the list once when every zone asked about is on it', async () => {
    const { manager, query } = managerKnowing(['Europe/Amsterdam', 'Asia/Tokyo']);
    const zones = new PostgresTimeZones();
    expect(await zones.unknownOf(manager, ['Europe/Amsterdam'])).toEqual([]);
    expect(await zones.unknownOf(manager, ['Asia/Tokyo', 'Europe/Amsterdam'])).toEqual([]);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('should read the list again, at most once a minute, and name the zone when a zone is missing from it', async () => {
    const { manager, query } = managerKnowing(
      ['Europe/Amsterdam'],
      ['Europe/Amsterdam', 'America/Ciudad_Juarez'],
    );
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 7, 9));
    try {
      const zones = new PostgresTimeZones();
      expect(await zones.unknownOf(manager, ['America/Ciudad_Juarez'])).toEqual(['America/Ciudad_Juarez']);
      expect(query).toHaveBeenCalledTimes(1);

      now.mockReturnValue(Date.UTC(2026, 11, 7, 9) + PostgresTimeZones.REREAD_AFTER_MS);
      expect(
        await zones.unknownOf(manager, ['America/Ciudad_Juarez', 'Mars/Olympus', 'Mars/Olympus']),
      ).toEqual(['Mars/Olympus']);
      expect(query).toHaveBeenCalledTimes(2);
    } finally {
      now.mockRestore();
    }
  });

  it('should know a zone spelled in another case than the list spells it, as Postgres and Intl do', async () => {
    const { manager, query } = managerKnowing(['Europe/Paris', 'US/Eastern']);
    const zones = new PostgresTimeZones();
    expect(
      await zones.unknownOf(manager, ['europe/paris', 'EUROPE/PARIS', 'us/eastern', 'Europe/Paris']),
    ).toEqual([]);
    expect(await zones.unknownOf(manager, ['mars/olympus'])).toEqual(['mars/olympus']);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('should read the list again when the last read failed', async () => {
    const query = jest
      .fn()
      .mockRejectedValueOnce(new Error('connection lost'))
      .mockResolvedValueOnce([{ name: 'UTC' }]);
    const manager = { query } as unknown as EntityManager;
    const zones = new PostgresTimeZones();
    await expect(zones.unknownOf(manager, ['UTC'])).rejects.toThrow('connection lost');
    expect(await zones.unknownOf(manager, ['UTC'])).toEqual([]);
  });

  it('should read the list again after a statement failed on a zone, and name a zone Postgres no longer knows', async () => {
    const { manager, query } = managerKnowing(['Europe/Amsterdam', 'Asia/Calcutta'], ['Europe/Amsterdam']);
    const now = jest.spyOn(Date, 'now').mockReturnValue(Date.UTC(2026, 11, 7, 9));
    try {
      const zones = new PostgresTimeZones();
      expect(await zones.unknownOf(manager, ['Asia/Calcutta'])).toEqual([]);
      // Postgres's zone data upgraded meanwhile drops the zone; a statement converting to it fails.
      expect(await zones.unknownOf(manager, ['Asia/Calcutta'], { statementFailed: true })).toEqual([]);
      expect(query).toHaveBeenCalledTimes(1);

      now.mockReturnValue(Date.UTC(2026, 11, 7, 9) + PostgresTimeZones.REREAD_AFTER_MS);
      expect(await zones.unknownOf(manager, ['Asia/Calcutta'])).toEqual([]);
      expect(await zones.unknownOf(manager, ['Asia/Calcutta'], { statementFailed: true })).toEqual([
        'Asia/Calcutta',
      ]);
      expect(query).toHaveBeenCalledTimes(2);
    } finally {
      now.mockRestore();
    }
  });
});
