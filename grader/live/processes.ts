// Child processes, each in its own process group, killed with their whole tree on every path:
// normal end, timeout, a failed check, and Ctrl-C or SIGTERM of the grader itself.
import { execa, type Options, type ResultPromise } from 'execa';

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

export type Child = ResultPromise<Options>;

/** Starts a command in a new process group (detached), remembered until it ends or is killed. */
export function spawnGroup(file: string, args: string[], options: Options): Child {
  hookExit();
  const child: Child = execa(file, args, { ...options, detached: true, cleanup: false, reject: false });
  const pid = child.pid;
  if (pid !== undefined) {
    groups.add(pid);
    // When the leader ends, sweep up anything it left behind in its group.
    child.finally(() => killGroup(pid)).catch(() => {});
  }
  return child;
}

export interface CommandResult {
  exitCode: number | undefined;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

/** Runs a command to its end, or kills its whole group at the deadline. */
export async function runCommand(
  file: string,
  args: string[],
  options: { cwd?: string; env?: Record<string, string>; input?: string; timeoutMs: number },
): Promise<CommandResult> {
  const child = spawnGroup(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    stripFinalNewline: false,
    maxBuffer: 20_000_000,
    ...(options.input !== undefined ? { input: options.input } : { stdin: 'ignore' as const }),
  });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    killGroup(child.pid);
  }, options.timeoutMs);
  try {
    const result = await child;
    return {
      exitCode: result.exitCode,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      timedOut,
    };
  } finally {
    clearTimeout(timer);
    killGroup(child.pid);
  }
}

export function liveGroupCount(): number {
  return groups.size;
}
