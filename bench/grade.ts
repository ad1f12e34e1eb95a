// npm run bench [-- --runs N]: how long the workbook takes where a learner, an instructor or a
// contributor waits, each row beside its floor measured in the same run (median and min–max, and the
// ratio of the medians): single grades, the whole course, the menu, watch, a class of 30 and the
// grader's own tests (about 20 minutes in all). `-- --quick`: the learner's rows only, one run each.
// `-- --class [--runs N]`: only the class of 30.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchClass } from './class.js';
import { cpuFloor, nodeFloor, prometheusFloor, serviceFloor, vitestFloor } from './floors.js';
import { course } from '../grader/course/course.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = path.join(root, 'grader/cli/main.ts');
const { values } = parseArgs({ options: { runs: { type: 'string' }, class: { type: 'boolean', default: false }, quick: { type: 'boolean', default: false } } });
const runs = Number(values.runs ?? (values.class ? 3 : values.quick ? 1 : 5));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1, got "${values.runs}"`);
  process.exit(2);
}
if (values.class) {
  await benchClass(root, runs);
  process.exit(0);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function grade(args: string[]): number {
  const started = performance.now();
  try {
    execFileSync(process.execPath, ['--import', 'tsx', MAIN, 'grade', ...args, '--json'], { cwd: root, stdio: 'ignore' });
  } catch (error) {
    throw new Error(`grade ${args.join(' ')} did not pass: the benchmark only times passing grades (${(error as Error).message})`);
  }
  return performance.now() - started;
}

/** Why npm scripts timed here did not pass (the lines of their output that say so). */
const failures: string[] = [];

/** One npm script, timed whole; when it does not pass, its time still counts and why is told below
 * the table (the rest of the benchmark goes on). */
function npmScript(script: string): number {
  const started = performance.now();
  const run = spawnSync('npm', ['run', '-s', script], { cwd: root, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, env: { ...process.env, FORCE_COLOR: '0' } });
  const ms = performance.now() - started;
  if (run.status !== 0) {
    const said = `${run.stdout ?? ''}\n${run.stderr ?? ''}`.split('\n');
    const failed = said.filter((l) => /\bFAIL\b|×|✗|AssertionError|Error:/.test(l)).slice(0, 30);
    failures.push(`npm run ${script} did not pass (exit ${run.status ?? run.signal}):\n${(failed.length ? failed : said.slice(-30)).join('\n')}`);
  }
  return ms;
}

function startUntilList(): number {
  const started = performance.now();
  execFileSync(process.execPath, ['--import', 'tsx', MAIN, 'start'], { cwd: root, stdio: ['ignore', 'ignore', 'ignore'] });
  return performance.now() - started;
}

/** Watch mode on a learner's copy of an exercise: from a save of `edited` to the verdict printed. */
async function watchSaves(exercise: string, edited: string, times: number): Promise<number[]> {
  const home = mkdtempSync(path.join(root, '.grader-work', 'bench-watch-'));
  const dir = path.join(home, 'exercises');
  cpSync(path.join(root, 'solutions'), dir, { recursive: true });
  // In a terminal (script(1) gives it one), as a learner runs it: a pass does not move on by itself.
  const command = [process.execPath, '--import', 'tsx', MAIN, 'watch', exercise].map((a) => `'${a}'`).join(' ');
  const child = spawn('script', ['-qfec', command, '/dev/null'], {
    cwd: root,
    env: { ...process.env, NO_COLOR: '1', WORKBOOK_EXERCISES_DIR: dir, WORKBOOK_PROGRESS_FILE: path.join(home, 'progress.json'), WORKBOOK_BACKUP_DIR: path.join(home, 'backups') },
    stdio: ['pipe', 'pipe', 'ignore'],
    detached: true,
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const verdicts = () => (out.match(/\d+ passed, \d+ failed/g) ?? []).length;
  const until = async (n: number) => {
    for (const end = Date.now() + 60_000; Date.now() < end; ) {
      if (verdicts() >= n) return;
      await new Promise((r) => setTimeout(r, 5));
    }
    throw new Error(`watch gave no verdict:\n${out.slice(-2000)}`);
  };
  const file = path.join(dir, edited);
  const results: number[] = [];
  try {
    await until(1);
    for (let i = 0; i < times; i++) {
      // A learner edits between two saves: a second at the least (the engine readies the next service meanwhile).
      await new Promise((r) => setTimeout(r, 1000));
      const before = verdicts();
      const started = performance.now();
      writeFileSync(file, `${readFileSync(file, 'utf8')}\n// save ${i}\n`);
      await until(before + 1);
      results.push(performance.now() - started);
    }
  } finally {
    child.stdin.write('q');
    await new Promise((r) => setTimeout(r, 1500));
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // gone
    }
    rmSync(home, { recursive: true, force: true });
  }
  return results;
}

interface Row {
  name: string;
  times: number[];
  floorName: string;
  floor: number[];
  target: string;
}

const rows: Row[] = [];
/** A row, shown as soon as it is measured (the aligned table follows at the end). */
const add = (r: Row) => {
  rows.push(r);
  console.log(`measured: ${r.name.trim()}: ${r.times.map((t) => secs(t)).join(', ') || '—'}${r.floor.length ? ` (floor ${r.floor.map((t) => secs(t)).join(', ')})` : ''}`);
};
const measure = (n: number, f: () => number) => Array.from({ length: n }, f);
const sections = course.sections.map((s) => s.id);

console.log(`The workbook's waits, ${runs} run(s) per row, node ${process.versions.node}, ${process.platform}\n`);
grade(['A.1', '--solutions']); // warm the transform caches; not counted
add({ name: 'grade A.1 (four pure functions)', times: measure(runs, () => grade(['A.1', '--solutions'])), floorName: 'node --import tsx -e 0', floor: measure(runs, nodeFloor), target: '≤ 0.9 s' });
add({ name: '  a fresh vitest, one empty test', times: measure(runs, () => vitestFloor(root)), floorName: '', floor: [], target: '' });
const serviceFloors: number[] = [];
for (let i = 0; i < runs; i++) serviceFloors.push(await serviceFloor(root, 'solutions/B/app.ts'));
add({ name: 'grade B.3 (one live exercise)', times: measure(runs, () => grade(['B.3', '--solutions'])), floorName: 'service to first answer', floor: serviceFloors, target: '≤ 1.2 s' });
add({ name: 'npm start until the list shows', times: measure(runs, startUntilList), floorName: 'node --import tsx -e 0', floor: measure(runs, nodeFloor), target: '≤ 0.6 s' });
add({ name: 'watch: save → verdict (B.3)', times: await watchSaves('B.3', 'B/instrumentation.ts', runs), floorName: 'service to first answer', floor: serviceFloors, target: '≤ 0.8 s' });
add({ name: 'watch: save → verdict (A.1)', times: await watchSaves('A.1', 'A/percentiles.ts', runs), floorName: 'node --import tsx -e 0', floor: measure(runs, nodeFloor), target: '≤ 0.8 s' });
if (!values.quick) {
  const prom = await prometheusFloor(root);
  const courseRuns = Math.min(runs, 3);
  const wholeCourse = Array.from({ length: courseRuns }, () => cpuFloor(() => grade(['--solutions'])));
  const cpu = wholeCourse.flatMap((c) => (c.floor === undefined ? [] : [c.floor]));
  add({ name: 'whole course, solutions', times: wholeCourse.map((c) => c.wall), floorName: cpu.length ? `its CPU work ÷ ${availableParallelism()} cores` : '(no /proc: CPU time unknown)', floor: cpu, target: '≤ 10 s' });
  add({ name: '  a real Prometheus, start to up == 1', times: prom === undefined ? [] : [prom], floorName: prom === undefined ? '(Prometheus not installed)' : '', floor: [], target: '' });
  for (const s of sections) add({ name: `  section ${s} alone`, times: measure(1, () => grade([s, '--solutions'])), floorName: '', floor: [], target: '' });
  for (const [level, times] of await benchClass(root, 1)) add({ name: `class of 30 (Section A), ${level}`, times, floorName: '', floor: [], target: '≤ 100 s' });
  for (const [script, name, target] of [['test', 'npm test (the grader\'s own tests)', '≤ 7 min'], ['test:fast', '  npm run test:fast (the fast project)', '≤ 60 s']] as const) {
    const before = failures.length;
    const times = measure(1, () => npmScript(script));
    add({ name: failures.length > before ? `${name}: did not pass (below)` : name, times, floorName: '', floor: [], target });
  }
}

console.log('');
const table: string[][] = [['what', 'median', 'min–max', 'floor', 'floor median', 'ratio', 'target']];
for (const r of rows) {
  if (r.times.length === 0) {
    table.push([r.name, '—', '', r.floorName, '', '', r.target]);
    continue;
  }
  const m = median(r.times);
  const f = r.floor.length ? median(r.floor) : undefined;
  table.push([r.name, secs(m), `${secs(Math.min(...r.times))}–${secs(Math.max(...r.times))}`, r.floorName, f === undefined ? '' : secs(f), f === undefined ? '' : (m / f).toFixed(2), r.target]);
}
const widths = table[0]!.map((_, i) => Math.max(...table.map((r) => r[i]!.length)));
for (const r of table) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd());
if (values.quick) console.log('\n(--quick: one run each, without the whole course, the class of 30 and the tests)');
for (const f of failures) console.log(`\n${f}`);
if (failures.length) process.exitCode = 1;
