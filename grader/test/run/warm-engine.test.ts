// The warm engine of the menu and watch: its vitest stays loaded between grades, yet every grade judges
// the files as they are when it starts, and closing it leaves nothing running.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { PROJECT_ROOT, removeDir } from '../../paths.js';
import type { Report } from '../../report/results.js';
import { Engine } from '../../run/engine.js';
import { grade } from '../../run/grade.js';
import { makeSubmission } from '../helpers/submission.js';
import { leftoversAfter } from '../helpers/processes.js';

const course = loadCourse();
const statuses = (r: Report) => Object.fromEntries(r.sections.flatMap((s) => s.criteria.map((c) => [c.id, c.status])));

describe('the warm engine (menu and watch)', () => {
  const dir = makeSubmission({ from: 'exercises' });
  const engine = new Engine(true);
  afterAll(() => {
    engine.close();
    removeDir(dir);
  });
  const target = { dir, label: 'exercises', release: () => {} };
  const run = (selectors: string[], seed = 11) => grade({ course, selectors, target, engine, seed, typecheck: false });
  const exercise = course.sections[0]!.exercises.find((e) => e.id === 'A.1')!;
  const file = exercise.files[0]!;
  const stub = readFileSync(path.join(dir, file), 'utf8');
  const solution = readFileSync(path.join(PROJECT_ROOT, 'solutions', file), 'utf8');

  it('grades the files as they are at each grade: stub, solved, broken again', async () => {
    const first = statuses(await run(['A.1']));
    expect(Object.values(first).every((s) => s !== 'pass')).toBe(true);
    writeFileSync(path.join(dir, file), solution);
    expect(Object.values(statuses(await run(['A.1']))).every((s) => s === 'pass')).toBe(true);
    writeFileSync(path.join(dir, file), stub);
    expect(statuses(await run(['A.1']))).toEqual(first);
  });

  it('gives the verdicts a one-off grade gives, with the same seed', async () => {
    writeFileSync(path.join(dir, file), solution.replace('Math.ceil', 'Math.round'));
    const cold = await grade({ course, selectors: ['A.1', 'A.2'], target, seed: 5, typecheck: false });
    const warm = await run(['A.1', 'A.2'], 5);
    expect(Object.values(statuses(warm))).toContain('fail');
    expect(statuses(warm)).toEqual(statuses(cold));
    const messages = (r: Report) => r.sections.flatMap((s) => s.criteria.map((c) => c.message));
    expect(messages(warm)).toEqual(messages(cold));
  });

  it('leaves nothing running once closed', async () => {
    engine.close();
    expect(await leftoversAfter(dir)).toEqual([]);
  });
});
