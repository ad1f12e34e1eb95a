// Any HTTP service, for grading Section E by command: `--server-cmd "<command>"` (started here with
// PORT set, in its own process group, its stdout read as logs) or `--server-url URL` (already running).
import { createInterface } from 'node:readline';
import { cleanText } from '../report/clean.js';
import { freePort } from './prometheus-server.js';
import { randomBytes } from 'node:crypto';
import { killMarked } from '../sandbox/marker.js';
import { untrusted } from '../sandbox/runner.js';
import { killGroup, spawnGroup } from './processes.js';
import { ServiceStartError, type Service } from './service.js';
import { sleep } from './sleep.js';

export interface ExternalTarget {
  cmd?: string;
  url?: string;
}


async function answers(baseUrl: string): Promise<boolean> {
  try {
    await fetch(`${baseUrl}/health`, { signal: AbortSignal.timeout(500) });
    return true;
  } catch {
    return false;
  }
}

export async function startExternal(target: ExternalTarget, readyTimeoutMs = 15_000): Promise<Service> {
  const unavailable = () => Promise.reject(new Error('the registry of a service the grader did not build cannot be read directly'));
  if (target.url) {
    const baseUrl = target.url.replace(/\/+$/, '');
    if (!(await answers(baseUrl))) throw new ServiceStartError(`nothing answers at ${baseUrl}`, false);
    const port = Number(new URL(baseUrl).port || 80);
    return { baseUrl, port, external: { logs: false }, logs: () => [], flushLogs: () => sleep(0), scrapeRegistry: unavailable, stop: () => {} };
  }
  const port = await freePort();
  // The command's own marker: stopping the service stops whatever it started, daemons included.
  const mark = `WORKBOOK_SERVICE_MARK=${randomBytes(8).toString('hex')}`;
  const command = untrusted(['sh', '-c', target.cmd ?? 'false'], { cwd: process.cwd(), env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', WORKBOOK_SERVICE_MARK: mark.split('=')[1] } });
  const child = spawnGroup(command.file, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const stop = () => {
    killGroup(child.pid);
    killMarked(mark);
  };
  const logs: string[] = [];
  const stderr: string[] = [];
  if (child.stdout) createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (l) => logs.length < 20_000 && logs.push(l.slice(0, 65536)));
  if (child.stderr) createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (l) => stderr.push(l.slice(0, 2000)) > 50 && stderr.shift());
  let exited: string | undefined;
  // A command that puts its server in the background (`... &`, a daemon) ends at once, with 0: the
  // server may still come up. Any other ending before it answers is a failure.
  let failed = false;
  child.on('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
    failed = signal !== null || code !== 0;
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + readyTimeoutMs;
  while (!(await answers(baseUrl))) {
    if (failed || Date.now() > deadline) {
      stop();
      const why = failed ? `exited (${exited}) before it answered` : `did not answer on port ${port} (its PORT) within ${readyTimeoutMs / 1000} s`;
      throw new ServiceStartError(`the service started by "${target.cmd}" ${why}${stderr.length ? `\nstderr:\n${cleanText(stderr.slice(-8).join('\n'))}` : ''}`, false);
    }
    await sleep(100);
  }
  return {
    baseUrl,
    port,
    external: { logs: true },
    logs: () => logs,
    // No channel into a foreign process: give its output a moment to arrive.
    flushLogs: () => sleep(300),
    scrapeRegistry: unavailable,
    stop,
  };
}
