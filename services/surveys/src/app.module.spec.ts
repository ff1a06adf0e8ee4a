import { eventTypesConsumedBy } from '@loyalty/contracts';
import { handledEventTypes } from '@loyalty/testing';
import { AppModule } from './app.module';

describe('surveys AppModule', () => {
  it('should handle exactly the events the catalogue names it a consumer of', () => {
    expect(handledEventTypes(AppModule)).toEqual([...eventTypesConsumedBy('surveys')].sort());
  });
});
