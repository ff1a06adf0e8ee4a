import { palette } from './colour';
import { decodeRecord, type EventRecord } from './event-record';
import { buildTraceTree, renderTraceTree, selectChain } from './trace-tree';

let offset = 0;
function record(
  type: string,
  id: string,
  at: string,
  extra: Record<string, string> = {},
  headers: Record<string, string> = {},
): EventRecord {
  const envelope = { id, type, time: at, correlationid: 'corr-1', subject: 'g-1', ...extra };
  return decodeRecord(type, 0, {
    offset: String(offset++),
    timestamp: String(Date.parse(at)),
    key: null,
    value: Buffer.from(JSON.stringify(envelope)),
    headers,
  });
}

describe('trace trees', () => {
  const completed = record('stay-completed', 'e1', '2026-11-23T03:00:00.000Z');
  const recorded = record('stay-recorded', 'e2', '2026-11-23T03:00:00.250Z', { causationid: 'e1' });
  const earned = record('points-earned', 'e3', '2026-11-23T03:00:01.500Z', { causationid: 'e2' });
  const tier = record('tier-changed', 'e4', '2026-11-23T03:00:01.600Z', { causationid: 'e2' });
  /** A dead letter of `e3` (points-earned), written at `failedAt` with the dead-letter headers given. */
  const letterOfEarned = (failedAt: string, headers: Record<string, string> = {}) => {
    const letter = record(
      'points-earned',
      'e3',
      '2026-11-23T03:00:01.500Z',
      { causationid: 'e2' },
      { 'dlq-reason': 'HANDLER_FAILED', 'dlq-attempts': '5', ...headers },
    );
    letter.timestamp = Date.parse(failedAt);
    return letter;
  };
  const letter = letterOfEarned('2026-11-23T03:00:02.000Z');
  const other = record('stay-completed', 'x1', '2026-11-23T03:00:00.000Z', { correlationid: 'corr-2' });
  // Same chain, but the producer started a new correlation id: found through causationid.
  const crossed = record('points-expiring-soon', 'e5', '2026-11-23T03:00:03.000Z', {
    correlationid: 'corr-9',
    causationid: 'e3',
  });

  it('should select every event of the correlation id, and those linked by causation', () => {
    const chain = selectChain([completed, recorded, earned, tier, other, crossed], 'e2');
    expect(chain.map((r) => r.event?.id).sort()).toEqual(['e1', 'e2', 'e3', 'e4', 'e5']);
  });

  it('should select by an id and follow causation ids whatever case they are written in', () => {
    const upper = record('stay-completed', 'AB12', '2026-11-23T03:00:00.000Z', { correlationid: 'CORR-3' });
    const effect = record('stay-recorded', 'cd34', '2026-11-23T03:00:00.250Z', {
      correlationid: 'corr-4',
      causationid: 'ab12',
    });
    expect(selectChain([upper, effect], 'ab12').map((r) => r.event?.id)).toEqual(['AB12', 'cd34']);
    expect(selectChain([upper, effect], 'corr-3').map((r) => r.event?.id)).toEqual(['AB12', 'cd34']);
    expect(buildTraceTree([upper, effect])[0].children.map((child) => child.record.event?.id)).toEqual([
      'cd34',
    ]);
  });

  it('should select by correlation id too', () => {
    expect(selectChain([completed, other], 'corr-2').map((r) => r.event?.id)).toEqual(['x1']);
  });

  it('should nest effects under their causes with the time since the cause', () => {
    const [root, ...rest] = buildTraceTree([tier, earned, recorded, completed, letter]);
    expect(rest).toEqual([]);
    expect(root.record.event?.id).toBe('e1');
    const [stay] = root.children;
    expect(stay.deltaMs).toBe(250);
    expect(stay.children.map((c) => [c.record.event?.type, c.deltaMs])).toEqual([
      ['points-earned', 1250],
      ['tier-changed', 1350],
    ]);
    expect(stay.children[0].children.map((c) => c.deltaMs)).toEqual([500]);
  });

  it('should render the tree with connectors and deltas', () => {
    const text = renderTraceTree(buildTraceTree([completed, recorded, earned, tier, letter]), palette(false));
    expect(text.split('\n').map((line) => line.replace(/ id=.*$/, ''))).toEqual([
      '2026-11-23T03:00:00.000Z stay-completed',
      '└─ +250ms stay-recorded',
      '   ├─ +1.25s points-earned',
      '   │  └─ +500ms dead-lettered (HANDLER_FAILED, 5 attempts)',
      '   └─ +1.35s tier-changed',
    ]);
  });

  it('should show a dead letter from each consumer group that gave up on an event, naming the group', () => {
    const letterFrom = (group: string, failedAt: string) =>
      letterOfEarned(failedAt, {
        'dlq-consumer-group': group,
        'dlq-source-topic': 'points-earned',
        'dlq-source-partition': '0',
        'dlq-source-offset': String(earned.offset),
      });
    const letters = [
      letterFrom('ledger', '2026-11-23T03:00:02.000Z'),
      letterFrom('profiles', '2026-11-23T03:00:03.000Z'),
    ];
    const text = renderTraceTree(buildTraceTree([earned, ...letters]), palette(false));
    expect(text.split('\n').map((line) => line.replace(/ id=.*$/, ''))).toEqual([
      '2026-11-23T03:00:01.500Z points-earned',
      '├─ +500ms dead-lettered by ledger (HANDLER_FAILED, 5 attempts)',
      '└─ +1.50s dead-lettered by profiles (HANDLER_FAILED, 5 attempts)',
    ]);
  });
});
