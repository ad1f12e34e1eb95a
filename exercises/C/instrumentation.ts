// Request instrumentation from B.3, given here; each request is logged through the C.1 logger.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from './logger.js';
import type { AppMetrics } from './metrics.js';

export interface InstrumentationOptions {
  metrics: AppMetrics;
  logger: Logger;
}

export const UNMATCHED_ENDPOINT = 'unmatched';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    startTime: bigint;
  }
}

export function endpointOf(request: FastifyRequest): string {
  return request.routeOptions.url ?? UNMATCHED_ENDPOINT;
}

const instrumentation: FastifyPluginAsync<InstrumentationOptions> = async (app, { metrics, logger }) => {
  app.decorateRequest('requestId', '');
  app.decorateRequest('startTime', 0n);

  // Every error series a route can have exists from start-up, at 0. A series that appears only with
  // its first error hides that error from rate() and increase(), which need a sample before it.
  app.addHook('onRoute', (route) => {
    if (route.url === '/metrics') return;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      for (const errorType of ['client_error', 'server_error']) metrics.errors.inc({ method, endpoint: route.url, error_type: errorType }, 0);
    }
  });

  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers['x-request-id'];
    request.requestId = typeof header === 'string' && header.length > 0 ? header : randomUUID();
    request.startTime = process.hrtime.bigint();
    reply.header('x-request-id', request.requestId);
  });

  /** Counts, times and logs one request, once, whichever way it ended. */
  const record = (request: FastifyRequest, statusCode: number): void => {
    const endpoint = endpointOf(request);
    if (endpoint === '/metrics') return;
    const seconds = Number(process.hrtime.bigint() - request.startTime) / 1e9;
    const { method } = request;
    metrics.requests.inc({ method, endpoint, status_code: String(statusCode) });
    metrics.requestDuration.observe({ method, endpoint }, seconds);
    if (statusCode >= 400) metrics.errors.inc({ method, endpoint, error_type: statusCode >= 500 ? 'server_error' : 'client_error' });

    const fields = {
      request_id: request.requestId,
      method,
      path: request.url.split('?')[0],
      status_code: statusCode,
      duration_ms: Math.round(seconds * 1e6) / 1e3,
    };
    if (statusCode >= 500) logger.error('request failed', fields);
    else logger.info('request completed', fields);
  };

  app.addHook('onResponse', async (request, reply) => record(request, reply.statusCode));
  // A client that hangs up before the answer never reaches onResponse (B.3): recorded here as 499,
  // "client closed request" (a client error), so it still shows in the counts and the latency.
  app.addHook('onRequestAbort', async (request) => record(request, 499));
};

export default fp(instrumentation, { name: 'instrumentation' });
