// A.3 — Choosing a metric type and an observability pillar. Fill in the two tables below.
// Lesson: lessons/A-concepts.md, "A.3 Choosing metric types and pillars". Grade: npm run grade -- A.3

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary';
export type Pillar = 'metrics' | 'logs' | 'traces';
/** Not answered yet. Every 'TODO' left in a table is graded as a wrong answer. */
export type Todo = 'TODO';

export type ScenarioId =
  | 'requests-served'
  | 'bytes-sent'
  | 'queue-depth'
  | 'open-connections'
  | 'fleet-request-latency'
  | 'response-size'
  | 'single-process-gc-quantile'
  | 'cpu-temperature';

export type QuestionId =
  | 'error-rate-last-minute'
  | 'why-request-abc123-failed'
  | 'slow-request-across-services'
  | 'memory-alert'
  | 'stack-trace-of-crash'
  | 'database-calls-per-page';

/** Which metric type fits each value? */
// TODO(A.3): replace every 'TODO' with 'counter', 'gauge', 'histogram' or 'summary'.
export const metricTypeFor: Record<ScenarioId, MetricType | Todo> = {
  // How many HTTP requests this instance has answered since it started.
  'requests-served': 'TODO',
  // How many bytes of response bodies have been sent since start.
  'bytes-sent': 'TODO',
  // How many jobs are waiting in the work queue right now.
  'queue-depth': 'TODO',
  // How many client connections are open at this moment.
  'open-connections': 'TODO',
  // Request latency, from which you want one p99 over all 12 instances behind the load balancer.
  'fleet-request-latency': 'TODO',
  // How large response bodies are (how many under 1 KB, under 10 KB, ...), summed across instances.
  'response-size': 'TODO',
  // The p99 of garbage-collection pauses over the last ten minutes, computed inside one process and
  // only ever read per process; you do not want to choose bucket bounds in advance.
  'single-process-gc-quantile': 'TODO',
  // The CPU temperature of the machine, read every few seconds.
  'cpu-temperature': 'TODO',
};

/** Which pillar answers each question best? */
// TODO(A.3): replace every 'TODO' with 'metrics', 'logs' or 'traces'.
export const pillarFor: Record<QuestionId, Pillar | Todo> = {
  // What share of requests failed in the last minute?
  'error-rate-last-minute': 'TODO',
  // Why did the request with id abc123 get a 500 at 10:03:21?
  'why-request-abc123-failed': 'TODO',
  // A checkout took 4 s; it went through the gateway, the cart service and the payment service.
  // Where did the time go?
  'slow-request-across-services': 'TODO',
  // Page someone when memory use stays above 90 % for ten minutes.
  'memory-alert': 'TODO',
  // Which exception, with which stack trace, crashed the worker at 02:14?
  'stack-trace-of-crash': 'TODO',
  // Does rendering one page call the database once, or once per item (the N+1 problem), and how long
  // does each of those calls take within that one request?
  'database-calls-per-page': 'TODO',
};
