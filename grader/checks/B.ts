// Section B's live checks: each exercise starts the learner's service, sends a fixed script of
// traffic, and judges its criteria from the registry, the responses and the service's logs.
import { findSamples, parseExposition, sampleValue, sumSamples } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import { checkMetrics, learnerFamiliesText } from '../live/prometheus-tools.js';
import { pass } from '../report/results.js';
import { expectThat, expectValue, registryFamilies, seenSeries, sleep, unique, UUID, type LiveRun } from './kit.js';

const b3: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const tag = unique('grader-b3');
  const sentIds = [1, 2, 3].map((i) => `${tag}-${i}`);
  const unknown = [1, 2, 3, 4].map((i) => `/${tag}-missing-${i}`);
  const idOf = (a: Answer) => a.headers.get('x-request-id');
  // Independent requests go out together; the slow one sets the pace.
  const [echoed, generated] = await Promise.all([
    Promise.all(sentIds.map((id) => send(url, 'GET', '/health', { headers: { 'x-request-id': id } }).then(idOf))),
    Promise.all([1, 2].map(() => send(url, 'GET', '/health').then(idOf))),
    Promise.all(['1', '22', '333'].map((id) => send(url, 'GET', `/items/${id}`))),
    Promise.all([1, 2].map(() => send(url, 'GET', '/boom'))),
    Promise.all(unknown.map((path) => send(url, 'GET', path))),
    send(url, 'GET', '/work?ms=120'),
  ]);
  await send(url, 'GET', '/metrics');
  await send(url, 'GET', '/metrics');
  await sleep(20);
  const m = await registryFamilies(service);
  // /metrics series are judged by their own criterion, so they are left out of the other totals.
  const notMetrics = (name: string) => findSamples(m, name).filter((s) => s.labels.endpoint !== '/metrics').reduce((a, s) => a + s.value, 0);
  const total = notMetrics('http_requests_total');
  await service.flushLogs();
  const logs = service.logs();

  return {
    'B.3.counts-every-request': () => {
      expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/health', status_code: '200' }, 5, '5 × GET /health should be counted once each');
      expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/boom', status_code: '500' }, 2, 'failed requests are requests too: 2 × GET /boom (500)');
      expectThat(total === 15, 'the script sent 15 requests besides /metrics; each should be counted exactly once', 'a total of 15', `a total of ${total}:\n${seenSeries(m, 'http_requests_total')}`);
      return pass('15 requests, 15 counted');
    },
    'B.3.route-template': () => {
      const items = findSamples(m, 'http_requests_total').filter((s) => s.labels.endpoint?.startsWith('/items'));
      expectThat(items.length > 0, 'GET /items/1, /items/22 and /items/333 were not counted at all', 'one series with endpoint="/items/:id"', seenSeries(m, 'http_requests_total'));
      expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/items/:id', status_code: '200' }, 3, 'the endpoint label should be the route template, so /items/1, /items/22 and /items/333 share one series');
      expectThat(items.length === 1, 'one series per route, not one per URL', 'only endpoint="/items/:id"', seenSeries(m, 'http_requests_total', { method: 'GET' }));
      return pass();
    },
    'B.3.unmatched-one-series': () => {
      const notFound = findSamples(m, 'http_requests_total', { status_code: '404' });
      const sum = notFound.reduce((a, s) => a + s.value, 0);
      expectThat(sum === 4, '4 requests for unknown paths should be counted (status_code="404")', 'a total of 4 with status_code="404"', seenSeries(m, 'http_requests_total'));
      const labels = new Set(notFound.map((s) => s.labels.endpoint));
      expectThat(labels.size === 1, 'unknown paths must share one endpoint label, or anyone can create series at will', 'one series for all 404s', seenSeries(m, 'http_requests_total', { status_code: '404' }));
      const leaked = [...labels].find((l) => unknown.some((p) => l?.includes(p.slice(1))));
      expectThat(!leaked, 'the raw URL of an unknown path must not become a label value', 'a fixed label such as endpoint="unmatched"', `endpoint="${leaked}"`);
      return pass();
    },
    'B.3.latency-seconds': () => {
      const count = notMetrics('http_request_duration_seconds_count');
      expectThat(count === 15, 'every request (but /metrics) should be observed once in http_request_duration_seconds', '_count summing to 15', `${count}:\n${seenSeries(m, 'http_request_duration_seconds_count')}`);
      const work = sampleValue(m, 'http_request_duration_seconds_sum', { method: 'GET', endpoint: '/work' });
      expectThat(work !== undefined, 'GET /work?ms=120 should be observed under endpoint="/work"', 'a _sum series for endpoint="/work"', seenSeries(m, 'http_request_duration_seconds_sum'));
      expectThat(work >= 0.12 && work < 5, work >= 100 ? 'that looks like milliseconds: Prometheus expects seconds' : 'a 120 ms request should add about 0.12 to the sum, in seconds', 'between 0.12 and 5 (seconds)', String(work));
      return pass();
    },
    'B.3.errors-counted': () => {
      expectValue(m, 'http_errors_total', { method: 'GET', endpoint: '/boom', error_type: 'server_error' }, 2, '2 × GET /boom answered 500: count them as server_error');
      const client = sumSamples(m, 'http_errors_total', { error_type: 'client_error' });
      expectThat(client === 4, 'the 4 unknown paths answered 404: count them as client_error', 'a total of 4 with error_type="client_error"', seenSeries(m, 'http_errors_total'));
      const ok = sumSamples(m, 'http_errors_total') - 6;
      expectThat(ok === 0, 'successful requests are not errors', 'nothing else in http_errors_total', seenSeries(m, 'http_errors_total'));
      return pass();
    },
    'B.3.metrics-not-self-counted': () => {
      expectThat(total > 0, 'nothing is counted yet, so whether /metrics counts itself cannot be judged (finish the counting first)', 'requests counted', 'http_requests_total is empty');
      const self = findSamples(m, 'http_requests_total', { endpoint: '/metrics' }).length + findSamples(m, 'http_request_duration_seconds_count', { endpoint: '/metrics' }).length;
      expectThat(self === 0, 'scrapes of /metrics should not be counted: skip them in the hook', 'no series with endpoint="/metrics"', seenSeries(m, 'http_requests_total', { endpoint: '/metrics' }));
      return pass();
    },
    'B.3.request-id': () => {
      sentIds.forEach((id, i) =>
        expectThat(echoed[i] === id, 'a request that sends X-Request-ID gets the same id back', `X-Request-ID: ${id}`, echoed[i] ? `X-Request-ID: ${echoed[i]}` : 'no X-Request-ID header'),
      );
      for (const id of generated) expectThat(typeof id === 'string' && UUID.test(id), 'a request without an id gets a fresh UUID in X-Request-ID', 'a UUID like 3f2c…-…', id ?? 'no X-Request-ID header');
      expectThat(generated[0] !== generated[1], 'each request needs its own id', 'two different ids', `${generated[0]} twice`);
      return pass();
    },
    'B.3.log-line': () => {
      // The id the service answered with is the one its log line should carry.
      const ids = [...sentIds.map((id, i) => echoed[i] ?? id), ...generated.filter((id): id is string => id !== null)];
      for (const id of ids) {
        const lines = logs.filter((l) => l.includes(id));
        expectThat(lines.length === 1, 'each request should write one log line that carries its request id', `one line containing ${id}`, lines.length ? `${lines.length} lines:\n${lines.slice(0, 3).join('\n')}` : `none; the service wrote ${logs.length} line(s)${logs.length ? `, e.g.\n${logs.slice(0, 2).join('\n')}` : ''}`);
      }
      return pass();
    },
  };
};

const b4: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const good: Answer[] = [];
  for (const features of [[1, 2, 3], [0.5], [10, -2, 7.25, 3]]) good.push(await send(url, 'POST', '/predict', { body: { features } }));
  const badBodies: unknown[] = [{ features: [] }, { features: ['a', 1] }, {}, { features: '1,2' }];
  const bad: Array<{ body: unknown; answer: Answer }> = [];
  for (const body of badBodies) bad.push({ body, answer: await send(url, 'POST', '/predict', { body }) });
  const m = await registryFamilies(service);

  return {
    'B.4.predict-response': () => {
      const ids = new Set<string>();
      for (const answer of good) {
        expectThat(answer.status === 201, 'a valid prediction should be answered with 201 Created', '201', `${answer.status} ${answer.text.slice(0, 200)}`);
        const body = parseJson(answer.text) as Record<string, unknown> | undefined;
        const shape = 'JSON {prediction_id: string, result: number in 0..1, model_version: "v1.0", created_at: ISO-8601 time}';
        expectThat(!!body && typeof body === 'object', 'the answer should be a JSON object', shape, answer.text.slice(0, 200));
        const { prediction_id, result, model_version, created_at } = body;
        expectThat(typeof prediction_id === 'string' && prediction_id.length >= 8, 'prediction_id should be a unique id string (a UUID)', shape, answer.text.slice(0, 200));
        ids.add(prediction_id);
        expectThat(typeof result === 'number' && result >= 0 && result <= 1, 'result should be the model\'s score, a number between 0 and 1', shape, answer.text.slice(0, 200));
        expectThat(model_version === 'v1.0', 'model_version should be the model\'s version', 'model_version "v1.0"', String(model_version));
        const when = typeof created_at === 'string' ? Date.parse(created_at) : Number.NaN;
        expectThat(typeof created_at === 'string' && /\d{4}-\d\d-\d\dT/.test(created_at) && Math.abs(Date.now() - when) < 120_000, 'created_at should be the current time in ISO-8601', 'e.g. 2026-01-01T12:00:00.000Z', String(created_at));
      }
      expectThat(ids.size === good.length, 'every prediction needs its own prediction_id', `${good.length} different ids`, `${ids.size}`);
      return pass();
    },
    'B.4.rejects-bad-features': () => {
      for (const { body, answer } of bad) {
        const detail = (parseJson(answer.text) as { detail?: unknown } | undefined)?.detail;
        expectThat(answer.status === 422, `POST /predict with ${JSON.stringify(body)} should be refused as unprocessable`, '422', `${answer.status} ${answer.text.slice(0, 200)}`);
        expectThat(typeof detail === 'string' && detail.length > 0, 'a refusal should say why in { detail }', '{"detail": "features must ..."}', answer.text.slice(0, 200));
      }
      return pass();
    },
    'B.4.counts-successes-only': () => {
      expectThat(good.every((a) => a.status >= 200 && a.status < 300), 'the valid predictions did not succeed, so there is nothing to count yet', '3 successful answers', good.map((a) => a.status).join(', '));
      expectValue(m, 'predictions_total', { model_version: 'v1.0' }, 3, '3 predictions succeeded and 4 were refused: only the successes count');
      return pass();
    },
    'B.4.prediction-latency': () => {
      expectValue(m, 'prediction_duration_seconds_count', { model_version: 'v1.0' }, 3, 'each successful prediction should be observed once');
      const sum = sampleValue(m, 'prediction_duration_seconds_sum', { model_version: 'v1.0' }) ?? Number.NaN;
      expectThat(sum > 0 && sum < 1, 'the model takes well under a millisecond: the sum is a few microseconds, in seconds', 'a sum between 0 and 1 (seconds)', String(sum));
      return pass();
    },
  };
};

const b5: LiveRun = async ({ service, promtool }) => {
  const url = service.baseUrl;
  for (let i = 0; i < 20; i++) {
    await send(url, 'GET', '/health');
    await send(url, 'POST', '/predict', { body: { features: [1.0, 2.0, 3.0] } });
  }
  await send(url, 'POST', '/predict', { body: { features: [] } });
  await send(url, 'GET', '/nonexistent');
  const page = await send(url, 'GET', '/metrics');
  const registry = await registryFamilies(service);
  const type = page.headers.get('content-type') ?? '';
  const served = () => {
    expectThat(page.status === 200, 'GET /metrics should answer 200 with the registry\'s text', '200', `${page.status} ${page.text.slice(0, 120)}`);
    expectThat(page.text.includes('# TYPE http_requests_total counter'), 'the page should be the service\'s registry', 'a page with http_requests_total', page.text.slice(0, 200));
  };

  return {
    'B.5.content-type': () => {
      served();
      expectThat(type.startsWith('text/plain') && type.includes('version=0.0.4'), 'Prometheus reads the text format by its content type', 'text/plain; version=0.0.4; charset=utf-8', type || '(none)');
      return pass();
    },
    'B.5.valid-exposition': async () => {
      served();
      parseExposition(page.text);
      if (!promtool) return pass('valid by the strict exposition parser', 'checked without Prometheus: promtool is not installed');
      const lint = await checkMetrics(promtool, learnerFamiliesText(page.text));
      expectThat(lint.ok, 'promtool check metrics found problems in your metric families', 'no problems', lint.problems.join('\n'));
      return pass('valid; promtool check metrics is clean');
    },
    'B.5.syllabus-traffic': () => {
      served();
      // Read from the registry itself, so a formatting slip on the page is judged once (above), not twice.
      const m = registry;
      expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/health', status_code: '200' }, 20, '20 × GET /health');
      expectValue(m, 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: '201' }, 20, '20 × valid POST /predict');
      expectValue(m, 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: '422' }, 1, '1 × POST /predict with empty features');
      const notFound = sumSamples(m, 'http_requests_total', { status_code: '404' });
      expectThat(notFound === 1, '1 × GET /nonexistent', 'a total of 1 with status_code="404"', seenSeries(m, 'http_requests_total'));
      expectValue(m, 'predictions_total', { model_version: 'v1.0' }, 20, '20 successful predictions');
      return pass('20 / 20 / 1 / 1, and 20 predictions');
    },
  };
};

const b6: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  let finished = false;
  const slow = Promise.all([1, 2, 3].map(() => send(url, 'GET', '/work?ms=700'))).finally(() => {
    finished = true;
  });
  // Read the gauge a few times while the slow requests run, and keep the highest reading.
  let gaugeDuring: number | undefined;
  await sleep(150);
  while (!finished) {
    const value = sampleValue(await registryFamilies(service), 'http_requests_in_flight', {});
    if (value !== undefined && value > (gaugeDuring ?? -Infinity)) gaugeDuring = value;
    if (value === 3) break;
    await sleep(50);
  }
  await slow;
  await send(url, 'GET', '/boom');
  await send(url, 'GET', `/${unique('gone')}`);
  await send(url, 'GET', '/health');
  await sleep(50);
  const after = await registryFamilies(service);
  const gaugeAfter = sampleValue(after, 'http_requests_in_flight', {});
  const exists = () =>
    expectThat(after.get('http_requests_in_flight')?.type === 'gauge', 'http_requests_in_flight should be a gauge on the registry', 'a gauge http_requests_in_flight', after.has('http_requests_in_flight') ? `a ${after.get('http_requests_in_flight')?.type}` : 'no such metric');

  return {
    'B.6.in-flight-concurrent': () => {
      exists();
      expectThat(gaugeDuring === 3, 'while 3 slow requests were running, the gauge should have read 3', '3', `${gaugeDuring} at most`);
      return pass();
    },
    'B.6.in-flight-back-to-zero': () => {
      exists();
      expectThat((gaugeDuring ?? 0) > 0, 'the gauge never went up during traffic, so "back to 0" proves nothing yet', 'above 0 while requests run', String(gaugeDuring));
      expectThat(gaugeAfter === 0, 'after every request has finished (a 500 and a 404 among them) the gauge should read 0', '0', String(gaugeAfter));
      return pass();
    },
  };
};

export const sectionB: Record<string, LiveRun> = { 'B.3': b3, 'B.4': b4, 'B.5': b5, 'B.6': b6 };
