// The shape of the course manifest, as types (checked by the compiler); grader/course/validate.ts
// holds the same shape as a schema, checked by check-course and the tests without slowing any command.

export const CRITERION_KINDS = ['unit', 'live', 'prometheus'] as const;
/** Where a criterion's check lives: a hidden vitest suite, a live check against the running service,
 * a tool check on the learner's files (promtool and friends, no service), or the learner's own tests. */
export const CHECKERS = ['suite', 'live', 'tool', 'learner-tests'] as const;

export type CriterionKind = (typeof CRITERION_KINDS)[number];
export type Checker = (typeof CHECKERS)[number];

export interface Criterion {
  id: string;
  title: string;
  kind: CriterionKind;
  check: Checker;
  points: number;
  /** What to look at when this criterion fails (shown with the failure; every criterion has its own). */
  hint: string;
}

export interface Exercise {
  id: string;
  title: string;
  lesson: string;
  files: string[];
  /** Files the learner adds (the reference solution has them; the stub does not). */
  creates?: string[] | undefined;
  /** The app module the live checks start (exporting buildApp), for exercises with live criteria. */
  service?: string | undefined;
  /** Its checks measure time or memory under load: it is graded alone, after the others. */
  exclusive?: boolean | undefined;
  /** Its checks run a real Prometheus server (the engine starts one ahead for it). */
  prometheus?: boolean | undefined;
  /** Its checks spend most of their time waiting for Prometheus (or Alertmanager) to scrape, evaluate
   * and notify, not working the CPU: a grade runs them in lanes of their own, beside the others. */
  waits?: boolean | undefined;
  hints: string[];
  criteria: Criterion[];
}

export interface Section {
  id: string;
  title: string;
  lesson: string;
  exercises: Exercise[];
}

export interface Course {
  title: string;
  sections: Section[];
}
