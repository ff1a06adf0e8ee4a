import { renderSummary, summarise, summaryTopics, type LoggedEvent } from './chain-summary';

const event = (topic: string, subject: string, data: Record<string, unknown>, headers = {}): LoggedEvent => ({
  topic,
  headers,
  value: { type: topic.replace(/^p\./, ''), subject, data },
});

describe('summarise', () => {
  const log: LoggedEvent[] = [
    event('p.stay-recorded', 'g1', { propertyId: 'grand-paris' }),
    event('p.stay-recorded', 'g1', { propertyId: 'grand-paris' }),
    event('p.stay-recorded', 'g2', { propertyId: 'grand-tokyo' }),
    event('p.points-earned', 'g1', { points: 1200 }),
    event('p.points-earned', 'g2', { points: 300 }),
    event('p.points-redeemed', 'g1', { points: 500 }),
    event('p.points-expired', 'g2', { points: 40 }),
    event('p.tier-changed', 'g1', { from: 'member', to: 'silver' }),
    event('p.tier-changed', 'g1', { from: 'silver', to: 'gold' }),
    event('p.complaint-opened', 'g2', { complaintId: 'c1', complaintCategory: 'noise', category: 'room' }),
    event('p.complaint-escalated', 'g2', { complaintId: 'c1', reason: 'sla-breached' }),
    { topic: 'p.stay-completed.dlq', headers: { 'dlq-reason': 'NOT_JSON' }, value: null },
    { topic: 'p.stay-completed.dlq', headers: { 'dlq-reason': 'NOT_JSON' }, value: null },
    { topic: 'p.stay-completed.dlq', headers: { 'dlq-reason': 'INVALID_DATA' }, value: null },
  ];

  it('should count stays per property, points by kind, each guest in their latest tier and dead letters by reason', () => {
    const summary = summarise(log, 'p.');
    expect(summary.staysPerProperty).toEqual({ 'grand-paris': 2, 'grand-tokyo': 1 });
    expect(summary.points).toEqual({ issued: 1500, redeemed: 500, expired: 40 });
    expect(summary.membersPerTier).toEqual({ gold: 1, member: 1 });
    expect(summary.complaints).toEqual({ noise: { met: 0, breached: 1, open: 0, 'set aside': 0 } });
    expect(summary.deadLetters).toEqual([
      { topic: 'stay-completed', reason: 'NOT_JSON', count: 2 },
      { topic: 'stay-completed', reason: 'INVALID_DATA', count: 1 },
    ]);
  });

  it('should leave out a complaint of an earlier run whose escalation falls in this run', () => {
    const earlier = event('p.complaint-escalated', 'g9', { complaintId: 'c0', reason: 'sla-breached' });
    const summary = summarise([earlier, ...log], 'p.');
    expect(summary.complaints).toEqual({ noise: { met: 0, breached: 1, open: 0, 'set aside': 0 } });
  });

  it('should render a table a manager can read', () => {
    const text = renderSummary(summarise(log, 'p.'));
    expect(text).toMatch(/grand-paris\s+2/);
    expect(text).toMatch(/issued\s+1,500/);
    expect(text).toMatch(/stay-completed: NOT_JSON\s+2/);
    expect(text).toMatch(/noise\s+0\s+1\s+0\s+0\s+1/);
  });

  it('should list the stays the ingress rejected by code beside the dead letters when sent over HTTP', () => {
    const rejectedAtIngress = new Map([
      ['INVALID_DATA', 3],
      ['UNKNOWN_VERSION', 1],
    ]);
    const summary = summarise(log, 'p.', rejectedAtIngress);
    expect(summary.deadLetters).toEqual([
      { topic: 'stay-completed (rejected at ingress)', reason: 'INVALID_DATA', count: 3 },
      { topic: 'stay-completed', reason: 'NOT_JSON', count: 2 },
      { topic: 'stay-completed', reason: 'INVALID_DATA', count: 1 },
      { topic: 'stay-completed (rejected at ingress)', reason: 'UNKNOWN_VERSION', count: 1 },
    ]);
    expect(renderSummary(summary)).toMatch(/^ {2}stay-completed \(rejected at ingress\): INVALID_DATA\s+3$/m);
  });

  it('should order dead letters of equal count by topic and reason, whatever order the log was read in', () => {
    const deadLetter = (topic: string, reason: string): LoggedEvent => ({
      topic: `p.${topic}.dlq`,
      headers: { 'dlq-reason': reason },
      value: null,
    });
    const letters = [
      deadLetter('stay-completed', 'UNKNOWN_VERSION'),
      deadLetter('stay-completed', 'INVALID_DATA'),
      deadLetter('guest-merged', 'NOT_JSON'),
    ];
    const rows = (log: LoggedEvent[]) =>
      summarise(log, 'p.').deadLetters.map((d) => `${d.topic}: ${d.reason}`);

    expect(rows(letters)).toEqual([
      'guest-merged: NOT_JSON',
      'stay-completed: INVALID_DATA',
      'stay-completed: UNKNOWN_VERSION',
    ]);
    expect(rows([...letters].reverse())).toEqual(rows(letters));
  });

  it('should list members up the tier ladder, lowest first, an empty tier as 0', () => {
    const text = renderSummary(
      summarise([...log, event('p.tier-changed', 'g2', { from: 'member', to: 'titanium' })], 'p.'),
    );
    const tiers = text.slice(text.indexOf('Members per tier'), text.indexOf('Points'));
    expect([...tiers.matchAll(/^ {2}(\S+)\s+(\d+)$/gm)].map((m) => `${m[1]} ${m[2]}`)).toEqual([
      'member 0',
      'silver 0',
      'gold 1',
      'platinum 0',
      'titanium 1',
    ]);
  });
});

describe('summaryTopics', () => {
  it('should read the dead letters of every event topic a service consumes, not only of those it tallies', () => {
    expect(summaryTopics('p.')).toEqual(
      expect.arrayContaining([
        'p.stay-completed.dlq',
        'p.detractor-identified.dlq',
        'p.guest-registered.dlq',
        'p.compensation-granted.dlq',
        'p.stay-adjusted.dlq',
      ]),
    );
  });
});
