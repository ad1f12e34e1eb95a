// B.3 — Request instrumentation: count and time every request, tag it with a request id, log it.
// Lesson: lessons/B-beginner-practice.md, "B.3 Instrumenting every request". Grade: npm run grade -- B.3
import type { FastifyPluginAsync } from 'fastify';
import fp from 'fastify-plugin';
import type { LogFn } from './log.js';
import type { AppMetrics } from './metrics.js';

export interface InstrumentationOptions {
  metrics: AppMetrics;
  log: LogFn;
}

/** The label used for requests that matched no route, so unknown paths share one series. */
export const UNMATCHED_ENDPOINT = 'unmatched';

const instrumentation: FastifyPluginAsync<InstrumentationOptions> = async (app, { metrics, log }) => {
  // TODO(B.3): add three hooks.
  //  onRequest:  take the X-Request-ID header (or make a new UUID), send it back in the response
  //              header, and note the start time (process.hrtime.bigint()).
  //  onResponse: runs once the answer has been sent (successes, errors and 404s). Skip /metrics;
  //              otherwise, with endpoint = the route template
  //              (request.routeOptions.url, or UNMATCHED_ENDPOINT when no route matched):
  //              - count the request in metrics.requests {method, endpoint, status_code}
  //              - observe the duration IN SECONDS in metrics.requestDuration {method, endpoint}
  //              - for 4xx/5xx count metrics.errors {method, endpoint, error_type: client_error|server_error}
  //              - write one log line with method, path, status, duration and the request id
  // TODO(B.3): onRequestAbort: runs INSTEAD of onResponse when the client hangs up before its answer.
  //              Record that request the same way, with status_code "499" (client closed request).
  //              An async onRequestAbort hook takes exactly one parameter: async (request) => { ... }
  void app;
  void metrics;
  void log;
};

export default fp(instrumentation, { name: 'instrumentation' });
