// Starts a learner's service as a real process on a free port, reads its logs, stops it.
// Light on imports: the grader may spawn services before the rest of it has loaded.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { cleanText } from '../report/clean.js';
import { PROJECT_ROOT } from '../paths.js';
import { nodeWithTsx, untrusted } from '../sandbox/runner.js';
import { killGroup, spawnGroup } from '../processes.js';

const LAUNCHER = path.join(PROJECT_ROOT, 'grader/live/launch.ts');
/** Kept in step with launch.ts (which runs in the service process and is not imported here). */
const MARK_PREFIX = '__workbook_log_mark__';
const MAX_LOG_LINES = 20_000;
const MAX_LOG_LINE = 64 * 1024;
export const READY_TIMEOUT_MS = 8000;

export interface Service {
  baseUrl: string;
  port: number;
  /** True for a service the grader did not build from the learner's TypeScript (--server-cmd, --server-url). */
  external?: { logs: boolean };
  /** The latest lines the service wrote to stdout (its logs). */
  logs(): string[];
  /** Resolves once every line the service wrote so far has been read (a flood can lag behind). */
  flushLogs(): Promise<void>;
  /** The registry's text, read over IPC (independent of the learner's /metrics route). */
  scrapeRegistry(): Promise<string>;
  /** Set once the service has exited on its own: how, and its last lines on stderr. */
  exited?(): string | undefined;
  stop(): void;
}

/** The service could not be started; `todo` means it stopped on one of the course's TODO markers. */
export class ServiceStartError extends Error {
  constructor(message: string, readonly todo: boolean) {
    super(message);
  }
}

interface LauncherMessage {
  type?: string;
  port?: number;
  id?: number;
  text?: string;
  error?: string;
  message?: string;
  stack?: string;
}

const tail = (lines: string[], n = 8) => lines.slice(-n).join('\n');

/** A spawned service process. Everything it says is recorded from the moment it is spawned. */
export class ServiceProcess {
  appModule: string;
  private readonly logLines: string[] = [];
  private readonly stderr: string[] = [];
  private readonly scrapes = new Map<number, (m: LauncherMessage) => void>();
  private nextScrape = 1;
  private readonly marks = new Map<number, () => void>();
  private readonly readyPort: Promise<number>;
  private readonly pid: number | undefined;
  private readonly sendMessage: (m: object) => void;
  private exitedHow: string | undefined;
  private stopping = false;

  /** Spawns the launcher for `appModule`; with none, a spare that waits for load(). */
  constructor(appModule?: string, appOptions?: Record<string, unknown>) {
    this.appModule = appModule ?? '';
    const command = untrusted(nodeWithTsx(LAUNCHER, ...(appModule ? [appModule] : [])), {
      cwd: PROJECT_ROOT,
      env: {
        ...process.env,
        NODE_ENV: 'production',
        FORCE_COLOR: '0',
        ...(appOptions && { WORKBOOK_APP_OPTIONS: JSON.stringify(appOptions) }),
      },
    });
    const child = spawnGroup(command.file, command.args, {
      cwd: PROJECT_ROOT,
      env: command.env,
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'json',
    });
    this.pid = child.pid;
    this.sendMessage = (m) => {
      if (child.connected) child.send(m);
    };
    if (child.stdout) {
      createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
        if (line.startsWith(MARK_PREFIX)) {
          this.marks.get(Number(line.slice(MARK_PREFIX.length)))?.();
          return;
        }
        // Keep the latest lines: a service that floods its output must not push out the lines we check.
        this.logLines.push(line.length > MAX_LOG_LINE ? line.slice(0, MAX_LOG_LINE) : line);
        if (this.logLines.length > MAX_LOG_LINES) this.logLines.splice(0, this.logLines.length - MAX_LOG_LINES / 2);
      });
    }
    if (child.stderr) {
      createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
        this.stderr.push(line.slice(0, 2000));
        if (this.stderr.length > 200) this.stderr.shift();
      });
    }
    this.readyPort = new Promise<number>((resolve, reject) => {
      child.on('message', (raw: unknown) => {
        const message = raw as LauncherMessage;
        if (message.type === 'ready' && typeof message.port === 'number') resolve(message.port);
        else if (message.type === 'scrape' && typeof message.id === 'number') {
          this.scrapes.get(message.id)?.(message);
          this.scrapes.delete(message.id);
        } else if (message.type === 'startup-error') {
          const text = message.message ?? 'unknown error';
          reject(new ServiceStartError(`the service failed while starting: ${cleanText(firstFrame(message.stack ?? text, text))}`, /TODO\(/.test(text)));
        }
      });
      child.on('exit', (code: number | null, signal: NodeJS.Signals | null) => {
        if (!this.stopping) this.exitedHow = signal ? `signal ${signal}` : `code ${code}`;
        // Give stderr a moment to drain so the message can quote it.
        setTimeout(() => {
          const why = code === 13 ? ': a top-level await never finished' : '';
          reject(new ServiceStartError(
            `the service exited (${signal ?? `code ${code}`}${why}) before it was ready` +
              (this.stderr.length ? `\nstderr:\n${cleanText(tail(this.stderr))}` : ' and printed nothing on stderr'),
            this.stderr.some((l) => l.includes('TODO(')),
          ));
        }, 20);
      });
    });
    this.readyPort.catch(() => {}); // observed by start(); never an unhandled rejection
  }

  /** Gives a spare (started without an app module) the app to load and start. */
  load(appModule: string, appOptions?: Record<string, unknown>): this {
    this.appModule = appModule;
    this.sendMessage({ type: 'load', appModule, ...(appOptions && { options: JSON.stringify(appOptions) }) });
    return this;
  }

  stop(): void {
    this.stopping = true;
    killGroup(this.pid);
  }

  /** How the service ended on its own, with its last stderr lines; undefined while it runs. */
  exited(): string | undefined {
    if (this.exitedHow === undefined) return undefined;
    return `the service exited (${this.exitedHow}) while the grader was sending its requests` +
      (this.stderr.length ? `; its last lines on stderr:\n${cleanText(tail(this.stderr))}` : ', and printed nothing on stderr');
  }

  /** Waits until the service listens (or fails to), with a deadline. */
  async start(readyTimeoutMs = READY_TIMEOUT_MS): Promise<Service> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new ServiceStartError(
          `the service did not start listening within ${readyTimeoutMs / 1000} s (does buildApp() finish? is there an endless loop at start-up?)` +
            (this.stderr.length ? `\nstderr:\n${cleanText(tail(this.stderr))}` : ''),
          false,
        ));
      }, readyTimeoutMs);
    });
    let port: number;
    try {
      port = await Promise.race([this.readyPort, deadline]);
    } catch (error) {
      this.stop();
      throw error;
    } finally {
      clearTimeout(timer);
    }
    return {
      baseUrl: `http://127.0.0.1:${port}`,
      port,
      logs: () => this.logLines,
      flushLogs: () => this.flushLogs(),
      scrapeRegistry: () => this.scrape(),
      exited: () => this.exited(),
      stop: () => this.stop(),
    };
  }

  private flushLogs(timeoutMs = 5000): Promise<void> {
    const id = this.nextScrape++;
    return new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        this.marks.delete(id);
        resolve(); // judge what has arrived; a service that floods that much will show it
      }, timeoutMs);
      this.marks.set(id, () => {
        clearTimeout(timer);
        this.marks.delete(id);
        resolve();
      });
      this.sendMessage({ type: 'mark', id });
    });
  }

  private scrape(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const id = this.nextScrape++;
      const timer = setTimeout(() => {
        this.scrapes.delete(id);
        reject(new Error('the service did not hand over its registry within 3 s'));
      }, 3000);
      this.scrapes.set(id, (r) => {
        clearTimeout(timer);
        if (r.text !== undefined) resolve(r.text);
        else reject(new Error(`reading the registry failed: ${r.error ?? 'unknown error'}`));
      });
      this.sendMessage({ type: 'scrape', id });
    });
  }
}

export function startService(options: { appModule: string; readyTimeoutMs?: number }): Promise<Service> {
  return new ServiceProcess(options.appModule).start(options.readyTimeoutMs);
}

/** The message plus the first stack frame that points into the learner's files. */
function firstFrame(stack: string, message: string): string {
  const frame = stack.split('\n').find((l) => /\/(exercises|solutions)\//.test(l) || /\.grader-work\//.test(l));
  const where = frame?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/)?.[1];
  return where ? `${message} (at ${where})` : message;
}
