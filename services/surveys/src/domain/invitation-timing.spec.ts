import { invitationDueAt } from './invitation-timing';

describe('invitationDueAt', () => {
  it('should be the next day at 10:00 local time when the guest checked out in the morning', () => {
    const due = invitationDueAt(new Date('2025-03-04T09:12:00Z'), 'Europe/Amsterdam', {
      delayDays: 1,
      sendHour: 10,
    });
    expect(due.toISOString()).toBe('2025-03-05T09:00:00.000Z');
  });

  it('should count days from the local check-out date when UTC is still on the previous day', () => {
    // 23:30 UTC on the 4th is already 08:30 on the 5th in Tokyo.
    const due = invitationDueAt(new Date('2025-03-04T23:30:00Z'), 'Asia/Tokyo', {
      delayDays: 1,
      sendHour: 10,
    });
    expect(due.toISOString()).toBe('2025-03-06T01:00:00.000Z');
  });

  it('should send on the check-out day itself when the delay is zero days', () => {
    const due = invitationDueAt(new Date('2025-03-04T08:00:00Z'), 'Europe/London', {
      delayDays: 0,
      sendHour: 18,
    });
    expect(due.toISOString()).toBe('2025-03-04T18:00:00.000Z');
  });
});
