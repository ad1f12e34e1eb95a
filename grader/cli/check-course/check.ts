// `npm run check-course`: validates the whole course without running any of it (like rustlings'
// `dev check`): every criterion implemented exactly once and none orphaned, lesson anchors, hints,
// stubs and solutions, given files identical in both trees, and no unexpected files.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Course, Exercise } from '../../course/schema.js';
import { headingAnchor } from '../../course/anchors.js';
import { checksFile, loadChecks } from '../../checks/index.js';
import { plantedBugs } from '../../live/planted-bugs.js';

function lessonAnchors(file: string): Set<string> {
  const text = readFileSync(file, 'utf8').replace(/```[\s\S]*?```/g, '');
  return new Set([...text.matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => headingAnchor(m[1] ?? '')));
}

/** Top-level `describe('<id>', ...)` titles of a suite file, read as text. */
export function suiteCriteria(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^describe\(\s*['"`]([^'"`]+)['"`]/gm)].map((m) => m[1] ?? '');
}

function listFiles(dir: string, base = dir): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? listFiles(full, base) : [path.relative(base, full).split(path.sep).join('/')];
  });
}

/** Grader modules beside the per-exercise files that are not exercises themselves. */
const SUITE_HELPERS = new Set(['differential.ts', 'guard-setup.ts', 'guard-baseline.ts', 'inspect.ts', 'learner-tests.config.ts', 'vitest.config.ts']);
const CHECK_HELPERS = new Set(['index.ts', 'kit.ts']);

export async function checkCourse(course: Course, root: string): Promise<string[]> {
  const problems: string[] = [];
  const exercises = course.sections.flatMap((s) => s.exercises);
  const ids = new Set(exercises.map((e) => e.id));
  const learnerFiles = new Set(exercises.flatMap((e) => e.files));
  const created = new Set(exercises.flatMap((e) => e.creates ?? []));
  const anchors = new Map<string, Set<string>>();

  for (const exercise of exercises) {
    // The lesson part the exercise links to.
    const [lessonFile = '', anchor = ''] = exercise.lesson.split('#');
    const lessonPath = path.join(root, lessonFile);
    if (!existsSync(lessonPath)) problems.push(`${exercise.id}: its lesson ${lessonFile} does not exist`);
    else {
      if (!anchors.has(lessonPath)) anchors.set(lessonPath, lessonAnchors(lessonPath));
      if (!anchors.get(lessonPath)?.has(anchor)) problems.push(`${exercise.id}: ${lessonFile} has no heading with the anchor #${anchor}`);
    }
    // A stub to edit and a solution to compare, at the same path.
    for (const file of exercise.files) {
      for (const tree of ['exercises', 'solutions']) {
        if (!existsSync(path.join(root, tree, file))) problems.push(`${exercise.id}: ${tree}/${file} is missing`);
      }
    }
    for (const c of exercise.criteria) if (!c.hint) problems.push(`${c.id}: no hint of its own`);
    problems.push(...(await implementations(exercise, root)));
  }

  // Every suite and check file belongs to an exercise of the course.
  for (const file of listFiles(path.join(root, 'grader/suites'))) {
    if (file.includes('/') || SUITE_HELPERS.has(file)) continue;
    const id = file.replace(/\.test\.ts$/, '');
    if (!file.endsWith('.test.ts') || !ids.has(id)) problems.push(`grader/suites/${file}: not the suite of an exercise of the course`);
  }
  for (const file of listFiles(path.join(root, 'grader/checks'))) {
    if (file.includes('/') || CHECK_HELPERS.has(file)) continue;
    // Named like an exercise (B.3.ts) or a whole section (B.ts, C4.ts): it must be one of the course's.
    const looksLikeChecks = /^[A-Z](\.\d+|\d*)\.ts$/.test(file);
    if (looksLikeChecks && !ids.has(file.replace(/\.ts$/, ''))) problems.push(`grader/checks/${file}: not the checks of an exercise of the course (checks live in grader/checks/<exercise>.ts)`);
  }

  // Files given to the learner (not theirs to edit) are the same in both trees; nothing else is there.
  const stubs = new Set(listFiles(path.join(root, 'exercises')));
  const solved = new Set(listFiles(path.join(root, 'solutions')));
  for (const file of new Set([...stubs, ...solved])) {
    if (learnerFiles.has(file)) continue;
    if (created.has(file)) {
      if (stubs.has(file)) problems.push(`exercises/${file}: the learner creates this file, so the stub should not have it`);
      if (!solved.has(file)) problems.push(`solutions/${file}: listed as created by the learner, but the solution lacks it`);
      continue;
    }
    if (!stubs.has(file) || !solved.has(file)) {
      problems.push(`${stubs.has(file) ? 'exercises' : 'solutions'}/${file}: unexpected (not an exercise's file, and not given in both exercises/ and solutions/)`);
      continue;
    }
    const a = readFileSync(path.join(root, 'exercises', file));
    const b = readFileSync(path.join(root, 'solutions', file));
    if (!a.equals(b)) problems.push(`${file}: given to the learner (no exercise lists it), yet exercises/ and solutions/ differ`);
  }
  return problems;
}

/** Each criterion is implemented exactly once where its `check` says, and nothing else is. */
async function implementations(exercise: Exercise, root: string): Promise<string[]> {
  const problems: string[] = [];
  const want = (check: string) => exercise.criteria.filter((c) => c.check === check).map((c) => c.id);
  const compare = (where: string, expected: string[], found: readonly string[]) => {
    for (const id of expected) {
      const n = found.filter((f) => f === id).length;
      if (n !== 1) problems.push(`${id}: ${n === 0 ? 'not implemented' : `implemented ${n} times`} in ${where}`);
    }
    for (const id of new Set(found)) if (!expected.includes(id)) problems.push(`${where}: ${id} is not a ${where.includes('suites') ? 'suite' : 'check'} criterion of ${exercise.id} in the course`);
  };

  const suite = path.join(root, 'grader/suites', `${exercise.id}.test.ts`);
  const suiteIds = existsSync(suite) ? suiteCriteria(suite) : [];
  if (want('suite').length || suiteIds.length) compare(`grader/suites/${exercise.id}.test.ts`, want('suite'), suiteIds);

  const declared = existsSync(checksFile(exercise.id)) ? await loadChecks(exercise.id) : undefined;
  for (const [check, set] of [['live', declared?.live], ['tool', declared?.tools]] as const) {
    const expected = want(check);
    if (!expected.length && !set) continue;
    if (!declared) problems.push(`${exercise.id}: its ${check} checks are not declared in grader/checks/${exercise.id}.ts`);
    else compare(`grader/checks/${exercise.id}.ts (${check})`, expected, set?.criteria ?? []);
  }

  // The engine starts a Prometheus ahead for exactly the exercises whose checks launch one.
  const checksText = existsSync(checksFile(exercise.id)) ? readFileSync(checksFile(exercise.id), 'utf8') : '';
  const launches = /\blaunchPrometheus\(/.test(checksText);
  if (launches !== Boolean(exercise.prometheus)) {
    problems.push(`${exercise.id}: ${launches ? `grader/checks/${exercise.id}.ts launches Prometheus, but the course does not say so (prometheus: true)` : `the course says prometheus: true, but grader/checks/${exercise.id}.ts launches none`}`);
  }
  // Waiting lanes are for checks that wait on a real Prometheus; measured ones never share the cores.
  if (exercise.waits && (!exercise.prometheus || exercise.exclusive)) {
    problems.push(`${exercise.id}: waits: true is for exercises whose checks run a real Prometheus (prometheus: true) and measure nothing under load (not exclusive)`);
  }

  // The learner's own tests: one run, plus one planted bug per "catches" criterion.
  for (const id of want('learner-tests')) {
    if (id.endsWith('.tests-pass')) continue;
    const n = plantedBugs.filter((b) => b.criterion === id).length;
    if (n !== 1) problems.push(`${id}: ${n} planted bugs in grader/live/planted-bugs.ts (want exactly one)`);
  }
  return problems;
}
