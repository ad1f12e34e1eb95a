// Section D labs D.3 and D.5.
// D.3 (disk full from logs) is graded by its hidden suite (grader/suites/D.3.test.ts) alone: the
// learner's rotating writer is driven directly, which exercises every rotation; nothing here.
// D.5 (Prometheus can't scrape): the service serves /metrics (live), it binds every interface and
// prometheus.yml points at it (tool), and a real Prometheus scrapes it with the learner's job (live).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runCommand } from '../live/commands.js';
import { findSamples, parseExposition } from '../live/exposition.js';
import { send } from '../live/http.js';
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { pollUntil, PrometheusStartError, startPrometheus } from '../live/prometheus-server.js';
import { checkConfig, problemLines } from '../live/promtool-rules.js';
import { cleanText } from '../report/clean.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { PROJECT_ROOT } from '../run/paths.js';
import { configForScrape, readYaml, WITHOUT_PROMETHEUS } from './C4.js';
import { expectThat, Mismatch, type LiveRun, type ToolRun } from './kit.js';

const D5_DIR = 'D/cant-scrape';
const D5_CONFIG = `${D5_DIR}/prometheus.yml`;
const D5_LISTEN = `${D5_DIR}/listen.ts`;
/** The port the lab's service listens on (listen.ts, PORT unset); the scrape target must use it. */
export const D5_PORT = 3000;
const SCRAPE_DEADLINE_MS = 15_000;
const HEALTH_REQUESTS = 5;

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

function jobsOf(config: unknown): Yaml[] {
  return isMap(config) && Array.isArray(config.scrape_configs) ? config.scrape_configs.filter(isMap) : [];
}

function describeJobs(config: unknown): string {
  const names = jobsOf(config).map((j) => `"${String(j.job_name)}"`);
  return names.length ? `scrape jobs ${names.join(', ')}` : 'no scrape job at all';
}

/** The lab's job: the one named api, or the only one there is. */
function labJob(config: unknown): Yaml {
  const jobs = jobsOf(config);
  const job = jobs.find((j) => j.job_name === 'api') ?? (jobs.length === 1 ? jobs[0] : undefined);
  if (!job) throw new Mismatch(`${D5_CONFIG} should have the scrape job for the service (job_name: api)`, 'job_name: api', describeJobs(config));
  return job;
}

function targetsOf(job: Yaml): string[] {
  const groups = Array.isArray(job.static_configs) ? job.static_configs.filter(isMap) : [];
  return groups.flatMap((g) => (Array.isArray(g.targets) ? g.targets.map(String) : []));
}

// ---------------------------------------------------------------------------------------------
// Tool checks

/** Runs the learner's listenOptions({}) in a child process (never inside the grader), with a deadline. */
async function learnersListenOptions(targetDir: string): Promise<unknown> {
  const href = pathToFileURL(path.join(targetDir, D5_LISTEN)).href;
  const script = `import(${JSON.stringify(href)}).then((m) => {
    if (typeof m.listenOptions !== 'function') throw new Error('listen.ts does not export a function listenOptions');
    process.stdout.write('\\n@@' + JSON.stringify(m.listenOptions({})) + '\\n');
  });`;
  const result = await runCommand(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: PROJECT_ROOT, timeoutMs: 15_000 });
  expectThat(!result.timedOut, `${D5_LISTEN} did not answer within 15 s (an endless loop at import?)`, 'listenOptions({}) returns at once', 'no answer');
  const line = result.stdout.split('\n').find((l) => l.startsWith('@@'));
  if (result.exitCode !== 0 || !line) {
    const why = cleanText(result.stderr.split('\n').filter((l) => /Error|error TS|at .*listen\.ts/.test(l)).slice(0, 4).join('\n') || result.stderr.slice(-600));
    throw new Mismatch(`${D5_LISTEN} could not be run`, 'listenOptions({}) returning { host, port }', why || `exit code ${result.exitCode}`);
  }
  return JSON.parse(line.slice(2)) as unknown;
}

async function bindsEveryInterface(targetDir: string): Promise<Verdict> {
  const options = await learnersListenOptions(targetDir);
  const seen = JSON.stringify(options);
  expectThat(isMap(options), 'listenOptions() should return { host, port }', "{ host: '0.0.0.0', port: 3000 }", seen);
  const { host, port } = options;
  expectThat(
    host === '0.0.0.0' || host === '::',
    'with HOST unset the service must listen on every interface: on 127.0.0.1 or localhost only callers on the same machine (or in the same container) reach it, not Prometheus',
    "host: '0.0.0.0' (or '::')",
    `host: ${JSON.stringify(host)}`,
  );
  expectThat(port === D5_PORT, `with PORT unset the service should keep its port ${D5_PORT} (the one its scrape target names)`, `port: ${D5_PORT}`, `port: ${JSON.stringify(port)}`);
  return pass(`listens on ${String(host)}:${D5_PORT} by default`);
}

async function configPointsRight(targetDir: string, promtool: string | undefined): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, D5_CONFIG);
  if (promtool) {
    const outcome = await checkConfig(promtool, text);
    expectThat(!outcome.timedOut, 'promtool check config did not finish in time', 'an answer within 15 s', 'no answer');
    expectThat(outcome.ok, `promtool check config refuses ${D5_CONFIG}`, 'SUCCESS: valid prometheus config file', problemLines(outcome.output));
  }
  const job = labJob(data);
  const metricsPath = job.metrics_path ?? '/metrics';
  expectThat(metricsPath === '/metrics', 'the job should scrape the path the service serves its metrics at', 'metrics_path: /metrics', `metrics_path: ${String(metricsPath)}`);
  const targets = targetsOf(job);
  expectThat(targets.length > 0, 'the job needs a static target: the host:port where the service listens', `static_configs: [{ targets: ['<host>:${D5_PORT}'] }]`, 'no static target');
  for (const target of targets) {
    const m = /^(?:\[[0-9a-fA-F:.]+\]|[\w.-]+):(\d+)$/.exec(target);
    expectThat(m !== null, 'a target is host:port only: no http://, no path (the path is metrics_path, the scheme is scheme)', `e.g. localhost:${D5_PORT}`, target);
    expectThat(Number(m[1]) === D5_PORT, `the target should use the port the service listens on (${D5_PORT}, listen.ts)`, `<host>:${D5_PORT}`, target);
  }
  const message = `job ${String(job.job_name)}: /metrics from ${targets.join(', ')}`;
  return promtool ? pass(`${message}; promtool check config: SUCCESS`) : pass(message, WITHOUT_PROMETHEUS);
}

export const d5Tools: ToolRun = async ({ targetDir, promtool }) => ({
  'D.5.binds-all-interfaces': () => bindsEveryInterface(targetDir),
  'D.5.config-points-right': () => configPointsRight(targetDir, promtool),
});

// ---------------------------------------------------------------------------------------------
// Live checks

export const d5Live: LiveRun = async ({ service, targetDir, prometheus }) => {
  // Prometheus needs ~5 s before its first scrape: start it before anything else. It runs with the
  // learner's own job (metrics_path, scheme, params… kept); only the target's host:port is replaced
  // by the port the grader started the service on, as the lab's port is not free here.
  let job: Yaml | undefined;
  let problem: Mismatch | undefined;
  let config: unknown;
  try {
    config = readYaml(targetDir, D5_CONFIG).data;
    job = labJob(config);
  } catch (error) {
    if (!(error instanceof Mismatch)) throw error;
    problem = error;
  }
  const started =
    prometheus && job && isMap(config)
      ? startPrometheus(prometheus, configForScrape(config, job, service.port)).then(
          (server) => ({ server }),
          (error: unknown) => ({ error }),
        )
      : undefined;
  let page;
  try {
    for (let i = 0; i < HEALTH_REQUESTS; i++) await send(service.baseUrl, 'GET', '/health');
    page = await send(service.baseUrl, 'GET', '/metrics');
  } catch (error) {
    void started?.then((r) => ('server' in r ? r.server.stop() : undefined));
    throw error;
  }
  const answer = page;

  return {
    'D.5.metrics-path-served': () => {
      expectThat(answer.status === 200, 'GET /metrics should answer 200 with the metrics: that is where Prometheus looks unless told otherwise', '200 and the exposition text', `${answer.status} ${answer.text.slice(0, 160)}`);
      const type = answer.headers.get('content-type') ?? '';
      expectThat(type.startsWith('text/plain') && type.includes('version=0.0.4'), 'Prometheus picks its parser by the content type: send the registry\'s (registry.contentType)', 'text/plain; version=0.0.4; charset=utf-8', type || '(none)');
      const families = parseExposition(answer.text);
      const health = findSamples(families, 'http_requests_total', { endpoint: '/health' }).reduce((sum, s) => sum + s.value, 0);
      expectThat(health >= HEALTH_REQUESTS, `the page should be the service's registry, with the ${HEALTH_REQUESTS} GET /health just sent`, `http_requests_total{endpoint="/health",...} >= ${HEALTH_REQUESTS}`, health ? String(health) : answer.text.slice(0, 200));
      return pass(`GET /metrics: 200, ${type}`);
    },
    'D.5.real-scrape-up': async () => {
      if (problem) throw problem;
      if (!started || !job) return skipped(`a real scrape needs Prometheus: ${INSTALL_HINT}`);
      const result = await started;
      if ('error' in result) {
        if (result.error instanceof PrometheusStartError) {
          throw new Mismatch('Prometheus would not start with your scrape job (run promtool check config on it)', 'Prometheus running', result.error.message);
        }
        throw result.error;
      }
      const { server } = result;
      try {
        const selector = `job="${String(job.job_name)}"`;
        const up = await pollUntil(async () => {
          const samples = await server.query(`up{${selector}}`);
          return samples.some((s) => s.value === 1) ? samples : undefined;
        }, SCRAPE_DEADLINE_MS);
        if (!up) {
          const targets = await server.targets().catch(() => []);
          const seen = targets.length ? targets.map((t) => `${t.scrapeUrl}: ${t.health}${t.lastError ? ` (${t.lastError})` : ''}`).join('\n') : 'no target at all';
          throw new Mismatch(
            `a real Prometheus running your job could not scrape the service within ${SCRAPE_DEADLINE_MS / 1000} s (the grader pointed only the target's host:port at the running service; this is what /targets says)`,
            `up{${selector}} == 1`,
            seen,
          );
        }
        return pass(`Prometheus scraped the service with your job: up{${selector}} == 1`);
      } finally {
        server.stop();
      }
    },
  };
};

export const d35Live: Record<string, LiveRun> = { 'D.5': d5Live };
export const d35Tools: Record<string, ToolRun> = { 'D.5': d5Tools };
