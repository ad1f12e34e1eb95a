// `tsc --noEmit` over the learner's files: type errors are real mistakes that tsx would run anyway.
// The type-check stays inside the learner's folder, as the suites' import rules do: tsc reads what it
// is pointed at, and a type error quotes the types it found there, so files that reach outside the
// folder (another learner's copy in a class, the reference) are refused, never type-checked.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLight } from '../processes.js';
import { cleanText } from '../report/clean.js';
import type { TypecheckResult } from '../report/results.js';
import { isInside, makeWorkDir, PROJECT_ROOT, removeDir, WORK_ROOT } from '../paths.js';

const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');
const TIMEOUT_MS = 30_000;

const CACHE_DIR = path.join(WORK_ROOT, 'tsc-cache');

/** One build-info cache per graded file set of exercises/ or solutions/, kept between grades;
 * none for scratch copies (they are graded once). */
function cachedBuildInfo(targetDir: string, files: string[]): string | undefined {
  if (targetDir.startsWith(WORK_ROOT)) return undefined;
  const key = createHash('sha256').update(`${targetDir}\n${files.join('\n')}`).digest('hex').slice(0, 16);
  return path.join(CACHE_DIR, `${key}.tsbuildinfo`);
}

/** A path in a module specifier or a reference: `from '…'`, `import('…')`, `import '…'`,
 * `require('…')`, `/// <reference path="…" />`. */
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+|\brequire\s*\(\s*|<reference\s+path\s*=\s*)(['"`])([^'"`\n]+)\1/g;

/** Where the installed packages really are (a class copy links to them). */
function packageRoots(): string[] {
  const roots = [path.join(PROJECT_ROOT, 'node_modules')];
  try {
    roots.push(path.dirname(realpathSync(path.join(PROJECT_ROOT, 'node_modules/typescript'))));
  } catch {
    // no typescript installed: tsc itself will say so
  }
  return roots;
}

/** Each `file: 'specifier'` of the learner's files that names a path outside the folder. */
export function importsOutside(targetDir: string, files: string[]): string[] {
  const found: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(targetDir, file), 'utf8');
    } catch {
      continue;
    }
    for (const [, , specifier] of text.matchAll(SPECIFIER)) {
      if (!specifier || !/^(\.{1,2}(\/|\\|$)|\/|file:)/.test(specifier)) continue;
      const named = specifier.startsWith('file:') ? specifier.replace(/^file:\/*/, '/') : specifier;
      if (!isInside(targetDir, path.resolve(path.dirname(path.join(targetDir, file)), named))) found.push(`${file}: '${specifier}'`);
    }
  }
  return found;
}

function refusedOutside(files: string[], found: string[], all: boolean): TypecheckResult {
  const failing = all ? files : files.filter((f) => found.some((x) => x.startsWith(`${f}: `)));
  const errors = found.length
    ? found.slice(0, 20).map((x) => `${x} is outside your exercises folder: import only your own files and installed packages`)
    : failing.map((f) => `${f}: reaches a file outside your exercises folder: import only your own files and installed packages`);
  return { status: 'fail', files: files.length, message: 'your files import from outside your exercises folder, so they were not type-checked', errors, failing_files: failing };
}

export async function typecheck(targetDir: string, files: string[]): Promise<TypecheckResult> {
  const outside = importsOutside(targetDir, files);
  if (outside.length) return refusedOutside(files, outside, false);
  const work = makeWorkDir('tsc');
  try {
    const config = path.join(work, 'tsconfig.json');
    // tsc works on a private copy of the cache, which replaces the cache in one rename afterwards,
    // so grades running side by side never read a half-written file.
    const cached = cachedBuildInfo(targetDir, files);
    const buildInfo = path.join(work, 'tsconfig.tsbuildinfo');
    if (cached && existsSync(cached)) copyFileSync(cached, buildInfo);
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(PROJECT_ROOT, 'tsconfig.json'),
        // Incremental: library types checked once are reused by the next grade of the same files.
        compilerOptions: { noEmit: true, paths: {}, incremental: true, tsBuildInfoFile: buildInfo },
        include: [],
        files: files.map((f) => path.join(targetDir, f)),
      }),
    );
    const result = await runLight(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '--singleThreaded', '--listFiles', '-p', config], {
      cwd: PROJECT_ROOT,
      timeoutMs: TIMEOUT_MS,
      // One core: the services under test need the other (tsc is a native, multi-threaded program).
      env: { ...process.env, GOMAXPROCS: '1' },
    });
    if (cached && !result.timedOut && existsSync(buildInfo)) {
      mkdirSync(CACHE_DIR, { recursive: true });
      renameSync(buildInfo, cached);
    }
    const n = files.length;
    if (result.timedOut) return { status: 'error', files: n, message: `the type-check did not finish within ${TIMEOUT_MS / 1000} s`, errors: [] };
    // Whatever form of reference the look above missed: the program tsc read must stay inside.
    const realTarget = realpathSync(targetDir);
    const roots = packageRoots();
    const listed = (l: string) => path.isAbsolute(l.trim()) && !/error TS\d+/.test(l);
    const read = result.output.split('\n').filter(listed).map((l) => l.trim());
    if (read.some((f) => !isInside(realTarget, f) && !isInside(targetDir, f) && !roots.some((r) => isInside(r, f)))) return refusedOutside(files, [], true);
    if (result.exitCode === 0) return { status: 'pass', files: n, message: `${n} file(s) type-check`, errors: [] };
    const lines = result.output.split('\n').filter((l) => /error TS\d+/.test(l));
    const inTarget = lines.filter((l) => path.resolve(PROJECT_ROOT, l.split('(')[0] ?? '').startsWith(targetDir));
    const errors = inTarget.map((l) => cleanText(path.isAbsolute(l) ? l : path.join(PROJECT_ROOT, l)));
    if (errors.length === 0) {
      const said = result.output.split('\n').filter((l) => !listed(l)).join('\n');
      return { status: 'error', files: n, message: `tsc failed: ${cleanText(lines.join('\n') || said).slice(0, 800)}`, errors: [] };
    }
    const failing = files.filter((f) => inTarget.some((l) => path.resolve(PROJECT_ROOT, l.split('(')[0] ?? '') === path.join(targetDir, f)));
    return { status: 'fail', files: n, message: `${errors.length} type error(s)`, errors: errors.slice(0, 20), failing_files: failing };
  } finally {
    removeDir(work);
  }
}
