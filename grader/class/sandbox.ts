// How strongly one learner's submission is kept apart from the machine and from the others.
//
// "sandbox" (Linux, run as root, util-linux unshare and iproute2 present): every submission runs
// in its own PID, network and mount namespaces (only a loopback network, a private /tmp; when the
// first process of the namespace ends, the kernel ends every process in it, setsid or not), as its
// own unprivileged user id (it cannot write the grader's files or the class's output, nor read the
// grader's pipes), with a memory and process-count limit from cgroups where they are writable.
// "basic" (anywhere else): process groups, a marker in the environment that finds every process a
// submission started (also after setsid), a memory watchdog, the time limit and a check that the
// grader's files in the copy were not changed. Network use cannot be blocked there; the gradebook
// and the console say which level was used.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export type IsolationLevel = 'sandbox' | 'basic';

export interface Isolation {
  level: IsolationLevel;
  /** Why this level, for people (what is missing for the stronger one). */
  reason: string;
  cgroups: 'v1' | 'v2' | 'none';
}

/** The first user id handed to submissions in the sandbox; submission i runs as FIRST_UID + i. */
export const FIRST_UID = 61_000;

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

export function detectIsolation(projectRoot: string, wanted: IsolationLevel | 'auto' = 'auto'): Isolation {
  const basic = (reason: string): Isolation => ({ level: 'basic', reason, cgroups: 'none' });
  if (wanted === 'basic') return basic('basic isolation was asked for (--isolation basic)');
  const missing = sandboxMissing(projectRoot);
  if (missing) {
    if (wanted === 'sandbox') throw new Error(`the sandbox is not available here: ${missing}`);
    return basic(`no sandbox: ${missing}`);
  }
  return { level: 'sandbox', reason: 'own PID, network and mount namespaces, own user id', cgroups: cgroupKind() };
}

function sandboxMissing(projectRoot: string): string | undefined {
  if (process.platform !== 'linux') return 'it needs Linux namespaces';
  if (process.getuid?.() !== 0) return 'it needs root (to give each submission its own user id and namespaces)';
  if (!ok('unshare', ['--pid', '--net', '--mount', '--fork', '--kill-child', '--mount-proc', 'true'])) return 'unshare (util-linux) cannot create PID, network and mount namespaces here';
  if (!ok('ip', ['-V'])) return 'the ip command (iproute2) is missing';
  // The real thing, once: the project as a submission's user sees it from inside the namespaces.
  const probe = path.join(projectRoot, 'node_modules/vitest/package.json');
  const inside = sandboxCommand(['setpriv', '--reuid', String(FIRST_UID), '--regid', String(FIRST_UID), '--clear-groups', 'cat', probe], [], privateTmpPossible(projectRoot));
  if (!ok(inside.file, inside.args)) {
    return `a submission's user cannot read ${path.relative(projectRoot, probe)} from inside the namespaces (the project's folders must be readable by all)`;
  }
  return undefined;
}

function cgroupKind(): Isolation['cgroups'] {
  const v2 = '/sys/fs/cgroup/cgroup.controllers';
  if (existsSync(v2) && readFileSync(v2, 'utf8').includes('memory')) return 'v2';
  if (existsSync('/sys/fs/cgroup/memory/memory.limit_in_bytes')) return 'v1';
  return 'none';
}

/** Whether the sandbox may put a private, empty /tmp over the real one: not when the project itself
 * (and so every copy) lives under /tmp, which it would hide. */
export function privateTmpPossible(projectRoot: string): boolean {
  return path.relative('/tmp', projectRoot).startsWith('..');
}

/** The command that starts one submission's grader inside the sandbox: lo up, a private /tmp where
 * possible, then argv. */
export function sandboxCommand(argv: string[], cgroupProcs: string[], privateTmp: boolean): { file: string; args: string[] } {
  const join = cgroupProcs.map((f) => `echo $$ > '${f}' && `).join('');
  const tmp = privateTmp ? 'mount -t tmpfs -o mode=1777,size=512m tmpfs /tmp && ' : '';
  const inner = `ip link set lo up && ${tmp}exec "$@"`;
  const unshare = `exec unshare --pid --net --mount --fork --kill-child --mount-proc -- /bin/sh -c '${inner}' sh "$@"`;
  return { file: '/bin/sh', args: ['-c', `${join}${unshare}`, 'sh', ...argv] };
}

export interface Limits {
  memoryMb: number;
  maxProcesses: number;
}

/** Memory and process-count limits for one submission; the files to write its first pid into. */
export function createCgroup(kind: Isolation['cgroups'], name: string, limits: Limits): { procs: string[]; remove(): void } {
  const dirs: string[] = [];
  const procs: string[] = [];
  const make = (dir: string, settings: Array<[string, string]>) => {
    try {
      mkdirSync(dir, { recursive: true });
      dirs.push(dir);
      for (const [file, value] of settings) if (existsSync(path.join(dir, file))) writeFileSync(path.join(dir, file), value);
      procs.push(path.join(dir, 'cgroup.procs'));
    } catch {
      // not writable here: the watchdog covers memory
    }
  };
  const bytes = String(limits.memoryMb * 1024 * 1024);
  if (kind === 'v1') {
    make(`/sys/fs/cgroup/memory/${name}`, [['memory.limit_in_bytes', bytes], ['memory.memsw.limit_in_bytes', bytes]]);
    make(`/sys/fs/cgroup/pids/${name}`, [['pids.max', String(limits.maxProcesses)]]);
  } else if (kind === 'v2') {
    make(`/sys/fs/cgroup/${name}`, [['memory.max', bytes], ['memory.swap.max', '0'], ['pids.max', String(limits.maxProcesses)]]);
  }
  const remove = () => {
    for (const dir of dirs) {
      for (let i = 0; i < 20; i++) {
        try {
          rmdirSync(dir);
          break;
        } catch {
          spawnSync('sleep', ['0.05']);
        }
      }
    }
    liveCgroups.delete(remove);
  };
  // Also on Ctrl-C or SIGTERM of the class command: its children are killed first, then these go.
  liveCgroups.add(remove);
  hookExit();
  return { procs, remove };
}

const liveCgroups = new Set<() => void>();
const liveMarkers = new Set<string>();
let exitHooked = false;

function hookExit(): void {
  if (exitHooked) return;
  exitHooked = true;
  // Runs on every way out, Ctrl-C and SIGTERM included (the process-group kill runs first).
  process.on('exit', () => {
    for (const marker of liveMarkers) killMarked(marker);
    for (const remove of liveCgroups) remove();
  });
}

/** Remembers a submission's marker while it is graded: if the class command is stopped, every
 * process carrying it is stopped too (also those that left their process group). */
export function trackMarker(marker: string): () => void {
  hookExit();
  liveMarkers.add(marker);
  return () => liveMarkers.delete(marker);
}

/** Every process whose environment carries the marker (inherited through fork, exec and setsid). */
export function markedProcesses(marker: string): number[] {
  if (process.platform !== 'linux') return []; // no /proc to search: process groups and the time limit remain
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
