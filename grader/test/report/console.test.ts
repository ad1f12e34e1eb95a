// The text report: marks, expected / seen / hint on a failure, a shared reason told once, no colour when asked.
import { describe, expect, it } from 'vitest';
import { formatReport, plain } from '../../report/console.js';
import { cleanError, cleanText } from '../../report/clean.js';
import { PROJECT_ROOT } from '../../paths.js';
import { summarize, type CriterionResult, type Report } from '../../report/results.js';

const base = { exercise: 'B.3', kind: 'live' as const, points: 0, max_points: 1 };
function report(criteria: CriterionResult[]): Report {
  const sections = [{ id: 'B', title: 'Beginner', criteria }];
  return { schema: 1, target: 'exercises', prometheus: { promtool: true, prometheus: true }, sections, summary: summarize(sections), duration_ms: 1200 };
}

describe('formatReport', () => {
  it('shows expected, seen and hint under a failure, and a pass with a tick', () => {
    const text = formatReport(
      report([
        { ...base, id: 'B.3.a', title: 'counts requests', status: 'fail', message: 'wrong count', expected: 'x 5', seen: 'x 4', hint: 'use onResponse' },
        { ...base, id: 'B.3.b', title: 'ids', status: 'pass', message: 'ok', points: 1 },
      ]),
      plain,
      new Map([['B.3', 'Instrumenting']]),
    );
    expect(text).toContain('B.3 Instrumenting');
    expect(text).toContain('✗ counts requests (B.3.a)');
    expect(text).toMatch(/wrong count\n\s+expected: x 5\n\s+seen:     x 4\n\s+hint:     use onResponse/);
    expect(text).toContain('✓ ids (B.3.b)');
    expect(text).toContain('1 passed, 1 failed  ·  1/2 points  ·  1.2 s');
    expect(text).not.toContain('\x1b[');
  });

  it('tells a reason shared by several criteria once', () => {
    const down = { ...base, status: 'fail' as const, message: 'the service did not start', hint: 'finish B.2' };
    const text = formatReport(report([{ ...down, id: 'B.3.a', title: 'one' }, { ...down, id: 'B.3.b', title: 'two' }]), plain);
    expect(text.match(/the service did not start/g)).toHaveLength(1);
    expect(text).toContain('the 2 criteria marked above with this reason');
  });
});

describe('clean messages', () => {
  it('removes colour codes, absolute project paths and stack frames', () => {
    const raw = `\x1b[31mError: boom\x1b[39m at ${PROJECT_ROOT}/exercises/B/app.ts:3:1\n    at Object.<anonymous> (${PROJECT_ROOT}/grader/x.ts:1:1)\n    at node:internal/foo`;
    expect(cleanText(raw)).not.toContain(PROJECT_ROOT);
    expect(cleanError(raw)).toBe('Error: boom at exercises/B/app.ts:3:1');
  });
});
