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

export interface SandboxSpec {
  uid: number;
  /** The view, in order (see bwrap.ts): what learner code sees of the machine besides the runtime. */
  mounts: Array<['ro' | 'rw' | 'hide' | 'tmpfs', string]>;
  tmpfsMb: number;
  /** Scratch space inside the view (a private size-limited folder), for suites and services that write files. */
  scratch: string;
  /** cgroup.procs files the learner's processes join (memory and process limits). */
  cgroupProcs: string[];
  /** Where the grader makes folders to hand inputs to one learner process and read its results
   * back (shown to that process alone: exchangeDir and the caller's mounts). */
  exchange: string;
}

/** The spec the class command hands its graders, checked field by field (the bad value named). */
export function parseSandboxSpec(raw: string): SandboxSpec {
  const data: unknown = JSON.parse(raw);
  const bad = (field: string, value: unknown): never => {
    throw new Error(`${SANDBOX_ENV}: ${field} is not valid: ${JSON.stringify(value)}`);
  };
  if (typeof data !== 'object' || data === null) return bad('the spec', data);
  const o = data as Record<string, unknown>;
  const isString = (v: unknown): v is string => typeof v === 'string';
  if (!Number.isInteger(o.uid) || (o.uid as number) < 1000) bad('uid', o.uid);
  if (!Number.isInteger(o.tmpfsMb) || (o.tmpfsMb as number) <= 0) bad('tmpfsMb', o.tmpfsMb);
  if (!isString(o.scratch)) bad('scratch', o.scratch);
  if (!isString(o.exchange)) bad('exchange', o.exchange);
  if (!Array.isArray(o.cgroupProcs) || !o.cgroupProcs.every(isString)) bad('cgroupProcs', o.cgroupProcs);
  const kinds = ['ro', 'rw', 'hide', 'tmpfs'];
  const mountOk = (m: unknown) => Array.isArray(m) && m.length === 2 && kinds.includes(m[0] as string) && isString(m[1]);
  if (!Array.isArray(o.mounts) || !o.mounts.every(mountOk)) bad('mounts', o.mounts);
  return { uid: o.uid, mounts: o.mounts, tmpfsMb: o.tmpfsMb, scratch: o.scratch, cgroupProcs: o.cgroupProcs, exchange: o.exchange } as SandboxSpec;
}

let spec: SandboxSpec | undefined | null = null;
/** The sandbox this grader was asked to put learner code in (class grading as root), if any. */
export function sandboxSpec(): SandboxSpec | undefined {
  if (spec === null) {
    const raw = process.env[SANDBOX_ENV];
    spec = raw ? parseSandboxSpec(raw) : undefined;
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
