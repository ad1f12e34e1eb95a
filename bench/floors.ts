// The floors the benchmark compares with, measured in the same run: what nothing of ours can beat.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { startService } from '../grader/live/service.js';
import { send } from '../grader/live/http.js';
import { startPrometheus, pollUntil } from '../grader/live/prometheus-server.js';
import { prometheusPath } from '../grader/live/prometheus-tools.js';

/** Node with tsx loaded, doing nothing. */
export function nodeFloor(): number {
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', '-e', '0']);
  return performance.now() - started;
}

/** vitest started, running one empty test in a worker and ending: what any grade of a hidden suite
 * pays in a fresh process (the menu and watch keep theirs warm). */
export function vitestFloor(root: string): number {
  const dir = mkdtempSync(path.join(root, '.grader-work', 'bench-vitest-'));
  try {
    writeFileSync(path.join(dir, 'empty.test.ts'), "import { it } from 'vitest';\nit('does nothing', () => {});\n");
    writeFileSync(path.join(dir, 'vitest.config.ts'), "import { defineConfig } from 'vitest/config';\nexport default defineConfig({ test: { pool: 'threads', watch: false } });\n");
    const started = performance.now();
    execFileSync(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', '--config', path.join(dir, 'vitest.config.ts'), '--root', dir], { cwd: dir, stdio: 'ignore' });
    return performance.now() - started;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
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
  const prom = await startPrometheus(binary, `global: { scrape_interval: 1s }\nscrape_configs:\n  - job_name: floor\n    static_configs: [{ targets: ['127.0.0.1:${service.port}'] }]\n`);
  try {
    const up = await pollUntil(async () => ((await prom.query('up == 1')).length > 0 ? true : undefined), 20_000, 100);
    return up ? performance.now() - started : undefined;
  } finally {
    prom.stop();
    service.stop();
  }
}

/** Clock ticks per second of /proc's CPU times (sysconf CLK_TCK; 100 on Linux). */
const TICKS = (() => {
  try {
    return Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
  } catch {
    return 100;
  }
})();

/** CPU time (user and system) of every child of this process that has ended, and of theirs, in ms;
 * undefined where /proc is not there. */
export function childrenCpuMs(): number | undefined {
  try {
    const stat = readFileSync('/proc/self/stat', 'utf8');
    // After "pid (name) ": the state is field 3, cutime and cstime are fields 16 and 17.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[13]) + Number(fields[14])) * 1000) / TICKS;
  } catch {
    return undefined;
  }
}

/** The CPU work of `run` (its children's CPU time) shared out over every core: no schedule of that
 * work on this machine ends sooner. */
export function cpuFloor(run: () => void): { wall: number; floor: number | undefined } {
  const before = childrenCpuMs();
  const started = performance.now();
  run();
  const wall = performance.now() - started;
  const after = childrenCpuMs();
  return { wall, floor: before === undefined || after === undefined ? undefined : (after - before) / availableParallelism() };
}
