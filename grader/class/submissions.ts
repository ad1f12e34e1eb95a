// A class folder: one sub-folder per learner, each their exercises/ tree or a whole workbook copy.
// Each is graded in its own copy: the learner's exercise files, with the grader's own suites,
// config and package files laid over them (never the learner's), and no solutions.
import { chownSync, cpSync, existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { createHash } from 'node:crypto';
import path from 'node:path';
import { course } from '../course/course.js';

export interface Submission {
  /** The learner's label: the folder's name made safe for file names (traceable: see safeLabel). */
  learner: string;
  /** The folder's exact name, as the instructor sees it. */
  folder: string;
  /** The folder as given. */
  source: string;
  /** The learner's exercises tree inside it, or why there is none. */
  exercises?: string;
  problem?: string;
}

const SECTION_DIRS = course.sections.map((s) => s.id);
/** Files a learner's copy may carry that would change how it is graded: the grader's own are used. */
const IGNORED = /^(package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|\.npmrc|tsconfig(\..*)?\.json|vitest\.(config|workspace)\..*|vite\.config\..*)$/;
/** Folders vite and vitest write into while they run: the copy's own, writable by the submission. */
const CACHE_DIRS = ['.vite', '.vite-temp', '.vitest'];
const MAX_SUBMISSION_BYTES = 50 * 1024 * 1024;

export const safeName = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';

const MAX_LABEL = 60;

/** A label safe for file names that still leads back to the folder: accents folded, anything else
 * replaced, cut to 60 characters, and, whenever that changed the name, a short hash of the exact
 * name added (so `José` and `Josè`, or `a b` and `a_b`, never take each other's label). */
export function safeLabel(name: string): string {
  const plain = safeName(name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '')).slice(0, MAX_LABEL);
  return plain === name ? plain : `${plain}-${createHash('sha256').update(name).digest('hex').slice(0, 6)}`;
}

/** Entries of a class folder that are no one's submission. */
const NOT_SUBMISSIONS = new Set(['.git', '.DS_Store', 'Thumbs.db', 'desktop.ini']);
const ARCHIVE = /\.(zip|tar|tgz|tar\.(gz|bz2|xz|zst)|gz|bz2|xz|7z|rar)$/i;

/** Every entry of the class folder is a row: a learner's folder, or a line saying why it is not graded. */
export function findSubmissions(classDir: string): Submission[] {
  const entries = readdirSync(classDir, { withFileTypes: true })
    .filter((e) => !NOT_SUBMISSIONS.has(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const seen = new Set<string>();
  return entries.map((e) => {
    let learner = safeLabel(e.name);
    for (let n = 2; seen.has(learner); n++) learner = `${safeLabel(e.name)}-${n}`;
    seen.add(learner);
    const source = path.join(classDir, e.name);
    const base = { learner, folder: e.name, source };
    if (e.isSymbolicLink()) return { ...base, problem: 'a symbolic link: not followed (copy the folder itself into the class folder)' };
    if (e.name.startsWith('.')) return { ...base, problem: 'a hidden name (it starts with a dot): not graded; rename it without the dot to grade it' };
    if (!e.isDirectory()) {
      return { ...base, problem: ARCHIVE.test(e.name) ? 'an archive: unpack it into a folder of its own to grade it' : 'not a folder: each learner\'s submission is a folder' };
    }
    return { ...base, ...locateExercises(source) };
  });
}

function locateExercises(source: string): { exercises?: string; problem?: string } {
  try {
    if (!statSync(source).isDirectory()) return { problem: 'not a folder' };
    const nested = path.join(source, 'exercises');
    if (existsSync(nested) && lstatSync(nested).isSymbolicLink()) return { problem: 'its exercises/ is a symbolic link: not followed (submit the folder itself)' };
    if (existsSync(nested) && statSync(nested).isDirectory()) return { exercises: nested };
    if (SECTION_DIRS.some((s) => existsSync(path.join(source, s)))) return { exercises: source };
    return { problem: `no exercises/ folder and no section folders (${SECTION_DIRS.join(', ')}) in it` };
  } catch (error) {
    return { problem: `cannot read it: ${(error as Error).message}` };
  }
}

export interface PreparedCopy {
  root: string;
  exercises: string;
  /** Learner files left out because the grader's own are used (shown in the feedback). */
  ignored: string[];
  /** A fingerprint of the grader's files in the copy, to see afterwards that nothing changed them. */
  fingerprint: string;
  /** The learner code's scratch folder (in the sandbox, a private size-limited folder). */
  scratch: string;
  /** A folder the grader and the learner's code both see (writable to the learner's code). */
  exchange: string;
}

/** Lays out <root>: grader/ (ours), package.json, tsconfig.json, node_modules/ (links to ours, with
 * a writable cache folder), exercises/ (the learner's files minus config and links), .grader-work/. */
export function prepareCopy(projectRoot: string, exercisesDir: string, root: string, options: { extraSuites?: string; uid?: number; packages?: string }): PreparedCopy {
  mkdirSync(root, { recursive: true });
  cpSync(path.join(projectRoot, 'grader'), path.join(root, 'grader'), { recursive: true, filter: (src) => !src.startsWith(path.join(projectRoot, 'grader/test')) });
  for (const file of ['package.json', 'tsconfig.json']) cpSync(path.join(projectRoot, file), path.join(root, file));
  // The one part of the reference the grader needs (B.7 plants bugs in the reference service).
  cpSync(path.join(projectRoot, 'solutions/B'), path.join(root, 'grader/reference/B'), { recursive: true, filter: (src) => !src.endsWith('.test.ts') });
  if (options.extraSuites) cpSync(options.extraSuites, path.join(root, 'grader/extra-suites'), { recursive: true });
  const modules = path.join(root, 'node_modules');
  mkdirSync(modules);
  // The project's packages (read-only in the sandbox), or the class run's private copy of them.
  const packages = options.packages ?? path.join(projectRoot, 'node_modules');
  for (const entry of readdirSync(packages)) {
    if (CACHE_DIRS.includes(entry)) continue;
    symlinkSync(path.join(packages, entry), path.join(modules, entry));
  }
  for (const cache of CACHE_DIRS) mkdirSync(path.join(modules, cache));

  const ignored: string[] = [];
  let bytes = 0;
  const exercises = path.join(root, 'exercises');
  cpSync(exercisesDir, exercises, {
    recursive: true,
    filter: (src) => {
      const rel = path.relative(exercisesDir, src);
      if (rel === '') return true;
      const info = lstatSync(src);
      const name = path.basename(src);
      if (info.isSymbolicLink() || name === 'node_modules' || name === '.git' || IGNORED.test(name)) {
        ignored.push(rel.split(path.sep).join('/'));
        return false;
      }
      // Only plain files and folders: a FIFO, socket or device is named and never opened.
      if (!info.isFile() && !info.isDirectory()) {
        ignored.push(`${rel.split(path.sep).join('/')} (${info.isFIFO() ? 'a FIFO' : info.isSocket() ? 'a socket' : 'a device'}, not a file)`);
        return false;
      }
      bytes += info.size;
      if (bytes > MAX_SUBMISSION_BYTES) throw new Error(`the submission is larger than ${MAX_SUBMISSION_BYTES / 1024 / 1024} MB`);
      return true;
    },
  });
  const work = path.join(root, '.grader-work');
  mkdirSync(path.join(work, 'tmp'), { recursive: true });
  // Where the learner's code writes (in the sandbox, a private size-limited folder mounted here).
  const scratch = path.join(root, 'scratch');
  mkdirSync(scratch);
  // Files the grader hands to learner code that runs apart (F.3's generator) and its results.
  const exchange = path.join(root, 'exchange');
  mkdirSync(exchange);
  return { root, exercises, scratch, exchange, ignored, fingerprint: fingerprint(root) };
}

function chownTree(dir: string, uid: number): void {
  chownSync(dir, uid, uid);
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    chownSync(path.join(entry.parentPath, entry.name), uid, uid);
  }
}

/** A hash over the grader's files in a copy (names and contents). */
export function fingerprint(root: string): string {
  const hash = createHash('sha256');
  const files = ['package.json', 'tsconfig.json'];
  for (const entry of readdirSync(path.join(root, 'grader'), { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) files.push(path.relative(root, path.join(entry.parentPath, entry.name)));
  }
  for (const file of files.sort()) {
    hash.update(`${file}\0`);
    try {
      hash.update(readFileSync(path.join(root, file)));
    } catch {
      hash.update('missing');
    }
  }
  return hash.digest('hex');
}

/** The grader's files that differ between the project and a copy, for the error message. */
export function changedGraderFiles(projectRoot: string, root: string): string[] {
  const changed: string[] = [];
  const check = (rel: string) => {
    const ours = path.join(projectRoot, rel);
    const theirs = path.join(root, rel);
    if (!existsSync(theirs)) changed.push(`${rel} (deleted)`);
    else if (!readFileSync(ours).equals(readFileSync(theirs))) changed.push(`${rel} (changed)`);
  };
  for (const rel of ['package.json', 'tsconfig.json']) check(rel);
  for (const entry of readdirSync(path.join(projectRoot, 'grader'), { withFileTypes: true, recursive: true })) {
    const rel = path.relative(projectRoot, path.join(entry.parentPath, entry.name));
    if (entry.isFile() && !rel.startsWith(`grader${path.sep}test`)) check(rel);
  }
  if (existsSync(path.join(root, 'grader'))) {
    for (const entry of readdirSync(path.join(root, 'grader'), { withFileTypes: true, recursive: true })) {
      const rel = path.relative(root, path.join(entry.parentPath, entry.name));
      if (entry.isFile() && !/^grader[\\/](extra-suites|reference)[\\/]/.test(rel) && !existsSync(path.join(projectRoot, rel))) changed.push(`${rel} (added)`);
    }
  }
  return changed;
}
