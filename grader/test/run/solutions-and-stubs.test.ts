// The reference solutions pass every criterion; the untouched stubs fail every criterion but B.1's.
import { describe, expect, it } from 'vitest';
import { loadCourse } from '../../course/load.js';
import { grade } from '../../run/grade.js';
import { resolveTarget } from '../../run/target.js';
import { INSTALL_HINT } from '../../live/prometheus-tools.js';
import { criteria } from '../helpers/submission.js';
import type { CriterionResult, Report } from '../../report/results.js';

const course = loadCourse();

/** Without Prometheus, criteria that need it are skipped, saying how to install it: that is honest. */
function honestlySkipped(report: Report, c: CriterionResult): boolean {
  const toolsMissing = !report.prometheus.promtool || !report.prometheus.prometheus;
  return toolsMissing && c.status === 'skipped' && c.message.includes(INSTALL_HINT);
}

describe('solutions/', () => {
  it('passes every criterion of the course and type-checks', async () => {
    const target = resolveTarget({ solutions: true });
    const report = await grade({ course, selectors: [], target });
    const notPassing = criteria(report)
      .filter((c) => c.status !== 'pass' && !honestlySkipped(report, c))
      .map((c) => `${c.id}: ${c.status} ${c.message}`);
    expect(notPassing).toEqual([]);
    expect(criteria(report).length).toBe(course.sections.flatMap((s) => s.exercises.flatMap((e) => e.criteria)).length);
    expect(report.sections.map((s) => s.typecheck?.status)).toEqual(report.sections.map(() => 'pass'));
    expect(report.summary.points).toBe(report.summary.max_points);
  });
});

describe('exercises/ (the untouched stubs)', () => {
  it('fails every criterion but the environment check, each with a message and a hint', async () => {
    const target = resolveTarget({});
    const report = await grade({ course, selectors: [], target });
    for (const c of criteria(report)) {
      if (c.exercise === 'B.1') {
        expect(c.status, c.id).toBe('pass');
        continue;
      }
      if (honestlySkipped(report, c)) continue;
      expect(c.status, `${c.id} must not pass on the stub`).toBe('fail');
      expect(c.message.length, `${c.id} says why`).toBeGreaterThan(10);
      expect(c.hint, `${c.id} has a hint`).toBeTruthy();
      expect(c.message, `${c.id} shows no stack trace`).not.toMatch(/\n\s+at /);
    }
    expect(report.sections[0]?.typecheck?.status, 'the stubs type-check').toBe('pass');
  });
});
