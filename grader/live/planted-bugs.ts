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
];
