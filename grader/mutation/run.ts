// `npm run mutation -- <exercise> ... | --all`: Stryker mutates each exercise's reference solution and the grader judges every mutant.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, readlinkSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { loadCourse, selectExercises } from '../course/load.js';
import type { Exercise } from '../course/schema.js';
import { WorkbookError } from '../errors.js';
import { PROJECT_ROOT } from '../paths.js';
import { EVENTS_ENV, GRADER_FAULT, TEMP_ROOT, type Runner } from './config.js';
import type { MutantEvent, RunEvent } from './reporter.js';
import { mutateRanges } from './hot-code.js';
import { isYaml, yamlPass } from './yaml-pass.js';

const USAGE = `Usage: npm run mutation -- <exercise> [<exercise> ...] [--max-minutes N] [--seed N] [--runner R]
       npm run mutation -- --all

  Mutates the TypeScript files of each exercise's reference solution (solutions/) with Stryker, in a
  sandbox copy, and its YAML files (scrape configs, queries, rules, routing) with the workbook's own
  mutators (grader/mutation/yaml-mutants.ts), and grades every mutant with the grader. A mutant is
  killed when any criterion of the exercise does not pass. Survivors are listed unless
  grader/mutation/equivalent.json names them.

  --all            every exercise with TypeScript or YAML files
  --max-minutes N  stop an exercise's run after N minutes (default 20); the figures cover what was judged
  --seed N         the seed of every grade (default 1), so that each mutant meets the same data
  --rescore        no new run: score the last run's results (reports/mutation) against equivalent.json
  --only ts|yaml   run one kind of file only; the other kind's last results are scored with it
  --runner R       auto (the default): vitest for exercises graded by their hidden suite alone (Stryker's
                   vitest runner reruns the suite's tests that reach each mutant), command for the others
                   (each mutant graded by the grader in a process of its own); or force command / vitest

Reports: reports/mutation/<exercise>.json. Exit code 0 when every exercise reaches 90 % of its
non-equivalent mutants killed, 1 otherwise, 2 for bad usage.`;

const GOAL = 0.9;
const EQUIVALENT_FILE = path.join(PROJECT_ROOT, 'grader/mutation/equivalent.json');
const REPORT_DIR = path.join(PROJECT_ROOT, 'reports/mutation');
const WORKER = path.join(PROJECT_ROOT, 'grader/mutation/stryker-worker.ts');

const equivalentSchema = z.array(
  z.object({
    exercise: z.string(),
    /** Relative to solutions/. */
    file: z.string(),
    mutator: z.string().optional(),
    /** The source text Stryker replaced; ending in "..." it matches any text that starts so. */
    original: z.string().min(1),
    replacement: z.string(),
    /** Optional, where the same change occurs more than once in the file: text on the mutant's own
     * (first) line, and text on the line right above it (e.g. "function summarize"). */
    context: z.string().optional(),
    after: z.string().optional(),
    reason: z.string().min(10),
  }),
);
type Equivalent = z.infer<typeof equivalentSchema>[number];

/** The mutant's own (first) line, or with `offset` -1 the line above it. */
function lineOf(source: string, event: MutantEvent, offset = 0): string {
  return source.split('\n')[event.start.line - 1 + offset] ?? '';
}

interface Mutant extends MutantEvent {
  /** Judged again by the grader after the vitest runner let it survive. */
  rechecked?: boolean;
  /** Relative to solutions/. */
  relFile: string;
  original: string;
  equivalent?: Equivalent;
}

interface Summary {
  exercise: string;
  runner: Runner;
  files: string[];
  not_mutated: string[];
  complete: boolean;
  planned: number;
  judged: number;
  killed: number;
  survived: number;
  timed_out: number;
  no_coverage: number;
  errors: number;
  equivalent: number;
  /** Killed or timed out, over every judged non-equivalent mutant that ran (errors left out). */
  score: number | null;
  seconds: number;
  /** Survivors of the vitest runner judged again by the grader. */
  rechecked: number;
  survivors: Array<{ where: string; mutator: string; original: string; replacement: string }>;
  wrongly_listed: Array<{ where: string; original: string; replacement: string; status: string }>;
  unused_equivalents: Equivalent[];
}

const squash = (text: string): string => text.replace(/\s+/g, ' ').trim();
const short = (text: string, max = 70): string => {
  const s = squash(text);
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
};

function sameText(listed: string, actual: string): boolean {
  const want = squash(listed);
  const have = squash(actual);
  return want.endsWith('...') ? have.startsWith(want.slice(0, -3).trimEnd()) : want === have;
}

function loadEquivalents(): Equivalent[] {
  if (!existsSync(EQUIVALENT_FILE)) return [];
  const parsed = equivalentSchema.safeParse(JSON.parse(readFileSync(EQUIVALENT_FILE, 'utf8')));
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n');
    throw new WorkbookError('USAGE', `grader/mutation/equivalent.json is not a list of { exercise, file, original, replacement, reason }:\n${problems}`);
  }
  return parsed.data;
}

/** The text a mutant replaced, cut from the file as it was when the run started (1-based lines and
 * columns, the end column exclusive). */
function originalText(source: string, event: MutantEvent): string {
  const lines = source.split('\n');
  if (event.start.line === event.end.line) return (lines[event.start.line - 1] ?? '').slice(event.start.column - 1, event.end.column - 1);
  return [
    (lines[event.start.line - 1] ?? '').slice(event.start.column - 1),
    ...lines.slice(event.start.line, event.end.line - 1),
    (lines[event.end.line - 1] ?? '').slice(0, event.end.column - 1),
  ].join('\n');
}

/** Processes whose working folder is inside this run's sandbox (the grader's services and suites
 * among them): after the run, any still there are ours to end. */
function processesIn(dir: string): number[] {
  if (process.platform !== 'linux') return [];
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cwd = readlinkSync(`/proc/${entry}/cwd`);
      if (cwd === dir || cwd.startsWith(`${dir}${path.sep}`)) found.push(Number(entry));
    } catch {
      // gone, or not ours to read
    }
  }
  return found;
}

function cleanUp(tempDir: string): void {
  for (const pid of processesIn(tempDir)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  rmSync(tempDir, { recursive: true, force: true, maxRetries: 3 });
  try {
    rmdirSync(path.join(PROJECT_ROOT, TEMP_ROOT)); // only when no other run is using it
  } catch {
    // not empty, or already gone
  }
}

let current: { pid: number; tempDir: string } | undefined;
/** Aborted on Ctrl-C or SIGTERM: a YAML pass stops its judge and removes its copy. */
const stopping = new AbortController();

function stopGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

/** One Stryker run in a sandbox of its own, removed afterwards with anything left running in it. */
async function strykerPass(exercise: Exercise, runner: Runner, patterns: string[], seed: number, maxMinutes: number, name: string): Promise<{ events: RunEvent[]; outcome: { code: number | null; capped: boolean } }> {
  mkdirSync(REPORT_DIR, { recursive: true });
  const eventsFile = path.join(REPORT_DIR, `${exercise.id}.${name}.jsonl`);
  rmSync(eventsFile, { force: true });
  const tempDir = path.join(PROJECT_ROOT, TEMP_ROOT, `${exercise.id}-${name}-${process.pid}`);
  try {
    const outcome = await runStryker(exercise, runner, patterns, seed, tempDir, eventsFile, maxMinutes);
    return { events: readEvents(eventsFile), outcome };
  } finally {
    cleanUp(tempDir);
  }
}

/** Runs Stryker for one exercise in its own process group; stops it after `maxMinutes`. */
function runStryker(exercise: Exercise, runner: Runner, tsFiles: string[], seed: number, tempDir: string, eventsFile: string, maxMinutes: number): Promise<{ code: number | null; capped: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WORKER, exercise.id, runner, String(seed), path.relative(PROJECT_ROOT, tempDir), ...tsFiles], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, [EVENTS_ENV]: eventsFile, FORCE_COLOR: '0' },
      stdio: 'inherit',
      detached: true,
    });
    current = { pid: child.pid!, tempDir };
    let capped = false;
    let kill: NodeJS.Timeout | undefined;
    const cap = setTimeout(() => {
      capped = true;
      console.log(`  time limit reached (${Math.round(maxMinutes * 10) / 10} min): stopping; the figures cover the mutants judged so far`);
      stopGroup(child.pid!, 'SIGTERM');
      kill = setTimeout(() => stopGroup(child.pid!, 'SIGKILL'), 10_000);
    }, maxMinutes * 60_000);
    child.on('exit', (code) => {
      clearTimeout(cap);
      if (kill) clearTimeout(kill);
      stopGroup(child.pid!, 'SIGKILL'); // anything left in its group
      current = undefined;
      resolve({ code, capped });
    });
  });
}

function readEvents(file: string): RunEvent[] {
  if (!existsSync(file)) return [];
  // The last line may be cut short when a run is stopped at its time limit.
  return readFileSync(file, 'utf8')
    .split('\n')
    .flatMap((l) => {
      try {
        return l.trim() ? [JSON.parse(l) as RunEvent] : [];
      } catch {
        return [];
      }
    });
}

/** The vitest runner gives the grader's verdicts only where the hidden suite is the whole grade. */
function runnerFor(exercise: Exercise, wanted: string): Runner {
  if (wanted === 'command' || wanted === 'vitest') return wanted;
  return exercise.criteria.every((c) => c.check === 'suite') ? 'vitest' : 'command';
}

function previousSeconds(exercise: Exercise): number {
  try {
    return (JSON.parse(readFileSync(path.join(REPORT_DIR, `${exercise.id}.json`), 'utf8')) as Summary).seconds;
  } catch {
    return 0;
  }
}

/** With --rescore: the events of the last run, read back instead of running Stryker again. */
function lastPass(exercise: Exercise, name: string): { events: RunEvent[]; outcome: { code: number | null; capped: boolean } } {
  const events = readEvents(path.join(REPORT_DIR, `${exercise.id}.${name}.jsonl`));
  const planned = events.find((e) => e.kind === 'plan')?.total ?? 0;
  const judged = events.filter((e) => e.kind === 'mutant').length;
  return { events, outcome: { code: planned > 0 ? 0 : 1, capped: judged < planned } };
}

async function measure(exercise: Exercise, equivalents: Equivalent[], seed: number, maxMinutes: number, wanted: string, rescore: boolean, only?: 'ts' | 'yaml'): Promise<Summary | undefined> {
  const tsFiles = exercise.files.filter((f) => f.endsWith('.ts'));
  const yamlFiles = exercise.files.filter(isYaml);
  const other = exercise.files.filter((f) => !f.endsWith('.ts') && !isYaml(f));
  console.log(`\n${exercise.id} ${exercise.title}`);
  if (other.length) console.log(`  not mutated: ${other.map((f) => `solutions/${f}`).join(', ')}`);
  if (tsFiles.length + yamlFiles.length === 0) {
    console.log('  nothing to mutate');
    return undefined;
  }
  const runner = runnerFor(exercise, wanted);
  const how = runner === 'command' ? 'each mutant graded by the grader' : `each mutant judged by the hidden suite (vitest runner)`;
  if (rescore) console.log('  the last run\'s results, scored again against equivalent.json');
  else if (tsFiles.length) console.log(`  mutating ${tsFiles.map((f) => `solutions/${f}`).join(', ')} in a sandbox copy; ${how}, seed ${seed}`);
  // The sources as they are when the run starts (others may edit the working tree meanwhile).
  const mutated = [...tsFiles, ...yamlFiles];
  const sources = new Map(mutated.map((f) => [f, readFileSync(path.join(PROJECT_ROOT, 'solutions', f), 'utf8')]));
  const started = Date.now();
  const left = () => maxMinutes - (Date.now() - started) / 60_000;
  const passes: Array<{ events: RunEvent[]; outcome: { code: number | null; capped: boolean } }> = [];
  const reuseTs = rescore || only === 'yaml';
  const reuseYaml = rescore || only === 'ts';
  const ranges = mutateRanges(exercise.id, tsFiles, (f) => sources.get(f) ?? '');
  for (const line of ranges.left) console.log(`  not mutated: solutions/${line}`);
  if (tsFiles.length) passes.push(reuseTs ? lastPass(exercise, 'events') : await strykerPass(exercise, runner, ranges.patterns, seed, maxMinutes, 'events'));
  if (yamlFiles.length) {
    if (!reuseYaml) console.log(`  mutating ${yamlFiles.map((f) => `solutions/${f}`).join(', ')} (YAML: our own mutators, Stryker has none) in a copy; each mutant graded by the grader, seed ${seed}`);
    const capped = passes.some((p) => p.outcome.capped) || left() <= 0;
    passes.push(reuseYaml ? lastPass(exercise, 'yaml') : capped ? { events: [], outcome: { code: 0, capped: true } } : await yamlPass(exercise, yamlFiles, seed, left(), path.join(REPORT_DIR, `${exercise.id}.yaml.jsonl`), stopping.signal));
  }
  const first = {
    events: passes.flatMap((p) => p.events.filter((e) => e.kind === 'mutant')),
    outcome: { code: passes.find((p) => p.outcome.code !== 0)?.outcome.code ?? 0, capped: passes.some((p) => p.outcome.capped) },
  };
  const planned = passes.reduce((sum, p) => sum + (p.events.find((e) => e.kind === 'plan')?.total ?? 0), 0);
  const mine = equivalents.filter((e) => e.exercise === exercise.id);
  const used = new Set<Equivalent>();
  const mutants: Mutant[] = first.events
    .filter((e): e is MutantEvent => e.kind === 'mutant')
    .map((e) => {
      const relFile = path.relative(path.join(PROJECT_ROOT, 'solutions'), e.file).split(path.sep).join('/');
      const source = sources.get(relFile) ?? '';
      const original = originalText(source, e);
      const equivalent = mine.find(
        (q) =>
          q.file === relFile &&
          (q.mutator === undefined || q.mutator === e.mutator) &&
          sameText(q.original, original) &&
          squash(q.replacement) === squash(e.replacement) &&
          (q.context === undefined || lineOf(source, e).includes(q.context)) &&
          (q.after === undefined || lineOf(source, e, -1).includes(q.after)),
      );
      if (equivalent) used.add(equivalent);
      return { ...e, relFile, original, ...(equivalent && { equivalent }) };
    });
  let outcome = first.outcome;
  // The vitest runner reruns only the tests that reach a mutant, and can miss a mutant in module-level
  // code that the whole grade kills: every survivor it leaves is judged again by the grader itself.
  const recheck = mutants.filter((m) => !m.equivalent && (m.status === 'Survived' || m.status === 'NoCoverage'));
  if (runner === 'vitest' && recheck.length > 0 && !outcome.capped && (left() > 0 || rescore)) {
    if (!rescore) console.log(`  judging the ${recheck.length} survivor(s) again by the grader (command runner)`);
    const ranges = recheck.map((m) => `${m.relFile}:${m.start.line}:${m.start.column - 1}-${m.end.line}:${m.end.column - 1}`);
    const second = rescore ? lastPass(exercise, 'recheck') : await strykerPass(exercise, 'command', ranges, seed, left(), 'recheck');
    const again = second.events.filter((e): e is MutantEvent => e.kind === 'mutant');
    for (const m of recheck) {
      const same = again.find((e) => e.file === m.file && e.mutator === m.mutator && e.replacement === m.replacement && e.start.line === m.start.line && e.start.column === m.start.column && e.end.line === m.end.line && e.end.column === m.end.column);
      if (same) Object.assign(m, { status: same.status, reason: same.reason, rechecked: true });
    }
    if (second.outcome.capped || second.outcome.code !== 0) {
      console.log('  the survivors could not all be judged again: they keep the vitest runner\'s verdict');
      outcome = { ...second.outcome, code: second.outcome.code ?? 1 };
    }
  }
  const seconds = rescore ? previousSeconds(exercise) : Math.round((Date.now() - started) / 1000);
  const where = (m: Mutant) => `${m.relFile}:${m.start.line}:${m.start.column}`;
  const faulty = (m: Mutant) => m.status === 'Killed' && m.reason.includes(GRADER_FAULT);
  const counted = mutants.filter((m) => !(m.equivalent && m.status === 'Survived'));
  const count = (status: string) => counted.filter((m) => m.status === status && !faulty(m)).length;
  const killed = count('Killed');
  const timedOut = count('Timeout');
  const survived = count('Survived');
  const noCoverage = count('NoCoverage');
  const errors = counted.filter((m) => m.status === 'RuntimeError' || m.status === 'CompileError' || faulty(m)).length;
  const valid = killed + timedOut + survived + noCoverage;
  const summary: Summary = {
    exercise: exercise.id,
    runner,
    files: mutated,
    not_mutated: [...other, ...ranges.left],
    complete: !outcome.capped && outcome.code === 0 && planned > 0 && mutants.length === planned,
    planned,
    judged: mutants.length,
    killed,
    survived,
    timed_out: timedOut,
    no_coverage: noCoverage,
    errors,
    equivalent: mutants.length - counted.length,
    score: valid > 0 ? (killed + timedOut) / valid : null,
    seconds,
    rechecked: mutants.filter((m) => m.rechecked).length,
    survivors: counted
      .filter((m) => m.status === 'Survived' || m.status === 'NoCoverage')
      .map((m) => ({ where: where(m), mutator: m.mutator, original: m.original, replacement: m.replacement })),
    wrongly_listed: mutants
      .filter((m) => m.equivalent && m.status !== 'Survived')
      .map((m) => ({ where: where(m), original: m.original, replacement: m.replacement, status: m.status })),
    unused_equivalents: outcome.capped ? [] : mine.filter((q) => !used.has(q)),
  };
  writeFileSync(path.join(REPORT_DIR, `${exercise.id}.json`), `${JSON.stringify(summary, null, 2)}\n`);
  printSummary(summary, outcome);
  return summary;
}

const percent = (score: number | null): string => (score === null ? 'n/a' : `${(Math.floor(score * 1000) / 10).toFixed(1)} %`);

function printSummary(s: Summary, outcome: { code: number | null; capped: boolean }): void {
  if (s.planned === 0) {
    console.log(`  Stryker stopped before judging any mutant (exit ${outcome.code}): see its messages above`);
    return;
  }
  const state = s.complete ? '' : ` (stopped after ${s.judged} of ${s.planned})`;
  console.log(
    `  ${s.exercise}: ${s.killed} killed, ${s.survived} survived, ${s.timed_out} timed out, ${s.no_coverage} no coverage, ${s.errors} errors, ${s.equivalent} equivalent${state}`,
  );
  if (s.rechecked > 0) console.log(`  (${s.rechecked} survivor(s) of the vitest runner judged again by the grader; the counts hold its verdicts)`);
  console.log(`  score ${percent(s.score)} of the non-equivalent mutants killed (goal ${GOAL * 100} %) in ${s.seconds} s`);
  for (const m of s.survivors) console.log(`  survived: solutions/${m.where} ${m.mutator}: ${short(m.original)} → ${short(m.replacement)}`);
  for (const m of s.wrongly_listed) console.log(`  listed as equivalent but ${m.status.toLowerCase()}: solutions/${m.where} ${short(m.original)} → ${short(m.replacement)} (remove it from equivalent.json)`);
  for (const q of s.unused_equivalents) console.log(`  equivalent.json entry that matched no mutant: ${q.file} ${short(q.original)} → ${short(q.replacement)}`);
}

function exercisesFor(positionals: string[], all: boolean): Exercise[] {
  const course = loadCourse();
  if (all) return course.sections.flatMap((s) => s.exercises);
  if (positionals.length === 0) throw new WorkbookError('USAGE', `Name at least one exercise, or --all.\n\n${USAGE}`);
  return selectExercises(course, positionals).flatMap((s) => s.exercises);
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        all: { type: 'boolean', default: false },
        'max-minutes': { type: 'string', default: '20' },
        seed: { type: 'string', default: '1' },
        runner: { type: 'string', default: 'auto' },
        rescore: { type: 'boolean', default: false },
        only: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    throw new WorkbookError('USAGE', `${(error as Error).message}\n\n${USAGE}`);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  const maxMinutes = Number(values['max-minutes']);
  if (!(maxMinutes > 0)) throw new WorkbookError('USAGE', `--max-minutes needs a number of minutes above 0, not "${values['max-minutes']}"`);
  const seed = Number(values.seed);
  if (!/^\d+$/.test(values.seed) || !Number.isSafeInteger(seed)) throw new WorkbookError('USAGE', `--seed needs a whole number, not "${values.seed}"`);
  if (!['auto', 'command', 'vitest'].includes(values.runner)) throw new WorkbookError('USAGE', `--runner is auto, command or vitest, not "${values.runner}"`);
  if (values.only !== undefined && values.only !== 'ts' && values.only !== 'yaml') throw new WorkbookError('USAGE', `--only is ts or yaml, not "${values.only}"`);
  const only = values.only as 'ts' | 'yaml' | undefined;
  const exercises = exercisesFor(positionals, values.all);
  const equivalents = loadEquivalents();
  const summaries: Summary[] = [];
  for (const exercise of exercises) {
    if (values.runner === 'vitest' && !existsSync(path.join(PROJECT_ROOT, 'grader/suites', `${exercise.id}.test.ts`))) {
      console.log(`\n${exercise.id}: no hidden suite, nothing for the vitest runner to run`);
      continue;
    }
    const summary = await measure(exercise, equivalents, seed, maxMinutes, values.runner, values.rescore, only);
    if (summary) summaries.push(summary);
  }
  if (summaries.length > 1) {
    console.log('\nexercise  killed  survived  timed out  no cov.  errors  equiv.  score     time');
    for (const s of summaries) {
      const row = [s.exercise.padEnd(8), String(s.killed).padStart(6), String(s.survived).padStart(9), String(s.timed_out).padStart(10), String(s.no_coverage).padStart(8), String(s.errors).padStart(7), String(s.equivalent).padStart(7), percent(s.score).padStart(8), `${s.seconds} s`.padStart(8)];
      console.log(`${row.join('  ')}${s.complete ? '' : '  (incomplete)'}`);
    }
  }
  return summaries.every((s) => s.complete && s.score !== null && s.score >= GOAL) ? 0 : 1;
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    stopping.abort();
    if (current) {
      stopGroup(current.pid, 'SIGKILL');
      cleanUp(current.tempDir);
    }
    process.exit(signal === 'SIGINT' ? 130 : 143);
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof WorkbookError) {
      console.error(`error [${error.code}]: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error(`The mutation runner failed: ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(3);
  },
);
