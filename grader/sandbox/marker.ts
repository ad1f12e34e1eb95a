// Finds every process a run started by a marker in its environment (inherited through fork, exec
// and setsid), so that detached and daemonised children are stopped too, on every way out.
import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

const liveMarkers = new Set<string>();
const onExit = new Set<() => void>();
let exitHooked = false;

function attempt(step: () => unknown): void {
  try {
    step();
  } catch {
    // the next clean-up still runs
  }
}

/** Runs `cleanup` when this process ends, Ctrl-C and SIGTERM included (process groups go first). */
export function atExit(cleanup: () => void): () => void {
  hookExit();
  onExit.add(cleanup);
  return () => onExit.delete(cleanup);
}

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // First of all exit handlers: stop the processes before anything removes the folders they use, and
  // let no failing clean-up keep the others from running.
  process.prependListener('exit', () => {
    for (const marker of liveMarkers) attempt(() => killMarked(marker));
    for (const cleanup of onExit) attempt(cleanup);
  });
}

/** Remembers a marker while its processes may run: if this process ends, they are stopped too. */
export function trackMarker(marker: string): () => void {
  hookExit();
  liveMarkers.add(marker);
  return () => liveMarkers.delete(marker);
}

/** Every process whose environment carries the marker (`NAME=value`). */
export function markedProcesses(marker: string): number[] {
  if (process.platform !== 'linux') return []; // no /proc to search: process groups and time limits remain
  const needle = Buffer.from(`${marker}\0`);
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`).includes(needle)) pids.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

/** Stops every marked process; how many there were. */
export function killMarked(marker: string): number {
  let killed = 0;
  // A process may fork while we sweep: sweep until nothing is left (a few rounds at most).
  for (let round = 0; round < 5; round++) {
    const pids = markedProcesses(marker);
    if (pids.length === 0) break;
    for (const pid of pids) {
      try {
        process.kill(pid, 'SIGKILL');
        killed++;
      } catch {
        // already gone
      }
    }
  }
  return killed;
}

/** Resident memory of the marked processes, in MB, and the largest of them. */
export function markedMemory(marker: string): { totalMb: number; largest?: number } {
  let total = 0;
  let largest: number | undefined;
  let largestKb = -1;
  for (const pid of markedProcesses(marker)) {
    try {
      const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
      total += kb;
      if (kb > largestKb) [largestKb, largest] = [kb, pid];
    } catch {
      // gone
    }
  }
  return { totalMb: total / 1024, ...(largest !== undefined && { largest }) };
}

/** Every process running as `uid` (a sandbox's own user id). */
export function processesOfUid(uid: number): number[] {
  if (process.platform !== 'linux') return [];
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const real = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${entry}/status`, 'utf8'))?.[1];
      if (Number(real) === uid) pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

export function killAll(pids: number[]): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** Whether a process runs (a zombie, killed and not yet reaped, does not). */
export const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
  try {
    return readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.[0] !== 'Z';
  } catch {
    return false;
  }
};

/** This process's PID namespace, as the kernel names it: pids mean something only within one. */
export function pidNamespace(): string {
  try {
    return /\[(\d+)\]/.exec(readlinkSync('/proc/self/ns/pid'))?.[1] ?? '0';
  } catch {
    return '0';
  }
}

/** A marker value that names its owner: `<pid>-<pid namespace>-<random>`. */
export function ownedMarkerValue(random: string): string {
  return `${process.pid}-${pidNamespace()}-${random}`;
}

/** Stops the processes a grader killed before its end left behind: those whose marker (one of
 * `names`, valued as ownedMarkerValue makes it) names a grader of this PID namespace that is gone.
 * How many. */
export function sweepOrphans(names: string[]): number {
  if (process.platform !== 'linux') return 0;
  const pattern = new RegExp(`(?:^|\\0)(?:${names.join('|')})=(\\d+)-(\\d+)-`, 'g');
  const ns = pidNamespace();
  const stale: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // Any of its markers naming a gone owner makes it a leftover.
      const markers = [...readFileSync(`/proc/${entry}/environ`, 'latin1').matchAll(pattern)];
      if (markers.some((m) => m[2] === ns && !isAlive(Number(m[1])))) stale.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  killAll(stale);
  return stale.length;
}
