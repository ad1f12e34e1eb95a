// Any HTTP service, for grading Section E by command: `--server-cmd "<command>"` (started here with
// PORT set, in its own process group, its stdout read as logs) or `--server-url URL` (already running).
import { cleanText } from '../report/clean.js';
import { ServiceStartError, type Service } from './service.js';
import { sleep } from './sleep.js';
import { answersHealth, spawnServer, waitForHealth } from './spawned-server.js';

export interface ExternalTarget {
  cmd?: string;
  url?: string;
}


export async function startExternal(target: ExternalTarget, readyTimeoutMs = 15_000): Promise<Service> {
  const unavailable = () => Promise.reject(new Error('the registry of a service the grader did not build cannot be read directly'));
  if (target.url) {
    const baseUrl = target.url.replace(/\/+$/, '');
    if (!(await answersHealth(baseUrl))) throw new ServiceStartError(`nothing answers at ${baseUrl}`, false);
    const port = Number(new URL(baseUrl).port || 80);
    return { baseUrl, port, external: { logs: false }, logs: () => [], flushLogs: () => sleep(0), scrapeRegistry: unavailable, stop: () => {} };
  }
  const server = await spawnServer(['sh', '-c', target.cmd ?? 'false'], { cwd: process.cwd(), env: { ...process.env, HOST: '127.0.0.1' }, keepOut: 20_000, outLineMax: 65536, keepErr: 50, errLineMax: 2000 });
  const { baseUrl, port } = server;
  // A command that puts its server in the background (`... &`, a daemon) ends at once, with 0: the
  // server may still come up. Any other ending before it answers is a failure.
  if (!(await waitForHealth(baseUrl, Date.now() + readyTimeoutMs, server.failed))) {
    server.stop();
    const why = server.failed() ? `exited (${server.exited()}) before it answered` : `did not answer on port ${port} (its PORT) within ${readyTimeoutMs / 1000} s`;
    throw new ServiceStartError(`the service started by "${target.cmd}" ${why}${server.err.length ? `\nstderr:\n${cleanText(server.err.slice(-8).join('\n'))}` : ''}`, false);
  }
  return {
    baseUrl,
    port,
    external: { logs: true },
    logs: () => server.out,
    // No channel into a foreign process: give its output a moment to arrive.
    flushLogs: () => sleep(300),
    scrapeRegistry: unavailable,
    stop: server.stop,
  };
}
