// B.7 — Your tests for the service's metrics. Run them with `npx vitest run exercises/B`.
// Lesson: lessons/B-beginner-practice.md, "B.7 Testing your metrics". Grade: npm run grade -- B.7
import { describe, it } from 'vitest';

// TODO(B.7): build the app with `buildApp({ log: () => {} })` from './app.js' before each test,
// close it after, send requests with `app.inject(...)`, and check the registry or GET /metrics.
// Between them, your tests must catch a latency recorded in milliseconds, a missing label,
// /metrics counting itself, errors that are not counted or counted under the wrong error_type,
// a /metrics page in JSON or under the wrong content type, and refused predictions counted.
describe('metrics', () => {
  it.todo('GET /metrics answers in the Prometheus text format');
  it.todo('a request is counted with method, endpoint and status code');
  it.todo('latency is recorded in seconds');
  it.todo('/metrics does not count itself');
  it.todo('server errors are counted');
  it.todo('an invalid prediction is not counted');
});
