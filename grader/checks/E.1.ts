// E.1 the production service: the syllabus' eleven acceptance criteria, each checked live against the
// service, and two of our own (label cardinality, instrumentation overhead). Everything here reads
// the service over HTTP only, so it also grades a service in any language (--server-cmd /
// --server-url); the two criteria that need the learner's TypeScript say so and are skipped then.
// The traffic (how many of each request, features, bad inputs, ids, unknown paths, order) varies per
// run, and every count is checked against what the grader sent.
import path from 'node:path';
import { findSamples, parseExposition, sumSamples } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import { INSTALL_HINT, checkMetrics, learnerFamiliesText } from '../live/prometheus-tools.js';
import { pollUntil } from '../live/prometheus-server.js';
import { ServiceProcess } from '../live/service.js';
import { pass, skipped } from '../report/results.js';
import { runLearnerTestDirs } from '../live/learner-tests.js';
import { runEntry } from '../live/serve-entry.js';
import { cleanText } from '../report/clean.js';
import type { Random } from '../live/random.js';
import { checkSet, expectThat, outcome, seenSeries, settled, type ExerciseChecks, type Families, type LiveContext } from './kit.js';

const OVERHEAD_BOUND = 0.4;

async function scrape(baseUrl: string): Promise<{ answer: Answer; families: Families | undefined; error?: string }> {
  const answer = await send(baseUrl, 'GET', '/metrics');
  try {
    return { answer, families: parseExposition(answer.text) };
  } catch (error) {
    return { answer, families: undefined, error: (error as Error).message };
  }
}

/** Requests per second on GET /health at a fixed concurrency for `ms` milliseconds (loopback only). */
async function requestsPerSecond(baseUrl: string, ms: number, concurrency = 8): Promise<number> {
  const end = performance.now() + ms;
  let done = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        await send(baseUrl, 'GET', '/health', { timeoutMs: 2000 });
        done++;
      }
    }),
  );
  return done / (ms / 1000);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

interface Scripted {
  method: string;
  path: string;
  body?: unknown;
}

/** The run's traffic: health checks, good and refused predictions, an unknown path, shuffled. */
function trafficScript(random: Random, tag: string): Scripted[] {
  const number = () => Math.round((random.next() * 30 - 10) * 100) / 100;
  const bad: unknown[] = [{ features: [] }, { features: ['x'] }, { features: [1, 'two', 3] }, { features: null }, {}, { features: [2, null] }, { features: '1,2,3' }];
  return random.shuffle([
    ...Array.from({ length: random.int(2, 5) }, () => ({ method: 'GET', path: '/health' })),
    ...Array.from({ length: random.int(2, 6) }, () => ({ method: 'POST', path: '/predict', body: { features: Array.from({ length: random.int(1, 6) }, number) } })),
    ...random.shuffle(bad).slice(0, random.int(2, 4)).map((body) => ({ method: 'POST', path: '/predict', body })),
    ...Array.from({ length: random.int(1, 3) }, () => ({ method: 'GET', path: `/${tag}-${random.token(6)}` })),
  ]);
}

async function live({ service, exercise, targetDir, prometheus, launchPrometheus, promtool, random }: LiveContext) {
  const url = service.baseUrl;
  const external = service.external;
  const tag = `grader-e-${random.token(6)}`;
  // Start Prometheus first: it needs a few seconds before its first successful scrape.
  const promStart = prometheus
    ? launchPrometheus(prometheus, `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: production-service\n    metrics_path: /metrics\n    static_configs:\n      - targets: ['127.0.0.1:${service.port}']\n`).catch((e: Error) => e)
    : undefined;

  const before = await scrape(url);
  const sent: Array<{ id: string; method: string; path: string; answer: Answer }> = [];
  const script = trafficScript(random, tag);
  for (const [i, r] of script.entries()) {
    const id = `${tag}-${i}-${random.token(4)}`;
    sent.push({ id, method: r.method, path: r.path, answer: await send(url, r.method, r.path, { headers: { 'x-request-id': id }, ...(r.body !== undefined && { body: r.body }) }) });
  }
  const after = await scrape(url);
  await service.flushLogs();
  const logs = service.logs();
  const records = logs.map((line) => ({ line, record: parseJson(line) as Record<string, unknown> | null | undefined }));
  const delta = (name: string, labels: Record<string, string> = {}) =>
    sumSamples(after.families ?? new Map(), name, labels) - sumSamples(before.families ?? new Map(), name, labels);
  const nonMetrics = (f: Families | undefined, name: string) => findSamples(f ?? new Map(), name).filter((s) => s.labels.endpoint !== '/metrics').reduce((a, s) => a + s.value, 0);
  const good = sent.filter((s) => s.path === '/predict' && s.answer.status < 300).length;
  const bad = sent.filter((s) => s.path === '/predict' && s.answer.status >= 400).length;
  // Started now, each judged in its turn: the learner's own tests and the entry point run while
  // Prometheus waits for its first scrape. The overhead, measured last, waits for both to end, so
  // nothing of ours competes with its timing.
  const ownTests = external ? undefined : settled(runLearnerTestDirs([path.join(targetDir, 'E')]));
  const entry = external ? undefined : settled(runEntry(path.join(targetDir, 'E/server.ts'), targetDir));
  const parsed = () => {
    expectThat(after.answer.status === 200, 'GET /metrics should answer 200', '200', `${after.answer.status}`);
    expectThat(after.families !== undefined, 'GET /metrics should be valid Prometheus text', 'valid exposition text', after.error);
    return after.families!;
  };

  return {
    'E.1.metrics-text-format': async () => {
      const type = after.answer.headers.get('content-type') ?? '';
      expectThat(type.startsWith('text/plain') && type.includes('version=0.0.4'), 'Prometheus reads its text format by the content type', 'text/plain; version=0.0.4', type || '(none)');
      parsed();
      if (!promtool) return pass('valid by the strict exposition parser', 'checked without Prometheus: promtool is not installed');
      const lint = await checkMetrics(promtool, learnerFamiliesText(after.answer.text));
      expectThat(lint.ok, 'promtool check metrics found problems in your metric families', 'no problems', lint.problems.join('\n'));
      return pass('valid; promtool check metrics is clean');
    },
    'E.1.request-counter': () => {
      const m = parsed();
      const counted = delta('http_requests_total');
      const scrapes = delta('http_requests_total', { endpoint: '/metrics' });
      expectThat(
        scrapes === 0,
        'GET /metrics should not count itself: every scrape would add a request nobody made, and the request rate would show the scraper',
        'http_requests_total unchanged for /metrics',
        `up by ${scrapes} for endpoint="/metrics" between two of the grader's scrapes`,
      );
      expectThat(counted === script.length, `the grader sent ${script.length} requests besides /metrics: each should be counted once`, `http_requests_total up by ${script.length}`, `up by ${counted}:\n${seenSeries(m, 'http_requests_total')}`);
      const byStatus = (codes: string[]) => [...new Set(codes)].sort().map((code) => `${code}: ${codes.filter((c) => c === code).length}`).join(', ');
      const wantCodes = byStatus(sent.map((r) => String(r.answer.status)));
      const seenCodes = byStatus(
        findSamples(m, 'http_requests_total')
          .filter((x) => x.labels.endpoint !== '/metrics')
          .flatMap((x) => Array.from({ length: Math.min(1000, Math.max(0, Math.round(x.value - sumSamples(before.families ?? new Map(), 'http_requests_total', x.labels)))) }, () => x.labels.status_code ?? '(no status_code)')),
      );
      expectThat(
        wantCodes === seenCodes,
        'each request should be counted under the status code the client got (status_code, read when the response is sent): a failure counted as 200 hides every error from the error rate',
        `by status_code: ${wantCodes}`,
        `by status_code: ${seenCodes}\n${seenSeries(m, 'http_requests_total')}`,
      );
      return pass(`up by ${counted}, by status code ${seenCodes}`);
    },
    'E.1.latency-histogram': () => {
      const m = parsed();
      const observed = nonMetrics(m, 'http_request_duration_seconds_count') - nonMetrics(before.families, 'http_request_duration_seconds_count');
      expectThat(m.get('http_request_duration_seconds')?.type === 'histogram', 'http_request_duration_seconds should be a histogram', 'a histogram', m.get('http_request_duration_seconds')?.type ?? 'missing');
      expectThat(observed === script.length, 'every request should be observed once in the latency histogram', `_count up by ${script.length}`, `up by ${observed}`);
      const sum = nonMetrics(m, 'http_request_duration_seconds_sum');
      expectThat(sum < script.length * 5, 'latency is in seconds', `a _sum of a few seconds at most`, String(sum));
      return pass();
    },
    'E.1.prediction-counter': () => {
      parsed();
      const ok = delta('predictions_total', { status: 'success' });
      const failed = delta('predictions_total', { status: 'error' });
      const all = delta('predictions_total');
      const seen = `success +${ok}, error +${failed}:\n${seenSeries(after.families!, 'predictions_total')}`;
      expectThat(
        ok === good,
        `predictions_total{status="success"} should count each successful prediction once: the grader got ${good} answers of 2xx from POST /predict (and ${bad} refusals, which are not successes)`,
        `status="success" up by ${good}`,
        seen,
      );
      // Rejected input (422) is a failed request; whether it is also a failed prediction is the
      // service's choice. The model never failed in this traffic, so both counts are right: all of
      // the refusals as status="error", or none of them.
      expectThat(
        (failed === bad || failed === 0) && all === ok + failed,
        `predictions_total should count predictions by outcome, status="success" or status="error": the grader's ${bad} refused inputs (422) are either all failed predictions or none (the model itself never failed here)`,
        `success +${good}, and error +${bad} (refusals counted) or +0 (refusals left out); no other status`,
        seen,
      );
      return pass(
        failed === bad
          ? `success +${ok}, error +${failed}: the ${bad} refused inputs (422) counted as failed predictions`
          : `success +${ok}, error +0: the ${bad} refused inputs (422) are left out of predictions_total (the syllabus asks for successful and failed predictions; the model never failed in this traffic, so no failure was there to count)`,
      );
    },
    'E.1.prediction-latency': () => {
      const m = parsed();
      expectThat(m.get('prediction_duration_seconds')?.type === 'histogram', 'prediction_duration_seconds should be a histogram', 'a histogram', m.get('prediction_duration_seconds')?.type ?? 'missing');
      const observed = delta('prediction_duration_seconds_count');
      expectThat(observed === good, 'each successful prediction should be timed once', `_count up by ${good}`, `up by ${observed}`);
      return pass();
    },
    'E.1.health-gauge': () => {
      const m = parsed();
      const healthy = sent.find((s) => s.path === '/health')?.answer.status === 200;
      const value = findSamples(m, 'app_health_status')[0]?.value;
      expectThat(m.get('app_health_status')?.type === 'gauge' && value === (healthy ? 1 : 0), 'GET /health sets the app_health_status gauge', `app_health_status ${healthy ? 1 : 0}`, seenSeries(m, 'app_health_status'));
      return pass();
    },
    'E.1.app-info': () => {
      const m = parsed();
      const info = findSamples(m, 'app_info');
      expectThat(info.length === 1 && info[0]?.value === 1 && /^\d+\.\d+\.\d+/.test(info[0].labels.version ?? ''), 'app_info shows the version as a label, value 1', 'app_info{version="1.0.0",...} 1', seenSeries(m, 'app_info'));
      return pass();
    },
    'E.1.json-logs': () => {
      if (external && !external.logs) return skipped('the grader cannot read the logs of a service it did not start (use --server-cmd instead of --server-url)');
      expectThat(logs.length >= script.length, 'the service should log each request on stdout', `at least ${script.length} lines`, `${logs.length}`);
      const badLine = records.find(({ record }) => record === null || typeof record !== 'object' || Array.isArray(record));
      expectThat(!badLine, 'every line on stdout must be one JSON object', 'JSON on every line', badLine?.line.slice(0, 300));
      return pass();
    },
    'E.1.log-fields': () => {
      if (external && !external.logs) return skipped('the grader cannot read the logs of a service it did not start (use --server-cmd instead of --server-url)');
      for (const r of sent) {
        const rec = records.find(({ record }) => record?.request_id === r.id)?.record;
        const example = `{"request_id":"${r.id}","method":"${r.method}","path":"${r.path}","status_code":${r.answer.status},"duration_ms":1.2,...}`;
        expectThat(r.answer.headers.get('x-request-id') === r.id, 'the X-Request-ID sent is echoed in the response', `X-Request-ID: ${r.id}`, r.answer.headers.get('x-request-id') ?? 'none');
        expectThat(!!rec && rec.method === r.method && rec.path === r.path && rec.status_code === r.answer.status && typeof rec.duration_ms === 'number', `the log line of ${r.method} ${r.path} carries request id, method, path, status and duration`, example, rec ? JSON.stringify(rec).slice(0, 300) : 'no line with that request_id');
      }
      return pass();
    },
    'E.1.prometheus-scrape': async () => {
      if (!promStart) return skipped(`a real scrape needs Prometheus: ${INSTALL_HINT}`);
      const server = await promStart;
      if (server instanceof Error) throw server;
      try {
        const up = await pollUntil(async () => ((await server.query('up{job="production-service"}'))[0]?.value === 1 ? true : undefined), 15_000);
        const target = (await server.targets())[0];
        expectThat(up === true, 'a real Prometheus scraping /metrics every second should see the target up', 'up{job="production-service"} 1', target ? `health ${target.health}: ${target.lastError}` : 'no target');
        return pass('a real Prometheus scraped the service: up == 1');
      } finally {
        server.stop();
      }
    },
    'E.1.own-tests-pass': async () => {
      if (external) return skipped('needs your TypeScript files (E/service.test.ts); not available with --server-cmd / --server-url');
      const [own] = await outcome(ownTests!);
      expectThat(own !== undefined && own.problem === undefined, 'your tests (E/service.test.ts) did not load or did not finish', 'a test file that loads and finishes', own?.problem ?? 'no result');
      const { passed, failedTests } = own!;
      expectThat(passed >= 3 && failedTests.length === 0, 'your metrics tests (E/service.test.ts) should pass, at least three of them', 'at least 3 passing tests, none failing', `${passed} passed, ${failedTests.length} failed${failedTests[0] ? `: ${failedTests[0]}` : ''}`);
      return pass(`${passed} tests pass`);
    },
    'E.1.serve-command': async () => {
      if (external) return skipped('the command that starts the service is yours with --server-cmd / --server-url: E/server.ts is not run');
      const run = await outcome(entry!);
      expectThat(
        run.answered,
        `npm run serve:e (E/server.ts), with PORT=${run.port} and HOST unset, should serve the service on that port`,
        `GET http://127.0.0.1:${run.port}/health answered`,
        run.exited
          ? `it ended (${run.exited}) before answering${run.stderr.length ? `\n${cleanText(run.stderr.slice(-6).join('\n'))}` : ''}`
          : `no answer on port ${run.port} (is PORT read?)${run.lines.length ? `; it printed: ${cleanText(run.lines.join('\n'))}` : ''}`,
      );
      if (run.listening) {
        expectThat(
          run.listening.some((a) => a === '0.0.0.0' || a === '::'),
          'with HOST unset the service should listen on every interface, so that a Prometheus in another container or on another machine reaches it',
          `listening on 0.0.0.0:${run.port} (or [::])`,
          `listening on ${run.listening.join(', ') || 'nothing the kernel lists'}`,
        );
      }
      const first = run.lines[0];
      const line = (() => {
        try {
          return JSON.parse(first ?? '') as unknown;
        } catch {
          return undefined;
        }
      })();
      expectThat(
        typeof line === 'object' && line !== null && !Array.isArray(line),
        'the line the service prints when it starts is a log line like any other: one JSON object',
        '{"timestamp": "...", "level": "INFO", "message": "service listening", "address": "http://0.0.0.0:<port>"}',
        first ?? '(nothing printed)',
      );
      const fields = line as Record<string, unknown>;
      expectThat(
        typeof fields.message === 'string' && fields.message.trim() !== '' && JSON.stringify(fields).includes(String(run.port)),
        'the start line should say that the service listens, and where: a message, and the address with its port',
        `a message, and the address with port ${run.port}`,
        first ?? '',
      );
      return pass(`E/server.ts served on port ${run.port}${run.listening ? ` (listening on ${run.listening.join(', ')})` : ''}; its start line is JSON`);
    },
    'E.1.label-cardinality': async () => {
      const seriesBefore = findSamples(parsed(), 'http_requests_total').length;
      const paths = Array.from({ length: 500 }, (_, i) => `/${tag}-${i}-${random.token(6)}${random.next() < 0.3 ? `/${random.token(4)}` : ''}`);
      for (let i = 0; i < paths.length; i += 25) await Promise.all(paths.slice(i, i + 25).map((p) => send(url, 'GET', p)));
      const later = await scrape(url);
      const m = later.families ?? new Map();
      const seriesAfter = findSamples(m, 'http_requests_total').length;
      const leaked = findSamples(m, 'http_requests_total').find((s) => Object.values(s.labels).some((v) => v.includes(tag)));
      expectThat(!leaked && seriesAfter - seriesBefore <= 2, '500 requests for random unknown paths must not create a series each', 'at most 2 new series', `${seriesAfter - seriesBefore} new series${leaked ? `, e.g. endpoint="${leaked.labels.endpoint}"` : ''}`);
      return pass(`${seriesAfter - seriesBefore} new series after 500 unknown paths`);
    },
    'E.1.overhead': async () => {
      if (external) return skipped('needs your TypeScript app (buildApp({ instrument: false })); not available with --server-cmd / --server-url');
      const counted = nonMetrics(parsed(), 'http_requests_total');
      expectThat(counted > 0, 'nothing is instrumented yet, so there is no overhead to measure', 'requests counted in http_requests_total', 'none');
      await Promise.all([ownTests, entry]);
      const bare = await new ServiceProcess(path.join(targetDir, exercise.service ?? 'E/app.ts'), { instrument: false }).start();
      try {
        await requestsPerSecond(url, 200);
        await requestsPerSecond(bare.baseUrl, 200);
        // Three interleaved rounds give one ratio; a busy machine can drag one measurement down, so a
        // ratio under the bound is measured again (up to three times) before it counts as a failure.
        let figures = '';
        let ratio = 0;
        for (let attempt = 0; attempt < 3 && ratio < OVERHEAD_BOUND; attempt++) {
          const withPlugin: number[] = [];
          const without: number[] = [];
          for (let round = 0; round < 3; round++) {
            withPlugin.push(await requestsPerSecond(url, 500));
            without.push(await requestsPerSecond(bare.baseUrl, 500));
          }
          ratio = median(withPlugin) / median(without);
          figures = `${Math.round(median(withPlugin))} req/s with the instrumentation, ${Math.round(median(without))} without: ratio ${ratio.toFixed(2)}${attempt > 0 ? ` (measurement ${attempt + 1} of 3)` : ''}`;
        }
        const bareCount = nonMetrics((await scrape(bare.baseUrl)).families, 'http_requests_total');
        expectThat(bareCount === 0, 'buildApp({ instrument: false }) should build the service without the request instrumentation', 'no requests counted by the bare service', `${bareCount} counted`);
        expectThat(ratio >= OVERHEAD_BOUND, 'the instrumentation costs too much throughput', `a ratio of at least ${OVERHEAD_BOUND}`, figures);
        return pass(figures, `${figures} (measured here, with the load generator on the same cores; a plain hook usually gives 0.7–0.9)`);
      } finally {
        bare.stop();
      }
    },
  };
}

export default {
  exercise: 'E.1',
  live: checkSet(
    [
      'E.1.metrics-text-format',
      'E.1.request-counter',
      'E.1.latency-histogram',
      'E.1.prediction-counter',
      'E.1.prediction-latency',
      'E.1.health-gauge',
      'E.1.app-info',
      'E.1.json-logs',
      'E.1.log-fields',
      'E.1.prometheus-scrape',
      'E.1.own-tests-pass',
      'E.1.serve-command',
      'E.1.label-cardinality',
      'E.1.overhead',
    ] as const,
    live,
  ),
} satisfies ExerciseChecks;
