// E — your metrics tests for the production service. Run them with `npx vitest run exercises/E`.
import { describe, it } from 'vitest';

// TODO(E): build the app with buildApp() before each test, close it after, and check with
// app.inject(...) that requests, predictions (success and error), health and version show up
// in GET /metrics as they should.
describe('the production service', () => {
  it.todo('counts and times every request, but not /metrics');
  it.todo('counts successful and failed predictions');
  it.todo('exposes health and version');
});
