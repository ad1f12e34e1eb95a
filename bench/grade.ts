// npm run bench [-- --runs N]: how long grading takes, as a learner runs it (the CLI, end to end),
// on the reference solutions. Prints median and min–max per case, from one run of this script.
// npm run bench -- --class [--runs N]: an instructor's class of 30 submissions instead (bench/class.ts).
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchClass } from './class.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values } = parseArgs({ options: { runs: { type: 'string' }, class: { type: 'boolean', default: false } } });
const runs = Number(values.runs ?? (values.class ? 3 : 5));
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`--runs must be a whole number of at least 1, got "${values.runs}"`);
  process.exit(2);
}

if (values.class) {
  await benchClass(root, runs);
  process.exit(0);
}

const cases: Array<{ name: string; args: string[] }> = [
  { name: 'grade B.3 (solutions)', args: ['B.3', '--solutions'] },
  { name: 'grade B (solutions)', args: ['B', '--solutions'] },
];

function once(args: string[]): number {
  const started = performance.now();
  try {
    execFileSync(process.execPath, ['--import', 'tsx', path.join(root, 'grader/cli/main.ts'), 'grade', ...args, '--json'], { cwd: root, stdio: 'ignore' });
  } catch (error) {
    throw new Error(`grade ${args.join(' ')} did not pass: the benchmark only times passing grades (${(error as Error).message})`);
  }
  return performance.now() - started;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const secs = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`Grading time, ${runs} run(s) per case, node ${process.versions.node}\n`);
const rows: string[][] = [['case', 'median', 'min', 'max']];
const medians: number[] = [];
for (const c of cases) {
  once(c.args); // warm the transform cache; not counted
  const times = Array.from({ length: runs }, () => once(c.args));
  medians.push(median(times));
  rows.push([c.name, secs(median(times)), secs(Math.min(...times)), secs(Math.max(...times))]);
}
const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((cell, i) => cell.padEnd(widths[i]!)).join('  '));
console.log(`\nratio all of B / B.3 alone: ${(medians[1]! / medians[0]!).toFixed(2)}`);
