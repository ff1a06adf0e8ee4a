import { eventTypesConsumedBy } from '@loyalty/contracts';
import { handledEventTypes } from '@loyalty/testing';
import { AppModule } from './app.module';

describe('points-ledger AppModule', () => {
  it('should handle exactly the events the catalogue names it a consumer of', () => {
    expect(handledEventTypes(AppModule)).toEqual([...eventTypesConsumedBy('points-ledger')].sort());
  });
});
