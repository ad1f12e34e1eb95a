// Learner code as an adversary, in every mode: a class of hostile submissions (in the sandbox where
// the machine has one, at the basic level otherwise), single grades, --server-cmd, and the Gradescope
// recipe. Each case asserts the honest outcome: the right verdict, nothing readable that should not
// be, nothing written outside the copy, nothing left running.
import { execFile, spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectIsolation } from '../../class/sandbox.js';
import { startExternal } from '../../live/external-service.js';
import { PROJECT_ROOT, WORK_ROOT } from '../../paths.js';
import { HOSTILE, makeHostile, sleepOf, type HostileOptions } from '../fixtures/hostile/make-hostile.js';
import { cli } from '../helpers/cli.js';
import { classLeftovers, leftoversAfter, processesMentioning } from '../helpers/processes.js';

const run = promisify(execFile);
const globalLevel = detectIsolation(PROJECT_ROOT).level;
const sandboxed = globalLevel === 'sandbox';
const SKIP_WHY = sandboxed ? '' : '(sandbox only: it needs Linux, root and bubblewrap)';


/** Every file under `dir`, as text (the class outputs). */
function allText(dir: string): string {
  if (!existsSync(dir)) return '';
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

mkdirSync(WORK_ROOT, { recursive: true });
const scratch = mkdtempSync(path.join(WORK_ROOT, 'test-hostile-'));
const token = randomBytes(4).toString('hex');
let host: Server;
let hostPort = 0;
beforeAll(async () => {
  host = createServer((socket) => socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok')).listen(0, '127.0.0.1');
  await new Promise((resolve) => host.once('listening', resolve));
  hostPort = (host.address() as { port: number }).port;
});
afterAll(() => {
  host?.close();
  rmSync(scratch, { recursive: true, force: true });
  for (const f of readdirSync(PROJECT_ROOT).filter((n) => n.startsWith('HOSTILE-'))) rmSync(path.join(PROJECT_ROOT, f), { force: true });
});

// The sandbox where the machine has one; the basic level always, with the cases it answers for.
describe.each([...(sandboxed ? ['sandbox' as const] : []), 'basic' as const])('a class of hostile submissions (isolation: %s)', (level) => {
  const sandboxed = level === 'sandbox';
  // At the basic level next to a sandbox, only the cases the basic level answers in a way of its own.
  const members = HOSTILE.filter((h) => (sandboxed ? true : !h.sandboxOnly && (h.basicMatters || level === globalLevel)));
  const classDir = path.join(scratch, `class-${level}`);
  const out = path.join(scratch, `grades-${level}`);
  const extra = path.join(scratch, `extra-${level}`);
  const secret = `SECRET-${token}`;
  let options: HostileOptions;
  let rows: Map<string, { status: string; points: number; error?: string }>;
  let outputs = '';
  let owner: number | undefined;

  beforeAll(async () => {
    options = { token: sandboxed ? token : [...token].reverse().join(''), hostPort, out, classDir };
    for (const h of members) makeHostile(path.join(classDir, h.name), h, options);
    // An instructor's extra suite with a secret in its text (a note the grader never shows): learner
    // code that could read the file would show it.
    mkdirSync(extra);
    writeFileSync(
      path.join(extra, 'A.1.secret.test.ts'),
      `// ${secret}: the instructor's notes\nimport { describe, expect, it } from 'vitest';\nimport { percentile } from '@target/A/percentiles.js';\ndescribe('A.1.extra-secret', () => it('the median of 1, 2, 3', () => expect(percentile([1, 2, 3], 50), 'the median of 1, 2, 3').toBe(2)));\n`,
    );
    const result = await cli(['grade', 'class', classDir, '--section', 'A.1', '--out', out, '--jobs', '2', '--timeout', '120', '--memory', '768', '--format', 'gradescope', '--extra-suites', extra, '--isolation', level]);
    expect(result.code, result.stderr).toBe(0);
    owner = result.pid;
    expect(result.stderr).toContain(`isolation: ${level}`);
    const book = JSON.parse(readFileSync(path.join(out, 'gradebook.json'), 'utf8')) as { learners: Array<{ learner: string; status: string; points: number; error?: string; report?: { sections: Array<{ criteria: Array<{ id: string; points: number }> }> } }> };
    rows = new Map(
      book.learners.map((l) => [
        l.learner,
        { status: l.status, points: l.report?.sections.flatMap((s) => s.criteria).filter((c) => c.id.startsWith('A.1.') && !c.id.includes('extra')).reduce((a, c) => a + c.points, 0) ?? 0, ...(l.error && { error: l.error }) },
      ]),
    );
    outputs = allText(out);
  }, 400_000);

  it.each(members.map((h) => [h.name, h] as const))('%s: the honest verdict', (_name, h) => {
    const row = rows.get(h.name)!;
    expect(row, `a row for ${h.name}`).toBeDefined();
    const honest = (!sandboxed && h.basicExpect) || h.expect;
    if ('error' in honest) expect(row.error ?? '', `${h.name} ${h.tries}`).toMatch(honest.error);
    else expect(row.points, `${h.name} ${h.tries}: ${row.error ?? ''}`).toBe(honest.points);
  });

  it('no output quotes a hidden suite, an oracle, an extra suite or the reference', () => {
    expect(outputs).not.toContain('LEAKED');
    expect(outputs).not.toContain(secret);
    // The first line of each file (text no message of the grader's ever contains).
    for (const file of ['grader/suites/A.1.test.ts', 'grader/suites/oracles/A.1.ts', 'solutions/A/percentiles.ts']) {
      expect(outputs, file).not.toContain(readFileSync(path.join(PROJECT_ROOT, file), 'utf8').split('\n')[0]!.slice(3));
    }
  });

  it.skipIf(!sandboxed)('nothing was written outside the copies (sandbox only)', () => {
    expect(readdirSync(PROJECT_ROOT).filter((n) => n.startsWith('HOSTILE-'))).toEqual([]);
    expect(readdirSync(classDir).filter((n) => n.startsWith('HOSTILE-'))).toEqual([]);
    expect(readdirSync(out).filter((n) => n.startsWith('HOSTILE-'))).toEqual([]);
    expect(readFileSync(path.join(PROJECT_ROOT, 'node_modules/vitest/package.json'), 'utf8')).not.toContain('patched');
  });

  it('nothing is left running: daemons, forks and late writers included, and the gradebook stays the grader\'s', async () => {
    for (let n = 1; n <= 5; n++) expect(await leftoversAfter(`sleep ${sleepOf(options, n)}`)).toEqual([]);
    expect(processesMentioning(classDir)).toEqual([]);
    await new Promise((resolve) => setTimeout(resolve, 4500)); // the late writer's moment has passed
    expect(readFileSync(path.join(out, 'gradebook.csv'), 'utf8')).not.toContain('forged');
  });

  it('no user id, limit group or copy is left behind', () => {
    // (Other tests may grade classes meanwhile: only what this run left counts.)
    expect(classLeftovers(WORK_ROOT, [owner])).toEqual([]);
  });
});


// The sandbox where there is one, else the basic level (whose sweep of marked processes the fast
// tests check on their own).
describe.each([sandboxed ? ('sandbox' as const) : ('basic' as const)])('a class command killed with SIGKILL (isolation: %s)', (level) => {
  it('leaves nothing that the next run does not sweep: processes, copies, limit groups, user ids', async () => {
    const classDir = path.join(scratch, `killed-${level}`);
    const o: HostileOptions = { token: `${token.slice(0, 5)}${level === 'sandbox' ? 'a' : 'b'}9`, hostPort, out: path.join(scratch, `killed-${level}-out`), classDir };
    makeHostile(path.join(classDir, 'daemons'), HOSTILE.find((h) => h.name === 'daemons')!, o);
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'grader/cli/main.ts'), 'grade', 'class', classDir, '--section', 'A.1', '--out', o.out, '--isolation', level], { cwd: PROJECT_ROOT, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    for (const end = Date.now() + 60_000; Date.now() < end && processesMentioning(`sleep ${sleepOf(o, 1)}`).length === 0; ) await new Promise((r) => setTimeout(r, 100));
    expect(processesMentioning(`sleep ${sleepOf(o, 1)}`).length, 'the daemon started').toBeGreaterThan(0);
    child.kill('SIGKILL');
    await exited;
    // The next class run (here: one empty folder) sweeps whatever is left first.
    const next = path.join(scratch, `after-kill-${level}`);
    mkdirSync(path.join(next, 'nobody'), { recursive: true });
    const { code, pid: sweeper } = await cli(['grade', 'class', next, '--out', path.join(scratch, `after-kill-${level}-out`), '--isolation', level]);
    expect(code).toBe(0);
    for (let n = 1; n <= 3; n++) expect(await leftoversAfter(`sleep ${sleepOf(o, n)}`)).toEqual([]);
    expect(await leftoversAfter(classDir)).toEqual([]);
    expect(classLeftovers(WORK_ROOT, [child.pid, sweeper])).toEqual([]);
  }, 120_000);
});

describe.skipIf(!sandboxed)(`learner services and generators in the sandbox ${SKIP_WHY}`, () => {
  it("a solved B.3 (a live service) and F.3 (a rule generator run on its own) get every point, and the service cannot read the grader's files", async () => {
    const classDir = path.join(scratch, 'live-class');
    const out = path.join(scratch, 'live-grades');
    for (const section of ['B', 'F']) cpSync(path.join(PROJECT_ROOT, 'solutions', section), path.join(classDir, 'solved', section), { recursive: true });
    // The service itself (not the test worker) probes for the suites and throws what it finds.
    const app = path.join(classDir, 'solved', 'B', 'app.ts');
    writeFileSync(app, `import * as fsProbe from 'node:fs';\nfor (const p of [${JSON.stringify(path.join(PROJECT_ROOT, 'grader/checks/B.3.ts'))}, process.cwd() + '/../grader/checks/B.3.ts']) { let t = ''; try { t = fsProbe.readFileSync(p, 'utf8'); } catch { /* hidden */ } if (t) throw new Error('LEAKED ' + t.slice(0, 200)); }\n${readFileSync(app, 'utf8')}`);
    const { code, stderr } = await cli(['grade', 'class', classDir, '--section', 'B.3', '--section', 'F.3', '--out', out, '--jobs', '1']);
    expect(code, stderr).toBe(0);
    const book = JSON.parse(readFileSync(path.join(out, 'gradebook.json'), 'utf8')) as { learners: Array<{ points: number; max_points: number; error?: string }> };
    expect(book.learners[0], JSON.stringify(book.learners[0]).slice(0, 2000)).toMatchObject({ points: book.learners[0]!.max_points });
    expect(allText(out)).not.toContain('LEAKED');
  }, 120_000);
});

describe('single grades on a learner machine', () => {
  it('a module that starts setsid and double-forked daemons leaves nothing running once the grade ends', async () => {
    const dir = path.join(scratch, 'single-daemons');
    const o: HostileOptions = { token: `${token}1`, hostPort, out: scratch, classDir: scratch };
    makeHostile(dir, HOSTILE.find((h) => h.name === 'daemons')!, o);
    const { stdout } = await cli(['grade', 'A.1', '--target', dir]);
    expect(stdout).toMatch(/3\/3 points/);
    for (let n = 1; n <= 3; n++) expect(await leftoversAfter(`sleep ${sleepOf(o, n)}`)).toEqual([]);
  }, 60_000);

  it('importing the oracle is refused with a message that names the import', async () => {
    const dir = path.join(scratch, 'single-oracle');
    makeHostile(dir, HOSTILE.find((h) => h.name === 'imports-oracle')!, { token, hostPort, out: scratch, classDir: scratch });
    const { stdout } = await cli(['grade', 'A.1', '--target', dir]);
    expect(stdout).toMatch(/0\/3 points/);
    expect(stdout).toMatch(/may import only its own files and installed packages/);
  }, 60_000);

  it('--server-cmd that daemonises its server: stopping the service stops it, nothing left listening', async () => {
    const dir = path.join(scratch, 'server-cmd');
    mkdirSync(dir);
    const marker = `hostile-server-${token}`;
    writeFileSync(path.join(dir, 'server.mjs'), `// ${marker}\nimport http from 'node:http';\nhttp.createServer((q, r) => r.end('ok')).listen(Number(process.env.PORT), '127.0.0.1');\n`);
    // The command returns at once; the server runs on in a session of its own, as a daemon would.
    const service = await startExternal({ cmd: `cd ${dir} && setsid node server.mjs ${marker} > /dev/null 2>&1 &` });
    expect((await fetch(`${service.baseUrl}/`)).status).toBe(200);
    service.stop();
    expect(await leftoversAfter(marker)).toEqual([]);
    expect(await fetch(`${service.baseUrl}/`).then(() => 'answered', () => 'refused')).toBe('refused');
  }, 60_000);
});

describe.skipIf(!sandboxed)(`the Gradescope recipe ${SKIP_WHY}`, () => {
  const recipe = readFileSync(path.join(PROJECT_ROOT, 'autograder/run_autograder'), 'utf8');
  function autograder(name: string): { root: string; script: string; submission: string } {
    const root = path.join(scratch, `gradescope-${name}`);
    const submission = path.join(root, 'submission');
    mkdirSync(submission, { recursive: true });
    symlinkSync(PROJECT_ROOT, path.join(root, 'source'));
    const script = path.join(root, 'run_autograder');
    writeFileSync(script, recipe.replaceAll('/autograder', root).replace(/^SECTIONS=""$/m, 'SECTIONS="A.1"'));
    return { root, script, submission };
  }
  const results = (root: string) => JSON.parse(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')) as { score: number; output?: string; tests: Array<{ output?: string }> };

  it('a detached child that waits for the grader to exit cannot rewrite results.json', async () => {
    const { root, script, submission } = autograder('late');
    const o: HostileOptions = { token: `${token}2`, hostPort, out: path.join(root, 'results'), classDir: submission };
    makeHostile(path.join(submission, 'exercises'), { ...HOSTILE.find((h) => h.name === 'late-writer')!, prelude: () => `import { spawn as spawnLate } from 'node:child_process';\nspawnLate('sh', ['-c', 'sleep 3; echo {\\"score\\":999} > ${path.join(root, 'results', 'results.json')}; sleep ${sleepOf(o, 6)}'], { detached: true, stdio: 'ignore' }).unref();\n` }, o);
    await run('bash', [script]);
    await new Promise((resolve) => setTimeout(resolve, 3500));
    expect(results(root).score).toBe(0);
    expect(await leftoversAfter(`sleep ${sleepOf(o, 6)}`)).toEqual([]);
  }, 120_000);

  it('exercises/ handed in as a link to the reference is not followed: nothing to grade', async () => {
    const { root, script, submission } = autograder('linked');
    symlinkSync(path.join(PROJECT_ROOT, 'solutions'), path.join(submission, 'exercises'));
    await run('bash', [script]);
    expect(results(root).score).toBe(0);
    expect(results(root).output).toMatch(/No exercises were found/);
  }, 60_000);

  it("a file linked to a root-only file is left out and never read into the learner's output", async () => {
    const { root, script, submission } = autograder('root-only');
    const secretFile = path.join(scratch, `root-only-${token}`);
    writeFileSync(secretFile, `ROOT-ONLY-${token}\n`, { mode: 0o600 });
    cpSync(path.join(PROJECT_ROOT, 'exercises', 'A'), path.join(submission, 'exercises', 'A'), { recursive: true });
    rmSync(path.join(submission, 'exercises', 'A', 'percentiles.ts'));
    symlinkSync(secretFile, path.join(submission, 'exercises', 'A', 'percentiles.ts'));
    await run('bash', [script]);
    expect(readFileSync(path.join(root, 'results', 'results.json'), 'utf8')).not.toContain(`ROOT-ONLY-${token}`);
    expect(results(root).score).toBe(0);
    expect(results(root).output).toMatch(/Left out of your submission \(never read\): A\/percentiles\.ts/);
  }, 60_000);

  it('learner code cannot find the hidden suites three folders up and rewrite them', async () => {
    const { root, script, submission } = autograder('suites');
    const o: HostileOptions = { token: `${token}3`, hostPort, out: path.join(root, 'results'), classDir: submission };
    makeHostile(path.join(submission, 'exercises'), {
      name: 'rewrites-suites',
      tries: 'rewrites every suite it can find',
      base: 'stub',
      prelude: () => `import * as fsRw from 'node:fs';\nfor (const up of ['..', '../..', '../../..', '../../../..']) {\n  const dir = process.cwd() + '/' + up + '/grader/suites';\n  try { for (const f of fsRw.readdirSync(dir)) fsRw.writeFileSync(dir + '/' + f, "import { it } from 'vitest'; it('ok', () => {});"); } catch { /* hidden */ }\n}\n`,
      expect: { points: 0 },
    }, o);
    await run('bash', [script]);
    expect(results(root).score).toBe(0);
    expect(spawnSync('git', ['status', '--porcelain', 'grader/suites'], { cwd: PROJECT_ROOT, encoding: 'utf8' }).stdout).toBe('');
  }, 60_000);
});
