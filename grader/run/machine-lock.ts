// One grade at a time on this machine runs the checks that measure time or memory under load: a lock
// folder that the grades of a class, the grader's own tests and mutation runs all see. The holder
// touches it every second; a lock nobody has touched for a while belonged to a grade that died, and
// is taken over. A grade that has waited its longest goes ahead anyway (the checks themselves then
// tell a machine too busy to measure from a failure).
import { mkdirSync, renameSync, rmSync, statSync, utimesSync } from 'node:fs';
import path from 'node:path';
import { sleep } from '../live/sleep.js';
import { WORK_ROOT } from '../paths.js';

/** Where the lock lives: WORKBOOK_LOCK_DIR (class grading points every submission's grader at the
 * class's own folder), else the project's scratch folder. */
export const lockDir = (env: NodeJS.ProcessEnv = process.env): string => env.WORKBOOK_LOCK_DIR || WORK_ROOT;

const NAME = 'measuring.lock';
const TOUCH_MS = 1_000;
const STALE_MS = 10_000;
const POLL_MS = 50;

/** Runs `work` while no other grade of this machine runs measured checks (waiting at most `maxWaitMs`). */
export async function measuringAlone<T>(work: () => Promise<T>, { dir = lockDir(), maxWaitMs = 180_000 } = {}): Promise<T> {
  const lock = path.join(dir, NAME);
  const held = await acquire(lock, maxWaitMs);
  const touch = held ? setInterval(() => touchLock(lock), TOUCH_MS) : undefined;
  touch?.unref();
  try {
    return await work();
  } finally {
    clearInterval(touch);
    if (held) rmSync(lock, { recursive: true, force: true });
  }
}

async function acquire(lock: string, maxWaitMs: number): Promise<boolean> {
  mkdirSync(path.dirname(lock), { recursive: true });
  for (const end = Date.now() + maxWaitMs; Date.now() < end; await sleep(POLL_MS)) {
    try {
      mkdirSync(lock);
      return true;
    } catch {
      takeOverIfStale(lock);
    }
  }
  return false;
}

function touchLock(lock: string): void {
  try {
    const now = new Date();
    utimesSync(lock, now, now);
  } catch {
    // taken over meanwhile: the work goes on; it is only a courtesy to the others
  }
}

/** A lock untouched for STALE_MS is moved aside (one waiter wins the rename) and removed. */
function takeOverIfStale(lock: string): void {
  try {
    if (Date.now() - statSync(lock).mtimeMs < STALE_MS) return;
    const aside = `${lock}.stale-${process.pid}-${Date.now()}`;
    renameSync(lock, aside);
    rmSync(aside, { recursive: true, force: true });
  } catch {
    // gone or taken over by another waiter: try again
  }
}
