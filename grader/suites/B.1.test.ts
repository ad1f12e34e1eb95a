// B.1 — the course's libraries are installed at the majors the lessons are written for, and the
// learner's env-check script, run as a program the way the lesson says, prints them.
import { execFile } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { installedVersion } from '@target/B/env-check.js';

declare module 'vitest' {
  export interface ProvidedContext {
    target: string;
  }
}

/** The project's own tsx (the graded folder may have no node_modules of its own). */
const TSX = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../node_modules/tsx/dist/loader.mjs');

/** `npx tsx exercises/B/env-check.ts`, as the lesson has the learner run it: its output. */
let printed: Promise<string> | undefined;
const runScript = () =>
  (printed ??= new Promise((resolve) => {
    const script = path.join(inject('target'), 'B/env-check.ts');
    execFile(process.execPath, ['--import', pathToFileURL(TSX).href, script], { timeout: 4_000, cwd: path.dirname(script), env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' } }, (error, stdout, stderr) => {
      resolve(error ? `${stdout}${stderr}`.trim() || String(error.message) : stdout);
    });
  }));

/** The line of the script's output that names `pkg`, or what it printed instead. */
async function expectPrinted(pkg: string, major: string): Promise<void> {
  const out = await runScript();
  const line = out.split('\n').find((l) => l.trim().startsWith(`${pkg} `));
  const seen = line?.trim() ?? (out.trim() ? `no line starting with "${pkg}"; it printed: ${out.trim().split('\n').slice(0, 4).join(' | ').slice(0, 300)}` : 'nothing');
  expect(line?.trim().split(/\s+/)[1]?.split('.')[0], `npx tsx exercises/B/env-check.ts should print "${pkg} ${major}.x.y"; it printed ${seen}`).toBe(major);
}

describe('B.1.prom-client-installed', () => {
  it('prom-client 15 is importable', async () => {
    const client = await import('prom-client');
    expect(typeof client.Counter, 'prom-client exports Counter').toBe('function');
    expect(installedVersion('prom-client').split('.')[0], 'prom-client major version (run npm install)').toBe('15');
  });

  it('the env-check script prints it when run', async () => {
    await expectPrinted('prom-client', '15');
  });
});

describe('B.1.fastify-installed', () => {
  it('fastify 5 is importable', async () => {
    const fastify = await import('fastify');
    expect(typeof fastify.default, 'fastify exports a factory').toBe('function');
    expect(installedVersion('fastify').split('.')[0], 'fastify major version (run npm install)').toBe('5');
  });

  it('the env-check script prints it when run', async () => {
    await expectPrinted('fastify', '5');
  });
});
