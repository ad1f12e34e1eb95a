// The Prometheus servers the engine lends to checks: a config goes in by a reload, the next check's
// config replaces it (the old targets no longer answer queries), a refused config is told with
// Prometheus' reason, and closing the pool ends every server. (Skipped where Prometheus is missing.)
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { PrometheusPool } from '../../live/prometheus-pool.js';
import { pollUntil, PrometheusStartError } from '../../live/prometheus-server.js';
import { prometheusPath } from '../../live/prometheus-tools.js';

const bin = prometheusPath();

function target(value: number): Promise<Server> {
  const server = createServer((_, res) => res.end(`# TYPE pool_test gauge\npool_test ${value}\n`));
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

const scrape = (job: string, server: Server) =>
  `global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: ${job}\n    static_configs:\n      - targets: ['127.0.0.1:${(server.address() as AddressInfo).port}']\n`;

describe.skipIf(!bin)('the Prometheus pool', () => {
  const pool = new PrometheusPool(bin);
  const targets: Server[] = [];
  afterAll(() => {
    pool.close();
    targets.forEach((t) => t.close());
  });

  it('lends a server started ahead, reloaded with each check\'s config in turn', async () => {
    pool.warm(1);
    const [one, two] = await Promise.all([target(1), target(2)]);
    targets.push(one!, two!);
    const first = await pool.launch(bin!, scrape('first', one!));
    const up = (s: typeof first, job: string) => pollUntil(async () => ((await s.query(`pool_test{job="${job}"}`))[0]?.value ?? undefined), 15_000);
    expect(await up(first, 'first')).toBe(1);
    first.stop();
    const second = await pool.launch(bin!, scrape('second', two!));
    expect(second.baseUrl, 'the same server, lent again').toBe(first.baseUrl);
    expect(await up(second, 'second')).toBe(2);
    // The first check's target is gone: its series are stale, not part of an instant query any more.
    expect(await second.query('pool_test{job="first"}')).toEqual([]);
    second.stop();
  });

  it('tells a config Prometheus refuses, with its reason', async () => {
    await expect(pool.launch(bin!, 'scrape_configs:\n  - job_name: x\n    scrape_interval: nonsense\n')).rejects.toThrow(PrometheusStartError);
  });

  it('ends every server when closed', async () => {
    const lent = await pool.launch(bin!, 'global:\n  scrape_interval: 1s\nscrape_configs: []\n');
    pool.close();
    await new Promise((r) => setTimeout(r, 300));
    expect(lent.gone()).toBe(true);
    await expect(fetch(`${lent.baseUrl}/-/ready`)).rejects.toThrow();
  });
});
