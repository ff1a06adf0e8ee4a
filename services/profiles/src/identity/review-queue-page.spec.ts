import { encodeKeysetCursor } from '@loyalty/platform';
import { parseReviewQueueCursor } from './review-queue-page';

const position = {
  score: '0.750',
  createdAt: '2026-03-01T09:30:00.123456Z',
  id: '3f2b8c4e-1d2a-4b5c-9e8f-0a1b2c3d4e5f',
};
const cursorOf = (score: string, createdAt: string, id: string) => encodeKeysetCursor([score, createdAt, id]);

describe('parseReviewQueueCursor', () => {
  it('should read back the position a page of the queue ended at, its time to the microsecond', () => {
    expect(parseReviewQueueCursor(cursorOf(position.score, position.createdAt, position.id))).toEqual(
      position,
    );
  });

  it('should refuse a cursor whose parts Postgres could not cast, or that another list handed out', () => {
    for (const cursor of [
      cursorOf('high', position.createdAt, position.id),
      cursorOf('0.75', position.createdAt, position.id),
      cursorOf(position.score, '2026-02-30T09:30:00.123456Z', position.id),
      cursorOf(position.score, '2026-03-01T09:30:00.123Z', position.id),
      cursorOf(position.score, position.createdAt, 'not-a-uuid'),
      encodeKeysetCursor([position.createdAt, position.id]),
      'not-a-cursor',
    ])
      expect(parseReviewQueueCursor(cursor)).toBeNull();
  });
});
