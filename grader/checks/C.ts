// Section C's live checks for C.1 (logs of the running service), C.2 (health) and C.3 (business
// metrics). C.4 and C.5 live in their own files.
import { findSamples, sampleValue } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import { pass } from '../report/results.js';
import { expectThat, registryFamilies, seenSeries, unique, type LiveRun } from './kit.js';

const c1: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const tag = unique('grader-c1');
  const script: Array<{ method: string; path: string; body?: unknown }> = [
    { method: 'GET', path: '/health' },
    { method: 'GET', path: '/items/7' },
    { method: 'POST', path: '/predict', body: { features: [1, 2, 3] } },
    { method: 'POST', path: '/predict', body: { features: [] } },
    { method: 'GET', path: '/boom' },
    { method: 'GET', path: `/${tag}-missing` },
    { method: 'GET', path: '/work?ms=120' },
  ];
  const sent: Array<{ id: string; method: string; path: string; answer: Answer }> = [];
  await Promise.all(
    script.map(async (r, i) => {
      const id = `${tag}-${i}`;
      const answer = await send(url, r.method, r.path, { headers: { 'x-request-id': id }, ...(r.body !== undefined && { body: r.body }) });
      sent.push({ id, method: r.method, path: r.path.split('?')[0] ?? r.path, answer });
    }),
  );
  await service.flushLogs();
  const lines = service.logs();
  const records = lines.map((line) => ({ line, record: parseJson(line) }));

  return {
    'C.1.live-json-lines': () => {
      expectThat(lines.length >= script.length, 'the service should write a log line for each request', `at least ${script.length} lines`, `${lines.length}`);
      const bad = records.find(({ record }) => record === null || typeof record !== 'object' || Array.isArray(record));
      expectThat(!bad, 'every line the service writes to stdout must be one JSON object', 'a JSON object on every line', bad?.line.slice(0, 300) ?? '');
      return pass(`${lines.length} lines, all JSON objects`);
    },
    'C.1.live-request-fields': () => {
      for (const r of sent) {
        const mine = records.filter(({ record }) => (record as { request_id?: unknown } | undefined)?.request_id === r.id);
        const example = `{"request_id":"${r.id}","method":"${r.method}","path":"${r.path}","status_code":${r.answer.status},"duration_ms":12.3,...}`;
        expectThat(mine.length === 1, `${r.method} ${r.path} should be logged once, with request_id equal to the X-Request-ID it sent`, example, mine.length ? `${mine.length} lines` : 'no line with that request_id');
        const rec = mine[0]?.record as Record<string, unknown>;
        expectThat(rec.method === r.method && rec.path === r.path && rec.status_code === r.answer.status, `the request line for ${r.method} ${r.path} should carry method, path and status_code (a number)`, example, mine[0]?.line.slice(0, 300));
        expectThat(typeof rec.duration_ms === 'number' && rec.duration_ms >= 0, 'duration_ms should be a number of milliseconds', example, mine[0]?.line.slice(0, 300));
      }
      const work = records.find(({ record }) => (record as { path?: unknown } | undefined)?.path === '/work')?.record as { duration_ms?: number } | undefined;
      const ms = work?.duration_ms ?? Number.NaN;
      expectThat(ms >= 120 && ms < 10_000, 'GET /work?ms=120 takes at least 120 ms: duration_ms is in milliseconds', 'duration_ms between 120 and 10000', String(ms));
      return pass();
    },
  };
};

const c2: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const steps: Array<{ name: string; answer: Answer; gauge: number | undefined }> = [];
  const step = async (name: string) => {
    const answer = await send(url, 'GET', '/health');
    const gauge = sampleValue(await registryFamilies(service), 'app_health_status', {});
    steps.push({ name, answer, gauge });
  };
  const flip = async (healthy: boolean) => {
    const answer = await send(url, 'POST', '/admin/model-health', { body: { healthy } });
    expectThat(answer.status === 200, 'the grader could not switch the model (POST /admin/model-health is given code: keep it)', '200', `${answer.status}`);
  };
  await step('healthy');
  await flip(false);
  await step('unhealthy');
  await flip(true);
  await step('recovered');
  const [healthy, unhealthy, recovered] = steps as [typeof steps[0], typeof steps[0], typeof steps[0]];
  const body = (a: Answer) => parseJson(a.text) as { status?: unknown; timestamp?: unknown; checks?: { model_loaded?: unknown; uptime_seconds?: unknown } } | undefined;
  const shape = '{"status":"healthy","timestamp":"<ISO-8601>","checks":{"model_loaded":true,"uptime_seconds":12.5}}';

  return {
    'C.2.healthy-response': () => {
      const b = body(healthy.answer);
      expectThat(healthy.answer.status === 200, 'a healthy service answers GET /health with 200', '200', `${healthy.answer.status}`);
      expectThat(
        b?.status === 'healthy' && typeof b.timestamp === 'string' && !Number.isNaN(Date.parse(b.timestamp)) && b.checks?.model_loaded === true && typeof b.checks.uptime_seconds === 'number' && b.checks.uptime_seconds >= 0,
        'the body reports the status, the time and each check',
        shape,
        healthy.answer.text.slice(0, 300),
      );
      return pass();
    },
    'C.2.unhealthy-503': () => {
      const b = body(unhealthy.answer);
      expectThat(unhealthy.answer.status === 503, 'with the model unhealthy, GET /health answers 503 so load balancers stop sending traffic', '503', `${unhealthy.answer.status} ${unhealthy.answer.text.slice(0, 200)}`);
      expectThat(b?.status === 'unhealthy' && b.checks?.model_loaded === false, 'the body says which check failed', '{"status":"unhealthy",...,"checks":{"model_loaded":false,...}}', unhealthy.answer.text.slice(0, 300));
      return pass();
    },
    'C.2.health-gauge': () => {
      for (const s of steps) {
        // The gauge tells the same verdict as /health (its "status", or else its HTTP status).
        const verdict = body(s.answer)?.status;
        const healthy = verdict === 'healthy' || verdict === 'unhealthy' ? verdict === 'healthy' : s.answer.status === 200;
        const want = healthy ? 1 : 0;
        expectThat(s.gauge === want, `app_health_status should say what /health said (${healthy ? 'healthy' : 'unhealthy'}) when the model was ${s.name}`, `app_health_status ${want}`, s.gauge === undefined ? 'no app_health_status gauge' : `app_health_status ${s.gauge}`);
      }
      expectThat(unhealthy.gauge === 0, 'the gauge must drop to 0 while unhealthy', 'app_health_status 0', `${unhealthy.gauge}`);
      return pass('1 → 0 → 1');
    },
    'C.2.recovers': () => {
      const noticed = unhealthy.answer.status !== 200 || body(unhealthy.answer)?.status === 'unhealthy';
      expectThat(noticed, 'the model was switched unhealthy, but /health did not notice: nothing to recover from yet', 'a 503 (or "unhealthy") while unhealthy', `${unhealthy.answer.status} ${unhealthy.answer.text.slice(0, 200)}`);
      expectThat(recovered.answer.status === 200 && body(recovered.answer)?.status === 'healthy', 'once the model is healthy again, /health answers 200 again', '200 {"status":"healthy",...}', `${recovered.answer.status} ${recovered.answer.text.slice(0, 200)}`);
      return pass();
    },
  };
};

const FEATURE_BUCKETS = [0, 0.1, 0.5, 1, 5, 10, 50, 100];
const RESULT_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];

/** Cumulative bucket counts, as Prometheus exposes them (le is inclusive). */
function cumulative(values: number[], bounds: number[]): Array<[string, number]> {
  return [...bounds.map((le) => [String(le), values.filter((v) => v <= le).length] as [string, number]), ['+Inf', values.length]];
}

const c3: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const inputs = [[0.05, 3, 200], [0.5, 7], [1, 1, 1], [100, 0, 0.1]];
  const results: number[] = [];
  for (const features of inputs) {
    const answer = await send(url, 'POST', '/predict', { body: { features } });
    const result = (parseJson(answer.text) as { result?: unknown } | undefined)?.result;
    if (typeof result === 'number') results.push(result);
  }
  await send(url, 'POST', '/predict', { body: { features: [] } });
  const m = await registryFamilies(service);
  const compare = (name: string, labels: Record<string, string>, values: number[], bounds: number[], why: string) => {
    const want = cumulative(values, bounds);
    const seen = want.map(([le]) => [le, sampleValue(m, `${name}_bucket`, { ...labels, le })] as const);
    const fmt = (rows: ReadonlyArray<readonly [string, number | undefined]>) => rows.map(([le, n]) => `le=${le}: ${n ?? 'missing'}`).join(', ');
    expectThat(seen.every(([le], i) => seen[i]?.[1] === want[i]?.[1] && le === want[i]?.[0]), why, fmt(want), m.has(name) ? fmt(seen) : `no ${name} histogram`);
  };

  return {
    'C.3.feature-histogram': () => {
      const byIndex = [0, 1, 2].map((i) => inputs.filter((f) => f.length > i).map((f) => f[i]!));
      byIndex.forEach((values, i) => compare('prediction_feature_value', { feature_index: String(i) }, values, FEATURE_BUCKETS, `every feature value should be observed under its position, feature_index="${i}"`));
      const indexes = new Set(findSamples(m, 'prediction_feature_value_count').map((s) => s.labels.feature_index));
      expectThat(indexes.size === 3, 'inputs had at most 3 features, so there are 3 feature_index series', 'feature_index 0, 1, 2', seenSeries(m, 'prediction_feature_value_count'));
      return pass();
    },
    'C.3.result-histogram': () => {
      expectThat(results.length === inputs.length, 'the predictions did not succeed, so there is nothing to observe', `${inputs.length} results`, `${results.length}`);
      compare('prediction_result_value', {}, results, RESULT_BUCKETS, 'each successful prediction\'s result should be observed once, in buckets 0, 0.1, ..., 1');
      return pass();
    },
    'C.3.model-info': () => {
      const info = findSamples(m, 'model_info');
      expectThat(m.get('model_info')?.type === 'gauge' && info.length === 1 && info[0]?.value === 1 && info[0].labels.version === 'v1.0' && info[0].labels.name === 'mean-logistic', 'model_info is a gauge fixed at 1 whose labels name the model being served', 'model_info{version="v1.0",name="mean-logistic"} 1', seenSeries(m, 'model_info'));
      return pass();
    },
  };
};

export const sectionC: Record<string, LiveRun> = { 'C.1': c1, 'C.2': c2, 'C.3': c3 };
