// D.2 — metrics not updating: the restart half. Building the app twice in one process (what tests
// and hot reloads do) must not throw "already registered", and each app must own its registry.
import { describe, expect, it } from 'vitest';
import { buildApp } from '@target/D/metrics-not-updating/app.js';

type Built = Awaited<ReturnType<typeof buildApp>>;

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

describe('D.2.restart-clean', () => {
  it('builds the app twice in one process, each time with its own registry', async () => {
    const built: Built[] = [];
    try {
      for (const attempt of ['first', 'second']) {
        try {
          built.push(await buildApp());
        } catch (error) {
          expect.fail(
            `expected buildApp() to succeed a ${attempt} time in the same process, but it threw: ${messageOf(error).replace(/\.$/, '')}. ` +
              'Create every metric once per app, on the registry buildApp creates (not on prom-client\'s global registry, not per request, not at module level).',
          );
        }
      }
      const [first, second] = built as [Built, Built];
      expect(second.registry !== first.registry, 'expected each buildApp() to create its own registry, saw both apps share one (its counts would mix after a restart)').toBe(true);
      const names = second.registry.getMetricsAsArray().map((metric) => (metric as unknown as { name: string }).name);
      expect(names.includes('http_requests_total'), `expected http_requests_total on the second app's registry, saw: ${names.join(', ') || '(none)'}`).toBe(true);
    } finally {
      await Promise.all(built.map((b) => b.app.close()));
    }
  });
});
