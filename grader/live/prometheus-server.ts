// A real Prometheus server, started by the grader on a free loopback port with its storage in a
// scratch folder, queried over its HTTP API, and always killed (with its process group) afterwards.
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { makeWorkDir, removeDir } from '../paths.js';
import { killGroup, spawnGroup } from './processes.js';
import { sleep } from './sleep.js';

export const READY_TIMEOUT_MS = 5000;

/** A free TCP port on 127.0.0.1: listen on port 0, note the port, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

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
  /** Kills Prometheus and its process group, and removes its storage. Safe to call twice. */
  stop(): void;
}


async function getJson(url: string, timeoutMs = 2000): Promise<unknown> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  return response.json() as Promise<unknown>;
}

/** Starts `prometheus` with the given config text and waits until its API answers. */
export async function startPrometheus(prometheus: string, configText: string): Promise<PrometheusServer> {
  const dir = makeWorkDir('prometheus');
  const port = await freePort();
  writeFileSync(path.join(dir, 'prometheus.yml'), configText);
  const child = spawnGroup(
    prometheus,
    [
      `--config.file=${path.join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let said = '';
  const collect = (chunk: Buffer) => {
    said = (said + chunk.toString('utf8')).slice(-8000);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | undefined;
  child.once('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
  });
  child.once('error', (error) => {
    exited = String(error);
  });
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    killGroup(child.pid);
    removeDir(dir);
  };
  const baseUrl = `http://127.0.0.1:${port}`;
  const server: PrometheusServer = {
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
    output: () => said,
    stop,
  };
  const deadline = Date.now() + READY_TIMEOUT_MS;
  try {
    for (;;) {
      if (exited !== undefined) throw new PrometheusStartError(`Prometheus exited (${exited}) before it was ready:\n${lastLines(said)}`);
      try {
        const response = await fetch(`${baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return server;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw new PrometheusStartError(`Prometheus did not become ready within ${READY_TIMEOUT_MS / 1000} s:\n${lastLines(said)}`);
      await sleep(50);
    }
  } catch (error) {
    stop();
    throw error;
  }
}

function lastLines(text: string, n = 6): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length ? lines.slice(-n).join('\n') : '(it printed nothing)';
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
