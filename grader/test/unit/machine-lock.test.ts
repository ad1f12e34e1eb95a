// Measured checks of two grades never overlap, and a lock left by a grade that died is taken over.
import { mkdirSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { measuringAlone } from '../../run/machine-lock.js';
import { sleep } from '../../live/sleep.js';

const dir = mkdtempSync(path.join(tmpdir(), 'workbook-lock-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('measuringAlone', () => {
  it('runs one at a time, in turn, and leaves no lock behind', async () => {
    const events: string[] = [];
    const work = (name: string) => async () => {
      events.push(`${name} starts`);
      await sleep(120);
      events.push(`${name} ends`);
      return name;
    };
    const results = await Promise.all([measuringAlone(work('a'), { dir }), measuringAlone(work('b'), { dir }), measuringAlone(work('c'), { dir })]);
    expect(results).toEqual(['a', 'b', 'c']);
    for (let i = 0; i < events.length; i += 2) expect(events[i + 1]).toBe(events[i]!.replace('starts', 'ends'));
    await expect(measuringAlone(async () => 'again', { dir, maxWaitMs: 100 })).resolves.toBe('again');
  });

  it('releases the lock when the work throws', async () => {
    await expect(measuringAlone(async () => Promise.reject(new Error('broken')), { dir })).rejects.toThrow('broken');
    await expect(measuringAlone(async () => 'next', { dir, maxWaitMs: 100 })).resolves.toBe('next');
  });

  it('takes over a lock nobody has touched for a while, and waits for one still touched', async () => {
    const lock = path.join(dir, 'measuring.lock');
    mkdirSync(lock);
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    await expect(measuringAlone(async () => 'took over', { dir, maxWaitMs: 2_000 })).resolves.toBe('took over');
    mkdirSync(lock);
    let ran = false;
    const waiting = measuringAlone(async () => (ran = true), { dir, maxWaitMs: 5_000 });
    await sleep(300);
    expect(ran).toBe(false);
    rmSync(lock, { recursive: true });
    await waiting;
    expect(ran).toBe(true);
  });
});
