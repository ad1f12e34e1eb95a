// Every error code of grader/errors.ts is in the README's table with the same exit code and meaning,
// and the table names no code that does not exist.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../errors.js';
import { PROJECT_ROOT } from '../../paths.js';

describe('error codes and the README', () => {
  it('list the same codes, exit codes and meanings', () => {
    const readme = readFileSync(path.join(PROJECT_ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \| (\d) \| (.+) \|$/gm)].map((m) => [m[1], Number(m[2]), m[3]]);
    const codes = Object.entries(ERROR_CODES).map(([code, { exit, summary }]) => [code, exit, summary]);
    expect(rows).toEqual(codes);
  });
});
