// Where each exercise's live and tool checks live: grader/checks/<exercise>.ts, beside the hidden suite
// grader/suites/<exercise>.test.ts. Loaded on first use, so grading one exercise never pays for
// loading the checks (and their libraries) of the others.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ExerciseChecks, LiveRun, ToolRun } from './kit.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));

/** The file that declares an exercise's checks (whether or not it exists). */
export function checksFile(exerciseId: string): string {
  return path.join(HERE, `${exerciseId}.ts`);
}

/** An exercise's declared checks, or undefined when it has none. */
export async function loadChecks(exerciseId: string): Promise<ExerciseChecks | undefined> {
  if (!/^[A-Z]\.\d+$/.test(exerciseId) || !existsSync(checksFile(exerciseId))) return legacy(exerciseId);
  const module = (await import(`./${exerciseId}.js`)) as { default?: ExerciseChecks };
  return module.default;
}

export async function liveRunFor(exerciseId: string): Promise<LiveRun | undefined> {
  const checks = await loadChecks(exerciseId);
  return checks?.live?.run as LiveRun | undefined;
}

export async function toolRunFor(exerciseId: string): Promise<ToolRun | undefined> {
  const checks = await loadChecks(exerciseId);
  return checks?.tools?.run as ToolRun | undefined;
}

// Sections whose checks are not yet one file per exercise (criteria then come from the manifest).
const sectionLoaders: Record<string, () => Promise<{ live: Record<string, LiveRun>; tools: Record<string, ToolRun> }>> = {
};

async function legacy(exerciseId: string): Promise<ExerciseChecks | undefined> {
  const load = sectionLoaders[exerciseId.split('.')[0] ?? ''];
  if (!load) return undefined;
  const { live, tools } = await load();
  const liveRun = live[exerciseId];
  const toolRun = tools[exerciseId];
  if (!liveRun && !toolRun) return undefined;
  return {
    exercise: exerciseId,
    ...(liveRun && { live: { criteria: [], run: liveRun as never } }),
    ...(toolRun && { tools: { criteria: [], run: toolRun as never } }),
  };
}
