// The one runner's parts, without a grade: the bubblewrap view, markers that name their owner, user
// ids held by one run at a time, and what untrusted() makes of a command at each level.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bwrapArgs } from '../../sandbox/bwrap.js';
import { isAlive, ownedMarkerValue, pidNamespace, sweepOrphans } from '../../sandbox/marker.js';
import { parseSandboxSpec } from '../../sandbox/runner.js';

const scratch = mkdtempSync(path.join(tmpdir(), 'workbook-sandbox-test-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('bwrapArgs', () => {
  const copy = path.join(scratch, 'copy');
  mkdirSync(path.join(copy, 'grader/live'), { recursive: true });
  mkdirSync(path.join(copy, 'scratch'));
  writeFileSync(path.join(copy, 'grader/live/launch.ts'), '');
  const args = bwrapArgs(
    { mounts: [['ro', copy], ['hide', `${copy}/grader`], ['ro', `${copy}/grader/live/launch.ts`], ['ro', `${copy}/not-there`], ['tmpfs', `${copy}/scratch`]], tmpfsMb: 64, cwd: `${copy}/grader/suites` },
    ['node', 'x.js'],
  );
  it('unshares everything but the network, dies with its parent, and ends with the command', () => {
    expect(args.slice(0, 4)).toEqual(['--unshare-all', '--share-net', '--die-with-parent', '--new-session']);
    expect(args.slice(-3)).toEqual(['--', 'node', 'x.js']);
  });
  it('hides under an empty folder nobody can write, in the order given, and limits each writable folder', () => {
    const hide = args.indexOf(`${copy}/grader`);
    expect(args.slice(hide - 5, hide + 1)).toEqual(['--perms', '0555', '--size', '65536', '--tmpfs', `${copy}/grader`]);
    expect(hide).toBeLessThan(args.lastIndexOf(`${copy}/grader/live/launch.ts`));
    expect(args).not.toContain(`${copy}/not-there`);
    const scratchAt = args.findIndex((a, i) => a === `${copy}/scratch` && args[i - 1] === '--tmpfs');
    expect(args.slice(scratchAt - 3, scratchAt + 1)).toEqual(['--size', String(64 * 1024 * 1024), '--tmpfs', `${copy}/scratch`]);
    expect(args.slice(args.indexOf('/tmp') - 3, args.indexOf('/tmp') + 1)).toEqual(['--size', String(64 * 1024 * 1024), '--tmpfs', '/tmp']);
  });
  it('never starts in a hidden folder: it starts in the first writable one instead', () => {
    expect(args[args.indexOf('--chdir') + 1]).toBe(`${copy}/scratch`);
  });
});

describe('the sandbox spec the class command hands its graders', () => {
  const good = { uid: 61000, mounts: [['ro', '/copy'], ['tmpfs', '/copy/scratch']], tmpfsMb: 256, scratch: '/copy/scratch', cgroupProcs: ['/sys/fs/cgroup/workbook/1/cgroup.procs'], exchange: '/copy/x' };
  it('is read field by field', () => {
    expect(parseSandboxSpec(JSON.stringify(good))).toEqual(good);
  });
  it('is refused with the field and its bad value named', () => {
    expect(() => parseSandboxSpec(JSON.stringify({ ...good, uid: 0 }))).toThrow(/uid is not valid: 0/);
    expect(() => parseSandboxSpec(JSON.stringify({ ...good, mounts: [['rwx', '/']] }))).toThrow(/mounts is not valid/);
    expect(() => parseSandboxSpec(JSON.stringify({ ...good, cgroupProcs: 'one' }))).toThrow(/cgroupProcs is not valid/);
    expect(() => parseSandboxSpec('null')).toThrow(/the spec is not valid/);
  });
});

describe('markers that name their owner', () => {
  it('carry the pid and the PID namespace', () => {
    expect(ownedMarkerValue('abc')).toBe(`${process.pid}-${pidNamespace()}-abc`);
  });

  it.skipIf(process.platform !== 'linux')('a process whose marker names a gone owner is swept; one whose owner lives is not', async () => {
    // A dead owner: a process that has already ended (and was reaped).
    const gone = spawnSync('true').pid!;
    expect(isAlive(gone)).toBe(false);
    const start = (owner: number) => spawn('sleep', ['30'], { env: { ...process.env, WORKBOOK_TEST_MARK: `${owner}-${pidNamespace()}-x` }, stdio: 'ignore' });
    const orphan = start(gone);
    const kept = start(process.pid);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(sweepOrphans(['WORKBOOK_TEST_MARK'])).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(orphan.exitCode !== null || orphan.signalCode !== null).toBe(true);
    expect(kept.exitCode === null && kept.signalCode === null).toBe(true);
    kept.kill('SIGKILL');
  });
});

describe('user ids held by one run at a time', () => {
  it('two holders get two ids; a released id and the id of a gone owner are handed out again', async () => {
    const locks = path.join(scratch, 'uids');
    process.env.WORKBOOK_UID_LOCKS = locks;
    const { allocateUid, sweepStaleUids, FIRST_UID } = await import('../../sandbox/uids.js');
    const a = allocateUid();
    const b = allocateUid();
    expect([a.uid, b.uid]).toEqual([FIRST_UID, FIRST_UID + 1]);
    a.release();
    expect(allocateUid().uid).toBe(FIRST_UID);
    // A lock whose owner died (a run killed before its end) is swept.
    writeFileSync(path.join(locks, String(FIRST_UID + 7)), `${spawnSync('true').pid}\n`);
    expect(sweepStaleUids()).toBe(1);
    expect(readdirSync(locks).sort()).toEqual([String(FIRST_UID), String(FIRST_UID + 1)]);
    delete process.env.WORKBOOK_UID_LOCKS;
  });
});
