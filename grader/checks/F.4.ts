// F.4 — Alertmanager routing: the learner's alertmanager.yml is checked by amtool, routed on hidden
// label sets, read for its grouping and inhibition, and then run for real: a Prometheus with the
// learner's F.2 rules scrapes a service the grader drives into a fast burn, sends to an Alertmanager
// with the learner's config, and the grader's webhook must receive the page at on-call, grouped, once.
import { createServer, type Server } from 'node:http';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { stringify } from 'yaml';
import { alertmanagerPath, AlertmanagerStartError, AM_INSTALL_HINT, amtoolPath, checkAmConfig, inhibits, routeReceivers, routesFor, startAlertmanager, startWebhook, type Notification } from '../live/alertmanager.js';
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { PrometheusStartError } from '../live/prometheus-server.js';
import type { LaunchPrometheus } from '../live/prometheus-pool.js';
import type { Random } from '../live/random.js';
import { sleep } from '../live/sleep.js';
import { makeWorkDir, removeDir } from '../paths.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { durationMs, JOB, readYaml } from './C.4.js';
import { alertRules, summarizeRules } from './F.2.js';
import { checkSet, expectThat, Mismatch, type ExerciseChecks, type ToolContext } from './kit.js';

const CONFIG_FILE = 'F/alertmanager.yml';
const RULES_FILE = 'F/slo-alerts.yml';
const PAGE_RECEIVER = 'on-call';
const TICKET_RECEIVER = 'team-queue';

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);
const showLabels = (labels: Record<string, string>) => `{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(', ')}}`;

interface LabelCase {
  labels: Record<string, string>;
  want: string;
  what: string;
}

function labelCases(random: Random): LabelCase[] {
  const services = random.shuffle(['production-service', 'checkout', 'search', 'payments']);
  const names = random.shuffle(['ErrorBudgetBurn', 'LatencyBudgetBurn', 'HighErrorRate', 'SLOBurn']);
  return [
    { labels: { alertname: names[0]!, severity: 'page', service: services[0]!, slo: 'availability' }, want: PAGE_RECEIVER, what: 'a page' },
    { labels: { alertname: names[1]!, service: services[1]!, severity: 'page', job: services[1]!, instance: `10.7.${random.int(0, 255)}.${random.int(2, 254)}:3000` }, want: PAGE_RECEIVER, what: 'a page of another service' },
    { labels: { alertname: names[0]!, severity: 'ticket', service: services[0]!, slo: 'availability' }, want: TICKET_RECEIVER, what: 'a ticket' },
    { labels: { severity: 'ticket', alertname: names[2]!, service: services[2]!, slo: 'latency' }, want: TICKET_RECEIVER, what: 'a ticket of another service' },
  ];
}

async function routes(targetDir: string, random: Random): Promise<Verdict> {
  const { text } = readYaml(targetDir, CONFIG_FILE);
  const amtool = amtoolPath();
  if (!amtool) return skipped(`the routes are tested with amtool, which comes with Alertmanager: ${AM_INSTALL_HINT}`);
  const checked = await checkAmConfig(amtool, text);
  expectThat(checked.ok, `amtool check-config refuses ${CONFIG_FILE}`, 'SUCCESS', checked.output.trim());
  // The stub's receivers keep their webhooks: a receiver without one delivers nowhere.
  const { data } = readYaml(targetDir, CONFIG_FILE);
  const receivers = isMap(data) && Array.isArray(data.receivers) ? data.receivers.filter(isMap) : [];
  for (const name of [PAGE_RECEIVER, TICKET_RECEIVER]) {
    const receiver = receivers.find((r) => r.name === name);
    const hooks = receiver && Array.isArray(receiver.webhook_configs) ? receiver.webhook_configs.filter((h) => isMap(h) && typeof h.url === 'string' && h.url !== '') : [];
    expectThat(hooks.length > 0, `the receiver ${name} should keep its webhook_configs entry (the stub's): without one, what is routed to it is delivered nowhere`, `receivers: - name: ${name}, webhook_configs: [{ url: ... }]`, receiver ? `${name} without a webhook url` : `no receiver named ${name}`);
  }
  const cases = labelCases(random);
  const results = await Promise.all(cases.map((c) => routeReceivers(amtool, text, c.labels)));
  cases.forEach((c, i) => {
    const { receivers, outcome } = results[i]!;
    expectThat(outcome.ok, `amtool config routes test failed for ${showLabels(c.labels)}`, c.want, outcome.output.trim());
    expectThat(receivers.length === 1 && receivers[0] === c.want, `${c.what} ${showLabels(c.labels)} should reach ${c.want}, and only it`, c.want, receivers.join(', ') || 'no receiver');
  });
  return pass(`amtool check-config: SUCCESS; ${cases.length} hidden label sets routed right (pages to ${PAGE_RECEIVER}, tickets to ${TICKET_RECEIVER})`);
}

/** group_by, group_wait and group_interval as they apply to pages and to tickets. */
function grouping(targetDir: string): Verdict {
  const { data } = readYaml(targetDir, CONFIG_FILE);
  expectThat(isMap(data) && isMap(data.route), `${CONFIG_FILE} needs a route:`, 'route: { receiver: ..., group_by: [...] }', 'no route');
  for (const severity of ['page', 'ticket']) {
    const labels = { alertname: 'ErrorBudgetBurn', severity, service: JOB, slo: 'availability' };
    for (const r of routesFor(data, labels)) {
      const where = `for a ${severity} (the route to ${r.receiver || 'the root receiver'})`;
      expectThat(!r.group_by.includes('...'), `${where}, group_by: ['...'] sends every alert alone: group by the alert and the service`, 'group_by: [alertname, service]', `group_by: [${r.group_by.join(', ')}]`);
      expectThat(r.group_by.includes('alertname') && r.group_by.includes('service'), `${where}, the alerts of one alert name and service should come in one notification`, 'group_by: [alertname, service]', r.group_by.length ? `group_by: [${r.group_by.join(', ')}]` : 'no group_by: every alert of the route in one single group');
      const wait = durationMs(r.group_wait);
      expectThat(wait !== undefined && wait >= 10_000 && wait <= 120_000, `${where}, group_wait should give companions a moment (10 s at least) without delaying the first notification much (2 min at most)`, 'group_wait between 10s and 2m (30s is usual)', `group_wait: ${r.group_wait}`);
      const interval = durationMs(r.group_interval);
      expectThat(interval !== undefined && interval >= 60_000, `${where}, group_interval should leave a minute or more between two updates of a group`, 'group_interval of 1m or more (5m is usual)', `group_interval: ${r.group_interval}`);
      const repeat = durationMs(r.repeat_interval);
      expectThat(repeat !== undefined && repeat >= 3_600_000, `${where}, repeat_interval says how soon a group still firing is sent again: an hour or more, or the same problem keeps interrupting people`, 'repeat_interval of 1h or more (4h is usual)', `repeat_interval: ${r.repeat_interval}`);
    }
  }
  return pass('pages and tickets grouped by alertname and service, with a sensible group_wait, group_interval and repeat_interval');
}

/** Inhibit rules judged on hidden pairs of alerts: a page mutes the tickets of its service only. */
function inhibition(targetDir: string, random: Random): Verdict {
  const { data } = readYaml(targetDir, CONFIG_FILE);
  const [s1, s2] = random.shuffle(['production-service', 'checkout', 'search']);
  const page = (service: string, alertname = 'ErrorBudgetBurn') => ({ alertname, severity: 'page', service: service, slo: 'availability' });
  const ticket = (service: string, alertname = 'ErrorBudgetBurn') => ({ alertname, severity: 'ticket', service: service, slo: 'availability' });
  const cases: Array<[Record<string, string>, Record<string, string>, boolean, string]> = [
    [page(s1!), ticket(s1!), true, 'a page should mute the ticket of the same service'],
    [page(s1!), ticket(s1!, 'LatencyBudgetBurn'), true, 'a page should mute every ticket of the same service, whatever its alert name'],
    [page(s1!), ticket(s2!), false, 'a page must not mute the tickets of another service (equal: [service])'],
    [ticket(s1!), page(s1!), false, 'a ticket must never mute a page'],
    [page(s1!, 'LatencyBudgetBurn'), page(s1!), false, 'a page must not mute another page'],
    [ticket(s1!, 'LatencyBudgetBurn'), ticket(s1!), false, 'a ticket must not mute another ticket: only a page does'],
  ];
  for (const [source, target, want, why] of cases) {
    const got = inhibits(data, source, target);
    const rules = isMap(data) && Array.isArray(data.inhibit_rules) && data.inhibit_rules.length ? stringify(data.inhibit_rules).trim() : 'no inhibit rule at all';
    expectThat(got === want, `${why}: firing ${showLabels(source)}, then ${showLabels(target)}`, want ? 'the second alert muted' : 'the second alert delivered', `${got ? 'muted' : 'delivered'}\ninhibit_rules:\n${rules}`);
  }
  return pass(`a page mutes the tickets of its own service, and nothing else (${cases.length} hidden pairs)`);
}

// ---------------------------------------------------------------------------------------------
// The live chain

const PAGE_DEADLINE_MS = 15_000;
/** How long the grader keeps listening after the first page, for duplicates. */
const AFTER_FIRST_MS = 4_000;

/** The learner's F.2 rules without `for:` and `keep_firing_for:`, so a burn pages at the first evaluation. */
function liveRules(data: unknown): string {
  const copy = structuredClone(data) as Yaml;
  for (const group of Array.isArray(copy.groups) ? copy.groups.filter(isMap) : []) {
    for (const rule of Array.isArray(group.rules) ? group.rules.filter(isMap) : []) {
      delete rule.for;
      delete rule.keep_firing_for;
    }
  }
  return stringify(copy);
}

/** The learner's config with every webhook pointed at the grader's receiver (/<receiver>/<n>), other
 * integrations left out (nothing leaves the machine), and waits shortened to fit a live check. */
function liveConfig(data: Yaml, webhookPort: number): { text: string; webhooks: Map<string, string[]> } {
  const copy = structuredClone(data);
  const webhooks = new Map<string, string[]>();
  for (const receiver of Array.isArray(copy.receivers) ? copy.receivers.filter(isMap) : []) {
    const name = String(receiver.name);
    const hooks = Array.isArray(receiver.webhook_configs) ? receiver.webhook_configs.filter(isMap) : [];
    const paths = hooks.map((hook, n) => {
      const p = `/${encodeURIComponent(name)}/${n}`;
      hook.url = `http://127.0.0.1:${webhookPort}${p}`;
      return p;
    });
    webhooks.set(name, paths);
    for (const key of Object.keys(receiver)) if (key.endsWith('_configs') && key !== 'webhook_configs') delete receiver[key];
  }
  const shorten = (route: Yaml, root: boolean) => {
    if (root || route.group_wait !== undefined) route.group_wait = '1s';
    if (root || route.group_interval !== undefined) {
      const ms = durationMs(route.group_interval) ?? 300_000;
      route.group_interval = ms < 3000 ? route.group_interval : '3s';
    }
    for (const child of Array.isArray(route.routes) ? route.routes.filter(isMap) : []) shorten(child, false);
  };
  if (isMap(copy.route)) shorten(copy.route, true);
  delete copy.templates;
  return { text: stringify(copy), webhooks };
}

/** A stand-in for the production service whose every request fails half the time: each scrape
 * sees as many 500s as 201s more than the last. */
async function burningService(random: Random): Promise<{ port: number; close(): void }> {
  let count = random.int(0, 50);
  const server: Server = createServer((request, response) => {
    if (request.url !== '/metrics') return void response.writeHead(404).end();
    count += random.int(40, 60);
    const lines = ['# HELP http_requests_total Total HTTP requests', '# TYPE http_requests_total counter'];
    for (const status of ['201', '500']) lines.push(`http_requests_total{method="POST",endpoint="/predict",status_code="${status}"} ${count}`);
    response.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(`${lines.join('\n')}\n`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, close: () => { server.closeAllConnections(); server.close(); } };
}

const isPage = (a: { labels?: Record<string, string> }) => a.labels?.severity === 'page';
const firingPages = (n: Notification) => (n.body.alerts ?? []).filter((a) => isPage(a) && a.status === 'firing');
const describe = (n: Notification) => `${(n.at / 1000).toFixed(1)} s: ${n.path} ${n.body.status ?? '?'} groupLabels ${JSON.stringify(n.body.groupLabels ?? {})}, ${(n.body.alerts ?? []).map((a) => `${a.status} ${showLabels(a.labels ?? {})}`).join('; ')}`;

async function livePage(targetDir: string, prometheus: string | undefined, launchPrometheus: LaunchPrometheus, random: Random): Promise<Verdict> {
  const { data: config } = readYaml(targetDir, CONFIG_FILE);
  const { data: rules } = readYaml(targetDir, RULES_FILE);
  const alertmanager = alertmanagerPath();
  if (!prometheus) return skipped(`the live check needs Prometheus: ${INSTALL_HINT}`);
  if (!alertmanager) return skipped(`the live check needs Alertmanager: ${AM_INSTALL_HINT}`);
  expectThat(isMap(config) && isMap(config.route), `${CONFIG_FILE} needs a route:`, 'route: { receiver: ... }', 'no route');
  const pageRules = alertRules(rules).filter((r) => r.labels.severity === 'page');
  expectThat(pageRules.length > 0, `the live check runs your F.2 alerts, and ${RULES_FILE} has no alert labelled severity: page yet (finish F.2 first)`, 'an alert with labels: { severity: page, service: ... }', summarizeRules(alertRules(rules)) || 'no alerting rule at all');
  const webhook = await startWebhook();
  const service = await burningService(random);
  const dir = makeWorkDir('f4-live');
  const stops: Array<() => void> = [() => webhook.close(), () => service.close(), () => removeDir(dir)];
  try {
    const { text: amText, webhooks } = liveConfig(config, webhook.port);
    expectThat((webhooks.get(PAGE_RECEIVER) ?? []).length > 0, `the receiver ${PAGE_RECEIVER} needs a webhook_configs entry: the grader watches pages arrive there`, `receivers: [{ name: ${PAGE_RECEIVER}, webhook_configs: [{ url: ... }] }]`, webhooks.has(PAGE_RECEIVER) ? 'no webhook_configs' : `no receiver named ${PAGE_RECEIVER}`);
    let am;
    try {
      am = await startAlertmanager(alertmanager, amText);
    } catch (error) {
      if (error instanceof AlertmanagerStartError) throw new Mismatch('Alertmanager would not start with your config (run amtool check-config on it)', 'Alertmanager running', error.message);
      throw error;
    }
    stops.unshift(am.stop);
    const rulesFile = path.join(dir, 'slo-alerts.yml');
    writeFileSync(rulesFile, liveRules(rules));
    const promConfig = stringify({
      global: { scrape_interval: '1s', scrape_timeout: '1s', evaluation_interval: '1s' },
      rule_files: [rulesFile],
      alerting: { alertmanagers: [{ static_configs: [{ targets: [`127.0.0.1:${am.port}`] }] }] },
      scrape_configs: [{ job_name: JOB, static_configs: [{ targets: [`127.0.0.1:${service.port}`] }] }],
    });
    let server;
    try {
      server = await launchPrometheus(prometheus, promConfig);
    } catch (error) {
      if (error instanceof PrometheusStartError) throw new Mismatch(`Prometheus would not start with the rules of ${RULES_FILE}`, 'Prometheus running', error.message);
      throw error;
    }
    stops.unshift(server.stop);
    const started = performance.now();
    let firstPage: number | undefined;
    while (performance.now() - started < PAGE_DEADLINE_MS) {
      const i = webhook.received.findIndex((n) => firingPages(n).length > 0);
      if (i >= 0) {
        firstPage = performance.now();
        break;
      }
      await sleep(100);
    }
    if (firstPage !== undefined) await sleep(AFTER_FIRST_MS);
    const received = [...webhook.received];
    const pages = received.filter((n) => firingPages(n).length > 0);
    const seen = received.length ? received.map(describe).join('\n') : 'no notification at all';
    if (pages.length === 0) {
      const fired = await server.query('ALERTS{alertstate="firing"}').catch(() => []);
      const held = await am.alerts().catch(() => []);
      const why = !fired.some((s) => s.metric.severity === 'page')
        ? `Prometheus fired no page with your F.2 rules (firing: ${fired.map((s) => showLabels(s.metric)).join('; ') || 'nothing'})`
        : held.length === 0
          ? 'Prometheus fired the page, but Alertmanager holds no alert'
          : `Alertmanager holds ${held.map((a) => `${showLabels(a.labels)} (${a.status?.state ?? '?'})`).join('; ')} but sent no page to a webhook`;
      throw new Mismatch(`a fast burn (half of all requests failing) should reach ${PAGE_RECEIVER} within ${PAGE_DEADLINE_MS / 1000} s: ${why}`, `a notification at ${PAGE_RECEIVER} with the firing page`, seen);
    }
    const misplaced = pages.filter((n) => !n.path.startsWith(`/${PAGE_RECEIVER}/`));
    expectThat(misplaced.length === 0, `a page reached another receiver than ${PAGE_RECEIVER}`, `pages only at ${PAGE_RECEIVER}`, misplaced.map(describe).join('\n'));
    for (const n of pages) {
      const keys = Object.keys(n.body.groupLabels ?? {});
      expectThat(keys.includes('alertname') && keys.includes('service'), 'the page should come grouped by alert name and service', 'groupLabels with alertname and service', describe(n));
    }
    // Once: the same set of firing alerts must not reach the same webhook twice.
    const sent = new Map<string, number>();
    for (const n of pages) {
      const k = `${n.path} ${(n.body.alerts ?? []).map((a) => `${a.status} ${a.fingerprint ?? showLabels(a.labels ?? {})}`).sort().join(',')}`;
      sent.set(k, (sent.get(k) ?? 0) + 1);
    }
    const twice = [...sent.entries()].filter(([, n]) => n > 1);
    expectThat(twice.length === 0, `the page should reach ${PAGE_RECEIVER} once, not again a few seconds later (is repeat_interval tiny, or do two routes both send it?)`, 'one notification per group', seen);
    const delay = ((firstPage! - started) / 1000).toFixed(1);
    return pass(`the page reached ${PAGE_RECEIVER} ${delay} s after Prometheus loaded the rules, grouped by ${Object.keys(pages[0]!.body.groupLabels ?? {}).join(', ')}, once (${pages.length} notification${pages.length > 1 ? 's' : ''})`, 'in the grader\'s copy: for: removed from the alerts, group_wait 1s and group_interval 3s');
  } finally {
    for (const stop of stops) stop();
  }
}

export default {
  exercise: 'F.4',
  tools: checkSet(['F.4.routes', 'F.4.grouping', 'F.4.inhibition', 'F.4.live-page'] as const, async ({ targetDir, prometheus, launchPrometheus, random }: ToolContext) => ({
    'F.4.routes': () => routes(targetDir, random.fork('routes')),
    'F.4.grouping': () => grouping(targetDir),
    'F.4.inhibition': () => inhibition(targetDir, random.fork('inhibition')),
    'F.4.live-page': () => livePage(targetDir, prometheus, launchPrometheus, random.fork('live')),
  })),
} satisfies ExerciseChecks;
