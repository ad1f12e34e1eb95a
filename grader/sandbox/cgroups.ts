// Memory and process-count limits for one submission's learner processes: a control group under the
// workbook's one parent group ("workbook"), named after the run that owns it, so that a later run can
// sweep the groups a killed run left (their processes stopped, the groups removed).
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive, killAll } from './marker.js';

export type CgroupKind = 'v1' | 'v2' | 'none';

const ROOT = '/sys/fs/cgroup';
export const PARENT_GROUP = 'workbook';

export function cgroupKind(): CgroupKind {
  const v2 = path.join(ROOT, 'cgroup.controllers');
  if (existsSync(v2) && readFileSync(v2, 'utf8').includes('memory')) return 'v2';
  if (existsSync(path.join(ROOT, 'memory/memory.limit_in_bytes'))) return 'v1';
  return 'none';
}

/** The parent folders of the workbook's groups, one per controller hierarchy in use. */
function parents(kind: CgroupKind): string[] {
  if (kind === 'v1') return [path.join(ROOT, 'memory', PARENT_GROUP), path.join(ROOT, 'pids', PARENT_GROUP)];
  if (kind === 'v2') return [path.join(ROOT, PARENT_GROUP)];
  return [];
}

export interface Limits {
  memoryMb: number;
  maxProcesses: number;
}

export interface RunGroup {
  /** The cgroup.procs files a process writes its pid into to join the group. */
  procs: string[];
  remove(): void;
}

function removeGroup(dir: string): void {
  for (let i = 0; i < 20; i++) {
    try {
      killAll(readFileSync(path.join(dir, 'cgroup.procs'), 'utf8').split('\n').filter(Boolean).map(Number));
      rmdirSync(dir);
      return;
    } catch {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
    }
  }
}

/** A group for one submission, `<owner pid>-<name>` under the workbook's parent; limits where the
 * files are writable (none: the caller's memory watchdog covers memory). */
export function createRunGroup(kind: CgroupKind, name: string, limits: Limits, owner = process.pid): RunGroup {
  const dirs: string[] = [];
  const procs: string[] = [];
  const bytes = String(limits.memoryMb * 1024 * 1024);
  const settings: Record<string, Array<[string, string]>> = {
    memory: [['memory.limit_in_bytes', bytes], ['memory.memsw.limit_in_bytes', bytes]],
    pids: [['pids.max', String(limits.maxProcesses)]],
    [PARENT_GROUP]: [['memory.max', bytes], ['memory.swap.max', '0'], ['pids.max', String(limits.maxProcesses)]],
  };
  for (const parent of parents(kind)) {
    const dir = path.join(parent, `${owner}-${name}`);
    try {
      if (kind === 'v2') enableControllers();
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      const controller = kind === 'v2' ? PARENT_GROUP : path.basename(path.dirname(parent));
      for (const [file, value] of settings[controller] ?? []) if (existsSync(path.join(dir, file))) writeFileSync(path.join(dir, file), value);
      procs.push(path.join(dir, 'cgroup.procs'));
    } catch {
      // not writable here
    }
  }
  return { procs, remove: () => dirs.forEach(removeGroup) };
}

/** cgroup v2 hands controllers down only when the parent enables them for its children. */
function enableControllers(): void {
  const parent = path.join(ROOT, PARENT_GROUP);
  mkdirSync(parent, { recursive: true });
  for (const [file, wanted] of [[path.join(ROOT, 'cgroup.subtree_control'), '+memory +pids'], [path.join(parent, 'cgroup.subtree_control'), '+memory +pids']] as const) {
    try {
      writeFileSync(file, wanted);
    } catch {
      // already on, or not ours to change
    }
  }
}

/** Removes the groups whose owning run has ended (a run killed before it could clean up). How many. */
export function sweepStaleGroups(kind: CgroupKind = cgroupKind()): number {
  let swept = 0;
  for (const parent of parents(kind)) {
    let entries: string[] = [];
    try {
      entries = readdirSync(parent, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
    } catch {
      continue;
    }
    for (const name of entries) {
      const owner = Number(name.split('-')[0]);
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) continue;
      removeGroup(path.join(parent, name));
      swept++;
    }
  }
  return swept;
}
