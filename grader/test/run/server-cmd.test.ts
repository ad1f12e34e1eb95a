// Grading any service by command or URL: a plain Node service that is not built from this
// repository's TypeScript passes Section E's HTTP checks; what needs TypeScript files is skipped.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { freePort } from '../../live/prometheus-server.js';
import { grade } from '../../run/grade.js';
import { PROJECT_ROOT } from '../../paths.js';
import { resolveTarget } from '../../run/target.js';
import { processesMentioning } from '../helpers/processes.js';
import { statusById } from '../helpers/submission.js';

const SERVICE = path.join(PROJECT_ROOT, 'grader/test/fixtures/plain-node-service/server.mjs');
const NEEDS_TS = ['E.1.own-tests-pass', 'E.1.overhead', 'E.1.serve-command'];

describe('--server-cmd', () => {
  it('grades a plain Node service: HTTP criteria pass, TypeScript-only ones are skipped with the reason', async () => {
    const report = await grade({ course: loadCourse(), selectors: ['E'], target: resolveTarget({}), external: { cmd: `node ${SERVICE}` } });
    const statuses = statusById(report);
    const promMissing = !report.prometheus.prometheus;
    for (const [id, status] of Object.entries(statuses)) {
      const want = NEEDS_TS.includes(id) || (promMissing && id === 'E.1.prometheus-scrape') ? 'skipped' : 'pass';
      expect(status, id).toBe(want);
    }
    const skippedOne = report.sections[0]!.criteria.find((c) => c.id === 'E.1.overhead')!;
    expect(skippedOne.message).toMatch(/needs your TypeScript/);
    expect(report.target).toBe(`command: node ${SERVICE}`);
    expect(processesMentioning(SERVICE)).toEqual([]);
  });

  it('reports a command whose service never answers as an error, and leaves nothing running', async () => {
    const report = await grade({ course: loadCourse(), selectors: ['E'], target: resolveTarget({}), external: { cmd: 'node -e "setTimeout(() => {}, 60000)" -- --grader-silent-fixture' } });
    const live = report.sections[0]!.criteria.filter((c) => !NEEDS_TS.includes(c.id));
    for (const c of live) {
      expect(c.status, c.id).toBe('error');
      expect(c.message).toMatch(/did not answer on port \d+ \(its PORT\)/);
      // The hint speaks of that service, never of copying the course's files.
      expect(c.hint).toMatch(/the service your command starts/);
      expect(c.hint).not.toMatch(/exercises\/|[Cc]opy/);
    }
    expect(processesMentioning('--grader-silent-fixture')).toEqual([]);
  }, 60_000);
});

describe('--server-url', () => {
  it('grades a running service; its logs cannot be read, so the log criteria are skipped', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [SERVICE], { env: { ...process.env, PORT: String(port) }, stdio: 'ignore' });
    try {
      for (let i = 0; i < 100; i++) {
        const up = await fetch(`http://127.0.0.1:${port}/health`).then(() => true, () => false);
        if (up) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      const report = await grade({ course: loadCourse(), selectors: ['E'], target: resolveTarget({}), external: { url: `http://127.0.0.1:${port}` } });
      const statuses = statusById(report);
      expect(statuses['E.1.json-logs']).toBe('skipped');
      expect(statuses['E.1.log-fields']).toBe('skipped');
      expect(statuses['E.1.request-counter']).toBe('pass');
      expect(statuses['E.1.label-cardinality']).toBe('pass');
    } finally {
      child.kill('SIGKILL');
    }
  });
});
