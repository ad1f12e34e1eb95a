// A vitest pool whose workers run through the one runner for learner code (runner.ts): in a class
// sandbox each test worker runs under bubblewrap as the submission's own user, while vitest itself
// (which reads and transforms the suites) stays outside. The worker gets every module's code over
// its IPC channel, so the suites, the oracles and the reference are never files it could read.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import type { PoolRunnerInitializer } from 'vitest/node';
import { adoptGroup, killGroup } from '../processes.js';
import { untrusted } from './runner.js';

type PoolOptions = Parameters<PoolRunnerInitializer['createPoolWorker']>[0];
type PoolWorker = ReturnType<PoolRunnerInitializer['createPoolWorker']>;

class UntrustedForksWorker implements PoolWorker {
  readonly name = 'workbook-untrusted';
  // Transformed code travels over IPC, not through cache files the worker would have to read.
  readonly cacheFs = false;
  private child: ChildProcess | undefined;
  private readonly entrypoint: string;
  private readonly execArgv: string[];
  private readonly env: Partial<NodeJS.ProcessEnv>;
  private readonly cwd: string;
  private readonly out: NodeJS.WritableStream;
  private readonly err: NodeJS.WritableStream;

  constructor(options: PoolOptions) {
    this.entrypoint = path.resolve(options.distPath, 'workers/forks.js');
    this.execArgv = options.execArgv;
    this.env = options.env;
    this.cwd = options.project.config.root;
    this.out = options.project.vitest.logger.outputStream;
    this.err = options.project.vitest.logger.errorStream;
  }

  private get fork(): ChildProcess {
    if (!this.child) throw new Error('the test worker is not running');
    return this.child;
  }

  on(event: string, callback: (arg: unknown) => void): void {
    this.fork.on(event, callback);
  }

  off(event: string, callback: (arg: unknown) => void): void {
    this.fork.off(event, callback);
  }

  send(message: unknown): void {
    this.fork.send(message as object);
  }

  async start(): Promise<void> {
    if (this.child) return;
    const command = untrusted([process.execPath, ...this.execArgv, this.entrypoint], { cwd: this.cwd, env: { ...process.env, ...this.env } as NodeJS.ProcessEnv });
    const child = spawn(command.file, command.args, { cwd: this.cwd, env: command.env, stdio: ['ignore', 'pipe', 'pipe', 'ipc'], serialization: 'advanced', detached: true });
    adoptGroup(child.pid, (listener) => child.once('exit', listener));
    child.stdout?.pipe(this.out, { end: false });
    child.stderr?.pipe(this.err, { end: false });
    this.child = child;
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const exited = new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));
    const force = setTimeout(() => killGroup(child.pid), 1_000);
    child.kill();
    await exited;
    clearTimeout(force);
    killGroup(child.pid);
    this.child = undefined;
  }

  deserialize(data: unknown): unknown {
    return data;
  }
}

export const untrustedPool: PoolRunnerInitializer = {
  name: 'workbook-untrusted',
  createPoolWorker: (options) => new UntrustedForksWorker(options),
};
