// Alertmanager for the grader: `amtool` checks of a config, a real Alertmanager started on a free
// loopback port with its storage in a scratch folder and clustering off (always killed with its
// process group), a webhook receiver of the grader's own, and the matching of routes and inhibit rules.
import { accessSync, constants, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { makeWorkDir, removeDir } from '../paths.js';
import { runCommand } from './commands.js';
import { startDaemon } from './daemon.js';
import { INSTALL_HINT } from './prometheus-tools.js';

/** Says how to get Alertmanager, after how to get Prometheus (the live check needs both). */
export const AM_INSTALL_HINT = `${INSTALL_HINT}; and for Alertmanager: sudo apt-get install prometheus-alertmanager (it brings amtool), or set AMTOOL_BIN and ALERTMANAGER_BIN`;

function findOnPath(names: string[], override: string | undefined): string | undefined {
  const dirs = (process.env.PATH ?? '').split(path.delimiter);
  const candidates = override ? [override] : names.flatMap((n) => dirs.map((d) => path.join(d, n)));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export const amtoolPath = () => findOnPath(['amtool'], process.env.AMTOOL_BIN);
/** Debian names the binary prometheus-alertmanager; upstream's release calls it alertmanager. */
export const alertmanagerPath = () => findOnPath(['prometheus-alertmanager', 'alertmanager'], process.env.ALERTMANAGER_BIN);

export interface AmtoolOutcome {
  ok: boolean;
  output: string;
  timedOut: boolean;
}

async function amtool(bin: string, configText: string, args: (file: string) => string[]): Promise<AmtoolOutcome> {
  const dir = makeWorkDir('amtool');
  try {
    const file = path.join(dir, 'alertmanager.yml');
    writeFileSync(file, configText);
    const result = await runCommand(bin, args(file), { cwd: dir, timeoutMs: 15_000 });
    const output = `${result.stdout}\n${result.stderr}`
      .split(`${dir}${path.sep}`)
      .join('')
      .split('\n')
      .filter((l) => l.trim() && !l.startsWith('Warning: --config.file flag overrides'))
      .join('\n');
    return { ok: result.exitCode === 0 && !result.timedOut, output, timedOut: result.timedOut };
  } finally {
    removeDir(dir);
  }
}

export const checkAmConfig = (bin: string, configText: string) => amtool(bin, configText, (file) => ['check-config', file]);

/** The receivers `amtool config routes test` gives for a label set, in routing order. */
export async function routeReceivers(bin: string, configText: string, labels: Record<string, string>): Promise<{ receivers: string[]; outcome: AmtoolOutcome }> {
  const outcome = await amtool(bin, configText, (file) => ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)]);
  const line = outcome.output.split('\n').find((l) => l.trim()) ?? '';
  return { receivers: outcome.ok ? line.split(',').map((r) => r.trim()).filter(Boolean) : [], outcome };
}

// ---------------------------------------------------------------------------------------------
// Matchers, routes and inhibit rules, read the way Alertmanager reads them

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Matcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** `severity="page"`, `severity = page`, `service=~"a|b"`; undefined when it is none of these. */
export function parseMatcher(text: string): Matcher | undefined {
  const m = /^\s*\{?\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*(.*?)\s*\}?\s*$/.exec(text);
  if (!m) return undefined;
  let value = m[3]!;
  if (/^".*"$/.test(value)) {
    try {
      value = JSON.parse(value) as string;
    } catch {
      value = value.slice(1, -1);
    }
  }
  return { name: m[1]!, op: m[2] as Matcher['op'], value };
}

export function matches(matcher: Matcher, labels: Record<string, string>): boolean {
  const v = labels[matcher.name] ?? '';
  switch (matcher.op) {
    case '=':
      return v === matcher.value;
    case '!=':
      return v !== matcher.value;
    case '=~':
      return new RegExp(`^(?:${matcher.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${matcher.value})$`).test(v);
  }
}

/** The matchers of a route or one side of an inhibit rule: `<prefix>matchers`, `<prefix>match`, `<prefix>match_re`. */
export function matchersOf(node: Yaml, prefix = ''): Matcher[] {
  const out: Matcher[] = [];
  const list = node[`${prefix}matchers`];
  if (Array.isArray(list)) for (const item of list) {
    const m = typeof item === 'string' ? parseMatcher(item) : undefined;
    if (m) out.push(m);
  }
  const eq = node[`${prefix}match`];
  if (isMap(eq)) for (const [name, value] of Object.entries(eq)) out.push({ name, op: '=', value: String(value) });
  const re = node[`${prefix}match_re`];
  if (isMap(re)) for (const [name, value] of Object.entries(re)) out.push({ name, op: '=~', value: String(value) });
  return out;
}

export interface RouteSettings {
  receiver: string;
  group_by: string[];
  group_wait: string;
  group_interval: string;
  repeat_interval: string;
}

const DEFAULTS = { group_by: [] as string[], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' };

/** Every route an alert with these labels takes (several with `continue: true`), with inherited settings. */
export function routesFor(config: unknown, labels: Record<string, string>): RouteSettings[] {
  if (!isMap(config) || !isMap(config.route)) return [];
  const settle = (node: Yaml, parent: RouteSettings): RouteSettings => ({
    receiver: typeof node.receiver === 'string' ? node.receiver : parent.receiver,
    group_by: Array.isArray(node.group_by) ? node.group_by.map(String) : parent.group_by,
    group_wait: typeof node.group_wait === 'string' ? node.group_wait : parent.group_wait,
    group_interval: typeof node.group_interval === 'string' ? node.group_interval : parent.group_interval,
    repeat_interval: typeof node.repeat_interval === 'string' ? node.repeat_interval : parent.repeat_interval,
  });
  const walk = (node: Yaml, settings: RouteSettings): RouteSettings[] => {
    const found: RouteSettings[] = [];
    for (const child of Array.isArray(node.routes) ? node.routes.filter(isMap) : []) {
      if (!matchersOf(child).every((m) => matches(m, labels))) continue;
      found.push(...walk(child, settle(child, settings)));
      if (child.continue !== true) break;
    }
    return found.length ? found : [settings];
  };
  const root = config.route;
  return walk(root, settle(root, { receiver: '', ...DEFAULTS }));
}

/** Whether a firing `source` alert mutes `target` under the config's inhibit rules. */
export function inhibits(config: unknown, source: Record<string, string>, target: Record<string, string>): boolean {
  if (!isMap(config) || !Array.isArray(config.inhibit_rules)) return false;
  return config.inhibit_rules.filter(isMap).some((rule) => {
    const equal = Array.isArray(rule.equal) ? rule.equal.map(String) : [];
    return (
      matchersOf(rule, 'source_').every((m) => matches(m, source)) &&
      matchersOf(rule, 'target_').every((m) => matches(m, target)) &&
      equal.every((name) => (source[name] ?? '') === (target[name] ?? '')) &&
      // An alert that matches both sides never mutes itself (Alertmanager skips equal fingerprints).
      JSON.stringify(source) !== JSON.stringify(target)
    );
  });
}

// ---------------------------------------------------------------------------------------------
// A running Alertmanager, and a webhook receiver

export class AlertmanagerStartError extends Error {}

export interface AlertmanagerServer {
  baseUrl: string;
  port: number;
  /** The alerts Alertmanager holds (for a message when nothing was delivered). */
  alerts(): Promise<Array<{ labels: Record<string, string>; status?: { state?: string; inhibitedBy?: string[] } }>>;
  output(): string;
  stop(): void;
}

export async function startAlertmanager(bin: string, configText: string, readyTimeoutMs = 5000): Promise<AlertmanagerServer> {
  const daemon = await startDaemon({
    name: 'Alertmanager',
    bin,
    configFile: 'alertmanager.yml',
    configText,
    args: (dir, port) => [`--config.file=${path.join(dir, 'alertmanager.yml')}`, `--storage.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', '--log.level=warn'],
    readyTimeoutMs,
    startError: (message) => new AlertmanagerStartError(message),
  });
  const { baseUrl, port } = daemon;
  return {
    baseUrl,
    port,
    async alerts() {
      const response = await fetch(`${baseUrl}/api/v2/alerts`, { signal: AbortSignal.timeout(2000) });
      return (await response.json()) as Awaited<ReturnType<AlertmanagerServer['alerts']>>;
    },
    output: daemon.output,
    stop: daemon.stop,
  };
}

export interface Notification {
  /** The path it was posted to, e.g. /on-call/0. */
  path: string;
  /** Milliseconds after the receiver started. */
  at: number;
  body: {
    receiver?: string;
    status?: string;
    groupKey?: string;
    groupLabels?: Record<string, string>;
    alerts?: Array<{ status?: string; labels?: Record<string, string>; fingerprint?: string }>;
  };
}

export interface WebhookReceiver {
  port: number;
  received: Notification[];
  close(): void;
}

/** A small HTTP server on a free loopback port that keeps every notification posted to it. */
export async function startWebhook(): Promise<WebhookReceiver> {
  const received: Notification[] = [];
  const started = performance.now();
  const server: Server = createServer((request, response) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => {
      if (body.length < 1_000_000) body += chunk;
    });
    request.on('end', () => {
      try {
        received.push({ path: request.url ?? '/', at: performance.now() - started, body: JSON.parse(body) as Notification['body'] });
      } catch {
        received.push({ path: request.url ?? '/', at: performance.now() - started, body: {} });
      }
      response.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    port,
    received,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}
