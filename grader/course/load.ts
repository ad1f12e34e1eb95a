// Loads the course manifest (typed data; check-course and the tests validate it: validate.ts) and
// answers "which exercises does this selector mean?".
import { course as rawCourse } from './course.js';
import type { Course, Criterion, Exercise } from './schema.js';
export { selectExercises, type Selected } from './select.js';

export function loadCourse(): Course {
  return rawCourse;
}

export function findExercise(course: Course, criterionId: string): { exercise: Exercise; criterion: Criterion } | undefined {
  for (const exercise of course.sections.flatMap((s) => s.exercises)) {
    const criterion = exercise.criteria.find((c) => c.id === criterionId);
    if (criterion) return { exercise, criterion };
  }
  return undefined;
}

/** Each exercise's learner files, by exercise id (for reports that name them). */
export function exerciseFiles(course: Course): Map<string, readonly string[]> {
  return new Map(course.sections.flatMap((s) => s.exercises.map((e) => [e.id, e.files] as [string, readonly string[]])));
}

export function exerciseTitles(course: Course): Map<string, string> {
  return new Map(course.sections.flatMap((s) => s.exercises.map((e) => [e.id, e.title] as [string, string])));
}
