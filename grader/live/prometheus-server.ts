// A real Prometheus server, started by the grader on a free loopback port with its storage in a
// scratch folder, queried over its HTTP API, and always killed (with its process group) afterwards.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startDaemon } from './daemon.js';
import { sleep } from './sleep.js';

export const READY_TIMEOUT_MS = 5000;

export { freePort } from './daemon.js';

export interface PromSample {
  metric: Record<string, string>;
  value: number;
}

export interface TargetState {
  job: string;
  health: string;
  lastError: string;
  scrapeUrl: string;
}

export class PrometheusStartError extends Error {}

export interface PrometheusServer {
  baseUrl: string;
  /** An instant query; the samples of the vector it returns. */
  query(expr: string): Promise<PromSample[]>;
  /** The active targets as Prometheus sees them (health, last scrape error). */
  targets(): Promise<TargetState[]>;
  /** The last lines Prometheus wrote (for a message when it would not start). */
  output(): string;
  /** Loads another config in place (started with `lifecycle` only): its targets are scraped from
   * Prometheus' next reload tick on. A config it refuses is a PrometheusStartError with its reason. */
  reload(configText: string): Promise<void>;
  /** Deletes every series it holds (started with `lifecycle` only): nothing of an earlier config's
   * targets or rules answers a query afterwards. */
  forget(): Promise<void>;
  /** It has ended (stopped, or it exited by itself). */
  gone(): boolean;
  /** Kills Prometheus and its process group, and removes its storage. Safe to call twice. */
  stop(): void;
}


async function getJson(url: string, timeoutMs = 2000): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return response.json() as Promise<unknown>;
}

/** Starts `prometheus` with the given config text and waits until its API answers; with `lifecycle`,
 * its config can be reloaded (see PrometheusPool). */
export async function startPrometheus(prometheus: string, configText: string, { lifecycle = false } = {}): Promise<PrometheusServer> {
  const daemon = await startDaemon({
    name: 'Prometheus',
    bin: prometheus,
    configFile: 'prometheus.yml',
    configText,
    args: (dir, port) => [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn', ...(lifecycle ? ['--web.enable-lifecycle', '--web.enable-admin-api'] : [])],
    readyTimeoutMs: READY_TIMEOUT_MS,
    startError: (message) => new PrometheusStartError(message),
  });
  const { baseUrl } = daemon;
  return {
    baseUrl,
    async query(expr) {
      const body = (await getJson(`${baseUrl}/api/v1/query?query=${encodeURIComponent(expr)}`)) as {
        status?: string;
        error?: string;
        data?: { resultType?: string; result?: Array<{ metric: Record<string, string>; value: [number, string] }> };
      };
      if (body.status !== 'success') throw new Error(`Prometheus refused the query ${expr}: ${body.error ?? 'unknown error'}`);
      return (body.data?.result ?? []).map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    async targets() {
      const body = (await getJson(`${baseUrl}/api/v1/targets?state=active`)) as {
        data?: { activeTargets?: Array<{ labels?: Record<string, string>; health?: string; lastError?: string; scrapeUrl?: string }> };
      };
      return (body.data?.activeTargets ?? []).map((t) => ({
        job: t.labels?.job ?? '',
        health: t.health ?? 'unknown',
        lastError: t.lastError ?? '',
        scrapeUrl: t.scrapeUrl ?? '',
      }));
    },
    output: daemon.output,
    async reload(configText) {
      if (!lifecycle) throw new Error('this Prometheus was started without --web.enable-lifecycle');
      writeFileSync(path.join(daemon.dir, 'prometheus.yml'), configText);
      const response = await fetch(`${baseUrl}/-/reload`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new PrometheusStartError(`Prometheus refused the config: ${(await response.text()).trim()}`);
    },
    async forget() {
      if (!lifecycle) throw new Error('this Prometheus was started without --web.enable-admin-api');
      const response = await fetch(`${baseUrl}/api/v1/admin/tsdb/delete_series?match[]=${encodeURIComponent('{__name__=~".+"}')}`, { method: 'POST', signal: AbortSignal.timeout(10_000) });
      if (!response.ok) throw new Error(`Prometheus would not delete its series: ${(await response.text()).trim()}`);
    },
    gone: daemon.gone,
    stop: daemon.stop,
  };
}

/** Polls until `check` gives a value, or the deadline passes (then undefined). */
export async function pollUntil<T>(check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 250): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const value = await check();
      if (value !== undefined) return value;
    } catch {
      // the API may hiccup while Prometheus starts; keep polling until the deadline
    }
    if (Date.now() > deadline) return undefined;
    await sleep(everyMs);
  }
}
