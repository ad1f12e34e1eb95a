// Child processes, each in its own process group, killed with their whole tree on every path:
// normal end, timeout, a failed check, and Ctrl-C or SIGTERM of the grader itself.
// Kept free of heavy imports: the grader starts services from here before anything else loads.
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';

const groups = new Set<number>();
let hooked = false;

function hookExit(): void {
  if (hooked) return;
  hooked = true;
  process.on('exit', killAllGroups);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      killAllGroups();
      process.exit(signal === 'SIGINT' ? 130 : 143);
    });
  }
}

export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
  groups.delete(pid);
}

export function killAllGroups(): void {
  for (const pid of [...groups]) killGroup(pid);
}

/** Remembers a child that leads its own process group, until it ends or is killed. */
export function adoptGroup(pid: number | undefined, onExit: (listener: () => void) => void): void {
  hookExit();
  if (pid === undefined) return;
  groups.add(pid);
  // When the leader ends, sweep up anything it left behind in its group.
  onExit(() => killGroup(pid));
}

/** Starts a long-running child (a service) in a new process group. */
export function spawnGroup(file: string, args: string[], options: SpawnOptions): ChildProcess {
  hookExit();
  const child = spawn(file, args, { ...options, detached: true });
  adoptGroup(child.pid, (listener) => child.once('exit', listener));
  return child;
}

export function liveGroupCount(): number {
  return groups.size;
}

export interface LightResult {
  exitCode: number | null;
  output: string;
  timedOut: boolean;
}

/** Runs a short command to its end with node's own spawn (no heavy imports, usable at start-up),
 * in its own process group, killed at the deadline. stdout and stderr are collected together. */
export function runLight(file: string, args: string[], options: { cwd: string; timeoutMs: number; maxBytes?: number; env?: NodeJS.ProcessEnv }): Promise<LightResult> {
  const maxBytes = options.maxBytes ?? 2_000_000;
  return new Promise((resolve) => {
    const child = spawnGroup(file, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const collect = (chunk: Buffer) => {
      if (output.length < maxBytes) output += chunk.toString('utf8');
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      resolve({ exitCode: null, output: String(error), timedOut });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      killGroup(child.pid);
      resolve({ exitCode: code, output, timedOut });
    });
  });
}
