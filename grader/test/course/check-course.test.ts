// npm run check-course: the course as it stands has no problem, and each kind of problem is found.
import { describe, expect, it } from 'vitest';
import { checkCourse } from '../../cli/check-course/check.js';
import { headingAnchor } from '../../course/anchors.js';
import { loadCourse } from '../../course/load.js';
import type { Course } from '../../course/schema.js';
import { PROJECT_ROOT } from '../../paths.js';

const withExercise = (course: Course, id: string, change: (e: Course['sections'][number]['exercises'][number]) => void): Course => {
  const copy = structuredClone(course);
  const exercise = copy.sections.flatMap((s) => s.exercises).find((e) => e.id === id);
  if (!exercise) throw new Error(`no ${id}`);
  change(exercise);
  return copy;
};

describe('check-course', () => {
  it('finds no problem in the course', async () => {
    expect(await checkCourse(loadCourse(), PROJECT_ROOT)).toEqual([]);
  });

  it('gives headings the anchors GitHub gives them', () => {
    expect(headingAnchor('A.1 Percentiles')).toBe('a1-percentiles');
    expect(headingAnchor('B.3 Instrumenting every request')).toBe('b3-instrumenting-every-request');
  });

  it('finds a criterion without a hint, a missing anchor, a missing stub and an unimplemented criterion', async () => {
    const course = withExercise(loadCourse(), 'A.1', (e) => {
      (e.criteria[0] as { hint?: string }).hint = undefined;
      e.lesson = e.lesson.replace(/#.*/, '#no-such-heading');
      e.files = [...e.files, 'A/not-there.ts'];
      e.criteria.push({ id: 'A.1.not-implemented', title: 'a criterion nobody checks', kind: 'unit', check: 'suite', points: 1, hint: 'a hint of its own' });
    });
    const problems = await checkCourse(course, PROJECT_ROOT);
    const first = loadCourse().sections[0]!.exercises[0]!.criteria[0]!.id;
    expect(problems).toContain(`${first}: no hint of its own`);
    expect(problems.some((p) => p.includes('#no-such-heading'))).toBe(true);
    expect(problems).toContain('A.1: exercises/A/not-there.ts is missing');
    expect(problems).toContain('A.1.not-implemented: not implemented in grader/suites/A.1.test.ts');
  });

  it('finds a criterion that is implemented but no longer in the course (an orphan)', async () => {
    const course = withExercise(loadCourse(), 'A.1', (e) => {
      e.criteria = e.criteria.slice(1);
    });
    const orphan = loadCourse().sections[0]!.exercises[0]!.criteria[0]!.id;
    expect(await checkCourse(course, PROJECT_ROOT)).toContain(`grader/suites/A.1.test.ts: ${orphan} is not a suite criterion of A.1 in the course`);
  });

  it('finds a Prometheus the course does not declare, and waiting lanes for checks that measure or run no Prometheus', async () => {
    const undeclared = withExercise(loadCourse(), 'C.4', (e) => {
      e.prometheus = undefined;
    });
    expect(await checkCourse(undeclared, PROJECT_ROOT)).toContain('C.4: grader/checks/C.4.ts launches Prometheus, but the course does not say so (prometheus: true)');
    const measured = withExercise(loadCourse(), 'D.4', (e) => {
      e.waits = true;
    });
    expect(await checkCourse(measured, PROJECT_ROOT)).toContain('D.4: waits: true is for exercises whose checks run a real Prometheus (prometheus: true) and measure nothing under load (not exclusive)');
  });
});
