// The course manifest's schema and its validation (ids, nesting): run by check-course and the tests,
// so that a malformed manifest never ships; the commands themselves load it as typed data.
import { z } from 'zod';
import { WorkbookError } from '../errors.js';
import { CHECKERS, CRITERION_KINDS, type Course } from './schema.js';

const id = (pattern: RegExp, what: string) =>
  z.string().regex(pattern, { message: `${what} must look like ${pattern.source}` });

export const criterionSchema = z.object({
  id: id(/^[A-Z]\.\d+\.[a-z0-9-]+$/, 'a criterion id'),
  title: z.string().min(10),
  kind: z.enum(CRITERION_KINDS),
  check: z.enum(CHECKERS),
  points: z.number().int().positive(),
  /** What to look at when this criterion fails (shown with the failure; every criterion has its own). */
  hint: z.string().min(10),
});

export const exerciseSchema = z.object({
  id: id(/^[A-Z]\.\d+$/, 'an exercise id'),
  title: z.string().min(3),
  lesson: z.string().regex(/^lessons\/[\w-]+\.md#[\w-]+$/, { message: 'a lesson anchor like lessons/x.md#anchor' }),
  files: z.array(z.string().regex(/^[A-Z]\/[\w./-]+\.(ts|ya?ml)$/)).min(1),
  /** Files the learner adds (the reference solution has them; the stub does not). */
  creates: z.array(z.string().regex(/^[A-Z]\/[\w./-]+\.(ts|ya?ml)$/)).optional(),
  /** The app module the live checks start (exporting buildApp), for exercises with live criteria. */
  service: z.string().regex(/^[A-Z]\/[\w./-]+\.ts$/).optional(),
  /** Its checks measure time or memory under load: it is graded alone, after the others. */
  exclusive: z.boolean().optional(),
  prometheus: z.boolean().optional(),
  waits: z.boolean().optional(),
  hints: z.array(z.string().min(10)).min(1),
  criteria: z.array(criterionSchema).min(1),
});

export const sectionSchema = z.object({
  id: id(/^[A-Z]$/, 'a section id'),
  title: z.string().min(3),
  lesson: z.string().regex(/^lessons\/[\w-]+\.md$/),
  exercises: z.array(exerciseSchema).min(1),
});

export const courseSchema = z.object({
  title: z.string(),
  sections: z.array(sectionSchema).min(1),
});

/** The schema and the types say the same (a compile-time check both ways). */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same: Same<z.infer<typeof courseSchema>, Course> = true;
void same;

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
