// Ctrl-C (SIGINT) or SIGTERM of the grader in the middle of a live check stops the service too.
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT, removeDir } from '../../paths.js';
import { processesMentioning } from '../helpers/processes.js';
import { makeSubmission } from '../helpers/submission.js';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(['SIGINT', 'SIGTERM'] as const)('the grader receives %s while a service runs', (signal) => {
  it('kills the service with it and exits', async () => {
    // A service whose /health never answers keeps the live check busy for seconds.
    const dir = makeSubmission({ edits: [{ file: 'B/routes.ts', find: "app.get('/health', async () => ({ status: 'ok' }));", replace: "app.get('/health', () => new Promise(() => {}));" }] });
    try {
      const scratch = path.join(dir, 'scratch');
      mkdirSync(scratch);
      const grader = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', 'B.3', '--target', dir], {
        stdio: 'ignore',
        env: { ...process.env, WORKBOOK_WORK_ROOT: scratch },
      });
      const exited = new Promise<number | null>((resolve) => grader.on('exit', (code) => resolve(code)));
      let running: string[] = [];
      for (let i = 0; i < 100 && running.length === 0; i++) {
        await sleep(100);
        running = processesMentioning(path.join(dir, 'B/app.ts'));
      }
      expect(running.length, 'the service was started').toBeGreaterThan(0);
      grader.kill(signal);
      expect(await exited).toBe(signal === 'SIGINT' ? 130 : 143);
      await sleep(200);
      expect(processesMentioning(dir)).toEqual([]);
      expect(readdirSync(scratch), 'its scratch folders are removed').toEqual([]);
    } finally {
      removeDir(dir);
    }
  });
});
