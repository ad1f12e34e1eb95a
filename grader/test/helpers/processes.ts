// Finds processes the grader started that are still running.
import { execFileSync } from 'node:child_process';

/** Processes whose command line mentions `needle` (a fixture's folder), other than `ps` itself. */
export function processesMentioning(needle: string): string[] {
  const out = execFileSync('ps', ['-eo', 'pid,args'], { encoding: 'utf8' });
  return out.split('\n').filter((l) => l.includes(needle) && !l.includes('ps -eo'));
}
