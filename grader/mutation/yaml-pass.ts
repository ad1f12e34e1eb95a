// Mutation testing of an exercise's YAML files: each mutant written into a copy of solutions/ and judged by the grader, as Stryker's command runner judges TypeScript.
import { spawn } from 'node:child_process';
import { appendFileSync, cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Exercise } from '../course/schema.js';
import { PROJECT_ROOT } from '../paths.js';
import { killGroup } from '../processes.js';
import { sweepLeftovers } from '../sandbox/runner.js';
import { GRADER_FAULT, TEMP_ROOT } from './config.js';
import type { MutantEvent, RunEvent } from './reporter.js';
import { applyMutant, yamlMutants } from './yaml-mutants.js';

const JUDGE = path.join(PROJECT_ROOT, 'grader/mutation/judge.ts');

export const isYaml = (file: string): boolean => /\.ya?ml$/.test(file);

interface Judged {
  code: number | null;
  timedOut: boolean;
  output: string;
  ms: number;
}

/** One grade of the copy by the judge, in a process group of its own, stopped at the deadline. */
function runJudge(exercise: string, seed: number, targetDir: string, timeoutMs: number, stop: AbortSignal): Promise<Judged> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', JUDGE, exercise, '--seed', String(seed), '--target', targetDir], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const onStop = () => killGroup(child.pid!);
    stop.addEventListener('abort', onStop);
    let timedOut = false;
    let hard: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM'); // the judge stops what it started, then exits
      hard = setTimeout(() => killGroup(child.pid!), 5_000);
    }, timeoutMs);
    child.on('close', (code) => {
      stop.removeEventListener('abort', onStop);
      clearTimeout(timer);
      if (hard) clearTimeout(hard);
      killGroup(child.pid!);
      sweepLeftovers(); // anything a killed judge's service started, marked with its owner
      resolve({ code, timedOut, output, ms: Date.now() - started });
    });
  });
}

function statusOf(judged: Judged): { status: string; reason: string } {
  const reason = judged.output.trim().split('\n').slice(-3).join(' | ').slice(0, 400);
  if (judged.timedOut) return { status: 'Timeout', reason: 'the grade did not finish in time' };
  if (judged.code === 0) return { status: 'Survived', reason };
  if (judged.code === 1) return { status: 'Killed', reason };
  return { status: 'RuntimeError', reason: `${GRADER_FAULT} exit ${judged.code}: ${reason}` };
}

/** Mutates the exercise's YAML files one change at a time in a copy of solutions/, and judges each. */
export async function yamlPass(
  exercise: Exercise,
  files: string[],
  seed: number,
  maxMinutes: number,
  eventsFile: string,
  stop: AbortSignal,
): Promise<{ events: RunEvent[]; outcome: { code: number | null; capped: boolean } }> {
  const deadline = Date.now() + maxMinutes * 60_000;
  const work = path.join(PROJECT_ROOT, TEMP_ROOT, `${exercise.id}-yaml-${process.pid}`);
  // Stopped (Ctrl-C): the judge's group is killed by runJudge; the copy goes at once, synchronously.
  const removeCopy = () => rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  stop.addEventListener('abort', removeCopy);
  const copy = path.join(work, 'solutions');
  const events: RunEvent[] = [];
  const record = (event: RunEvent) => {
    events.push(event);
    appendFileSync(eventsFile, `${JSON.stringify(event)}\n`);
  };
  rmSync(eventsFile, { force: true });
  try {
    mkdirSync(work, { recursive: true });
    cpSync(path.join(PROJECT_ROOT, 'solutions'), copy, { recursive: true });
    const dry = await runJudge(exercise.id, seed, copy, 300_000, stop);
    if (dry.code !== 0) {
      console.log(`  the unmutated reference does not pass its grade here (exit ${dry.code}${dry.timedOut ? ', timed out' : ''}):\n${dry.output.trim().split('\n').slice(-8).join('\n')}`);
      return { events, outcome: { code: 1, capped: false } };
    }
    const timeoutMs = Math.max(30_000, dry.ms * 3 + 10_000);
    const plans = files.map((file) => {
      const source = readFileSync(path.join(PROJECT_ROOT, 'solutions', file), 'utf8');
      return { file, source, mutants: yamlMutants(source) };
    });
    const total = plans.reduce((sum, p) => sum + p.mutants.length, 0);
    console.log(`  ${total} YAML mutant(s) in ${files.map((f) => `solutions/${f}`).join(', ')}; the unmutated grade took ${(dry.ms / 1000).toFixed(1)} s`);
    record({ kind: 'plan', total });
    let done = 0;
    for (const { file, source, mutants } of plans) {
      const target = path.join(copy, file);
      for (const [i, m] of mutants.entries()) {
        if (Date.now() > deadline) {
          console.log(`  time limit reached (${maxMinutes} min): the figures cover the mutants judged so far`);
          return { events, outcome: { code: 0, capped: true } };
        }
        writeFileSync(target, applyMutant(source, m));
        const { status, reason } = statusOf(await runJudge(exercise.id, seed, copy, timeoutMs, stop));
        writeFileSync(target, source);
        done += 1;
        const event: MutantEvent = { kind: 'mutant', id: `${file}#${i}`, status, mutator: m.mutator, file: path.join(PROJECT_ROOT, 'solutions', file), start: m.start, end: m.end, replacement: m.replacement, reason };
        record(event);
        const label = status === 'Survived' ? 'SURVIVED' : status.toLowerCase();
        console.log(`  [${done}/${total}] ${label.padEnd(9)} ${file}:${m.start.line}:${m.start.column} ${m.mutator} → ${JSON.stringify(m.replacement)}`);
      }
    }
    return { events, outcome: { code: 0, capped: false } };
  } finally {
    stop.removeEventListener('abort', removeCopy);
    removeCopy();
  }
}
