// Finds processes the grader started that are still running.
import { execFileSync } from 'node:child_process';

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
