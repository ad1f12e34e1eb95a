// B.3 — Request instrumentation: count and time every request, tag it with a request id, log it.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { LogFn } from './log.js';
import type { AppMetrics } from './metrics.js';

export interface InstrumentationOptions {
  metrics: AppMetrics;
  log: LogFn;
}

/** The label used for requests that matched no route, so unknown paths share one series. */
export const UNMATCHED_ENDPOINT = 'unmatched';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    startTime: bigint;
  }
}

/** The route template (`/items/:id`), never the raw URL (`/items/42`). */
export function endpointOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ENDPOINT;
}

export function errorTypeOf(statusCode: number): string | undefined {
  if (statusCode >= 500) return 'server_error';
  if (statusCode >= 400) return 'client_error';
  return undefined;
}

/** The status recorded for a request whose client hung up before it was answered ("client closed
 * request", as nginx logs it): no real status was ever sent. */
export const CLIENT_CLOSED_REQUEST = 499;

const instrumentation: FastifyPluginAsync<InstrumentationOptions> = async (app, { metrics, log }) => {
  app.decorateRequest('requestId', '');
  app.decorateRequest('startTime', 0n);

  /** Counts, times and logs one request, once, whichever way it ended. */
  function record(request: FastifyRequest, statusCode: number): void {
    const endpoint = endpointOf(request);
    if (endpoint === '/metrics') return; // scraping must not change what it measures
    const seconds = Number(process.hrtime.bigint() - request.startTime) / 1e9;
    const method = request.method;

    metrics.requests.inc({ method, endpoint, status_code: String(statusCode) });
    metrics.requestDuration.observe({ method, endpoint }, seconds);
    const errorType = errorTypeOf(statusCode);
    if (errorType) metrics.errors.inc({ method, endpoint, error_type: errorType });

    log(`${method} ${request.url} -> ${statusCode} (${(seconds * 1000).toFixed(1)} ms) [${request.requestId}]`);
  }

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers['x-request-id'];
    request.requestId = typeof header === 'string' && header.length > 0 ? header : randomUUID();
    request.startTime = process.hrtime.bigint();
    reply.header('x-request-id', request.requestId);
  });

  // onResponse runs once the answer has been sent: for successes, errors and 404s alike.
  app.addHook('onResponse', async (request, reply) => {
    record(request, reply.statusCode);
  });

  // A client that hangs up before its answer gets no onResponse at all: Fastify 5 runs
  // onRequestAbort instead. Without this hook such requests would vanish from the metrics.
  app.addHook('onRequestAbort', async (request) => {
    record(request, CLIENT_CLOSED_REQUEST);
  });
};

export default fp(instrumentation, { name: 'instrumentation' });
