// `tsc --noEmit` over the learner's files: type errors are real mistakes that tsx would run anyway.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCommand } from '../live/processes.js';
import { cleanText } from '../report/clean.js';
import type { TypecheckResult } from '../report/results.js';
import { makeWorkDir, PROJECT_ROOT, removeDir } from './paths.js';

const TSC = path.join(PROJECT_ROOT, 'node_modules/typescript/bin/tsc');

export async function typecheck(targetDir: string, files: string[]): Promise<TypecheckResult> {
  const work = makeWorkDir('tsc');
  try {
    const config = path.join(work, 'tsconfig.json');
    writeFileSync(
      config,
      JSON.stringify({
        extends: path.join(PROJECT_ROOT, 'tsconfig.json'),
        compilerOptions: { noEmit: true, paths: {} },
        include: [],
        files: files.map((f) => path.join(targetDir, f)),
      }),
    );
    const result = await runCommand(process.execPath, [TSC, '--noEmit', '--pretty', 'false', '-p', config], {
      cwd: PROJECT_ROOT,
      timeoutMs: 30_000,
    });
    if (result.timedOut) return { status: 'error', files: files.length, message: 'the type-check did not finish within 30 s', errors: [] };
    const lines = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => /error TS\d+/.test(l));
    const inTarget = lines.filter((l) => path.resolve(PROJECT_ROOT, l.split('(')[0] ?? '').startsWith(targetDir));
    const errors = inTarget.map((l) => cleanText(path.isAbsolute(l) ? l : path.join(PROJECT_ROOT, l)));
    if (result.exitCode === 0) return { status: 'pass', files: files.length, message: `${files.length} file(s) type-check`, errors: [] };
    if (errors.length === 0) {
      return { status: 'error', files: files.length, message: `tsc failed: ${cleanText(lines.join('\n') || result.stderr).slice(0, 800)}`, errors: [] };
    }
    return { status: 'fail', files: files.length, message: `${errors.length} type error(s)`, errors: errors.slice(0, 20) };
  } finally {
    removeDir(work);
  }
}
