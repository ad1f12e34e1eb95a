// Runs one exercise's live checks against a freshly started service, and always stops it.
import path from 'node:path';
import { liveRunFor, toolRunFor } from '../checks/index.js';
import { judge, type Checks } from '../checks/kit.js';
import type { Exercise } from '../course/schema.js';
import { ServiceProcess, ServiceStartError } from '../live/service.js';
import { startExternal, type ExternalTarget } from '../live/external-service.js';
import { cleanError } from '../report/clean.js';
import type { LaunchPrometheus } from '../live/prometheus-pool.js';
import { random } from '../live/random.js';
import { fail, gradingError, skipped, type Verdict } from '../report/results.js';


export interface Tools {
  promtool: string | undefined;
  prometheus: string | undefined;
  launchPrometheus: LaunchPrometheus;
}

/** Judges every check, one at a time, so one broken check never hides the others. With
 * `stopAtFailure` (mutation testing: one failure is enough) the checks after the first that does not
 * pass are skipped. */
async function judgeAll(ids: string[], checks: Checks, verdicts: Map<string, Verdict>, stopAtFailure = false): Promise<void> {
  for (const id of ids) {
    if (stopAtFailure && [...verdicts.values()].some((v) => v.status !== 'pass' && v.status !== 'skipped')) {
      verdicts.set(id, skipped('not judged: an earlier criterion did not pass'));
      continue;
    }
    const check = checks[id];
    verdicts.set(id, check ? await judge(check) : gradingError(`grader fault: no check for ${id}`));
  }
}

export async function runTools(exercise: Exercise, targetDir: string, tools: Tools, seed: number, stopAtFailure = false): Promise<Map<string, Verdict>> {
  const ids = exercise.criteria.filter((c) => c.check === 'tool').map((c) => c.id);
  const verdicts = new Map<string, Verdict>();
  const run = await toolRunFor(exercise.id);
  if (!run) {
    ids.forEach((id) => verdicts.set(id, gradingError(`grader fault: no tool checks are defined for ${exercise.id}`)));
    return verdicts;
  }
  let checks: Checks;
  try {
    checks = await run({ exercise, targetDir, ...tools, seed, random: random(seed).fork(exercise.id) });
  } catch (error) {
    const verdict = await judge(() => {
      throw error;
    });
    ids.forEach((id) => verdicts.set(id, verdict));
    return verdicts;
  }
  await judgeAll(ids, checks, verdicts, stopAtFailure);
  return verdicts;
}

export async function runLive(
  exercise: Exercise,
  targetDir: string,
  tools: Tools,
  seed: number,
  external?: ExternalTarget,
  newService: () => ServiceProcess = () => new ServiceProcess(path.join(targetDir, exercise.service ?? '')),
  stopAtFailure = false,
): Promise<Map<string, Verdict>> {
  const ids = exercise.criteria.filter((c) => c.check === 'live').map((c) => c.id);
  const verdicts = new Map<string, Verdict>();
  const all = (v: Verdict) => ids.forEach((id) => verdicts.set(id, v));
  const run = await liveRunFor(exercise.id);
  if (!run || !exercise.service) {
    all(gradingError(`grader fault: no live checks are defined for ${exercise.id}`));
    return verdicts;
  }
  let service;
  try {
    service = external ? await startExternal(external) : await newService().start();
  } catch (error) {
    if (error instanceof ServiceStartError) {
      // A TODO left in an earlier exercise is unfinished work, not a grading failure.
      all(error.todo ? fail(`${error.message}\nFinish that exercise first: the service needs it to start.`) : gradingError(error.message));
    } else {
      all(gradingError(`the service could not be started: ${cleanError(String(error))}`));
    }
    return verdicts;
  }
  try {
    let checks: Checks;
    try {
      checks = await run({ exercise, service, targetDir, ...tools, seed, random: random(seed).fork(exercise.id) });
    } catch (error) {
      // Give a dying process a moment to be reaped, so its exit is told rather than a refused connection.
      if (!service.exited?.()) await new Promise((resolve) => setTimeout(resolve, 100));
      const exited = service.exited?.();
      if (exited) {
        all(gradingError(`${exited}\nA request must never bring the service down: find what the last requests did.`));
        return verdicts;
      }
      const verdict = await judge(() => {
        throw error;
      });
      all(verdict.status === 'error' ? verdict : { ...verdict, message: `while sending the test traffic: ${verdict.message}` });
      return verdicts;
    }
    await judgeAll(ids, checks, verdicts, stopAtFailure);
    return verdicts;
  } finally {
    service.stop();
  }
}
