// Which exercises a selector like `B` or `B.3` means. Free of heavy imports (the grade command uses it before the grader loads).
import { WorkbookError } from '../errors.js';
import { didYouMean } from '../suggest.js';
import type { Course, Exercise, Section } from './schema.js';

export interface Selected {
  section: Section;
  exercises: Exercise[];
}

/** Turns selectors like `B`, `B.3` into the chosen exercises, grouped by section, in course order. */
export function selectExercises(course: Course, selectors: string[]): Selected[] {
  const wanted = new Set<string>();
  for (const selector of selectors) {
    const section = course.sections.find((s) => s.id === selector.toUpperCase());
    const exercise = exerciseById(course, selector);
    if (section) section.exercises.forEach((e) => wanted.add(e.id));
    else if (exercise) wanted.add(exercise.id);
    else {
      const known = course.sections.map((s) => `${s.id} (${s.exercises.map((e) => e.id).join(', ')})`).join('; ');
      throw new WorkbookError('UNKNOWN_SELECTOR', `There is no section or exercise "${selector}".${didYouMean(selector, allIds(course))} Known: ${known}`);
    }
  }
  return course.sections
    .map((section) => ({
      section,
      exercises: section.exercises.filter((e) => selectors.length === 0 || wanted.has(e.id)),
    }))
    .filter((s) => s.exercises.length > 0);
}


/** The exercise with this id (any case), if the course has it. */
export function exerciseById(course: Course, id: string | undefined): Exercise | undefined {
  return course.sections.flatMap((s) => s.exercises).find((e) => e.id === id?.toUpperCase());
}

function allIds(course: Course): string[] {
  return course.sections.flatMap((s) => [s.id, ...s.exercises.map((e) => e.id)]);
}

/** The exercise with this id, or a clear error that names the closest id ("did you mean B.3?"). */
export function requireExercise(course: Course, id: string | undefined, example: string): Exercise {
  const exercise = exerciseById(course, id);
  if (exercise) return exercise;
  if (!id) throw new WorkbookError('USAGE', `Which exercise? e.g. ${example}`);
  throw new WorkbookError('UNKNOWN_SELECTOR', `There is no exercise "${id}".${didYouMean(id, course.sections.flatMap((s) => s.exercises.map((e) => e.id)))} e.g. ${example}`);
}
