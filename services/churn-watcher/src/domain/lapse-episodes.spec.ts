import type { ChurnEvidenceDto } from '@loyalty/contracts';
import { dayNumber } from '@loyalty/lifetime';
import { endsLapse, firstReturn, lapseKeptByMerge } from './lapse-episodes';

const evidence: ChurnEvidenceDto = {
  expectedIntervalDays: 30,
  daysSinceLastStay: 60,
  lastDeparture: '2031-01-01',
  probabilityAlive: 0.2,
  recentSignals: [],
};
const openedAt = new Date('2031-03-02T12:00:00Z');

describe('endsLapse', () => {
  it('should end the lapse when the stay departed after the last departure the alert was based on', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-01-02'))).toBe(true);
  });

  it('should not end the lapse when a stay recorded late departed before the last departure', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2030-12-01'))).toBe(false);
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-01-01'))).toBe(false);
  });

  it('should end the lapse when a stay fell between the last departure and the scan day', () => {
    expect(endsLapse({ evidence, openedAt }, dayNumber('2031-02-15'))).toBe(true);
  });

  it('should count back from the scan day when the evidence names no last departure', () => {
    const withoutDate = { ...evidence, lastDeparture: undefined };
    expect(endsLapse({ evidence: withoutDate, openedAt }, dayNumber('2031-01-01'))).toBe(false);
    expect(endsLapse({ evidence: withoutDate, openedAt }, dayNumber('2031-01-02'))).toBe(true);
  });
});

describe('firstReturn', () => {
  const episode = { evidence, openedAt };
  const stay = (stayId: string, departure: string) => ({ stayId, departure });

  it('should name the earliest departing stay after the last departure, in whatever order the stays come', () => {
    const stays = [stay('latest', '2031-03-20'), stay('first', '2031-03-05'), stay('next', '2031-03-10')];
    expect(firstReturn(episode, stays)?.stayId).toBe('first');
    expect(firstReturn(episode, [...stays].reverse())?.stayId).toBe('first');
  });

  it('should pass over stays that departed before or on the last departure', () => {
    const stays = [
      stay('back-filled', '2030-12-20'),
      stay('same-day', '2031-01-01'),
      stay('back', '2031-02-01'),
    ];
    expect(firstReturn(episode, stays)?.stayId).toBe('back');
  });

  it('should name the first given of two returns departing on the same day', () => {
    expect(firstReturn(episode, [stay('one', '2031-03-05'), stay('two', '2031-03-05')])?.stayId).toBe('one');
  });

  it('should name none when no stay ends the lapse', () => {
    expect(firstReturn(episode, [stay('back-filled', '2030-12-20')])).toBeUndefined();
    expect(firstReturn(episode, [])).toBeUndefined();
  });
});

describe('lapseKeptByMerge', () => {
  const since = (lastDeparture: string) => ({ evidence: { ...evidence, lastDeparture }, openedAt });

  it("should keep the merged guest's episode when the survivor has none open", () => {
    const merged = since('2031-01-01');
    expect(lapseKeptByMerge(undefined, merged)).toBe(merged);
  });

  it('should keep the lapse since the later last departure when both guests have one open', () => {
    const [earlier, later] = [since('2030-12-01'), since('2031-01-01')];
    expect(lapseKeptByMerge(earlier, later)).toBe(later);
    expect(lapseKeptByMerge(later, earlier)).toBe(later);
  });

  it("should keep the survivor's episode when both lapses began on the same day", () => {
    const [survivors, merged] = [since('2031-01-01'), since('2031-01-01')];
    expect(lapseKeptByMerge(survivors, merged)).toBe(survivors);
  });

  it('should keep none when neither guest has one open', () => {
    expect(lapseKeptByMerge(undefined, undefined)).toBeUndefined();
  });
});
