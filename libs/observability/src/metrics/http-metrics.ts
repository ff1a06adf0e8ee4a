/** Names and labels of the HTTP server metrics MetricsService defines for every app. */
export const HTTP_METRICS = {
  requests: { name: 'http_requests_total', labels: ['method', 'route', 'status'] },
  duration: { name: 'http_request_duration_seconds', labels: ['method', 'route', 'status'] },
} as const;

export type HttpMetricLabel = (typeof HTTP_METRICS.requests.labels)[number];

/** Seconds; from a fast cache hit to a slow report query. */
export const HTTP_DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
