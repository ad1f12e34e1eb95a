// Loads the course manifest, validates it, and answers "which exercises does this selector mean?".
import { course as rawCourse } from './course.js';
import { courseSchema, type Course, type Criterion, type Exercise } from './schema.js';
import { WorkbookError } from '../errors.js';
export { selectExercises, type Selected } from './select.js';

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
