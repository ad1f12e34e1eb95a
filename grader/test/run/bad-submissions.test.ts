// Bad submissions get a clear verdict within the time limit and leave no process behind.
import { describe, expect, it } from 'vitest';
import { badSubmissions } from '../fixtures/bad-submissions.js';
import { criteria, gradeVariant } from '../helpers/submission.js';

function expectedStatus(id: string, table: Record<string, string>): string | undefined {
  const prefix = Object.keys(table).filter((p) => id === p || id.startsWith(`${p}.`)).sort((a, b) => b.length - a.length)[0];
  return prefix ? table[prefix] : undefined;
}

describe.each(badSubmissions)('$name', (bad) => {
  it('gets the expected verdicts, clear messages, and leaves nothing running', async () => {
    const { report, leftovers } = await gradeVariant(bad, bad.grade, { typecheck: true });
    const all = criteria(report);
    expect(all.length).toBeGreaterThan(0);
    for (const c of all) {
      expect(c.status, `${c.id}: ${c.message}`).toBe(expectedStatus(c.id, bad.expect));
      if (c.status !== 'pass') {
        if (bad.message) expect(c.message, c.id).toMatch(bad.message);
        expect(c.message, `${c.id} has no stack trace`).not.toMatch(/\n\s+at /);
        expect(c.message, `${c.id} has no absolute path`).not.toMatch(/\/(work|home|tmp)\//);
      }
    }
    if (bad.typecheck) {
      const t = report.sections[0]!.typecheck!;
      expect(t.status).toBe(bad.typecheck);
      if (bad.typecheck === 'fail') expect(t.errors.join('\n')).toMatch(/B\/metrics\.ts\(\d+,\d+\): error TS2322/);
    }
    expect(leftovers).toEqual([]);
  });
});
