// Counts and times every request (but /metrics), tags it with a request id, and logs it as JSON.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import type { Logger } from './logger.js';
import type { AppMetrics } from './metrics.js';

declare module 'fastify' {
  interface FastifyRequest {
    requestId: string;
    startTime: bigint;
  }
}

const instrumentation: FastifyPluginAsync<{ metrics: AppMetrics; logger: Logger }> = async (app, { metrics, logger }) => {
  app.decorateRequest('requestId', '');
  app.decorateRequest('startTime', 0n);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers['x-request-id'];
    request.requestId = typeof header === 'string' && header.length > 0 ? header : randomUUID();
    request.startTime = process.hrtime.bigint();
    reply.header('x-request-id', request.requestId);
  });
  /** Counts, times and logs one request, once, whichever way it ended. */
  const record = (request: FastifyRequest, statusCode: number): void => {
    const endpoint = request.routeOptions.url ?? 'unmatched';
    if (endpoint === '/metrics') return;
    const seconds = Number(process.hrtime.bigint() - request.startTime) / 1e9;
    const { method } = request;
    metrics.requests.inc({ method, endpoint, status_code: String(statusCode) });
    metrics.requestDuration.observe({ method, endpoint }, seconds);
    const fields = { request_id: request.requestId, method, path: request.url.split('?')[0], status_code: statusCode, duration_ms: Math.round(seconds * 1e6) / 1e3 };
    if (statusCode >= 500) logger.error('request failed', fields);
    else logger.info('request completed', fields);
  };
  app.addHook('onResponse', async (request, reply) => record(request, reply.statusCode));
  // A client that hangs up before the answer never reaches onResponse (B.3): recorded here as 499,
  // "client closed request", so probes that time out still show in the counts and the latency.
  app.addHook('onRequestAbort', async (request) => record(request, 499));
};

export default fp(instrumentation, { name: 'instrumentation' });
