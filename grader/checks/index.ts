// Where each exercise's live and tool checks live. Loaded per section on first use, so grading one
// exercise never pays for loading the checks (and their libraries) of the others.
import type { LiveRun, ToolRun } from './kit.js';

interface SectionChecks {
  live: Record<string, LiveRun>;
  tools: Record<string, ToolRun>;
}

const loaders: Record<string, () => Promise<SectionChecks>> = {
  B: async () => ({ live: (await import('./B.js')).sectionB, tools: {} }),
  C: async () => {
    const [c, c4, c5] = await Promise.all([import('./C.js'), import('./C4.js'), import('./C5.js')]);
    return { live: { ...c.sectionC, 'C.4': c4.c4Live }, tools: { 'C.4': c4.c4Tools, 'C.5': c5.c5Tools } };
  },
  D: async () => {
    const [d, d35] = await Promise.all([import('./D.js'), import('./D35.js')]);
    return { live: { ...d.sectionD, ...d35.d35Live }, tools: d35.d35Tools };
  },
  E: async () => ({ live: (await import('./E.js')).sectionE, tools: {} }),
};

const loaded = new Map<string, Promise<SectionChecks>>();

function sectionChecks(exerciseId: string): Promise<SectionChecks> | undefined {
  const section = exerciseId.split('.')[0] ?? '';
  const load = loaders[section];
  if (!load) return undefined;
  if (!loaded.has(section)) loaded.set(section, load());
  return loaded.get(section);
}

export async function liveRunFor(exerciseId: string): Promise<LiveRun | undefined> {
  return (await sectionChecks(exerciseId))?.live[exerciseId];
}

export async function toolRunFor(exerciseId: string): Promise<ToolRun | undefined> {
  return (await sectionChecks(exerciseId))?.tools[exerciseId];
}
