// B.1 — Environment check.
// Run it with `npx tsx exercises/B/env-check.ts`: it prints the versions of the two libraries
// the course is built on. Nothing to change here; the grader checks the same thing.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export function installedVersion(pkg: 'prom-client' | 'fastify'): string {
  const manifest = require(`${pkg}/package.json`) as { version: string };
  return manifest.version;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(`prom-client ${installedVersion('prom-client')}`);
  console.log(`fastify     ${installedVersion('fastify')}`);
  console.log(`node        ${process.versions.node}`);
}
