import { asCustomers, fitBgNbd } from '@loyalty/lifetime';
import { isIdentifiedFit } from './model-fit';

const TODAY = 20_000;

function fitOf(guests: { firstDay: number; lastDay: number; repeatVisits: number }[]) {
  const customers = asCustomers(
    {
      firstDay: Float64Array.from(guests, (guest) => guest.firstDay),
      lastDay: Float64Array.from(guests, (guest) => guest.lastDay),
      repeatVisits: Float64Array.from(guests, (guest) => guest.repeatVisits),
    },
    TODAY,
  );
  const meanAge = customers.T.reduce((sum, t) => sum + t, 0) / customers.T.length;
  return { parameters: fitBgNbd(customers).parameters, meanAge };
}

describe('whether a fit stands on the data', () => {
  it('should refuse the fit at the search bounds when no guest has a repeat visit', () => {
    const day = (i: number) => TODAY - 30 - (i % 300);
    const { parameters, meanAge } = fitOf(
      Array.from({ length: 1000 }, (_, i) => ({ firstDay: day(i), lastDay: day(i), repeatVisits: 0 })),
    );
    expect(parameters.r).toBeLessThan(1e-5);
    expect(isIdentifiedFit(parameters, meanAge)).toBe(false);
  });

  it('should accept the fit of guests who all keep one cadence, r at the upper bound', () => {
    const guests = [20, 30, 40].flatMap((cadence) =>
      Array.from({ length: 6 }, (_, i) => {
        const visits = Math.floor((300 - i) / cadence);
        return {
          firstDay: TODAY - 310 + i,
          lastDay: TODAY - 310 + i + visits * cadence,
          repeatVisits: visits,
        };
      }),
    );
    const { parameters, meanAge } = fitOf(guests);
    expect(isIdentifiedFit(parameters, meanAge)).toBe(true);
  });

  it('should accept a fit inside the bounds and refuse r or α alone at a bound', () => {
    expect(isIdentifiedFit({ r: 0.8, alpha: 40, a: 0.5, b: 3 }, 200)).toBe(true);
    expect(isIdentifiedFit({ r: 6.2e-6, alpha: 40, a: 0.5, b: 3 }, 200)).toBe(false);
    expect(isIdentifiedFit({ r: 0.8, alpha: 200 * Math.exp(11.9), a: 0.5, b: 3 }, 200)).toBe(false);
    expect(isIdentifiedFit({ r: 0.8, alpha: Number.NaN, a: 0.5, b: 3 }, 200)).toBe(false);
  });
});
