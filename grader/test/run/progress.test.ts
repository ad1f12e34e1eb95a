// Progress records what the files are now: an exercise whose files do not type-check is not done.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { formatReport, plain } from '../../report/console.js';
import type { Report } from '../../report/results.js';
import { readProgress, recordReport } from '../../run/progress.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function passingReport(typecheck: Report['sections'][number]['typecheck']): Report {
  const exercise = loadCourse().sections[0]!.exercises[0]!;
  const criteria = exercise.criteria.map((c) => ({ id: c.id, exercise: exercise.id, title: c.title, kind: c.kind, status: 'pass' as const, message: 'ok', points: c.points, max_points: c.points }));
  return {
    schema: 1,
    target: 'exercises',
    prometheus: { promtool: true, prometheus: true },
    seed: 7,
    sections: [{ id: 'A', title: 'A', criteria, ...(typecheck && { typecheck }) }],
    summary: { pass: criteria.length, fail: 0, error: 0, skipped: 0, points: 3, max_points: 3 },
    duration_ms: 1,
  };
}

describe('progress and type errors', () => {
  const file = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'progress-'));
    dirs.push(dir);
    return path.join(dir, 'progress.json');
  };
  const exercise = loadCourse().sections[0]!.exercises[0]!;
  const failing = { status: 'fail' as const, files: 1, message: '1 type error(s)', errors: [`exercises/${exercise.files[0]}(3,7): error TS2322: nope`], failing_files: [exercise.files[0]!] };

  it('records an exercise whose criteria pass but whose files do not type-check as not done, and says why', () => {
    const where = file();
    recordReport(passingReport(failing), where);
    const result = readProgress(where).progress.results[exercise.id];
    expect(result?.status).toBe('fail');
    expect(result?.type_errors).toEqual([exercise.files[0]]);
    const text = formatReport(passingReport(failing), plain, new Map(), new Map([[exercise.id, exercise.files]]));
    expect(text).toContain(`not done yet: ${exercise.files[0]} does not type-check`);
  });

  it('records the same exercise as done once its files type-check', () => {
    const where = file();
    recordReport(passingReport({ status: 'pass', files: 1, message: '1 file(s) type-check', errors: [] }), where);
    expect(readProgress(where).progress.results[exercise.id]?.status).toBe('pass');
  });

  it('prints the seed that replays the run', () => {
    expect(formatReport(passingReport(undefined), plain)).toContain('--seed 7');
  });
});
