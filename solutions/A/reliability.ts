// A.5 — The vocabulary of reliability: SLA, SLO and SLI; the four golden signals; RED and USE.
// Lesson: lessons/A-concepts.md, "A.5 The vocabulary of reliability". Grade: npm run grade -- A.5

export type Term = 'SLA' | 'SLO' | 'SLI';
export type GoldenSignal = 'latency' | 'traffic' | 'errors' | 'saturation';
export type RedUseSignal = 'RED rate' | 'RED errors' | 'RED duration' | 'USE utilization' | 'USE saturation' | 'USE errors';
/** Not answered yet. Every 'TODO' left is graded as a wrong answer. */
export type Todo = 'TODO';

export type StatementId =
  | 'refund-clause'
  | 'measured-last-28-days'
  | 'release-freeze-target'
  | 'promql-ratio'
  | 'latency-goal'
  | 'insurer-contract';

export type MeasurementId =
  | 'requests-per-second'
  | 'p99-duration'
  | 'share-5xx'
  | 'event-loop-lag'
  | 'db-pool-waiting'
  | 'empty-200-answers';

export type IncidentId = 'slow-downstream' | 'dns-change' | 'disk-filling' | 'bad-config-deploy';

export type RedUseId =
  | 'predict-requests-per-second'
  | 'predict-5xx-per-second'
  | 'predict-duration'
  | 'cpu-busy-share'
  | 'pool-connections-in-use'
  | 'pool-waiters'
  | 'disk-write-errors';

/** Is each statement a contract (SLA), an objective (SLO) or a measurement (SLI)? */
export const termFor: Record<StatementId, Term | Todo> = {
  // If availability falls below 99.5 % in a calendar month, the customer gets 10 % of the monthly
  // fee back.
  'refund-clause': 'SLA',
  // Over the last 28 days, 99.93 % of prediction requests got an answer that was not a 5xx.
  'measured-last-28-days': 'SLI',
  // The team aims for 99.9 % of requests to succeed over every 30-day window; when it misses, it
  // freezes risky releases until the service is back on track.
  'release-freeze-target': 'SLO',
  // sum(rate(http_requests_total{status_code!~"5.."}[5m])) / sum(rate(http_requests_total[5m]))
  'promql-ratio': 'SLI',
  // 99 % of POST /predict requests should finish within 500 ms, counted over 30 days.
  'latency-goal': 'SLO',
  // The contract with an insurance company promises 99.9 % monthly uptime, with service credits
  // owed when it is missed.
  'insurer-contract': 'SLA',
};

/**
 * The refund clause above is an SLA of 99.5 % availability per calendar month. Which SLO does the
 * team set for itself, so that it is warned before that contract is broken? Write it as a fraction
 * (0.95 means 95 %).
 */
export const sloForContract: number | Todo = 0.999;

/** Which of the four golden signals does each measurement belong to? */
export const goldenSignalFor: Record<MeasurementId, GoldenSignal | Todo> = {
  // Requests per second arriving at POST /predict.
  'requests-per-second': 'traffic',
  // The p99 of request duration.
  'p99-duration': 'latency',
  // The share of responses with a 5xx status.
  'share-5xx': 'errors',
  // The event-loop lag of the Node.js process.
  'event-loop-lag': 'saturation',
  // How many requests are waiting for a free database connection.
  'db-pool-waiting': 'saturation',
  // Responses sent with status 200 but an empty prediction, because the model was not loaded.
  'empty-200-answers': 'errors',
};

/** Which golden signal, watched and alerted on, would have caught each incident first? */
export const signalThatCatches: Record<IncidentId, GoldenSignal | Todo> = {
  // A downstream API that the service calls became slow. Every request still succeeded, but took
  // 8 s instead of 200 ms. Request rate, error rate, CPU, memory and queues of the service stayed flat.
  'slow-downstream': 'latency',
  // After a DNS change, clients resolved the service to an old address for two hours. The service
  // stayed healthy and fast and made no errors: it just received almost no requests.
  'dns-change': 'traffic',
  // The log volume grew by 2 % an hour for two days until it was full and the service crashed.
  // Until the crash, requests were fast and succeeded, and traffic was as usual.
  'disk-filling': 'saturation',
  // A deploy shipped a typo in the config: 30 % of POST /predict calls now fail with a 500 within
  // 2 ms. Traffic is as usual, and nothing is busier than before.
  'bad-config-deploy': 'errors',
};

/** RED (requests: rate, errors, duration) or USE (resources: utilization, saturation, errors)? */
export const redUseSignalFor: Record<RedUseId, RedUseSignal | Todo> = {
  // POST /predict requests handled per second.
  'predict-requests-per-second': 'RED rate',
  // POST /predict requests per second answered with a 5xx.
  'predict-5xx-per-second': 'RED errors',
  // How long POST /predict requests take (a histogram).
  'predict-duration': 'RED duration',
  // The share of the last minute the CPU was busy.
  'cpu-busy-share': 'USE utilization',
  // Database connections in use, out of the pool's 20.
  'pool-connections-in-use': 'USE utilization',
  // Requests waiting for a free connection from that pool.
  'pool-waiters': 'USE saturation',
  // Write errors the disk reported to the kernel.
  'disk-write-errors': 'USE errors',
};
