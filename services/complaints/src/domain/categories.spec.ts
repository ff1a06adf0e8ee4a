import { aspectOf, severityOfDetractor } from './categories';

describe('severity of a detractor', () => {
  it.each([
    [{ nps: 0 }, 'high'],
    [{ nps: 2, csat: 4 }, 'high'],
    [{ csat: 1 }, 'high'],
    [{ nps: 4 }, 'medium'],
    [{ nps: 6, csat: 2 }, 'medium'],
    [{ nps: 6 }, 'low'],
    [{}, 'low'],
  ] as const)('should judge %j as %s', (answer, severity) => {
    expect(severityOfDetractor(answer)).toBe(severity);
  });
});

describe('aspectOf', () => {
  it('should take the named aspect, else the one the category implies, and need one for other', () => {
    expect(aspectOf('noise', 'room')).toBe('room');
    expect(aspectOf('price-and-billing')).toBe('billing');
    expect(() => aspectOf('other')).toThrow('aspect is required when the category is other');
  });
});
