import { servicesToRun } from './bench-services';

describe('servicesToRun', () => {
  it('runs every service when BENCH_SERVICES is unset or blank', () => {
    const all = ['ingress', 'profiles', 'points-ledger', 'surveys', 'complaints', 'churn-watcher'];
    expect(servicesToRun(undefined)).toEqual(all);
    expect(servicesToRun(' , ')).toEqual(all);
  });

  it('starts a subset in the usual order, whatever order it is listed in', () => {
    expect(servicesToRun('points-ledger, churn-watcher,ingress,profiles')).toEqual([
      'ingress',
      'profiles',
      'points-ledger',
      'churn-watcher',
    ]);
  });

  it('names what it does not know', () => {
    expect(() => servicesToRun('ingress,profiles,points-ledger,loyalty')).toThrow(
      'BENCH_SERVICES names loyalty; the services are ingress, profiles',
    );
  });

  it('refuses to leave out a service the latency is timed across', () => {
    expect(() => servicesToRun('ingress,profiles,surveys')).toThrow(
      'BENCH_SERVICES leaves out points-ledger, which the latency is timed across',
    );
  });
});
