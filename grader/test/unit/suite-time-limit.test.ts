// Hidden suites graded together, when their shared run is stopped at its time limit: the suite still
// running after a whole suite's limit gets the time-out, the others run again together (none waits
// for a second time-out); where no suite can be told apart, each runs alone.
import { describe, expect, it } from 'vitest';
import { course } from '../../course/course.js';
import type { VitestRun } from '../../live/vitest-json.js';
import { runSuites, suiteFile, SUITE_TIMEOUT_MS } from '../../run/suites.js';

const exercises = ['A.1', 'A.2', 'A.3'].map((id) => course.sections.flatMap((s) => s.exercises).find((e) => e.id === id)!);
/** A run that ended and reported nothing (each criterion then says its file could not be loaded). */
const empty: VitestRun = { kind: 'done', files: [], numTotalTests: 0, stderr: '', unhandled: [] };

async function grade(running: Array<{ id: string; ms: number }>): Promise<{ runs: string[][]; statuses: Record<string, string> }> {
  const runs: string[][] = [];
  const start = async (ids: string[]): Promise<VitestRun> => {
    runs.push(ids);
    return runs.length === 1 ? { kind: 'timeout', timeoutMs: 24_000, running: running.map((r) => ({ file: suiteFile(r.id), ms: r.ms })) } : empty;
  };
  const verdicts = await runSuites(exercises, '/nowhere', 1, start);
  const statuses: Record<string, string> = {};
  for (const [id, v] of verdicts) statuses[id.split('.').slice(0, 2).join('.')] = `${v.status}: ${v.message.split(':')[0]}`;
  return { runs, statuses };
}

describe('a shared suite run stopped at its time limit', () => {
  it('times out the suite that ran a whole limit, and runs the others again together', async () => {
    const { runs, statuses } = await grade([{ id: 'A.1', ms: SUITE_TIMEOUT_MS + 3_000 }]);
    expect(runs).toEqual([['A.1', 'A.2', 'A.3'], ['A.2', 'A.3']]);
    expect(statuses['A.1']).toBe('error: the tests of A.1 did not finish within 20 s');
  });

  it('runs each alone when the suite still running began too late to have had a whole limit', async () => {
    const { runs } = await grade([{ id: 'A.1', ms: SUITE_TIMEOUT_MS - 1 }]);
    expect(runs).toEqual([['A.1', 'A.2', 'A.3'], ['A.1'], ['A.2'], ['A.3']]);
  });

  it('runs each alone when nothing says which suite was running', async () => {
    const { runs } = await grade([]);
    expect(runs).toEqual([['A.1', 'A.2', 'A.3'], ['A.1'], ['A.2'], ['A.3']]);
  });
});
