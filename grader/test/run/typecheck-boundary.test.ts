// The type-check stays inside the learner's folder: a type error quotes the types tsc found, so a file
// that reaches outside (another learner's copy in a class, the reference) is refused, never read, and
// whether the file outside exists or not makes no difference to what the learner is told.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import { typecheck } from '../../run/typecheck.js';

const work = makeWorkDir('typecheck-boundary');
afterAll(() => removeDir(work));
const dir = path.join(work, 'exercises');
mkdirSync(path.join(dir, 'A'), { recursive: true });
mkdirSync(path.join(work, 'other'));
writeFileSync(path.join(work, 'other/answers.ts'), "export const ANSWER = 'not yours to read' as const;\n");
const stub = readFileSync(path.join(PROJECT_ROOT, 'solutions/A/percentiles.ts'), 'utf8');
const FILE = 'A/percentiles.ts';

async function withLine(line: string) {
  writeFileSync(path.join(dir, FILE), `${stub}\n${line}\n`);
  return typecheck(dir, [FILE]);
}

describe('the type-check of a learner folder', () => {
  it('type-checks a file that imports only its folder and installed packages', async () => {
    expect((await withLine("import { readFileSync as _read } from 'node:fs';")).status).toBe('pass');
  });

  it.each([
    ['an import of a file that exists', "import { ANSWER } from '../../other/answers.js';\nexport const leak: number = ANSWER;", "'../../other/answers.js'"],
    ['an import of a file that does not', "import { ANSWER } from '../../other/nothing.js';\nexport const leak: number = ANSWER;", "'../../other/nothing.js'"],
    ['an absolute path', `export type Leak = typeof import('${path.join(work, 'other/answers.js')}');`, `'${path.join(work, 'other/answers.js')}'`],
    ['a reference path', '/// <reference path="../../other/answers.ts" />', "'../../other/answers.ts'"],
  ])('refuses %s, the same way, and shows nothing of it', async (_what, line, specifier) => {
    const result = await withLine(line);
    expect(result).toEqual({
      status: 'fail',
      files: 1,
      message: 'your files import from outside your exercises folder, so they were not type-checked',
      errors: [`${FILE}: ${specifier} is outside your exercises folder: import only your own files and installed packages`],
      failing_files: [FILE],
    });
    expect(JSON.stringify(result)).not.toContain('not yours to read');
  });
});
