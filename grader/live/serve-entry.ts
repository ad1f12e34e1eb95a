// A section's own entry point run as a person runs it (`npm run serve:e`): PORT set, HOST unset; where it listens and what it prints first.
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { killMarked } from '../sandbox/marker.js';
import { nodeWithTsx, untrusted } from '../sandbox/runner.js';
import { killGroup, spawnGroup } from './processes.js';
import { freePort } from './prometheus-server.js';
import { sleep } from './sleep.js';

export interface EntryRun {
  port: number;
  /** GET /health at 127.0.0.1:PORT answered before the deadline. */
  answered: boolean;
  /** How it ended before answering (code or signal), if it did. */
  exited?: string;
  /** The first lines it printed on stdout (up to 5, read until a moment after it answered). */
  lines: string[];
  stderr: string[];
  /** The addresses the kernel says it listens on at PORT (Linux: /proc/net/tcp and tcp6), or
   * undefined where that cannot be read. */
  listening?: string[];
}

/** "0100007F:1F90" (little-endian IPv4) or a 32-digit IPv6 hex address, with its port. */
function decode(hex: string): { address: string; port: number } {
  const [ip = '', port = '0'] = hex.split(':');
  let address: string;
  if (ip.length === 8) {
    address = [6, 4, 2, 0].map((i) => parseInt(ip.slice(i, i + 2), 16)).join('.');
  } else {
    const words = ip.match(/.{8}/g) ?? [];
    const bytes = words.flatMap((w) => [6, 4, 2, 0].map((i) => w.slice(i, i + 2)));
    const groups = (bytes.join('').match(/.{4}/g) ?? []).map((g) => parseInt(g, 16).toString(16));
    address = groups.every((g) => g === '0') ? '::' : groups.join(':');
  }
  return { address, port: parseInt(port, 16) };
}

/** The local addresses of the sockets listening on `port`, from the kernel's tables. */
export function listeningOn(port: number): string[] | undefined {
  const found: string[] = [];
  let readable = false;
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string;
    try {
      text = readFileSync(table, 'utf8');
      readable = true;
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      if (!local || state !== '0A') continue; // 0A: LISTEN
      const { address, port: p } = decode(local);
      if (p === port) found.push(address);
    }
  }
  return readable ? found : undefined;
}

/** Runs `file` (a TypeScript entry point) through the runner with PORT set and HOST unset, until
 * GET /health answers or `timeoutMs` passes; stops it and everything it started before returning. */
export async function runEntry(file: string, cwd: string, timeoutMs = 15_000): Promise<EntryRun> {
  const port = await freePort();
  const mark = randomBytes(8).toString('hex');
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), WORKBOOK_SERVICE_MARK: mark };
  delete env.HOST;
  const command = untrusted(nodeWithTsx(file), { cwd, env });
  const child = spawnGroup(command.file, command.args, { env: command.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const stderr: string[] = [];
  if (child.stdout) createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (l) => lines.length < 5 && lines.push(l.slice(0, 2000)));
  if (child.stderr) createInterface({ input: child.stderr, crlfDelay: Infinity }).on('line', (l) => stderr.push(l.slice(0, 500)) > 20 && stderr.shift());
  let exited: string | undefined;
  child.on('exit', (code, signal) => {
    exited = signal ?? `code ${code}`;
  });
  try {
    const deadline = Date.now() + timeoutMs;
    let answered = false;
    // A start line that names another port: the entry point ignored PORT, no need to wait it out.
    const hostPort = /(?:localhost|\b\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]*\]):(\d{2,5})\b/g;
    const elsewhere = () => lines.some((l) => /listen/i.test(l) && [...l.matchAll(hostPort)].some((m) => Number(m[1]) !== port));
    while (!answered && exited === undefined && Date.now() < deadline && !elsewhere()) {
      try {
        await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(500) });
        answered = true;
      } catch {
        await sleep(100);
      }
    }
    const listening = answered ? listeningOn(port) : undefined;
    if (answered) await sleep(200); // its first line, if it is written right after listening
    return { port, answered, ...(exited !== undefined && { exited }), lines, stderr, ...(listening && { listening }) };
  } finally {
    killGroup(child.pid);
    killMarked(`WORKBOOK_SERVICE_MARK=${mark}`);
  }
}
