// The workbook as a learner uses it: reset keeps a backup, the solution waits for a pass (or giving
// up), watch re-grades on save, and the whole flow through the menu in a real terminal (tmux).
import { execFile, execFileSync, spawn } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { makeWorkDir, PROJECT_ROOT, removeDir } from '../../paths.js';
import { loadCourse } from '../../course/load.js';
import { processesMentioning } from '../helpers/processes.js';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const MAIN = path.join(PROJECT_ROOT, 'grader/cli/main.ts');
const homes: string[] = [];
afterAll(() => homes.forEach(removeDir));

/** A learner's copy of exercises/, a progress file and a backup folder, all private to one test. */
function learner(): { dir: string; env: NodeJS.ProcessEnv; backups: string; progress: string } {
  const home = makeWorkDir('learner');
  homes.push(home);
  const dir = path.join(home, 'exercises');
  cpSync(path.join(PROJECT_ROOT, 'exercises'), dir, { recursive: true });
  const backups = path.join(home, 'backups');
  const progress = path.join(home, 'progress.json');
  return { dir, backups, progress, env: { ...process.env, NO_COLOR: '1', WORKBOOK_EXERCISES_DIR: dir, WORKBOOK_BACKUP_DIR: backups, WORKBOOK_PROGRESS_FILE: progress } };
}

async function start(env: NodeJS.ProcessEnv, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ['--import', 'tsx', MAIN, 'start', ...args], { cwd: PROJECT_ROOT, env });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm start -- reset', () => {
  it('puts the stub back and keeps the learner\'s version in a timestamped backup', async () => {
    const l = learner();
    const file = path.join(l.dir, 'B/metrics.ts');
    writeFileSync(file, '// my half-finished work\n');
    const { code, stdout } = await start(l.env, 'reset', 'B.2');
    expect(code).toBe(0);
    expect(stdout).toMatch(/B\.2 is back to its stub/);
    expect(readFileSync(file, 'utf8')).toBe(readFileSync(path.join(PROJECT_ROOT, 'exercises/B/metrics.ts'), 'utf8'));
    const [backup] = readdirSync(l.backups);
    expect(backup).toMatch(/^B\.2-\d{4}-\d\d-\d\dT/);
    expect(readFileSync(path.join(l.backups, backup!, 'B/metrics.ts'), 'utf8')).toBe('// my half-finished work\n');
  });
});

describe('npm start -- reset and restore', () => {
  it('reset forgets the exercise\'s result; restore lists the backups and brings one back, backing up the current files', async () => {
    const l = learner();
    const file = path.join(l.dir, 'B/metrics.ts');
    writeFileSync(l.progress, JSON.stringify({ version: 1, hints: { 'B.2': 1 }, results: { 'B.2': { status: 'pass', points: 5, max_points: 5, at: 'x' } } }));
    writeFileSync(file, '// version one\n');
    expect((await start(l.env, 'reset', 'B.2')).code).toBe(0);
    const progress = JSON.parse(readFileSync(l.progress, 'utf8')) as { hints: Record<string, number>; results: Record<string, unknown> };
    expect(progress.results['B.2']).toBeUndefined();
    expect(progress.hints['B.2']).toBe(1);
    writeFileSync(file, '// version two\n');
    const listed = await start(l.env, 'restore', 'B.2');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/Backups of B\.2, newest first[\s\S]*\n {2}1 {2}\d{4}-/);
    const restored = await start(l.env, 'restore', 'B.2', '1');
    expect(restored.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('// version one\n');
    // The files from just before the restore became a backup themselves.
    const again = await start(l.env, 'restore', 'B.2', '1');
    expect(again.code).toBe(0);
    expect(readFileSync(file, 'utf8')).toBe('// version two\n');
    expect((await start(l.env, 'restore', 'B.2', '99')).code).toBe(2);
  });

  it('reset is all or nothing: a file that cannot be written changes nothing and is named', async () => {
    const l = learner();
    const files = ['D/latency-spike/app.ts', 'D/latency-spike/report.ts'];
    writeFileSync(path.join(l.dir, files[0]!), '// mine\n');
    // The second file is read-only, so it cannot be written (root ignores modes: a folder in its place then).
    const blocked = path.join(l.dir, files[1]!);
    if (process.getuid?.() === 0) {
      removeDir(blocked);
      mkdirSync(blocked);
    } else chmodSync(blocked, 0o444);
    const { code, stderr } = await start(l.env, 'reset', 'D.1');
    expect(code).toBe(2);
    expect(stderr).toMatch(/error \[FILE_ACCESS\]: Nothing was changed: D\/latency-spike\/report\.ts could not be/);
    expect(readFileSync(path.join(l.dir, files[0]!), 'utf8')).toBe('// mine\n');
  });
});

describe('npm start -- solution', () => {
  it('waits until the exercise passes, unless the learner gives up', async () => {
    const l = learner();
    const refused = await start(l.env, 'solution', 'B.2');
    expect(refused.code).toBe(1);
    expect(refused.stdout).toMatch(/has not passed yet/);
    expect(refused.stdout).not.toContain('createMetrics(registry: Registry)');
    const givenUp = await start(l.env, 'solution', 'B.2', '--give-up');
    expect(givenUp.stdout).toContain('── solutions/B/metrics.ts ──');
    writeFileSync(l.progress, JSON.stringify({ version: 1, hints: {}, results: { 'B.2': { status: 'pass', points: 5, max_points: 5, at: 'x' } } }));
    expect((await start(l.env, 'solution', 'B.2')).code).toBe(0);
  });
});

describe('npm start -- progress', () => {
  it('rebuilds a corrupt progress file from a fresh grade', async () => {
    const l = learner();
    // Only Section A present: the other exercises are reported missing at once, A is graded for real.
    for (const section of loadCourse().sections.map((s) => s.id).filter((id) => id !== 'A')) removeDir(path.join(l.dir, section));
    writeFileSync(l.progress, '{ not json');
    const { code, stdout } = await start(l.env, 'progress');
    expect(code).toBe(0);
    expect(stdout).toMatch(/✗ A\.1 Percentiles \(0\/3\)/);
    const saved = JSON.parse(readFileSync(l.progress, 'utf8')) as { results: Record<string, { status: string }> };
    expect(saved.results['A.1']?.status).toBe('fail');
    expect(Object.keys(saved.results)).toContain(loadCourse().sections.at(-1)!.exercises.at(-1)!.id);
  }, 120_000);
});

describe('npm run watch', () => {
  it('grades again when the exercise file is saved, and leaves nothing running after Ctrl-C', async () => {
    const l = learner();
    const watcher = spawn(process.execPath, ['--import', 'tsx', MAIN, 'watch', 'B.2'], { cwd: PROJECT_ROOT, env: l.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const until = async (pattern: RegExp, ms: number) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        if (pattern.test(out)) return true;
        await sleep(50);
      }
      return false;
    };
    expect(await until(/0 passed, 5 failed/, 30_000)).toBe(true);
    expect(await until(/Watching exercises\/B\/metrics\.ts/, 5_000)).toBe(true);
    cpSync(path.join(PROJECT_ROOT, 'solutions/B/metrics.ts'), path.join(l.dir, 'B/metrics.ts'));
    expect(await until(/5 passed, 0 failed/, 30_000)).toBe(true);
    expect(out).toMatch(/B\.2 passes\. On to B\.3/);
    watcher.kill('SIGINT');
    await new Promise((r) => watcher.on('exit', r));
    expect(processesMentioning(l.dir)).toEqual([]);
  });
});

const tmux = (() => {
  try {
    execFileSync('tmux', ['-V'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe.skipIf(!tmux)('the menu in a real terminal (tmux; skipped where tmux is not installed)', () => {
  it('a new learner reads lesson B, grades B.3, takes a hint, resets with a backup and watches a save re-grade', async () => {
    const l = learner();
    const session = `wb-${process.pid}-${Date.now()}`;
    const envArgs = ['WORKBOOK_EXERCISES_DIR', 'WORKBOOK_BACKUP_DIR', 'WORKBOOK_PROGRESS_FILE'].flatMap((k) => ['-e', `${k}=${l.env[k]}`]);
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '150', '-y', '45', ...envArgs, `cd ${PROJECT_ROOT} && node --import tsx grader/cli/main.ts start`]);
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    const keys = (...k: string[]) => execFileSync('tmux', ['send-keys', '-t', session, ...k]);
    const waitFor = async (pattern: RegExp, ms = 30_000) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        if (pattern.test(screen())) return true;
        await sleep(100);
      }
      throw new Error(`the screen never showed ${pattern}:\n${screen()}`);
    };
    // A menu is ready for keys once its footer is drawn after the output it follows; keys sent
    // before that (while a grade runs) would be echoed by the terminal and lost.
    const menu = async (after: RegExp) => {
      await waitFor(new RegExp(`${after.source}[\\s\\S]*↑↓ navigate`));
      await sleep(150);
    };
    try {
      await menu(/Continue: A\.1/);
      keys('Down', 'Down', 'Enter'); // section B (after "Continue" and section A)
      await menu(/B\.3 Instrumenting every request/);
      keys('Down', 'Down', 'Enter'); // B.3
      await menu(/Read the lesson/);
      keys('Enter'); // read the lesson: it opens at B.3, with the files to edit at the top (paged)
      await waitFor(/B\.3 Instrumenting every request\s*\n\s*\n?\s*Files to edit: exercises\/B\/instrumentation\.ts/);
      keys('q');
      await menu(/Read the lesson/);
      keys('Down', 'Enter'); // grade it
      await menu(/\d+ failed {2}· {2}\d+\/\d+ points[^\n]*\n[\s\S]*Read the lesson/);
      keys('Down', 'Down', 'Down', 'Down', 'Enter'); // hint
      await menu(/Hint 1 of 3 for B\.3[\s\S]*Read the lesson/);
      keys('Down', 'Down', 'Down', 'Down', 'Down', 'Enter'); // reset
      await waitFor(/Put B\.3 back to its stub\?/);
      await sleep(150);
      keys('y', 'Enter');
      await menu(/B\.3 is back to its stub[\s\S]*Read the lesson/);
      expect(readdirSync(l.backups)[0]).toMatch(/^B\.3-/);
      keys('Down', 'Down', 'Down', 'Enter'); // watch
      await waitFor(/Watching exercises\/B\/instrumentation\.ts/);
      const before = screen();
      writeFileSync(path.join(l.dir, 'B/instrumentation.ts'), `${readFileSync(path.join(l.dir, 'B/instrumentation.ts'), 'utf8')}\n// saved\n`);
      const saved = Date.now();
      for (let i = 0; i < 300 && screen() === before; i++) await sleep(20);
      const reacted = Date.now() - saved;
      await waitFor(/Grading B\.3/, 5_000);
      await waitFor(/Watching exercises\/B\/instrumentation\.ts/);
      console.log(`watch: grading began ${reacted} ms after the save, result shown after ${Date.now() - saved} ms`);
      keys('q'); // back to the exercise's menu
      await menu(/Read the lesson/);
      keys('C-c');
      await sleep(500);
    } finally {
      try {
        execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    expect(processesMentioning(l.dir)).toEqual([]);
    expect(existsSync(l.progress)).toBe(true);
  }, 120_000);
});

describe.skipIf(!tmux)('a small terminal (80 × 24, tmux): everything reachable, watch keys, atomic saves, leaving from every screen', () => {
  it('shows every menu item, watches through an atomic save, and leaves from watch, the exercise menu and the main menu', async () => {
    const l = learner();
    const session = `wb80-${process.pid}-${Date.now()}`;
    const envArgs = ['WORKBOOK_EXERCISES_DIR', 'WORKBOOK_BACKUP_DIR', 'WORKBOOK_PROGRESS_FILE'].flatMap((k) => ['-e', `${k}=${l.env[k]}`]);
    const exitFile = path.join(l.dir, '..', 'exit-code');
    execFileSync('tmux', ['new-session', '-d', '-s', session, '-x', '80', '-y', '24', ...envArgs, `cd ${PROJECT_ROOT} && node --import tsx grader/cli/main.ts start; echo $? > ${exitFile}; sleep 30`]);
    const screen = () => execFileSync('tmux', ['capture-pane', '-p', '-t', session], { encoding: 'utf8' });
    const keys = (...k: string[]) => execFileSync('tmux', ['send-keys', '-t', session, ...k]);
    const waitFor = async (pattern: RegExp, ms = 30_000) => {
      for (const end = Date.now() + ms; Date.now() < end; ) {
        if (pattern.test(screen())) return;
        await sleep(100);
      }
      throw new Error(`the screen never showed ${pattern}:\n${screen()}`);
    };
    const ready = async (pattern: RegExp) => {
      await waitFor(pattern);
      await sleep(200);
    };
    try {
      // First run: a welcome, then the whole main menu on one screen, Quit included.
      await ready(/Welcome to the Monitoring Workbook[\s\S]*Continue: A\.1[\s\S]*Progress\s*\n\s*Quit[\s\S]*navigate/);
      for (const line of screen().split('\n')) expect(line.length).toBeLessThanOrEqual(80);
      keys('Enter'); // Continue: A.1 in watch mode, graded at once
      await ready(/\d+ failed[\s\S]*h hint · n next exercise · l list · r reset · s solution · q quit/);
      // An atomic save (a new file renamed over the exercise, as sed -i and many editors do).
      const file = path.join(l.dir, 'A/percentiles.ts');
      const temp = `${file}.tmp-save`;
      cpSync(path.join(PROJECT_ROOT, 'solutions/A/percentiles.ts'), temp);
      renameSync(temp, file);
      await ready(/3 passed, 0 failed[\s\S]*A\.1 passes! Press n for A\.2/);
      keys('h');
      await ready(/Hint 1 of \d+ for A\.1/);
      // A second atomic save is seen too (the watch did not go deaf).
      writeFileSync(temp, `${readFileSync(file, 'utf8')}\n// saved again\n`);
      renameSync(temp, file);
      await ready(/Grading A\.1/);
      await ready(/3 passed, 0 failed[\s\S]*q quit/);
      keys('n'); // on to A.2, graded at once
      await ready(/Grading A\.2|A\.2 Error rate/);
      await ready(/\d+ failed[\s\S]*q quit/);
      keys('q'); // back to the main menu
      await ready(/Continue: A\.2[\s\S]*Quit[\s\S]*navigate/);
      keys('Down', 'Enter'); // section A
      await ready(/A\.1 Percentiles[\s\S]*Back[\s\S]*navigate/);
      keys('Enter'); // A.1
      await ready(/Read the lesson[\s\S]*Show the solution\s*\n\s*. ?Back[\s\S]*navigate/);
      keys('Up', 'Enter'); // Back (the last item, reached from the top by going up)
      await ready(/Continue: A\.2[\s\S]*Quit[\s\S]*navigate/);
      keys('Up', 'Enter'); // Quit
      for (let i = 0; i < 100 && !existsSync(exitFile); i++) await sleep(100);
      expect(readFileSync(exitFile, 'utf8').trim()).toBe('0');
    } finally {
      try {
        execFileSync('tmux', ['kill-session', '-t', session], { stdio: 'ignore' });
      } catch {
        // already gone
      }
    }
    expect(processesMentioning(l.dir)).toEqual([]);
  }, 180_000);
});
