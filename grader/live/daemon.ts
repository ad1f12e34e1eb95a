// A Prometheus-family server (Prometheus, Alertmanager) started by the grader: its config written to a
// scratch folder, listening on a free loopback port, its output kept for messages, ready once its
// /-/ready answers, and killed with its process group (its folder removed) on stop or on failure.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { makeWorkDir, removeDir } from '../paths.js';
import { createServer } from 'node:net';
import { killGroup, spawnGroup } from '../processes.js';
import { sleep } from './sleep.js';

export interface Daemon {
  baseUrl: string;
  port: number;
  /** Its scratch folder (its config file is there). */
  dir: string;
  /** It has ended (killed, or it exited by itself). */
  gone(): boolean;
  /** The last lines it wrote (for a message when it would not start). */
  output(): string;
  /** Kills it and its process group, and removes its folder. Safe to call twice. */
  stop(): void;
}

export interface DaemonOptions {
  /** How people know it, e.g. "Prometheus". */
  name: string;
  bin: string;
  /** The config file's name in the scratch folder, and its text. */
  configFile: string;
  configText: string;
  /** Its command line, given the scratch folder and the port. */
  args(dir: string, port: number): string[];
  readyTimeoutMs: number;
  /** The error to throw when it does not start (a class of the caller's, so checks can tell it apart). */
  startError(message: string): Error;
}

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

export function lastLines(text: string, n = 6): string {
  const lines = text.split('\n').filter((l) => l.trim());
  return lines.length ? lines.slice(-n).join('\n') : '(it printed nothing)';
}

export async function startDaemon(o: DaemonOptions): Promise<Daemon> {
  const dir = makeWorkDir(o.name.toLowerCase());
  const port = await freePort();
  writeFileSync(path.join(dir, o.configFile), o.configText);
  const child = spawnGroup(o.bin, o.args(dir, port), { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const daemon: Daemon = { baseUrl: `http://127.0.0.1:${port}`, port, dir, gone: () => stopped || exited !== undefined, output: () => said, stop };
  const deadline = Date.now() + o.readyTimeoutMs;
  try {
    for (;;) {
      if (exited !== undefined) throw o.startError(`${o.name} exited (${exited}) before it was ready:\n${lastLines(said)}`);
      try {
        const response = await fetch(`${daemon.baseUrl}/-/ready`, { signal: AbortSignal.timeout(1000) });
        if (response.ok) return daemon;
      } catch {
        // not listening yet
      }
      if (Date.now() > deadline) throw o.startError(`${o.name} did not become ready within ${o.readyTimeoutMs / 1000} s:\n${lastLines(said)}`);
      await sleep(50);
    }
  } catch (error) {
    stop();
    throw error;
  }
}
