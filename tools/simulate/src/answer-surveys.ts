import type { Kafka } from 'kafkajs';
import { topicName } from '@loyalty/contracts';
import { surveyAnswerFor } from '@loyalty/simulator';
import { readLog } from './event-log';

export interface SurveyRun {
  seed: number;
  prefix: string;
  surveysUrl: string;
  since: Date;
}

interface Invited {
  data: { token: string; stay: { propertyId: string; reservationId: string } };
}

const PARALLEL = 8;

/**
 * Plays the guests who answer their post-stay survey: waits until surveys has sent what is due (the
 * invitations of back-filled stays are due at once), then posts each chosen answer to the public answer
 * endpoint with the invitation's token. Returns how many surveys were answered.
 */
export async function answerSurveys(kafka: Kafka, run: SurveyRun): Promise<number> {
  const topic = topicName('survey-invited', run.prefix);
  await untilQuiet(kafka, topic);
  const invited = (await readLog(kafka, [topic], run.since)).map((event) => event.value as Invited);
  const answers = invited.flatMap((event) => {
    const { propertyId, reservationId } = event.data.stay;
    const answer = surveyAnswerFor(run.seed, `${propertyId}:${reservationId}`);
    return answer ? [{ token: event.data.token, answer }] : [];
  });
  for (let i = 0; i < answers.length; i += PARALLEL) {
    await Promise.all(
      answers.slice(i, i + PARALLEL).map(async ({ token, answer }) => {
        const response = await fetch(`${run.surveysUrl}/survey/${encodeURIComponent(token)}/answers`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ answers: answer }),
        });
        if (response.status !== 201)
          throw new Error(`surveys answered ${response.status}: ${await response.text()}`);
      }),
    );
  }
  process.stderr.write(`answered  ${answers.length} of ${invited.length} survey invitations\n`);
  return answers.length;
}

/** Waits until the topic has stopped growing for a few seconds: the scheduler has sent what was due. */
async function untilQuiet(kafka: Kafka, topic: string): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    let last = -1;
    let quiet = 0;
    while (quiet < 4) {
      const offsets = (await admin.listTopics()).includes(topic) ? await admin.fetchTopicOffsets(topic) : [];
      const end = offsets.reduce((sum, p) => sum + Number(p.high), 0);
      quiet = end === last ? quiet + 1 : 0;
      last = end;
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  } finally {
    await admin.disconnect();
  }
}
