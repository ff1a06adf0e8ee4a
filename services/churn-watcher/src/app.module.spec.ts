import { eventTypesConsumedBy } from '@loyalty/contracts';
import { handledEventTypes } from '@loyalty/testing';
import { AppModule } from './app.module';

describe('churn-watcher AppModule', () => {
  it('should handle exactly the events the catalogue names it a consumer of', () => {
    expect(handledEventTypes(AppModule)).toEqual([...eventTypesConsumedBy('churn-watcher')].sort());
  });
});
