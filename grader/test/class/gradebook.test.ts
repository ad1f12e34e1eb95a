// The gradebook's file formats: CSV cells quoted and never run as spreadsheet formulas, a row for a
// submission that could not be graded, and the progress lines without a terminal.
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { gradebookCsv, feedbackMarkdown, type Column } from '../../class/gradebook.js';
import type { SubmissionResult } from '../../class/grade-one.js';
import { progressBar } from '../../class/progress-bar.js';
import { findSubmissions, safeLabel, safeName } from '../../class/submissions.js';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const columns: Column[] = [
  { id: 'A.1.x', exercise: 'A.1', title: 'x', max_points: 2 },
  { id: 'A.1.y', exercise: 'A.1', title: 'y', max_points: 1 },
];

const graded = (learner: string, xStatus: 'pass' | 'fail'): SubmissionResult => ({
  learner,
  folder: learner,
  status: 'graded',
  ignored: [],
  notes: [],
  duration_ms: 5,
  report: {
    schema: 1,
    target: learner,
    prometheus: { promtool: false, prometheus: false },
    duration_ms: 5,
    summary: { pass: 1, fail: 1, error: 0, skipped: 0, points: xStatus === 'pass' ? 2 : 0, max_points: 3 },
    sections: [
      {
        id: 'A',
        title: 'A',
        criteria: [
          { id: 'A.1.x', exercise: 'A.1', title: 'x', kind: 'unit', status: xStatus, message: xStatus === 'pass' ? 'ok' : 'wrong, "badly"', expected: '3', seen: '4', hint: 'sort numbers as numbers', points: xStatus === 'pass' ? 2 : 0, max_points: 2 },
          { id: 'A.1.y', exercise: 'A.1', title: 'y', kind: 'unit', status: 'fail', message: 'no', points: 0, max_points: 1 },
        ],
      },
    ],
  },
});

describe('gradebook.csv', () => {
  it('one row per learner with the points per criterion, and an error row with its reason', () => {
    const csv = gradebookCsv([graded('ann', 'pass'), { learner: '_cmd_calc-a1b2c3', folder: '=cmd|calc', status: 'error', error: 'cannot be graded: "bad", really\nsecond line', ignored: [], notes: [], duration_ms: 0 }], columns);
    expect(csv.split('\n')).toEqual([
      'learner,folder,status,points,max_points,A.1.x,A.1.y,error',
      'ann,ann,graded,2,3,2,0,',
      `_cmd_calc-a1b2c3,'=cmd|calc,error,0,3,,,"cannot be graded: ""bad"", really"`,
      '',
    ]);
  });
});

describe('feedback', () => {
  it('says what failed with expected, seen and the hint, and what passed', () => {
    const md = feedbackMarkdown(graded('bo', 'fail'), columns, new Map([['A.1', 'Percentiles']]));
    expect(md).toContain('Points: **0 / 3**');
    expect(md).toContain('### A.1 Percentiles');
    expect(md).toMatch(/\*\*x\*\* \(A\.1\.x, 0\/2\)\n\n {2}wrong, "badly"\n {2}Expected: 3\n {2}Seen: 4\n {2}Hint: sort numbers as numbers/);
    expect(feedbackMarkdown(graded('cy', 'pass'), columns, new Map())).toMatch(/## Passed\n\n- \*\*x\*\* \(A\.1\.x, 2\/2\)/);
  });
});

describe('submissions', () => {
  it('every entry is a row: labels are safe, traceable and kept apart; what cannot be graded says why', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'class-'));
    try {
      mkdirSync(path.join(dir, 'ann lee', 'exercises', 'A'), { recursive: true });
      mkdirSync(path.join(dir, 'ann_lee', 'B'), { recursive: true });
      mkdirSync(path.join(dir, 'José', 'A'), { recursive: true });
      mkdirSync(path.join(dir, 'Josè', 'A'), { recursive: true });
      mkdirSync(path.join(dir, 'x'.repeat(240), 'A'), { recursive: true });
      mkdirSync(path.join(dir, 'nothing'));
      mkdirSync(path.join(dir, '.bob', 'A'), { recursive: true });
      mkdirSync(path.join(dir, '.git'));
      writeFileSync(path.join(dir, 'carol.zip'), 'PK');
      writeFileSync(path.join(dir, 'loose-file.txt'), 'x');
      const found = findSubmissions(dir);
      const byFolder = new Map(found.map((s) => [s.folder, s]));
      expect([...byFolder.keys()].sort()).toEqual(['.bob', 'José', 'Josè', 'ann lee', 'ann_lee', 'carol.zip', 'loose-file.txt', 'nothing', 'x'.repeat(240)].sort());
      expect(byFolder.get('ann_lee')!.learner).toBe('ann_lee'); // an already safe name keeps its label
      expect(byFolder.get('ann lee')!.learner).toMatch(/^ann_lee-[0-9a-f]{6}$/);
      expect(byFolder.get('José')!.learner).toMatch(/^Jose-[0-9a-f]{6}$/);
      expect(byFolder.get('Josè')!.learner).not.toBe(byFolder.get('José')!.learner);
      expect(byFolder.get('x'.repeat(240))!.learner.length).toBeLessThanOrEqual(67);
      expect(new Set(found.map((s) => s.learner)).size).toBe(found.length);
      expect(byFolder.get('ann lee')!.exercises).toBe(path.join(dir, 'ann lee', 'exercises'));
      expect(byFolder.get('ann_lee')!.exercises).toBe(path.join(dir, 'ann_lee'));
      expect(byFolder.get('nothing')!.problem).toMatch(/no exercises\/ folder/);
      expect(byFolder.get('.bob')!.problem).toMatch(/starts with a dot/);
      expect(byFolder.get('carol.zip')!.problem).toMatch(/an archive: unpack it/);
      expect(byFolder.get('loose-file.txt')!.problem).toMatch(/not a folder/);
      expect(safeName('../../etc')).toBe('__.._etc'); // no slash, no leading dot: stays inside the output folder
      expect(safeLabel('../../etc')).toMatch(/^__\.\._etc-[0-9a-f]{6}$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('progress without a terminal', () => {
  it('prints one line per finished submission and a closing line', () => {
    let text = '';
    const stream = new Writable({ write: (chunk, _enc, done) => ((text += String(chunk)), done()) }) as unknown as NodeJS.WriteStream;
    const bar = progressBar(2, stream);
    bar.started('ann');
    bar.finished('ann', 'ann: 3/3 points in 1.0 s');
    bar.end();
    expect(text).toMatch(/^\[1\/2\] ann: 3\/3 points in 1\.0 s\nGraded 1 submission\(s\) in \d+ s\.\n$/);
  });
});

describe('submissions graded side by side by default', () => {
  it('one per core while the free memory holds them at their limit, fewer when it does not, never none', async () => {
    const { defaultJobs } = await import('../../cli/class/index.js');
    const mb = 1024 * 1024;
    expect(defaultJobs(1536, 2, 20_000 * mb)).toEqual({ jobs: 2, why: 'one per core' });
    expect(defaultJobs(1536, 8, 5_000 * mb).jobs).toBe(2);
    expect(defaultJobs(1536, 8, 5_000 * mb).why).toMatch(/5000 MB free holds 2 at 1536 \+ 400 MB each/);
    expect(defaultJobs(1536, 4, 100 * mb).jobs).toBe(1);
  });
});
