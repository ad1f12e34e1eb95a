// D.5 Prometheus can't scrape: the service serves /metrics (live), binds every interface and
// prometheus.yml points at it from where Prometheus stands (tool), and a real Prometheus scrapes it
// with the learner's job (live). In the lab's network Prometheus runs in its own container and the
// service's container is reachable as `api`: the grader plays that network, so it supplies the port
// it started the service on for the target api:3000, and nothing else reaches the service.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { runLearnerCode } from '../live/commands.js';
import { nodeWithTsx } from '../sandbox/runner.js';
import { findSamples, parseExposition } from '../live/exposition.js';
import { send } from '../live/http.js';
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { freePort, pollUntil } from '../live/prometheus-server.js';
import { checkConfig, problemLines } from '../live/promtool-rules.js';
import { cleanText } from '../report/clean.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { PROJECT_ROOT } from '../paths.js';
import { stringify } from 'yaml';
import { readYaml, WITHOUT_PROMETHEUS } from './C.4.js';
import { checkSet, expectThat, Mismatch, scrapingServer, settled, stopStarted, type ExerciseChecks, type LiveContext, type ToolContext } from './kit.js';

const D5_DIR = 'D/cant-scrape';
const D5_CONFIG = `${D5_DIR}/prometheus.yml`;
const D5_LISTEN = `${D5_DIR}/listen.ts`;
/** The port the lab's service listens on (listen.ts, PORT unset); the scrape target must use it. */
export const D5_PORT = 3000;
/** The service's name on the lab's monitoring network (SYMPTOM.md): how Prometheus's container reaches it. */
export const D5_HOST = 'api';
const SCRAPE_DEADLINE_MS = 15_000;
/** Hosts that, from Prometheus's own container, are Prometheus's container itself. */
const OWN_CONTAINER = /^(localhost|127(\.\d{1,3}){3}|\[?::1\]?|0\.0\.0\.0|\[?::\]?)$/i;

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

/** host and port of a host:port target, or undefined when it is not one. */
function hostPort(target: string): { host: string; port: number } | undefined {
  const m = /^(\[[0-9a-fA-F:.]+\]|[\w.-]+):(\d+)$/.exec(target);
  return m ? { host: m[1]!, port: Number(m[2]) } : undefined;
}

/** Why Prometheus, in its own container on the lab's network, would not reach the service at this
 * target (undefined: it would). */
function unreachable(target: string): string | undefined {
  const hp = hostPort(target);
  if (!hp) return `${target} is not host:port`;
  if (OWN_CONTAINER.test(hp.host)) return `from Prometheus's container, ${hp.host} is Prometheus's own container: nothing listens on ${hp.port} there`;
  if (hp.host !== D5_HOST) return `no container called ${hp.host} on the monitoring network (the service's container is ${D5_HOST})`;
  if (hp.port !== D5_PORT) return `the service listens on ${D5_PORT}, not ${hp.port}`;
  return undefined;
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
  // Learner code: through the one runner (marked; in a class sandbox, as the submission's user).
  const result = await runLearnerCode(nodeWithTsx('--input-type=module', '-e', script), { cwd: PROJECT_ROOT, timeoutMs: 15_000 });
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
  expectThat(targets.length > 0, 'the job needs a static target: the host:port where the service listens', `static_configs: [{ targets: ['${D5_HOST}:${D5_PORT}'] }]`, 'no static target');
  for (const target of targets) {
    const hp = hostPort(target);
    expectThat(hp !== undefined, 'a target is host:port only: no http://, no path (the path is metrics_path, the scheme is scheme)', `${D5_HOST}:${D5_PORT}`, target);
    expectThat(hp.port === D5_PORT, `the target should use the port the service listens on (${D5_PORT}, listen.ts)`, `${D5_HOST}:${D5_PORT}`, target);
    expectThat(
      !OWN_CONTAINER.test(hp.host),
      `Prometheus now runs in its own container: there, ${hp.host} means Prometheus's container itself, not the service's. Name the service as the monitoring network knows it`,
      `${D5_HOST}:${D5_PORT} (the service's container on the monitoring network, SYMPTOM.md)`,
      target,
    );
    expectThat(hp.host === D5_HOST, `on the monitoring network the service's container is called ${D5_HOST} (SYMPTOM.md): Prometheus finds it by that name`, `${D5_HOST}:${D5_PORT}`, target);
  }
  const message = `job ${String(job.job_name)}: /metrics from ${targets.join(', ')}`;
  return promtool ? pass(`${message}; promtool check config: SUCCESS`) : pass(message, WITHOUT_PROMETHEUS);
}

/** The learner's job as Prometheus runs it here: everything of theirs kept (metrics_path, scheme,
 * params, relabelling…), scraped every second; the target api:3000 becomes the loopback address and
 * port the grader started the service on (the lab's network, played here). Any other target keeps
 * pointing nowhere: a port nothing listens on. */
function scrapeConfig(config: Yaml, job: Yaml, servicePort: number, closedPort: number): string {
  const global = isMap(config.global) ? { ...config.global } : {};
  global.scrape_interval = '1s';
  global.scrape_timeout = '1s';
  delete global.evaluation_interval;
  const targets = targetsOf(job).map((t) => (unreachable(t) === undefined ? `127.0.0.1:${servicePort}` : `127.0.0.1:${closedPort}`));
  const rewritten: Yaml = { ...job, scrape_interval: '1s', scrape_timeout: '1s', static_configs: [{ targets }] };
  for (const key of Object.keys(rewritten)) if (key.endsWith('_sd_configs')) delete rewritten[key];
  return stringify({ global, scrape_configs: [rewritten] });
}

// ---------------------------------------------------------------------------------------------
// Live checks

async function live({ service, targetDir, prometheus, launchPrometheus, random }: LiveContext) {
  // Prometheus needs ~5 s before its first scrape: start it before anything else. It runs with the
  // learner's own job; only a target that reaches the service in the lab's network (api:3000) is
  // pointed at the port the grader started the service on.
  const healthRequests = random.int(3, 9);
  const closedPort = await freePort();
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
  const started = prometheus && job && isMap(config) ? settled(launchPrometheus(prometheus, scrapeConfig(config, job, service.port, closedPort))) : undefined;
  const unknownPath = `/${random.token(6)}/${random.token(4)}`;
  const scrapesBefore = random.int(1, 3);
  let page;
  const healthAnswers: string[] = [];
  try {
    for (let i = 0; i < healthRequests; i++) {
      const answer = await send(service.baseUrl, 'GET', '/health');
      healthAnswers.push(`${answer.status} ${answer.text.slice(0, 80)}`);
    }
    await send(service.baseUrl, 'GET', unknownPath);
    for (let i = 0; i < scrapesBefore; i++) await send(service.baseUrl, 'GET', '/metrics');
    page = await send(service.baseUrl, 'GET', '/metrics');
  } catch (error) {
    stopStarted(started);
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
      expectThat(health >= healthRequests, `the page should be the service's registry, with the ${healthRequests} GET /health just sent`, `http_requests_total{endpoint="/health",...} >= ${healthRequests}`, health ? String(health) : answer.text.slice(0, 200));
      // The fix must leave the rest of the lab's service as it was.
      const badHealth = healthAnswers.find((a) => !/^200 \{"status":"healthy"\}$/.test(a));
      expectThat(badHealth === undefined, 'GET /health should still answer as the lab gave it: the fix is about scraping only', '200 {"status":"healthy"}', badHealth ?? '');
      expectThat(families.has('process_cpu_user_seconds_total'), "the page should carry the default process metrics (collectDefaultMetrics) registered in the service's own registry", 'process_cpu_user_seconds_total and the other default metrics on /metrics', [...families.keys()].slice(0, 8).join(', ') || '(no metric at all)');
      const unmatched = findSamples(families, 'http_requests_total', { endpoint: 'unmatched', status_code: '404' }).reduce((sum, s) => sum + s.value, 0);
      expectThat(unmatched >= 1, `a request for an unknown path (GET ${unknownPath}) should be counted under endpoint="unmatched", never under its raw path`, 'http_requests_total{endpoint="unmatched",status_code="404"} >= 1', unmatched ? String(unmatched) : 'no such series');
      const scrapes = findSamples(families, 'http_requests_total').filter((s) => s.labels.endpoint === '/metrics');
      expectThat(scrapes.length === 0, `scrapes of /metrics must not be counted as traffic (the grader scraped ${scrapesBefore + 1} times): a route added beside the old one must be left out of the count too`, 'no http_requests_total series for the metrics path', scrapes.map((s) => `endpoint="${s.labels.endpoint}" ${s.value}`).join(', '));
      return pass(`GET /metrics: 200, ${type}`);
    },
    'D.5.real-scrape-up': async () => {
      if (problem) throw problem;
      if (!started || !job) return skipped(`a real scrape needs Prometheus: ${INSTALL_HINT}`);
      const targets = targetsOf(job);
      if (targets.length > 0 && targets.every((t) => unreachable(t) !== undefined)) {
        stopStarted(started);
        throw new Mismatch(
          `Prometheus, in its own container on the lab's monitoring network, would find nothing at your job's target${targets.length > 1 ? 's' : ''}`,
          `a target that reaches the service from Prometheus's container: ${D5_HOST}:${D5_PORT}`,
          targets.map((t) => `${t}: ${unreachable(t)}`).join('\n'),
        );
      }
      const server = await scrapingServer(started);
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
            `a real Prometheus running your job could not scrape the service within ${SCRAPE_DEADLINE_MS / 1000} s (the grader pointed ${D5_HOST}:${D5_PORT} at the running service; this is what /targets says)`,
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
}

export default {
  exercise: 'D.5',
  live: checkSet(['D.5.metrics-path-served', 'D.5.real-scrape-up'] as const, live),
  tools: checkSet(['D.5.binds-all-interfaces', 'D.5.config-points-right'] as const, async ({ targetDir, promtool }: ToolContext) => ({
    'D.5.binds-all-interfaces': () => bindsEveryInterface(targetDir),
    'D.5.config-points-right': () => configPointsRight(targetDir, promtool),
  })),
} satisfies ExerciseChecks;
