import { Slots } from './slots';

const pending = () => new AbortController().signal;

describe('Slots', () => {
  it('should make the holder after the last one wait until a slot is freed, in arrival order', async () => {
    const slots = new Slots(2);
    const first = await slots.take(pending());
    await slots.take(pending());
    const order: string[] = [];
    const third = slots.take(pending()).then((release) => (order.push('third'), release));
    const fourth = slots.take(pending()).then((release) => (order.push('fourth'), release));
    await Promise.resolve();
    expect(order).toEqual([]);

    first();
    await third;
    expect(order).toEqual(['third']);
    (await third)();
    await fourth;
    expect(order).toEqual(['third', 'fourth']);
  });

  it('should reject a waiter whose signal aborts with its reason, and skip it when a slot is freed', async () => {
    const slots = new Slots(1);
    const release = await slots.take(pending());
    const impatient = new AbortController();
    const givenUp = slots.take(impatient.signal);
    const patient = slots.take(pending());

    impatient.abort(new Error('no slot in time'));
    await expect(givenUp).rejects.toThrow('no slot in time');
    release();

    await expect(patient).resolves.toBeInstanceOf(Function);
  });

  it('should free a slot once however often its release is called', async () => {
    const slots = new Slots(1);
    const release = await slots.take(pending());
    release();
    const next = await slots.take(pending());
    release();

    const timedOut = AbortSignal.timeout(20);
    await expect(slots.take(timedOut)).rejects.toBeDefined();
    next();
  });
});
