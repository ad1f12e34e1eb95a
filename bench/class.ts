// A class of 30 generated Section A submissions (solved, partly solved, stubs and every safety case)
// graded with one `grade class` command, N times per isolation level: the wall times, submissions per
// minute, and every row checked against the stored gradebook; in the sandbox and at the basic level
// where the sandbox exists, so that its own cost shows apart. `npm run bench` runs it once per level;
// `npm run bench -- --class [--runs N]` runs only this.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { makeSubmission, TEST_CLASS, type Kind } from '../grader/test/fixtures/class/make-class.js';

const SAFETY: Kind[] = ['loops-forever', 'orphans', 'memory-hog', 'floods-stdout', 'forges-output', 'tampers-expect', 'edits-grader', 'empty', 'whole-copy'];
const MIX: Kind[] = ['fixed-port', ...Array<Kind>(7).fill('solved'), ...Array<Kind>(6).fill('partly'), ...Array<Kind>(6).fill('stub'), ...SAFETY, 'probe'];

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The stored row (criteria columns and status) for each kind, from the class test's gradebook. */
function expectedRows(root: string, level: string): Map<Kind, string> {
  const lines = readFileSync(path.join(root, `grader/test/fixtures/class/expected-gradebook.${level}.csv`), 'utf8').trim().split('\n').slice(1);
  // learner, folder, then the status and the points: the folder column is the submission's own name.
  const byName = new Map(lines.map((l) => [l.split(',')[0]!, l.split(',').slice(2).join(',')]));
  return new Map(TEST_CLASS.map((m) => [m.kind, byName.get(m.name)!]));
}

/** The wall times of each isolation level's runs, in ms. */
export async function benchClass(root: string, runs: number): Promise<Map<string, number[]>> {
  const scratch = mkdtempSync(path.join(root, '.grader-work', 'bench-class-'));
  try {
    const classDir = path.join(scratch, 'class');
    const port = await freePort();
    MIX.forEach((kind, i) => makeSubmission(path.join(classDir, `${String(i + 1).padStart(2, '0')}-${kind}`), kind, { port, sleepSeconds: 3300 + i }));
    // Both levels where the sandbox exists, so that its own cost shows as the difference.
    const sandbox = spawnSync('bwrap', ['--version']).status === 0 && process.getuid?.() === 0;
    const levels = sandbox ? ['sandbox', 'basic'] : ['basic'];
    console.log(`Class grading: ${MIX.length} submissions of Section A, ${runs} run(s) per isolation level (${levels.join(', ')}), node ${process.versions.node}\n`);
    const medians = new Map<string, number>();
    const timed = new Map<string, number[]>();
    for (const wanted of levels) {
      const times: number[] = [];
      for (let run = 0; run < runs; run++) {
        const out = path.join(scratch, `out-${wanted}-${run}`);
        const started = performance.now();
        const graded = spawnSync(process.execPath, ['--import', 'tsx', path.join(root, 'grader/cli/main.ts'), 'grade', 'class', classDir, '--section', 'A', '--out', out, '--memory', '768', '--isolation', wanted], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
        if (graded.status !== 0) throw new Error(`grade class failed (exit ${graded.status}):\n${graded.stderr}`);
        times.push(performance.now() - started);
        const level = /isolation: (\w+)/.exec(graded.stderr)?.[1] ?? 'basic';
        const expected = expectedRows(root, level);
        const rows = readFileSync(path.join(out, 'gradebook.csv'), 'utf8').trim().split('\n').slice(1);
        const wrong = rows.filter((row) => {
          const [name, , ...rest] = row.split(',');
          const kind = name!.replace(/^\d+-/, '') as Kind;
          return rest.join(',') !== expected.get(kind);
        });
        const left = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes(classDir) || /sleep 33\d\d/.test(l));
        console.log(`${level} run ${run + 1}: ${(times.at(-1)! / 1000).toFixed(1)} s, rows correct ${rows.length - wrong.length}/${MIX.length}${wrong.length ? ` (wrong: ${wrong.map((w) => w.split(',')[0]).join(', ')})` : ''}, processes left ${left.length}`);
      }
      const sorted = [...times].sort((a, b) => a - b);
      const median = sorted[Math.floor(sorted.length / 2)]!;
      medians.set(wanted, median);
      timed.set(wanted, times);
      console.log(`${wanted}: median ${(median / 1000).toFixed(1)} s (min ${(sorted[0]! / 1000).toFixed(1)}, max ${(sorted.at(-1)! / 1000).toFixed(1)}); ${((MIX.length / median) * 60_000).toFixed(1)} submissions per minute\n`);
    }
    if (medians.has('sandbox')) {
      const cost = medians.get('sandbox')! - medians.get('basic')!;
      console.log(`the sandbox's own cost: ${(cost / 1000).toFixed(1)} s for the class, ${(cost / MIX.length / 1000).toFixed(2)} s a submission\n`);
    }
    return timed;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
