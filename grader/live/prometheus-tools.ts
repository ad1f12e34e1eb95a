// The real Prometheus tools where installed: `promtool` and `prometheus` from PATH, or
// PROMTOOL_BIN / PROMETHEUS_BIN. Where they are absent, callers say so honestly.
import { accessSync, constants } from 'node:fs';
import path from 'node:path';
import { runCommand } from './commands.js';

export const INSTALL_HINT = 'install Prometheus to run this check for real: sudo apt-get install prometheus (Debian/Ubuntu), or set PROMTOOL_BIN and PROMETHEUS_BIN';

function findOnPath(name: string, override: string | undefined): string | undefined {
  const candidates = override ? [override] : (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, name));
  for (const file of candidates) {
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return undefined;
}

export function promtoolPath(): string | undefined {
  return findOnPath('promtool', process.env.PROMTOOL_BIN);
}

export function prometheusPath(): string | undefined {
  return findOnPath('prometheus', process.env.PROMETHEUS_BIN);
}

/** Families prom-client adds by itself (default metrics); promtool's lint of those is not the learner's. */
export function isDefaultFamily(name: string): boolean {
  return name.startsWith('nodejs_') || name.startsWith('process_');
}

/** Keeps only the learner's metric families of an exposition text. */
export function learnerFamiliesText(text: string): string {
  const kept: string[] = [];
  let current = '';
  for (const line of text.split('\n')) {
    const meta = /^# (?:HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*)/.exec(line);
    if (meta?.[1]) current = meta[1];
    else if (line && !line.startsWith('#')) current = /^[a-zA-Z_:][a-zA-Z0-9_:]*/.exec(line)?.[0] ?? current;
    const family = [current, current.replace(/_(bucket|sum|count)$/, '')];
    if (!family.some(isDefaultFamily)) kept.push(line);
  }
  return kept.join('\n');
}

export interface PromtoolVerdict {
  ok: boolean;
  problems: string[];
}

/** `promtool check metrics` on the given exposition text (read from stdin). */
export async function checkMetrics(promtool: string, text: string): Promise<PromtoolVerdict> {
  const result = await runCommand(promtool, ['check', 'metrics'], { input: text, timeoutMs: 10_000 });
  const problems = `${result.stdout}\n${result.stderr}`.split('\n').map((l) => l.trim()).filter(Boolean);
  return { ok: result.exitCode === 0 && !result.timedOut, problems };
}
