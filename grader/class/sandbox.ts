// How strongly one learner's submission is kept apart from the machine and from the others.
//
// "sandbox" (Linux, root, bubblewrap, util-linux and iproute2): each submission's grader runs as root
// in a loopback-only network and a PID namespace of its own; every process of the learner's code
// (test workers, services) runs through the one runner (grader/sandbox/runner.ts) under bubblewrap,
// as a user id no other run holds, seeing only its own exercises, a scratch folder, the installed
// packages and the read-only system, never the suites, the reference, other copies or the outputs,
// within memory and process limits of a control group under the workbook's parent group.
// "basic" (anywhere else): process groups, a marker in the environment that finds every process a
// submission started (also after setsid), a memory watchdog, the time limit, an import boundary for
// learner modules and checks that neither the grader's files in the copy nor the installed packages
// were changed. Network use cannot be blocked there; the gradebook and the console say which level
// was used.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { bwrapArgs } from '../sandbox/bwrap.js';
import { cgroupKind, type CgroupKind } from '../sandbox/cgroups.js';
import { FIRST_UID } from '../sandbox/uids.js';

export type IsolationLevel = 'sandbox' | 'basic';

export interface Isolation {
  level: IsolationLevel;
  /** Why this level, for people (what is missing for the stronger one). */
  reason: string;
  cgroups: CgroupKind;
}

const ok = (cmd: string, args: string[]) => spawnSync(cmd, args, { stdio: 'ignore', timeout: 10_000 }).status === 0;

export function detectIsolation(projectRoot: string, wanted: IsolationLevel | 'auto' = 'auto'): Isolation {
  const basic = (reason: string): Isolation => ({ level: 'basic', reason, cgroups: 'none' });
  if (wanted === 'basic') return basic('basic isolation was asked for (--isolation basic)');
  const missing = sandboxMissing(projectRoot);
  if (missing) {
    if (wanted === 'sandbox') throw new Error(`the sandbox is not available here: ${missing}`);
    return basic(`no sandbox: ${missing}`);
  }
  return { level: 'sandbox', reason: "bubblewrap: each submission's code as its own user, in its own namespaces, seeing only its own copy", cgroups: cgroupKind() };
}

function sandboxMissing(projectRoot: string): string | undefined {
  if (process.platform !== 'linux') return 'it needs Linux namespaces';
  if (process.getuid?.() !== 0) return 'it needs root (to give each submission its own user id and namespaces)';
  if (!ok('bwrap', ['--version'])) return 'bubblewrap (bwrap) is not installed: apt-get install bubblewrap';
  if (!ok('unshare', ['--pid', '--net', '--fork', '--kill-child', '--mount-proc', 'true'])) return 'unshare (util-linux) cannot create PID and network namespaces here';
  if (!ok('ip', ['-V'])) return 'the ip command (iproute2) is missing';
  // The real thing, once: the installed packages as a submission's user sees them from inside.
  const probe = path.join(projectRoot, 'node_modules/vitest/package.json');
  const inside = ['setpriv', `--reuid=${FIRST_UID}`, `--regid=${FIRST_UID}`, '--clear-groups', 'bwrap', ...bwrapArgs({ mounts: [['ro', path.join(projectRoot, 'node_modules')]], tmpfsMb: 8, cwd: '/' }, ['cat', probe])];
  if (!ok(inside[0]!, inside.slice(1))) return `a submission's user cannot read ${path.relative(projectRoot, probe)} inside bubblewrap (the project's folders must be readable by all, and user namespaces allowed)`;
  return undefined;
}

/** The command that starts one submission's grader: root, in a loopback-only network and a PID
 * namespace of its own (when its first process ends, the kernel ends every process in it), killed
 * when the class command dies, however it dies. */
export function namespaceCommand(argv: string[]): { file: string; args: string[] } {
  const inner = 'ip link set lo up && exec "$@"';
  return { file: 'setpriv', args: ['--pdeathsig', 'KILL', '--', 'unshare', '--pid', '--net', '--fork', '--kill-child', '--mount-proc', '--', '/bin/sh', '-c', inner, 'sh', ...argv] };
}

/** At the basic level: the grader, killed when the class command dies where Linux can say so. */
export function basicCommand(argv: string[]): { file: string; args: string[] } {
  hasSetpriv ??= process.platform === 'linux' && ok('setpriv', ['--version']);
  if (hasSetpriv) return { file: 'setpriv', args: ['--pdeathsig', 'KILL', '--', ...argv] };
  return { file: argv[0]!, args: argv.slice(1) };
}

/** Asked once per class run, not once per submission. */
let hasSetpriv: boolean | undefined;

