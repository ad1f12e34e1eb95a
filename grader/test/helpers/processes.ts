// Finds processes the grader started that are still running.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { isAlive } from '../../sandbox/marker.js';
import { uidLocks } from '../../sandbox/uids.js';

/** Processes whose command line mentions `needle` (a fixture's folder), other than `ps` itself. */
export function processesMentioning(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}

/** Processes mentioning `needle` that are still there after up to `ms` (a process just killed takes a
 * moment to leave the process table; one that stays is a real leftover). */
export async function leftoversAfter(needle: string, ms = 2000): Promise<string[]> {
  let left = processesMentioning(needle);
  for (const end = Date.now() + ms; left.length > 0 && Date.now() < end; left = processesMentioning(needle)) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return left;
}

/** What the class runs of the given class commands (their pids) left behind once ended: copies,
 * control groups and user ids naming them as their owner. Other tests' runs, side by side, going or
 * killed on purpose, are theirs to judge. */
export function classLeftovers(workRoot: string, owners: Array<number | undefined>): string[] {
  const left: string[] = [];
  const gone = (pid: number) => owners.includes(pid) && !isAlive(pid);
  if (existsSync(workRoot)) {
    for (const dir of readdirSync(workRoot).filter((d) => d.startsWith('class-'))) {
      const owner = path.join(workRoot, dir, '.owner');
      // A copy being laid out has no owner file yet; one kept with --keep has none any more.
      if (existsSync(owner) && gone(Number(readFileSync(owner, 'utf8')))) left.push(`copy ${dir}`);
    }
  }
  for (const parent of ['/sys/fs/cgroup/memory/workbook', '/sys/fs/cgroup/pids/workbook', '/sys/fs/cgroup/workbook']) {
    if (!existsSync(parent)) continue;
    for (const group of readdirSync(parent, { withFileTypes: true }).filter((d) => d.isDirectory())) {
      if (gone(Number(group.name.split('-')[0]))) left.push(`control group ${parent}/${group.name}`);
    }
  }
  const locks = uidLocks();
  if (existsSync(locks)) {
    for (const uid of readdirSync(locks)) {
      if (gone(Number(readFileSync(path.join(locks, uid), 'utf8')))) left.push(`user id ${uid}`);
    }
  }
  return left;
}
