// The course manifest: valid, unique ids, every criterion checked, every file and lesson anchor there.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { course as rawCourse } from '../../course/course.js';
import { loadCourse, selectExercises } from '../../course/load.js';
import { validateCourse } from '../../course/validate.js';
import { plantedBugs } from '../../live/planted-bugs.js';
import { PROJECT_ROOT } from '../../paths.js';
import { liveRunFor, toolRunFor } from '../../checks/index.js';
import { suiteFile } from '../../run/suites.js';
import { WorkbookError } from '../../errors.js';

const course = loadCourse();
const exercises = course.sections.flatMap((s) => s.exercises);

/** The anchor a Markdown heading gets (GitHub style, as the lessons' links use). */
export function slug(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\w\s-]/g, '').replace(/\s+/g, '-');
}

describe('course manifest', () => {
  it('validates, and rejects a duplicate id, a misplaced criterion and a bad kind', () => {
    expect(() => validateCourse(rawCourse)).not.toThrow();
    const copy = () => JSON.parse(JSON.stringify(rawCourse)) as typeof rawCourse;
    const dup = copy();
    dup.sections[0]!.exercises[1]!.criteria.push({ ...dup.sections[0]!.exercises[1]!.criteria[0]! });
    expect(() => validateCourse(dup)).toThrow(/twice/);
    const misplaced = copy();
    misplaced.sections.find((x) => x.id === 'B')!.exercises[1]!.criteria[0]!.id = 'B.3.wandered-off';
    expect(() => validateCourse(misplaced)).toThrow(/listed under exercise B.2/);
    const badKind = copy() as unknown as { sections: Array<{ exercises: Array<{ criteria: Array<{ kind: string }> }> }> };
    badKind.sections[0]!.exercises[0]!.criteria[0]!.kind = 'vibes';
    expect(() => validateCourse(badKind)).toThrow(WorkbookError);
  });

  it('gives every criterion a check that exists', async () => {
    for (const exercise of exercises) {
      for (const c of exercise.criteria) {
        if (c.check === 'suite') {
          expect(existsSync(suiteFile(exercise.id)), `${c.id}: suite file`).toBe(true);
          expect(readFileSync(suiteFile(exercise.id), 'utf8'), `${c.id}: describe block`).toContain(`describe('${c.id}'`);
        } else if (c.check === 'live') {
          expect(await liveRunFor(exercise.id), `${c.id}: live checks for ${exercise.id}`).toBeDefined();
          expect(exercise.service, `${c.id}: ${exercise.id} names the service its live checks start`).toBeTruthy();
        } else if (c.check === 'tool') {
          expect(await toolRunFor(exercise.id), `${c.id}: tool checks for ${exercise.id}`).toBeDefined();
        } else if (c.id !== 'B.7.tests-pass') {
          expect(plantedBugs.some((b) => b.criterion === c.id), `${c.id}: planted bug`).toBe(true);
        }
      }
    }
  });

  it('has hints, lesson anchors that exist, and every learner file in exercises/ and solutions/', () => {
    for (const exercise of exercises) {
      expect(exercise.hints.length, `${exercise.id} hints`).toBeGreaterThan(0);
      const [file, anchor] = exercise.lesson.split('#');
      const lesson = readFileSync(path.join(PROJECT_ROOT, file!), 'utf8');
      const anchors = lesson.split('\n').filter((l) => /^#{1,6} /.test(l)).map((l) => slug(l.replace(/^#+ /, '')));
      expect(anchors, `${exercise.lesson}`).toContain(anchor);
      for (const f of exercise.files) {
        expect(existsSync(path.join(PROJECT_ROOT, 'exercises', f)), `exercises/${f}`).toBe(true);
        expect(existsSync(path.join(PROJECT_ROOT, 'solutions', f)), `solutions/${f}`).toBe(true);
      }
    }
  });

  it('selects sections and exercises, and names the known ones on a typo', () => {
    expect(selectExercises(course, ['B.3']).flatMap((s) => s.exercises.map((e) => e.id))).toEqual(['B.3']);
    expect(selectExercises(course, ['b']).flatMap((s) => s.exercises).length).toBe(7);
    expect(selectExercises(course, []).flatMap((s) => s.exercises).length).toBe(exercises.length);
    expect(() => selectExercises(course, ['B.99'])).toThrow(/Known: A \(A\.1, .*B \(B\.1, B\.2/);
  });
});
