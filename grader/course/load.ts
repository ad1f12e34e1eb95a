// Loads the course manifest, validates it, and answers "which exercises does this selector mean?".
import { course as rawCourse } from './course.js';
import { courseSchema, type Course, type Criterion, type Exercise, type Section } from './schema.js';
import { WorkbookError } from '../errors.js';

export function validateCourse(data: unknown): Course {
  const parsed = courseSchema.safeParse(data);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new WorkbookError('COURSE_INVALID', `The course manifest is invalid:\n${problems}`);
  }
  const seen = new Set<string>();
  for (const id of allIds(parsed.data)) {
    if (seen.has(id)) throw new WorkbookError('COURSE_INVALID', `The course manifest uses the id ${id} twice`);
    seen.add(id);
  }
  for (const section of parsed.data.sections) {
    for (const exercise of section.exercises) {
      if (!exercise.id.startsWith(`${section.id}.`)) {
        throw new WorkbookError('COURSE_INVALID', `Exercise ${exercise.id} is listed under section ${section.id}`);
      }
      for (const criterion of exercise.criteria) {
        if (!criterion.id.startsWith(`${exercise.id}.`)) {
          throw new WorkbookError('COURSE_INVALID', `Criterion ${criterion.id} is listed under exercise ${exercise.id}`);
        }
      }
    }
  }
  return parsed.data;
}

function* allIds(course: Course): Generator<string> {
  for (const s of course.sections) {
    yield s.id;
    for (const e of s.exercises) {
      yield e.id;
      for (const c of e.criteria) yield c.id;
    }
  }
}

let cached: Course | undefined;
export function loadCourse(): Course {
  cached ??= validateCourse(rawCourse);
  return cached;
}

export interface Selected {
  section: Section;
  exercises: Exercise[];
}

/** Turns selectors like `B`, `B.3` into the chosen exercises, grouped by section, in course order. */
export function selectExercises(course: Course, selectors: string[]): Selected[] {
  const wanted = new Set<string>();
  for (const selector of selectors) {
    const section = course.sections.find((s) => s.id === selector.toUpperCase());
    const exercise = course.sections.flatMap((s) => s.exercises).find((e) => e.id === selector.toUpperCase());
    if (section) section.exercises.forEach((e) => wanted.add(e.id));
    else if (exercise) wanted.add(exercise.id);
    else {
      const known = course.sections.map((s) => `${s.id} (${s.exercises.map((e) => e.id).join(', ')})`).join('; ');
      throw new WorkbookError('UNKNOWN_SELECTOR', `There is no section or exercise "${selector}". Known: ${known}`);
    }
  }
  return course.sections
    .map((section) => ({
      section,
      exercises: section.exercises.filter((e) => selectors.length === 0 || wanted.has(e.id)),
    }))
    .filter((s) => s.exercises.length > 0);
}

export function findExercise(course: Course, criterionId: string): { exercise: Exercise; criterion: Criterion } | undefined {
  for (const exercise of course.sections.flatMap((s) => s.exercises)) {
    const criterion = exercise.criteria.find((c) => c.id === criterionId);
    if (criterion) return { exercise, criterion };
  }
  return undefined;
}

export function exerciseTitles(course: Course): Map<string, string> {
  return new Map(course.sections.flatMap((s) => s.exercises.map((e) => [e.id, e.title] as [string, string])));
}
