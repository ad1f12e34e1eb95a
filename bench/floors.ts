// The floors the benchmark compares with, measured in the same run: what nothing of ours can beat.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startService } from '../grader/live/service.js';
import { send } from '../grader/live/http.js';
import { startPrometheus, pollUntil, freePort } from '../grader/live/prometheus-server.js';
import { prometheusPath } from '../grader/live/prometheus-tools.js';

/** Node with tsx loaded, doing nothing. */
export function nodeFloor(): number {
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', '-e', '0']);
  return performance.now() - started;
}

/** The reference service of a section, from spawn to its first answer. */
export async function serviceFloor(root: string, appModule: string): Promise<number> {
  const started = performance.now();
  const service = await startService({ appModule: path.join(root, appModule) });
  try {
    await send(service.baseUrl, 'GET', '/health');
    return performance.now() - started;
  } finally {
    service.stop();
  }
}

/** A real Prometheus, from start to `up == 1` for a target (undefined when it is not installed). */
export async function prometheusFloor(root: string): Promise<number | undefined> {
  const binary = prometheusPath();
  if (!binary) return undefined;
  const service = await startService({ appModule: path.join(root, 'solutions/B/app.ts') });
  const started = performance.now();
  const port = await freePort();
  void port;
  const prom = await startPrometheus(binary, `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: floor\n    static_configs: [{ targets: ['127.0.0.1:${service.port}'] }]\n`);
  try {
    const up = await pollUntil(async () => ((await prom.query('up == 1')).length > 0 ? true : undefined), 20_000, 100);
    return up ? performance.now() - started : undefined;
  } finally {
    prom.stop();
    service.stop();
  }
}
