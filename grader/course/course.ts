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
