// The menu's and watch's warm vitest: one child process per target folder, vitest loaded once, each
// grade's suites run in it on the files as they are then; killed with its group on time-out and close.
import type { ChildProcess } from 'node:child_process';
import path from 'node:path';
import { markedEnv } from '../sandbox/runner.js';
import { filesUnder, makeWorkDir, PROJECT_ROOT, removeDir } from '../paths.js';
import { killGroup, spawnGroup } from '../processes.js';
import { crashed, readRun, RUN_REPORTER, stillRunning, type VitestRun } from './vitest-json.js';

const SERVER = path.join(PROJECT_ROOT, 'grader/live/vitest-server.mjs');

interface Reply {
  id?: number;
  ready?: boolean;
  error?: string;
}

export class WarmVitest {
  private child: ChildProcess | undefined;
  private ready: Promise<boolean> | undefined;
  private output = '';
  private work: string | undefined;
  private next = 1;
  private queue: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly config: string,
    private readonly target: string,
  ) {}

  /** Runs these suite files; one run at a time, each on the target's files as they are when it starts. */
  run(files: string[], seed: number, timeoutMs: number): Promise<VitestRun> {
    const run = this.queue.then(() => this.runNow(files, seed, timeoutMs));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Ends the server and everything it started. */
  close(): void {
    this.closed = true;
    this.stop();
  }

  private start(): void {
    this.work = makeWorkDir('vitest-warm');
    const child = spawnGroup(
      process.execPath,
      // The same young generation as a one-off run (see runVitest): memory bounds mean the same.
      ['--max-semi-space-size=16', SERVER, this.config, this.work, RUN_REPORTER],
      {
        cwd: PROJECT_ROOT,
        // Marked: learner code runs in its workers, and whatever it starts is stopped with the grader.
        env: markedEnv({ ...process.env, WORKBOOK_TARGET: this.target, FORCE_COLOR: '0', CI: '1' }),
        stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      },
    );
    const keep = (chunk: Buffer) => {
      this.output = (this.output + chunk.toString('utf8')).slice(-20_000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    this.child = child;
    this.ready = new Promise((resolve) => {
      const onMessage = (m: Reply) => {
        if (m.ready) {
          child.off('message', onMessage);
          resolve(true);
        }
      };
      child.on('message', onMessage);
      child.once('exit', () => resolve(false));
    });
    child.once('exit', () => {
      if (this.child === child) this.stop();
    });
  }

  private stop(): void {
    const child = this.child;
    this.child = undefined;
    this.ready = undefined;
    if (child) {
      child.removeAllListeners('message');
      killGroup(child.pid);
    }
    if (this.work) removeDir(this.work);
    this.work = undefined;
  }

  private async runNow(files: string[], seed: number, timeoutMs: number): Promise<VitestRun> {
    if (this.closed) return { kind: 'crash', detail: 'the grading engine was closed' };
    const deadline = Date.now() + timeoutMs;
    if (!this.child) this.start();
    const child = this.child!;
    const work = this.work!;
    const timedOut = (): VitestRun => {
      const running = stillRunning(work, Date.now());
      this.stop(); // a run that does not end leaves nothing behind: the next one starts afresh
      return { kind: 'timeout', timeoutMs, running };
    };
    const within = <T>(promise: Promise<T>): Promise<T | 'late'> => {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, deadline - Date.now()))));
      return Promise.race([promise, late]).finally(() => clearTimeout(timer));
    };
    const ready = await within(this.ready ?? Promise.resolve(false));
    if (ready === 'late') return timedOut();
    if (!ready) {
      const detail = this.output;
      this.stop();
      return { kind: 'crash', detail: `vitest could not start:\n${detail.slice(-2000)}`.trimEnd() };
    }
    const id = this.next++;
    this.output = '';
    const reply = new Promise<Reply | undefined>((resolve) => {
      const onMessage = (m: Reply) => {
        if (m.id !== id) return;
        child.off('message', onMessage);
        resolve(m);
      };
      child.on('message', onMessage);
      child.once('exit', () => resolve(undefined));
    });
    // The learner's files may have changed since the last run: none of their transforms is reused.
    child.send({ id, files, seed, invalidate: filesUnder(this.target) });
    const answer = await within(reply);
    if (answer === 'late') return timedOut();
    if (answer === undefined) {
      const detail = this.output;
      this.stop();
      return crashed(null, detail);
    }
    if (answer.error) return { kind: 'crash', detail: `vitest could not run the suites: ${answer.error}` };
    return readRun(path.join(work, 'report.json'), work, 0, this.output);
  }
}
