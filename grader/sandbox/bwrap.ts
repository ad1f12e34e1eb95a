// The bubblewrap command line for learner code: its own PID, IPC, UTS and mount namespaces (the
// network is the caller's: in class grading, a loopback-only namespace of that submission's own), a
// view of the machine that holds only the read-only runtime and the folders named, a size-limited
// /tmp, no new privileges, gone with its parent.
import { existsSync, lstatSync, readlinkSync, realpathSync } from 'node:fs';
import path from 'node:path';

/** One step of the view, in order: a path shown read-only or writable, hidden under an empty folder
 * nobody can write (a later step may show a part of it again), or given a private size-limited
 * writable folder (the view's tmpfsMb) in its place. */
export type Mount = ['ro' | 'rw' | 'hide' | 'tmpfs', string];

export const writable = (kind: Mount[0]) => kind === 'rw' || kind === 'tmpfs';

export interface View {
  mounts: Mount[];
  /** The size of the private /tmp, in MB. */
  tmpfsMb: number;
  /** Where the command starts (the first writable folder when this one is not shown). */
  cwd: string;
}

/** The operating system's read-only part: programs, libraries and settings, never anyone's files. */
const SYSTEM = ['/usr', '/etc', '/bin', '/sbin', '/lib', '/lib32', '/lib64', '/libx32'];

export function bwrapArgs(view: View, argv: string[]): string[] {
  const args = ['--unshare-all', '--share-net', '--die-with-parent', '--new-session', '--hostname', 'sandbox'];
  for (const dir of SYSTEM) {
    if (!existsSync(dir)) continue;
    // On merged-/usr systems /bin and /lib are links into /usr: the same links inside.
    if (lstatSync(dir).isSymbolicLink()) args.push('--symlink', readlinkSync(dir), dir);
    else args.push('--ro-bind', dir, dir);
  }
  args.push('--proc', '/proc', '--dev', '/dev', '--size', String(view.tmpfsMb * 1024 * 1024), '--tmpfs', '/tmp');
  // The Node.js that runs the grader, wherever it is installed (a version manager, a local copy),
  // shown after the private /tmp so that one under /tmp stays visible.
  const nodePrefix = path.dirname(path.dirname(realpathSync(process.execPath)));
  if (!SYSTEM.some((dir) => nodePrefix === dir || nodePrefix.startsWith(`${dir}/`))) args.push('--ro-bind', nodePrefix, nodePrefix);
  for (const [kind, target] of view.mounts) {
    if (kind === 'hide') args.push('--perms', '0555', '--size', '65536', '--tmpfs', target);
    else if (kind === 'tmpfs') args.push('--size', String(view.tmpfsMb * 1024 * 1024), '--tmpfs', target);
    else if (existsSync(target)) args.push(kind === 'ro' ? '--ro-bind' : '--bind', target, target);
  }
  // The last step that covers the starting folder decides whether it is shown.
  const inside = (dir: string, step: string) => dir === step || dir.startsWith(`${step}/`);
  const last = view.mounts.filter(([, target]) => inside(view.cwd, target)).at(-1);
  const cwd = last && last[0] !== 'hide' ? view.cwd : (view.mounts.find(([kind]) => writable(kind))?.[1] ?? '/tmp');
  args.push('--chdir', cwd, '--', ...argv);
  return args;
}
