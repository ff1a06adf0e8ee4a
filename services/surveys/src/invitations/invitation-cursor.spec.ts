import { encodeKeysetCursor } from '@loyalty/platform';
import { parseInvitationCursor } from './invitation-cursor';

describe('invitation list cursors', () => {
  const surveyId = '6f1d1c2e-8d1a-4b7e-9a51-2b8e6a0c4d11';
  const cursorOf = (text: string) => Buffer.from(text).toString('base64url');

  it('should read back the position it encoded, to the microsecond', () => {
    const position = { sortedAt: '2025-05-02T02:00:00.123456Z', surveyId };
    expect(parseInvitationCursor(encodeKeysetCursor([position.sortedAt, position.surveyId]))).toEqual(
      position,
    );
  });

  it('should refuse what Postgres could not cast, and text that is no cursor', () => {
    for (const cursor of [
      'nonsense',
      cursorOf(`2025-05-02T02:00:00.123Z|${surveyId}`),
      cursorOf(`2025-02-30T02:00:00.000000Z|${surveyId}`),
      cursorOf(`0000-01-01T00:00:00.000000Z|${surveyId}`),
      cursorOf(`2025-05-02T25:00:00.000000Z|${surveyId}`),
      cursorOf('2025-05-02T02:00:00.000000Z|42'),
      cursorOf(`2025-05-02T02:00:00.000000Z|${surveyId}|x`),
    ])
      expect(parseInvitationCursor(cursor)).toBeNull();
  });
});
