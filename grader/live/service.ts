// Starts a learner's service as a real process on a free port, reads its logs, stops it.
import path from 'node:path';
import { createInterface } from 'node:readline';
import { PROJECT_ROOT } from '../run/paths.js';
import { cleanText } from '../report/clean.js';
import { killGroup, spawnGroup, type Child } from './processes.js';

const LAUNCHER = path.join(PROJECT_ROOT, 'grader/live/launch.ts');
const MAX_LOG_LINES = 20_000;
const MAX_LOG_LINE = 64 * 1024;

export interface Service {
  baseUrl: string;
  port: number;
  /** Every line the service wrote to stdout so far (its logs). */
  logs(): string[];
  /** The registry's text, read over IPC (independent of the learner's /metrics route). */
  scrapeRegistry(): Promise<string>;
  stop(): void;
}

/** The service could not be started; `todo` means it stopped on one of the course's TODO markers. */
export class ServiceStartError extends Error {
  constructor(message: string, readonly todo: boolean) {
    super(message);
  }
}

export interface StartOptions {
  appModule: string;
  readyTimeoutMs?: number;
  env?: Record<string, string>;
}

function tail(lines: string[], n = 8): string {
  return lines.slice(-n).join('\n');
}

export async function startService(options: StartOptions): Promise<Service> {
  const readyTimeoutMs = options.readyTimeoutMs ?? 8000;
  const child: Child = spawnGroup(process.execPath, ['--import', 'tsx', LAUNCHER, options.appModule], {
    cwd: PROJECT_ROOT,
    env: { ...options.env, NODE_ENV: 'production', FORCE_COLOR: '0' },
    extendEnv: true,
    stdin: 'ignore',
    buffer: false,
    ipc: true,
    serialization: 'json',
  });
  const logs: string[] = [];
  const stderr: string[] = [];
  const pendingScrapes = new Map<number, (r: { text?: string; error?: string }) => void>();
  let nextScrape = 1;
  if (child.stdout) {
    createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
      // Keep the latest lines: a service that floods its output must not push out the lines we check.
      logs.push(line.length > MAX_LOG_LINE ? line.slice(0, MAX_LOG_LINE) : line);
      if (logs.length > MAX_LOG_LINES) logs.splice(0, logs.length - MAX_LOG_LINES / 2);
    });
  }
  if (child.stderr) {
    createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (line) => {
      stderr.push(line.slice(0, 2000));
      if (stderr.length > 200) stderr.shift();
    });
  }

  const stop = (): void => killGroup(child.pid);

  const ready = new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new ServiceStartError(
        `the service did not start listening within ${readyTimeoutMs / 1000} s (does buildApp() finish? is there an endless loop at start-up?)` +
          (stderr.length ? `\nstderr:\n${cleanText(tail(stderr))}` : ''),
        false,
      ));
    }, readyTimeoutMs);
    child.on('message', (raw: unknown) => {
      const message = raw as { type?: string; port?: number; id?: number; text?: string; error?: string; message?: string; stack?: string };
      if (message.type === 'ready' && typeof message.port === 'number') {
        clearTimeout(timer);
        resolve(message.port);
      } else if (message.type === 'scrape' && typeof message.id === 'number') {
        pendingScrapes.get(message.id)?.(message);
        pendingScrapes.delete(message.id);
      } else if (message.type === 'startup-error') {
        clearTimeout(timer);
        const text = message.message ?? 'unknown error';
        reject(new ServiceStartError(`the service failed while starting: ${cleanText(firstFrame(message.stack ?? text, text))}`, /TODO\(/.test(text)));
      }
    });
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      const why = code === 13 ? ': a top-level await never finished' : '';
      reject(new ServiceStartError(
        `the service exited (${signal ?? `code ${code}`}${why}) before it was ready` +
          (stderr.length ? `\nstderr:\n${cleanText(tail(stderr))}` : ' and printed nothing on stderr'),
        stderr.some((l) => l.includes('TODO(')),
      ));
    });
  });

  let port: number;
  try {
    port = await ready;
  } catch (error) {
    stop();
    throw error;
  }

  return {
    baseUrl: `http://127.0.0.1:${port}`,
    port,
    logs: () => logs,
    scrapeRegistry: () =>
      new Promise<string>((resolve, reject) => {
        const id = nextScrape++;
        const timer = setTimeout(() => {
          pendingScrapes.delete(id);
          reject(new Error('the service did not hand over its registry within 3 s'));
        }, 3000);
        pendingScrapes.set(id, (r) => {
          clearTimeout(timer);
          if (r.text !== undefined) resolve(r.text);
          else reject(new Error(`reading the registry failed: ${r.error ?? 'unknown error'}`));
        });
        child.send({ type: 'scrape', id });
      }),
    stop,
  };
}

/** The message plus the first stack frame that points into the learner's files. */
function firstFrame(stack: string, message: string): string {
  const frame = stack.split('\n').find((l) => /\/(exercises|solutions)\//.test(l) || /\.grader-work\//.test(l));
  const where = frame?.match(/\(?([^()\s]+:\d+:\d+)\)?\s*$/)?.[1];
  return where ? `${message} (at ${where})` : message;
}
