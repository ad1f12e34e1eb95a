// The shape of the course manifest, checked when it is loaded.
import { z } from 'zod';

export const CRITERION_KINDS = ['unit', 'live', 'prometheus'] as const;
/** Where a criterion's check lives: a hidden vitest suite, a live check against the running service,
 * a tool check on the learner's files (promtool and friends, no service), or the learner's own tests. */
export const CHECKERS = ['suite', 'live', 'tool', 'learner-tests'] as const;

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

export type Criterion = z.infer<typeof criterionSchema>;
export type Exercise = z.infer<typeof exerciseSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Course = z.infer<typeof courseSchema>;
export type CriterionKind = (typeof CRITERION_KINDS)[number];
