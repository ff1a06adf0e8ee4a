import type { Kafka } from 'kafkajs';
import { kafkaOutlet } from './outlets';

// What makes a broker's answer one to ask again (libs/messaging's broker-answers): a retriable protocol error type.
const notLeader = () =>
  Object.assign(new Error('This server is not the leader for that topic-partition'), {
    type: 'NOT_LEADER_FOR_PARTITION',
    retriable: true,
  });

function kafkaAnswering(...answers: (Error | undefined)[]): { kafka: Kafka; sends: number[] } {
  const sends: number[] = [];
  const producer = {
    connect: async () => undefined,
    disconnect: async () => undefined,
    send: async ({ messages }: { messages: unknown[] }) => {
      sends.push(messages.length);
      const answer = answers.shift();
      if (answer) throw answer;
    },
  };
  return { kafka: { producer: () => producer } as unknown as Kafka, sends };
}

const delivery = { key: 'AMS01:R1', value: '{}' } as Parameters<
  Awaited<ReturnType<typeof kafkaOutlet>>['send']
>[0][number];

describe('kafkaOutlet', () => {
  it('should send a batch again when a partition has no leader yet', async () => {
    const { kafka, sends } = kafkaAnswering(notLeader(), undefined);
    const outlet = await kafkaOutlet(kafka, 'stay-completed');
    await expect(outlet.send([delivery, delivery])).resolves.toEqual([]);
    expect(sends).toEqual([2, 2]);
  });

  it('should give up at once on an answer that asking again cannot mend', async () => {
    const { kafka, sends } = kafkaAnswering(new Error('topic authorization failed'));
    const outlet = await kafkaOutlet(kafka, 'stay-completed');
    await expect(outlet.send([delivery])).rejects.toThrow('topic authorization failed');
    expect(sends).toEqual([1]);
  });
});
