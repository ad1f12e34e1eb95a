// The hidden buggy variants of the reference service that a learner's own tests (B.7) must catch.
// Each is one realistic mistake, made by replacing text in one reference file.
export interface PlantedBug {
  criterion: string;
  what: string;
  file: string;
  find: string;
  replace: string;
}

export const plantedBugs: PlantedBug[] = [
  {
    criterion: 'B.7.catches-wrong-unit',
    what: 'request latency recorded in milliseconds instead of seconds',
    file: 'B/instrumentation.ts',
    find: 'Number(process.hrtime.bigint() - request.startTime) / 1e9',
    replace: 'Number(process.hrtime.bigint() - request.startTime) / 1e6',
  },
  {
    criterion: 'B.7.catches-missing-label',
    what: 'http_requests_total recorded without its status_code label',
    file: 'B/instrumentation.ts',
    find: "metrics.requests.inc({ method, endpoint, status_code: String(statusCode) });",
    replace: "metrics.requests.inc({ method, endpoint } as never);",
  },
  {
    criterion: 'B.7.catches-self-counted',
    what: '/metrics scrapes counted as traffic',
    file: 'B/instrumentation.ts',
    find: "if (endpoint === '/metrics') return;",
    replace: '',
  },
  {
    criterion: 'B.7.catches-uncounted-errors',
    what: 'error responses (4xx and 5xx) never counted',
    file: 'B/instrumentation.ts',
    find: "if (endpoint === '/metrics') return;",
    replace: "if (endpoint === '/metrics' || statusCode >= 400) return;",
  },
  {
    criterion: 'B.7.catches-json-page',
    what: '/metrics answers JSON (registry.getMetricsAsJSON()) instead of the text format',
    file: 'B/metrics-route.ts',
    find: "reply.header('content-type', registry.contentType);\n    return registry.metrics();",
    replace: 'return registry.getMetricsAsJSON();',
  },
  {
    criterion: 'B.7.catches-wrong-content-type',
    what: "/metrics sends the text format under OpenMetrics' content type (Prometheus then parses it as OpenMetrics and fails)",
    file: 'B/metrics-route.ts',
    find: "reply.header('content-type', registry.contentType);",
    replace: "reply.header('content-type', 'application/openmetrics-text; version=1.0.0; charset=utf-8');",
  },
  {
    criterion: 'B.7.catches-wrong-error-type',
    what: 'the error type tested in the wrong order: every error, 5xx included, counted as client_error',
    file: 'B/instrumentation.ts',
    find: "if (statusCode >= 500) return 'server_error';\n  if (statusCode >= 400) return 'client_error';",
    replace: "if (statusCode >= 400) return 'client_error';\n  if (statusCode >= 500) return 'server_error';",
  },
  {
    criterion: 'B.7.catches-invalid-predictions-counted',
    what: 'predictions_total counts refused (422) predictions too',
    file: 'B/predict.ts',
    find: 'return reply.code(422).send({ detail: features });',
    replace: 'metrics.predictions.inc({ model_version: model.version });\n      return reply.code(422).send({ detail: features });',
  },
];
