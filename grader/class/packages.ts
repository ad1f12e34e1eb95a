// At the basic level learner code runs as the grading user and could change the installed packages
// (vitest's reporter, say) for every later submission. Class grading therefore gives the copies a
// private copy of node_modules, takes its fingerprint (every file's size, times and inode: a write or
// a chmod changes the change time, which no one can set back), and checks it after each submission:
// a change discards the results graded meanwhile, restores the copy and grades them again.
import { createHash } from 'node:crypto';
import { cpSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

/** Caches tools write into node_modules while they run (each copy has its own): not packages. */
const CACHES = new Set(['.vite', '.vite-temp', '.vitest', '.cache']);
const isCache = (dir: string, name: string, root: string) => dir === root && CACHES.has(name);

export function packageFingerprint(dir: string): string {
  const hash = createHash('sha256');
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (isCache(at, entry.name, dir)) continue;
      const file = path.join(at, entry.name);
      const s = lstatSync(file, { bigint: true });
      hash.update(`${file}\0${s.mode}\0${s.size}\0${s.mtimeNs}\0${s.ctimeNs}\0${s.ino}\n`);
      if (entry.isDirectory()) walk(file);
    }
  };
  walk(dir);
  return hash.digest('hex');
}

/** The first file that differs between two trees, for the message (names, sizes, modes, contents). */
function firstChange(pristine: string, copy: string): string | undefined {
  const walk = (rel: string): string | undefined => {
    let theirs: string[];
    try {
      theirs = readdirSync(path.join(copy, rel)).sort();
    } catch {
      return rel || '.';
    }
    const ours = readdirSync(path.join(pristine, rel)).sort();
    const names = [...new Set([...ours, ...theirs])].filter((n) => !(rel === '' && CACHES.has(n))).sort();
    for (const name of names) {
      const sub = path.join(rel, name);
      if (!ours.includes(name) || !theirs.includes(name)) return sub;
      const a = lstatSync(path.join(pristine, sub));
      const b = lstatSync(path.join(copy, sub));
      if (a.isDirectory() && b.isDirectory()) {
        const inner = walk(sub);
        if (inner) return inner;
      } else if (a.size !== b.size || a.mode !== b.mode) return sub;
      else if (a.isFile() && !readFileSync(path.join(pristine, sub)).equals(readFileSync(path.join(copy, sub)))) return sub;
    }
    return undefined;
  };
  return walk('');
}

export interface PrivatePackages {
  /** The private node_modules the copies link to. */
  dir: string;
  /** How many times a change was found and undone. */
  generation(): number;
  /** Checks both trees. The private copy changed: restored (the generation goes up), with the first
   * file that differed. The project's own packages changed: nothing to restore them from. */
  check(): { changed: false } | { changed: true; file: string } | { projectChanged: true };
}

export function privatePackages(projectRoot: string, workRoot: string): PrivatePackages {
  const pristine = path.join(projectRoot, 'node_modules');
  const dir = path.join(workRoot, 'node_modules');
  const projectPrint = packageFingerprint(pristine);
  const copy = () => {
    rmSync(dir, { recursive: true, force: true });
    cpSync(pristine, dir, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true, filter: (src) => !isCache(path.dirname(src), path.basename(src), pristine) });
    return packageFingerprint(dir);
  };
  let expected = copy();
  let generation = 0;
  return {
    dir,
    generation: () => generation,
    check() {
      if (packageFingerprint(pristine) !== projectPrint) return { projectChanged: true };
      if (packageFingerprint(dir) === expected) return { changed: false };
      const file = firstChange(pristine, dir) ?? 'a file';
      expected = copy();
      generation++;
      return { changed: true, file: path.join('node_modules', file) };
    },
  };
}
