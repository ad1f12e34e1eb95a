// A grade that runs a real Prometheus leaves no Prometheus behind and removes its data, also when
// the grader is interrupted. (Skipped where Prometheus is not installed.)
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { prometheusPath } from '../../live/prometheus-tools.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import { processesMentioning } from '../helpers/processes.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function startGrade(scratch: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', 'C.4', '--solutions', '--json'], {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, WORKBOOK_WORK_ROOT: scratch },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => out };
}

describe.skipIf(!prometheusPath())('a real Prometheus during C.4 (skipped where Prometheus is not installed)', () => {
  it('is stopped and its data removed after the grade', async () => {
    const home = makeWorkDir('prom-cleanup');
    const scratch = path.join(home, 'scratch');
    mkdirSync(scratch);
    try {
      const grade = startGrade(scratch);
      let seen = false;
      for (let i = 0; i < 200 && !seen; i++) {
        await sleep(50);
        seen = processesMentioning(scratch).some((l) => l.includes('prometheus'));
      }
      expect(seen, 'a real prometheus was started').toBe(true);
      expect(await grade.exited).toBe(0);
      const report = JSON.parse(grade.output()) as { sections: Array<{ criteria: Array<{ id: string; status: string; message: string }> }> };
      const scrape = report.sections[0]!.criteria.find((c) => c.id === 'C.4.real-scrape')!;
      expect(scrape.status).toBe('pass');
      expect(scrape.message).toMatch(/up == 1/);
      expect(processesMentioning(scratch)).toEqual([]);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      removeDir(home);
    }
  });

  it('is stopped when the grader gets Ctrl-C while Prometheus runs', async () => {
    const home = makeWorkDir('prom-cleanup');
    const scratch = path.join(home, 'scratch');
    mkdirSync(scratch);
    try {
      const grade = startGrade(scratch);
      let seen = false;
      for (let i = 0; i < 200 && !seen; i++) {
        await sleep(50);
        seen = processesMentioning(scratch).some((l) => l.includes('prometheus'));
      }
      expect(seen, 'a real prometheus was started').toBe(true);
      grade.child.kill('SIGINT');
      expect(await grade.exited).toBe(130);
      await sleep(200);
      expect(processesMentioning(scratch)).toEqual([]);
      expect(readdirSync(scratch)).toEqual([]);
    } finally {
      removeDir(home);
    }
  });
});
