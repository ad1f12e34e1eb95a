// A server run as learner code on a free port given in PORT: marked, in its own process group, its output read line by line, stopped with all it started.
import { randomBytes } from 'node:crypto';
import type { ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { killMarked } from '../sandbox/marker.js';
import { untrusted } from '../sandbox/runner.js';
import { freePort } from './daemon.js';
import { killGroup, spawnGroup } from '../processes.js';
import { sleep } from './sleep.js';

export interface SpawnedServer {
  port: number;
  baseUrl: string;
  child: ChildProcess;
  /** Lines on stdout (up to `keepOut`) and the last lines on stderr (up to `keepErr`). */
  out: string[];
  err: string[];
  /** How it ended (signal or `code N`), once it has. */
  exited(): string | undefined;
  /** It ended with a signal or a code other than 0. */
  failed(): boolean;
  /** Kills its group and every process carrying its marker (daemons included). Safe to call twice. */
  stop(): void;
}

export interface SpawnOptions {
  cwd: string;
  /** Its environment; PORT and the marker are added. */
  env: NodeJS.ProcessEnv;
  keepOut: number;
  outLineMax: number;
  keepErr: number;
  errLineMax: number;
}

export async function spawnServer(argv: string[], o: SpawnOptions): Promise<SpawnedServer> {
  const port = await freePort();
  // Its own marker: stopping the server stops whatever it started.
  const mark = randomBytes(8).toString('hex');
  const command = untrusted(argv, { cwd: o.cwd, env: { ...o.env, PORT: String(port), WORKBOOK_SERVICE_MARK: mark } });
  const child = spawnGroup(command.file, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const out: string[] = [];
  const err: string[] = [];
  if (child.stdout) createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (l) => out.length < o.keepOut && out.push(l.slice(0, o.outLineMax)));
  if (child.stderr) createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (l) => err.push(l.slice(0, o.errLineMax)) > o.keepErr && err.shift());
  let exited: string | undefined;
  let failed = false;
  child.on('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
    failed = signal !== null || code !== 0;
  });
  return {
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    out,
    err,
    exited: () => exited,
    failed: () => failed,
    stop: () => {
      killGroup(child.pid);
      killMarked(`WORKBOOK_SERVICE_MARK=${mark}`);
    },
  };
}

/** GET /health answered (any status) within half a second. */
export async function answersHealth(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

/** Polls GET /health until it answers (true), or the deadline passes or `giveUp` says so (false). */
export async function waitForHealth(baseUrl: string, deadline: number, giveUp: () => boolean): Promise<boolean> {
  for (;;) {
    if (await answersHealth(baseUrl)) return true;
    if (giveUp() || Date.now() > deadline) return false;
    await sleep(100);
  }
}
