import { EventMetrics } from './event-metrics';
import { MetricsService } from './metrics.service';

describe('EventMetrics', () => {
  it('should record every event metric under its agreed name and labels when its method is called', async () => {
    const metrics = new MetricsService({ service: 'ledger', collectDefaultMetrics: false });
    const events = new EventMetrics(metrics, { service: 'ledger' });

    events.consumed('loyalty.stay', 'StayCompleted', 'processed');
    events.published('loyalty.points', 'PointsEarned', 3);
    events.failed('loyalty.stay', 'StayCompleted', 'DB_TIMEOUT');
    events.retried('loyalty.stay', 'StayCompleted');
    events.deadLettered('loyalty.stay', 'PAYLOAD_INVALID');
    events.deadLetterWriteFailed('loyalty.stay');
    events.duplicateSkipped('loyalty.stay', 'StayCompleted', 2);
    events.consumed('loyalty.stay', 'StayCompleted', 'processed', 4);
    events.observeHandler('loyalty.stay', 'StayCompleted', 0.02);
    events.setLag('ledger', 'loyalty.stay', 2, 17);
    events.setOutboxBacklog(4);

    const body = (await metrics.scrape()).body;
    expect(body).toContain(
      'events_consumed_total{topic="loyalty.stay",type="StayCompleted",outcome="processed",service="ledger"} 5',
    );
    expect(body).toContain(
      'events_published_total{topic="loyalty.points",type="PointsEarned",service="ledger"} 3',
    );
    expect(body).toContain(
      'events_failed_total{topic="loyalty.stay",type="StayCompleted",reason="DB_TIMEOUT",service="ledger"} 1',
    );
    expect(body).toContain(
      'events_retried_total{topic="loyalty.stay",type="StayCompleted",service="ledger"} 1',
    );
    expect(body).toContain(
      'events_dead_lettered_total{topic="loyalty.stay",reason="PAYLOAD_INVALID",service="ledger"} 1',
    );
    expect(body).toContain('dead_letter_write_failures_total{topic="loyalty.stay",service="ledger"} 1');
    expect(body).toContain(
      'events_duplicates_skipped_total{topic="loyalty.stay",type="StayCompleted",service="ledger"} 2',
    );
    const handlerCount = body
      .split('\n')
      .find((line) => line.startsWith('event_handler_duration_seconds_count{'));
    expect(handlerCount).toContain('topic="loyalty.stay"');
    expect(handlerCount).toContain('type="StayCompleted"');
    expect(handlerCount).toMatch(/ 1$/);
    expect(body).toContain(
      'consumer_lag{group="ledger",topic="loyalty.stay",partition="2",service="ledger"} 17',
    );
    expect(body).toMatch(/outbox_backlog\{service="ledger"\} 4/);
  });

  it('should share metrics when a second EventMetrics is built on the same registry', () => {
    const metrics = new MetricsService({ service: 's', collectDefaultMetrics: false });
    new EventMetrics(metrics, { service: 's' });
    expect(() => new EventMetrics(metrics, { service: 's' })).not.toThrow();
  });

  it('should drop the lag series of a partition, and no other', async () => {
    const metrics = new MetricsService({ service: 'ledger', collectDefaultMetrics: false });
    const events = new EventMetrics(metrics, { service: 'ledger' });
    events.setLag('ledger', 'loyalty.stay', 2, 17);
    events.setLag('ledger', 'loyalty.stay', 3, 5);

    events.removeLag('ledger', 'loyalty.stay', 2);

    const body = (await metrics.scrape()).body;
    expect(body).not.toContain('partition="2"');
    expect(body).toContain(
      'consumer_lag{group="ledger",topic="loyalty.stay",partition="3",service="ledger"} 5',
    );
  });
});
