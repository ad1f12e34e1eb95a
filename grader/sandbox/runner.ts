// The one way the grader starts learner code, in every mode: services, test workers, learner tests
// and --server-cmd commands all get their command from untrusted(). Every such process carries this
// grader's marker, so whatever it starts (setsid and daemons included) is stopped when the grader
// ends. Inside a class sandbox (WORKBOOK_SANDBOX set by the class command), it also runs as that
// submission's own user id under bubblewrap, seeing only its own copy and the read-only runtime, in
// that submission's memory and process limits.
import { randomBytes } from 'node:crypto';
import { chownSync, mkdtempSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { z } from 'zod';
import { bwrapArgs, writable, type Mount } from './bwrap.js';
import { killMarked, ownedMarkerValue, sweepOrphans, trackMarker } from './marker.js';

export const SANDBOX_ENV = 'WORKBOOK_SANDBOX';

/** tsx's loader by its own path: learner code may start in a folder with no node_modules of its own. */
export const TSX_LOADER = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/tsx/dist/loader.mjs')).href;

/** `node --import <tsx> ...argv`: how the grader runs a TypeScript file of learner code. */
export const nodeWithTsx = (...argv: string[]): string[] => [process.execPath, '--import', TSX_LOADER, ...argv];

/** A fresh folder to hand files to learner code and read its results from: inside the sandbox's
 * exchange folder where there is one, else the caller's own scratch folder. */
export function exchangeDir(fallback: () => string): string {
  const sandbox = sandboxSpec();
  if (!sandbox) return fallback();
  const dir = mkdtempSync(path.join(sandbox.exchange, 'x-'));
  chownSync(dir, sandbox.uid, sandbox.uid);
  return dir;
}
export const RUN_MARK_ENV = 'WORKBOOK_RUN_MARK';

const specSchema = z.object({
  uid: z.number().int().min(1000),
  /** The view, in order (see bwrap.ts): what learner code sees of the machine besides the runtime. */
  mounts: z.array(z.tuple([z.enum(['ro', 'rw', 'hide', 'tmpfs']), z.string()])),
  tmpfsMb: z.number().int().positive(),
  /** Scratch space inside the view (a private size-limited folder), for suites and services that write files. */
  scratch: z.string(),
  /** cgroup.procs files the learner's processes join (memory and process limits). */
  cgroupProcs: z.array(z.string()),
  /** Where the grader makes folders to hand inputs to one learner process and read its results
   * back (shown to that process alone: exchangeDir and the caller's mounts). */
  exchange: z.string(),
});
export type SandboxSpec = z.infer<typeof specSchema>;

let spec: SandboxSpec | undefined | null = null;
/** The sandbox this grader was asked to put learner code in (class grading as root), if any. */
export function sandboxSpec(): SandboxSpec | undefined {
  if (spec === null) {
    const raw = process.env[SANDBOX_ENV];
    spec = raw ? specSchema.parse(JSON.parse(raw)) : undefined;
  }
  return spec;
}

/** This grader's marker, made once: NAME=value. Inherited by this process's children only. */
let mark: string | undefined;
export function runMarker(): string {
  if (!mark) {
    mark = `${RUN_MARK_ENV}=${ownedMarkerValue(randomBytes(6).toString('hex'))}`;
    trackMarker(mark);
  }
  return mark;
}

export interface UntrustedCommand {
  file: string;
  args: string[];
  env: NodeJS.ProcessEnv;
}

/** The environment with this grader's marker: for the grader's own helpers that host learner code
 * without being it (vitest itself, whose workers run the learner's modules). */
export function markedEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const [name, value] = runMarker().split('=') as [string, string];
  return { ...env, [name]: value };
}

/** The command that runs `argv` as learner code: marked always, sandboxed where this grader is. */
export function untrusted(argv: string[], options: { cwd: string; env: NodeJS.ProcessEnv; mounts?: Mount[] }): UntrustedCommand {
  const env = markedEnv(options.env);
  const sandbox = sandboxSpec();
  if (!sandbox) return { file: argv[0]!, args: argv.slice(1), env };
  // Root joins the limit groups first, then gives up every privilege for the submission's own id.
  const join = sandbox.cgroupProcs.map((_, i) => `echo $$ > "\${WORKBOOK_CG_${i}}" && `).join('');
  for (const [i, file] of sandbox.cgroupProcs.entries()) env[`WORKBOOK_CG_${i}`] = file;
  env.WORKBOOK_WORK_ROOT = sandbox.scratch;
  env.TMPDIR = '/tmp';
  env.HOME = sandbox.scratch;
  const drop = ['setpriv', `--reuid=${sandbox.uid}`, `--regid=${sandbox.uid}`, '--clear-groups', '--inh-caps=-all', '--bounding-set=-all', '--no-new-privs'];
  // It starts where it may write: its scratch folder, unless it was asked to start in a writable one.
  const inWritable = sandbox.mounts.some(([kind, dir]) => writable(kind) && (options.cwd === dir || options.cwd.startsWith(`${dir}/`)));
  const view = { mounts: [...sandbox.mounts, ...(options.mounts ?? [])], tmpfsMb: sandbox.tmpfsMb, cwd: inWritable ? options.cwd : sandbox.scratch };
  return { file: '/bin/sh', args: ['-c', `${join}exec "$@"`, 'sh', ...drop, 'bwrap', ...bwrapArgs(view, argv)], env };
}

/** Stops every process this grader's learner code left running (detached ones included). */
export function sweepUntrusted(): number {
  return mark ? killMarked(mark) : 0;
}

/** Stops what graders killed before their end left running (their marker names a gone owner). */
export function sweepLeftovers(): number {
  return sweepOrphans([RUN_MARK_ENV]);
}
