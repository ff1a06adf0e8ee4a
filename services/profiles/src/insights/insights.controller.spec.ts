import { AuthException, type Principal } from '@loyalty/auth';
import type { AccessLog } from '../privacy/access-log';
import type { ArrivalsService } from './arrivals.service';
import { InsightsController } from './insights.controller';
import type { SegmentsService } from './segments.service';

describe('segment recompute', () => {
  const analyst = (properties: string[]): Principal => ({ sub: 'analyst-1', roles: ['analyst'], properties });

  function controller() {
    const recompute = jest.fn(async () => ({ guests: 3 }));
    const insights = new InsightsController(
      {} as ArrivalsService,
      { recompute } as unknown as SegmentsService,
      {} as AccessLog,
    );
    return { insights, recompute };
  }

  it('should refuse before rescoring any guest when the analyst is scoped to properties', async () => {
    const { insights, recompute } = controller();
    const refused: unknown = await Promise.resolve()
      .then(() => insights.recompute(analyst(['AMS01'])))
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(AuthException);
    expect(refused).toMatchObject({ code: 'PROPERTY_OUT_OF_SCOPE' });
    expect(recompute).not.toHaveBeenCalled();
  });

  it('should recompute every guest when the token is chain-wide', async () => {
    const { insights, recompute } = controller();
    await expect(insights.recompute(analyst(['*']))).resolves.toEqual({ guests: 3 });
    await expect(
      insights.recompute({ sub: 'admin-1', roles: ['chain-admin'], properties: [] }),
    ).resolves.toEqual({ guests: 3 });
    expect(recompute).toHaveBeenCalledTimes(2);
  });
});
