import { MetricDefinitionConflictError } from './metric-definition.error';
import { MetricsService } from './metrics.service';

describe('MetricsService', () => {
  it('should keep metrics apart when two apps live in one process', async () => {
    const a = new MetricsService({ service: 'a', collectDefaultMetrics: false });
    const b = new MetricsService({ service: 'b', collectDefaultMetrics: false });
    a.counter('jobs_total', 'jobs', ['kind']).inc({ kind: 'x' });

    expect((await a.scrape()).body).toContain('jobs_total{kind="x",service="a"} 1');
    expect((await b.scrape()).body).not.toContain('jobs_total');
  });

  it('should return the same metric when it is asked for twice', () => {
    const metrics = new MetricsService({ service: 's', collectDefaultMetrics: false });
    const first = metrics.histogram('lat_seconds', 'latency', ['op'], [0.1, 1]);
    expect(metrics.histogram('lat_seconds', 'latency', ['op'])).toBe(first);
  });

  it('should throw a coded error when a name is reused with another kind or labels', () => {
    const metrics = new MetricsService({ service: 's', collectDefaultMetrics: false });
    metrics.counter('things_total', 'things', ['a']);
    expect(() => metrics.gauge('things_total', 'things', ['a'])).toThrow(MetricDefinitionConflictError);
    expect(() => metrics.counter('things_total', 'things', ['b'])).toThrow(
      'Metric things_total is already defined as counter{a}; it was requested as counter{b}',
    );
  });

  it('should run the collect callback when the registry is scraped', async () => {
    const metrics = new MetricsService({ service: 's', collectDefaultMetrics: false });
    let reading = 5;
    metrics.gauge('queue_depth', 'depth', [], (gauge) => gauge.set(reading));
    expect((await metrics.scrape()).body).toContain('queue_depth{service="s"} 5');
    reading = 9;
    expect((await metrics.scrape()).body).toContain('queue_depth{service="s"} 9');
  });

  it('should answer a scrape whose gauge reading fails, with that gauge as it was and every other metric', async () => {
    const metrics = new MetricsService({ service: 's', collectDefaultMetrics: false });
    metrics.counter('jobs_total', 'jobs').inc();
    let reading: () => Promise<number> = async () => 3;
    metrics.gauge('backlog', 'waiting', [], async (gauge) => gauge.set(await reading()));
    expect((await metrics.scrape()).body).toContain('backlog{service="s"} 3');

    // As the database behind the reading goes down.
    reading = async () => {
      throw new Error('connect ECONNREFUSED 127.0.0.1:5432');
    };
    const { body } = await metrics.scrape();
    expect(body).toContain('jobs_total{service="s"} 1');
    expect(body).toContain('backlog{service="s"} 3');
  });

  it('should predefine the HTTP metrics when created', async () => {
    const { body, contentType } = await new MetricsService({
      service: 's',
      collectDefaultMetrics: false,
    }).scrape();
    expect(body).toContain('# TYPE http_requests_total counter');
    expect(body).toContain('# TYPE http_request_duration_seconds histogram');
    expect(contentType).toMatch(/^text\/plain; version=0.0.4/);
  });
});
