// `tsc --noEmit` over the learner's files: type errors are real mistakes that tsx would run anyway.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runLight } from '../processes.js';
import { cleanText } from '../report/clean.js';
import type { TypecheckResult } from '../report/results.js';
import { makeWorkDir, PROJECT_ROOT, removeDir, WORK_ROOT } from '../paths.js';

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

export async function typecheck(targetDir: string, files: string[]): Promise<TypecheckResult> {
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
    const result = await runLight(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '--singleThreaded', '-p', config], {
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
    if (result.exitCode === 0) return { status: 'pass', files: n, message: `${n} file(s) type-check`, errors: [] };
    const lines = result.output.split('\n').filter((l) => /error TS\d+/.test(l));
    const inTarget = lines.filter((l) => path.resolve(PROJECT_ROOT, l.split('(')[0] ?? '').startsWith(targetDir));
    const errors = inTarget.map((l) => cleanText(path.isAbsolute(l) ? l : path.join(PROJECT_ROOT, l)));
    if (errors.length === 0) {
      return { status: 'error', files: n, message: `tsc failed: ${cleanText(lines.join('\n') || result.output).slice(0, 800)}`, errors: [] };
    }
    const failing = files.filter((f) => inTarget.some((l) => path.resolve(PROJECT_ROOT, l.split('(')[0] ?? '') === path.join(targetDir, f)));
    return { status: 'fail', files: n, message: `${errors.length} type error(s)`, errors: errors.slice(0, 20), failing_files: failing };
  } finally {
    removeDir(work);
  }
}
