// The course: every section, exercise, learner file, criterion and hint. The menu, the grader and the
// reports all read this one list. Criterion ids never change once published.
import type { Course } from './schema.js';

const LESSON_B = 'lessons/B-beginner-practice.md';
const LESSON_C = 'lessons/C-intermediate-practice.md';

export const course: Course = {
  title: 'Monitoring Workbook',
  sections: [
    {
      id: 'B',
      title: 'Beginner practice: metrics for a Fastify service',
      lesson: LESSON_B,
      exercises: [
        {
          id: 'B.1',
          title: 'Environment check',
          lesson: `${LESSON_B}#b1-environment-check`,
          files: ['B/env-check.ts'],
          hints: ['Run `npm install` in the project folder, then `npx tsx exercises/B/env-check.ts`.'],
          criteria: [
            { id: 'B.1.prom-client-installed', title: 'prom-client 15 can be imported', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.1.fastify-installed', title: 'fastify 5 can be imported', kind: 'unit', check: 'suite', points: 1 },
          ],
        },
        {
          id: 'B.2',
          title: 'The metrics module',
          lesson: `${LESSON_B}#b2-the-metrics-module`,
          files: ['B/metrics.ts'],
          hints: [
            'Every metric takes `registers: [registry]`, so it lands on the registry the app passes in.',
            'Label names are declared up front: `labelNames: [\'method\', \'endpoint\', \'status_code\'] as const`.',
            'prom-client has no Info type: make a Gauge with the info as labels and set it to 1.',
          ],
          criteria: [
            { id: 'B.2.request-counter', title: 'http_requests_total is a counter labelled method, endpoint, status_code', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.2.latency-histogram', title: 'http_request_duration_seconds is a histogram labelled method, endpoint with the course buckets', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.2.error-counter', title: 'http_errors_total is a counter labelled method, endpoint, error_type', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.2.prediction-metrics', title: 'predictions_total and prediction_duration_seconds are labelled model_version', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.2.app-info', title: 'app_info is a gauge set to 1 with version and node_version labels', kind: 'unit', check: 'suite', points: 1 },
          ],
        },
        {
          id: 'B.3',
          service: 'B/app.ts',
          title: 'Instrumenting every request',
          lesson: `${LESSON_B}#b3-instrumenting-every-request`,
          files: ['B/instrumentation.ts'],
          hints: [
            'Use two hooks: note the start time in onRequest, record everything in onResponse (it runs for errors and 404s too).',
            'The endpoint label is the route template, `request.routeOptions.url`; it is undefined when no route matched.',
            'process.hrtime.bigint() gives nanoseconds: divide by 1e9 for seconds.',
          ],
          criteria: [
            { id: 'B.3.counts-every-request', title: 'every request is counted once, with method, endpoint and status code', kind: 'live', check: 'live', points: 2 },
            { id: 'B.3.route-template', title: 'the endpoint label is the route template, not the raw URL', kind: 'live', check: 'live', points: 1 },
            { id: 'B.3.unmatched-one-series', title: 'requests for unknown paths are counted under one endpoint label', kind: 'live', check: 'live', points: 1 },
            { id: 'B.3.latency-seconds', title: 'latency is observed once per request, in seconds', kind: 'live', check: 'live', points: 2 },
            { id: 'B.3.errors-counted', title: 'error responses count in http_errors_total by error_type', kind: 'live', check: 'live', points: 1 },
            { id: 'B.3.metrics-not-self-counted', title: 'scraping /metrics is not counted as traffic', kind: 'live', check: 'live', points: 1 },
            { id: 'B.3.request-id', title: 'X-Request-ID is echoed when sent and generated (a fresh UUID) when not', kind: 'live', check: 'live', points: 1 },
            { id: 'B.3.log-line', title: 'one log line per request carries its request id', kind: 'live', check: 'live', points: 1 },
          ],
        },
        {
          id: 'B.4',
          service: 'B/app.ts',
          title: 'The prediction endpoint',
          lesson: `${LESSON_B}#b4-the-prediction-endpoint`,
          files: ['B/predict.ts'],
          hints: [
            'Check the body yourself: features must be a non-empty array of finite numbers, else reply 422 with { detail }.',
            'Record prediction metrics after the model answers, so a rejected request counts nothing.',
            'Time model.predict() alone with process.hrtime.bigint() before and after it.',
          ],
          criteria: [
            { id: 'B.4.predict-response', title: 'POST /predict answers 201 with prediction_id, result, model_version, created_at', kind: 'live', check: 'live', points: 2 },
            { id: 'B.4.rejects-bad-features', title: 'missing, empty or non-numeric features get 422 with a detail', kind: 'live', check: 'live', points: 1 },
            { id: 'B.4.counts-successes-only', title: 'predictions_total counts successful predictions only', kind: 'live', check: 'live', points: 1 },
            { id: 'B.4.prediction-latency', title: 'prediction_duration_seconds observes each successful prediction, in seconds', kind: 'live', check: 'live', points: 1 },
          ],
        },
        {
          id: 'B.5',
          service: 'B/app.ts',
          title: 'The /metrics endpoint',
          lesson: `${LESSON_B}#b5-the-metrics-endpoint`,
          files: ['B/metrics-route.ts'],
          hints: [
            'The registry gives you both parts: `await registry.metrics()` and `registry.contentType`.',
            'Set the content-type header before you return the text.',
          ],
          criteria: [
            { id: 'B.5.content-type', title: 'GET /metrics answers 200 with the Prometheus text content type', kind: 'live', check: 'live', points: 1 },
            { id: 'B.5.valid-exposition', title: 'the page is valid exposition text (promtool check metrics where installed)', kind: 'prometheus', check: 'live', points: 1 },
            { id: 'B.5.syllabus-traffic', title: 'after the course traffic script the counters read exactly 20 / 20 / 1 / 1', kind: 'live', check: 'live', points: 2 },
          ],
        },
        {
          id: 'B.6',
          service: 'B/app.ts',
          title: 'Metric types in practice',
          lesson: `${LESSON_B}#b6-metric-types-in-practice`,
          files: ['B/metric-types.ts', 'B/in-flight.ts'],
          hints: [
            'Ask how the value moves: only up (Counter), up and down (Gauge), a distribution (Histogram or Summary).',
            'Validate before you touch the counter, and put the bad value in the error message.',
            'In-flight: inc() in onRequest, dec() in onResponse.',
          ],
          criteria: [
            { id: 'B.6.types-chosen', title: 'queue metrics use the right types: counter, gauge, histogram, summary', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.6.counter-refuses-decrease', title: 'recordProcessed refuses a negative count with a RangeError naming it', kind: 'unit', check: 'suite', points: 1 },
            { id: 'B.6.in-flight-concurrent', title: 'http_requests_in_flight counts requests being handled right now', kind: 'live', check: 'live', points: 1 },
            { id: 'B.6.in-flight-back-to-zero', title: 'http_requests_in_flight is back to 0 after traffic, errors included', kind: 'live', check: 'live', points: 1 },
          ],
        },
        {
          id: 'B.7',
          title: 'Testing your metrics',
          lesson: `${LESSON_B}#b7-testing-your-metrics`,
          files: ['B/metrics.test.ts'],
          hints: [
            'Build a fresh app per test with buildApp({ log: () => {} }) and close it afterwards.',
            'Assert exact values: a counter that should read 2 reads 2, a sum in seconds is below 5.',
            'Each planted bug needs a test that looks exactly where it hides: units, labels, /metrics, errors.',
          ],
          criteria: [
            { id: 'B.7.tests-pass', title: 'your tests pass on your service and on the reference service', kind: 'unit', check: 'learner-tests', points: 1 },
            { id: 'B.7.catches-wrong-unit', title: 'your tests catch latency recorded in milliseconds', kind: 'unit', check: 'learner-tests', points: 1 },
            { id: 'B.7.catches-missing-label', title: 'your tests catch a request counter without its status_code label', kind: 'unit', check: 'learner-tests', points: 1 },
            { id: 'B.7.catches-self-counted', title: 'your tests catch /metrics counting its own scrapes', kind: 'unit', check: 'learner-tests', points: 1 },
            { id: 'B.7.catches-uncounted-errors', title: 'your tests catch error responses that are not counted', kind: 'unit', check: 'learner-tests', points: 1 },
          ],
        },
      ],
    },
    {
      id: 'C',
      title: 'Intermediate practice: logs, health, business metrics, Prometheus, alerts',
      lesson: LESSON_C,
      exercises: [
        {
          id: 'C.1',
          title: 'Structured JSON logs',
          lesson: `${LESSON_C}#c1-structured-json-logs`,
          files: ['C/logger.ts'],
          service: 'C/app.ts',
          hints: [
            'Build one object per call, then stream.write(JSON.stringify(record) + "\\n"): one call, one line.',
            'timestamp: options.now().toISOString(); compare levels by their index in LEVELS.',
            'Take `error` out of the fields; when it is an Error, write its stack as `exception`.',
          ],
          criteria: [
            { id: 'C.1.json-lines', title: 'each log call writes exactly one line holding a JSON object', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.1.core-fields', title: 'every line has timestamp (ISO-8601), level, logger and message', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.1.extra-fields', title: 'extra fields are passed through with their types', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.1.exception', title: 'an Error is written as `exception` with its stack', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.1.level-threshold', title: 'calls below the level threshold write nothing', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.1.live-json-lines', title: 'every line the running service writes is a JSON object', kind: 'live', check: 'live', points: 1 },
            { id: 'C.1.live-request-fields', title: 'each request line carries request_id, method, path, status_code, duration_ms', kind: 'live', check: 'live', points: 2 },
          ],
        },
        {
          id: 'C.2',
          title: 'Health checks',
          lesson: `${LESSON_C}#c2-health-checks`,
          files: ['C/health.ts'],
          service: 'C/app.ts',
          hints: [
            'Ask the model: model.isHealthy(). Healthy means every check passed.',
            'reply.code(503).send(body) when a check fails; set app_health_status to 1 or 0 on every call.',
            'Compute the checks on each request, never once at start-up: health changes while the service runs.',
          ],
          criteria: [
            { id: 'C.2.healthy-response', title: 'GET /health answers 200 with status, timestamp and checks', kind: 'live', check: 'live', points: 1 },
            { id: 'C.2.unhealthy-503', title: 'with the model unhealthy, GET /health answers 503 and names the failed check', kind: 'live', check: 'live', points: 1 },
            { id: 'C.2.health-gauge', title: 'app_health_status reads 1 when healthy and 0 when not', kind: 'live', check: 'live', points: 1 },
            { id: 'C.2.recovers', title: 'once the model is healthy again, GET /health answers 200 again', kind: 'live', check: 'live', points: 1 },
          ],
        },
        {
          id: 'C.3',
          title: 'Business metrics',
          lesson: `${LESSON_C}#c3-business-metrics`,
          files: ['C/business-metrics.ts'],
          service: 'C/app.ts',
          hints: [
            'Create the three metrics once, in createBusinessMetrics, and only observe in recordPrediction.',
            'features.forEach((value, index) => histogram.observe({ feature_index: String(index) }, value)).',
            'model_info works like app_info: a gauge set to 1 whose labels carry the version and the name.',
          ],
          criteria: [
            { id: 'C.3.feature-histogram', title: 'prediction_feature_value observes every feature under its feature_index', kind: 'live', check: 'live', points: 1 },
            { id: 'C.3.result-histogram', title: 'prediction_result_value observes each result in 0.1-wide buckets', kind: 'live', check: 'live', points: 1 },
            { id: 'C.3.model-info', title: 'model_info names the model being served', kind: 'live', check: 'live', points: 1 },
          ],
        },
        {
          id: 'C.4',
          service: 'C/app.ts',
          title: 'Prometheus scrapes the service',
          lesson: `${LESSON_C}#c4-prometheus-scrapes-the-service`,
          files: ['C/prometheus.yml', 'C/queries.yml'],
          hints: [
            'A scrape job is a list item under scrape_configs: job_name, metrics_path, scrape_interval and static_configs: [{ targets: [\'localhost:3000\'] }].',
            'Counters only go up: every query on a counter (and on histogram buckets) starts with rate(...[5m]).',
            'Percentiles over all endpoints: histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))).',
          ],
          criteria: [
            { id: 'C.4.config-valid', title: 'prometheus.yml passes promtool check config and defines a scrape job', kind: 'prometheus', check: 'tool', points: 1, hint: 'Run promtool check config C/prometheus.yml yourself: it names the line. A job\'s scrape_timeout may not exceed its scrape_interval.' },
            { id: 'C.4.scrape-job', title: 'the production-service job scrapes /metrics every 5 s from a static host:port target', kind: 'unit', check: 'tool', points: 1, hint: 'A scrape_interval inside the job overrides the global one; targets are host:port without http://.' },
            { id: 'C.4.real-scrape', title: 'a real Prometheus using your job scrapes your running service (up == 1) and sees its requests', kind: 'prometheus', check: 'live', points: 2, hint: 'The service speaks plain HTTP on /metrics: no scheme: https, no auth, no params. Open /targets in Prometheus to see the last scrape error.' },
            { id: 'C.4.rate-queries', title: 'request_rate and prediction_throughput give per-second rates of their counters', kind: 'prometheus', check: 'tool', points: 1, hint: 'rate(http_requests_total[5m]) is per second; increase() is per window, and the raw counter is a total since start-up.' },
            { id: 'C.4.error-percent', title: 'error_percent is the share of 5xx among all requests, in percent', kind: 'prometheus', check: 'tool', points: 1, hint: 'sum(rate(... {status_code=~"5.."}[5m])) / sum(rate(...[5m])) * 100: sum both sides so the labels match, and leave the 4xx out.' },
            { id: 'C.4.latency-quantiles', title: 'latency_p50/p95/p99 and prediction_p95 are histogram_quantile over sum by (le) of bucket rates, in seconds', kind: 'prometheus', check: 'tool', points: 2, hint: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))): rate first, then add the buckets of every series keeping le.' },
          ],
        },
        {
          id: 'C.5',
          title: 'Alerting',
          lesson: `${LESSON_C}#c5-alerting`,
          files: ['C/alerting.ts', 'C/alerts.yml'],
          hints: [
            'histogram_quantile: find the first bucket whose cumulative count reaches q × total, then interpolate between its lower and upper bound.',
            'A 404 or a 422 is the client\'s mistake: only status codes starting with 5 are server errors.',
            'In alerts.yml, `for: 5m` makes the condition hold for five minutes before the alert fires: one bad scrape should not page anybody.',
          ],
          criteria: [
            { id: 'C.5.histogram-quantile', title: 'histogramQuantile matches Prometheus\' histogram_quantile, special cases included', kind: 'unit', check: 'suite', points: 2, hint: 'Lower bound 0 for the first bucket; rank in +Inf gives the highest finite bound; no observations, no +Inf bucket or NaN q give NaN; q < 0 → -Infinity, q > 1 → +Infinity.' },
            { id: 'C.5.error-rate', title: 'errorRate is the share of 5xx requests over every label set, undefined without traffic', kind: 'unit', check: 'suite', points: 1, hint: 'Add up every sample of http_requests_total; only status_code starting with "5" counts as an error. No requests: return undefined.' },
            { id: 'C.5.latency-quantile', title: 'latencyQuantile adds up the buckets of every label set (sum by le) before the quantile', kind: 'unit', check: 'suite', points: 1, hint: 'Buckets with the same le from different endpoints add up; only the _bucket samples carry an le label.' },
            { id: 'C.5.check-alerts', title: 'checkAlerts fires strictly above its thresholds and warns through the given logger', kind: 'unit', check: 'suite', points: 1, hint: 'Use options.logger.warning(message, { alert, value, threshold }) for every alert that fires, and only for those.' },
            { id: 'C.5.rules-valid', title: 'alerts.yml passes promtool check rules; both alerts have a severity, a summary and a description', kind: 'prometheus', check: 'tool', points: 1, hint: 'Run promtool check rules C/alerts.yml yourself; labels: { severity: ... } and annotations: { summary: ..., description: ... } on each rule.' },
            { id: 'C.5.error-rate-alert', title: 'HighErrorRate fires after 5 minutes above 5 % server errors, and not on 4xx', kind: 'prometheus', check: 'tool', points: 2, hint: 'sum(rate(http_requests_total{status_code=~"5.."}[5m])) / sum(rate(http_requests_total[5m])) > 0.05, with for: 5m.' },
            { id: 'C.5.latency-alert', title: 'HighLatencyP99 fires after 5 minutes of p99 above 1 s, and not below', kind: 'prometheus', check: 'tool', points: 2, hint: 'histogram_quantile(0.99, sum by (le) (rate(http_request_duration_seconds_bucket[5m]))) > 1 — seconds, not milliseconds — with for: 5m.' },
          ],
        },
        {
          id: 'C.6',
          title: 'Log aggregation',
          lesson: `${LESSON_C}#c6-log-aggregation`,
          files: ['C/log-aggregation.ts'],
          hints: [
            'Use one `for await (const line of lines)` loop (it works for arrays and for readline) and build every count in that single pass.',
            'Put JSON.parse in a try/catch, then check the value is a real object: typeof v === "object" && v !== null && !Array.isArray(v).',
            'Minute buckets: new Date(Date.parse(ts)).toISOString().slice(0, 16), skipping NaN; never cut the timestamp text itself.',
            'Stream the file: createInterface({ input: createReadStream(file), crlfDelay: Infinity }); keep counts and only the first `keep` examples.',
          ],
          criteria: [
            { id: 'C.6.requests-per-path', title: 'counts requests per path; records without a string path are left out', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.6.errors', title: 'counts ERROR records (any case) and keeps the first `keep` in file order', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.6.slow-requests', title: 'a numeric duration_ms strictly above slowMs (default 100) is slow', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.6.errors-per-minute', title: 'counts errors per UTC minute, converting time-zone offsets', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.6.malformed-lines', title: 'blank and invalid lines are counted and skipped, never a crash', kind: 'unit', check: 'suite', points: 1 },
            { id: 'C.6.streams-large-file', title: 'a ~100 MB log gives exact counts in bounded memory', kind: 'unit', check: 'suite', points: 2 },
          ],
        },
      ],
    },
  ],
};
