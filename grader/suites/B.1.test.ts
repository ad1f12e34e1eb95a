// B.1 — the course's libraries are installed at the majors the lessons are written for.
import { describe, expect, it } from 'vitest';
import { installedVersion } from '@target/B/env-check.js';

describe('B.1.prom-client-installed', () => {
  it('prom-client 15 is importable', async () => {
    const client = await import('prom-client');
    expect(typeof client.Counter, 'prom-client exports Counter').toBe('function');
    expect(installedVersion('prom-client').split('.')[0], 'prom-client major version (run npm install)').toBe('15');
  });
});

describe('B.1.fastify-installed', () => {
  it('fastify 5 is importable', async () => {
    const fastify = await import('fastify');
    expect(typeof fastify.default, 'fastify exports a factory').toBe('function');
    expect(installedVersion('fastify').split('.')[0], 'fastify major version (run npm install)').toBe('5');
  });
});
