import { Inject, Injectable, type NestMiddleware } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { CorrelationContext } from '../correlation/correlation-context';
import { LOGGER } from '../logging/logger.token';
import { REDACTED, redactPersonalData } from '../logging/redact';
import { MetricsService } from '../metrics/metrics.service';

export const CORRELATION_HEADER = 'x-correlation-id';
export const UNMATCHED_ROUTE = 'unmatched';
// Nest mounts route-wide middleware as an Express route with this path, so `req.route` points at the
// middleware's own route until (and unless) a controller route matches.
const MIDDLEWARE_CATCH_ALL = '/{*path}';
// nginx's code for "client closed the connection before the response was sent".
const CLIENT_CLOSED_REQUEST = '499';

/** The fields Express adds to Node's request that this middleware reads, and its own mark. */
interface RoutedRequest extends IncomingMessage {
  originalUrl?: string;
  route?: { path?: unknown };
  params?: Record<string, string | string[]>;
  [IN_CONTEXT]?: true;
}

// A service may mount this ahead of what answers before Nest's middleware runs (the ingress's key check,
// ahead of the body parser); the request is then logged and counted once, by the first.
const IN_CONTEXT = Symbol('request in context');

/**
 * Runs each request inside a correlation context (taken from `x-correlation-id` or generated), echoes
 * the id in the response, and on completion logs one line and records the HTTP metrics.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  constructor(
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly metrics: MetricsService,
  ) {}

  use(req: RoutedRequest, res: ServerResponse, next: (error?: unknown) => void): void {
    if (req[IN_CONTEXT]) return next();
    req[IN_CONTEXT] = true;
    const header = req.headers[CORRELATION_HEADER];
    const middlewareRoute = req.route;
    CorrelationContext.run({ correlationId: Array.isArray(header) ? header[0] : header }, () => {
      const ids = CorrelationContext.current();
      res.setHeader(CORRELATION_HEADER, ids?.correlationId ?? '');
      const started = process.hrtime.bigint();

      res.once('close', () => {
        // Re-enter the context: 'close' is emitted from the socket, outside the request's async chain.
        CorrelationContext.run(ids, () => this.record(req, res, started, routeOf(req, middlewareRoute)));
      });
      next();
    });
  }

  private record(req: RoutedRequest, res: ServerResponse, started: bigint, route: string): void {
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const method = req.method ?? 'UNKNOWN';
    const status = res.writableFinished ? String(res.statusCode) : CLIENT_CLOSED_REQUEST;

    this.metrics.httpRequests.inc({ method, route, status });
    this.metrics.httpRequestDuration.observe({ method, route, status }, seconds);

    const fields = {
      method,
      url: urlForLog(req, route),
      route,
      status: Number(status),
      durationMs: Math.round(seconds * 1e4) / 10,
    };
    this.logger[levelFor(route, res.statusCode, status)](fields, 'request completed');
  }
}

/**
 * The request's path as it may be logged. The query string is left out: searches may carry guest e-mails
 * or names. So are the values of route params named like a redacted log field: a survey link's `:token`
 * is the guest's credential, and the request line must not hand it to whoever reads the logs. A path no
 * route matched has no params to tell a credential by (`/survey/<token>/typo`): only its first segment is
 * kept.
 */
function urlForLog(req: RoutedRequest, route: string): string {
  const path = (req.originalUrl ?? req.url ?? '').split('?')[0];
  if (route === UNMATCHED_ROUTE) {
    return path
      .split('/')
      .map((segment, i) => (i <= 1 || segment === '' ? segment : REDACTED))
      .join('/');
  }
  const params = req.params ?? {};
  const redactedParams = redactPersonalData(params);
  const hidden = Object.keys(params)
    .filter((name) => redactedParams[name] !== params[name])
    .flatMap((name) => params[name]);
  if (hidden.length === 0) return path;
  // A param may be only part of its segment (`/t-:token`), and Express hands it over percent-decoded.
  const revealsHidden = (segment: string) => hidden.some((value) => decoded(segment).includes(value));
  return path
    .split('/')
    .map((segment) => (revealsHidden(segment) ? REDACTED : segment))
    .join('/');
}

function decoded(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    // Malformed percent-encoding: Express refuses such a param, so this is a literal segment.
    return segment;
  }
}

/** The matched route pattern (`/members/:id`); never the raw URL, so the label set stays bounded. */
function routeOf(req: RoutedRequest, middlewareRoute: RoutedRequest['route']): string {
  const path = req.route?.path;
  if (req.route === middlewareRoute || typeof path !== 'string' || path === MIDDLEWARE_CATCH_ALL) {
    return UNMATCHED_ROUTE;
  }
  return path;
}

function levelFor(route: string, statusCode: number, status: string): 'debug' | 'info' | 'warn' | 'error' {
  // Probes and scrapes arrive every few seconds; at info they would drown the useful lines. A probe
  // answered 503 reports a state (a dependency down, a shutdown draining), which the checks log where it
  // changes: at error, every planned shutdown's probes would page someone.
  if (route.startsWith('/health') || route === '/metrics') return statusCode >= 400 ? 'warn' : 'debug';
  if (statusCode >= 500) return 'error';
  if (statusCode >= 400 || status === CLIENT_CLOSED_REQUEST) return 'warn';
  return 'info';
}
