import type { EventData, EventType } from '@loyalty/contracts';
import { announceAnswer } from './answer-announcements';
import type { OpenInvitation } from './invitation-lookup';

const invitation = {
  survey_id: '5b0f2d64-3f0e-4d8e-9a4f-1c2b3d4e5f60',
  stay_id: '1e2d3c4b-5a69-4877-8695-a4b3c2d1e0f9',
  guest_id: '9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d',
  property_id: 'AMS01',
  reservation_id: 'R1',
  arrival: '2025-03-01',
  departure: '2025-03-04',
} as OpenInvitation;
const at = new Date('2025-03-06T20:30:00Z');

async function announced(answer: Parameters<typeof announceAnswer>[3]) {
  const events: { type: EventType; data: unknown }[] = [];
  await announceAnswer(
    async (type, data) => void events.push({ type, data }),
    invitation,
    'survivor',
    answer,
    at,
  );
  return events;
}

describe('announceAnswer', () => {
  it('should publish a completed survey without nps or classification when the recommend question was skipped', async () => {
    const [completed, ...rest] = await announced({ csat: 4, quality: { empathy: 5 }, departments: {} });
    expect(rest).toEqual([]);
    const data = completed.data as EventData<'survey-completed'>;
    expect(data).toMatchObject({
      guestId: 'survivor',
      csat: 4,
      serviceQuality: [{ dimension: 'empathy', score: 5 }],
    });
    expect('nps' in data || 'classification' in data).toBe(false);
  });

  it('should follow a detractor answer with detractor-identified naming the worst aspects first', async () => {
    const events = await announced({
      nps: 2,
      csat: 3,
      quality: {},
      departments: { 'front-desk': 2, housekeeping: 4, 'food-and-beverage': 1 },
      comment: 'cold room',
    });
    expect(events.map((e) => e.type)).toEqual(['survey-completed', 'detractor-identified']);
    expect(events[0].data).toMatchObject({ classification: 'detractor', hasComment: true });
    expect(events[1].data).toMatchObject({
      nps: 2,
      trigger: 'nps',
      lowestDimensions: [
        { dimension: 'food-and-beverage', score: 1 },
        { dimension: 'check-in', score: 2 },
        { dimension: 'cleanliness', score: 4 },
      ],
      identifiedAt: at.toISOString(),
    });
  });
});
