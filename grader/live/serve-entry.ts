// A section's own entry point run as a person runs it (`npm run serve:e`): PORT set, HOST unset; where it listens and what it prints first.
import { readFileSync } from 'node:fs';
import { nodeWithTsx } from '../sandbox/runner.js';
import { sleep } from './sleep.js';
import { spawnServer, waitForHealth } from './spawned-server.js';

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
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.HOST;
  const server = await spawnServer(nodeWithTsx(file), { cwd, env, keepOut: 5, outLineMax: 2000, keepErr: 20, errLineMax: 500 });
  const { port, out: lines, err: stderr } = server;
  try {
    // A start line that names another port: the entry point ignored PORT, no need to wait it out.
    const hostPort = /(?:localhost|\b\d{1,3}(?:\.\d{1,3}){3}|\[[0-9a-fA-F:]*\]):(\d{2,5})\b/g;
    const elsewhere = () => lines.some((l) => /listen/i.test(l) && [...l.matchAll(hostPort)].some((m) => Number(m[1]) !== port));
    const answered = await waitForHealth(server.baseUrl, Date.now() + timeoutMs, () => server.exited() !== undefined || elsewhere());
    const listening = answered ? listeningOn(port) : undefined;
    if (answered) await sleep(200); // its first line, if it is written right after listening
    const exited = server.exited();
    return { port, answered, ...(exited !== undefined && { exited }), lines, stderr, ...(listening && { listening }) };
  } finally {
    server.stop();
  }
}
