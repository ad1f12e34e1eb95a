// The optional docker-compose.yml: its services, ports and files hold together (it is not run here).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promtoolPath } from '../../live/prometheus-tools.js';
import { PROJECT_ROOT } from '../../paths.js';

interface Compose {
  services: Record<string, { image: string; command?: string[]; environment?: Record<string, string>; ports?: string[]; volumes?: string[]; configs?: Array<{ source: string; target: string }>; depends_on?: string[] }>;
  configs: Record<string, { content: string }>;
}

const compose = parse(readFileSync(path.join(PROJECT_ROOT, 'docker-compose.yml'), 'utf8')) as Compose;

describe('docker-compose.yml', () => {
  it('runs the Section E service on every interface, with its port published', () => {
    const api = compose.services.api!;
    expect(api.environment).toMatchObject({ PORT: '3000', HOST: '0.0.0.0' });
    expect(api.ports).toContain('3000:3000');
    const command = api.command?.join(' ') ?? '';
    const file = /(exercises\/E\/[\w./-]+\.ts)/.exec(command)?.[1];
    expect(file, 'the command starts a file of the course').toBeDefined();
    expect(existsSync(path.join(PROJECT_ROOT, file!))).toBe(true);
    expect(command).toContain('npm ci');
    expect(existsSync(path.join(PROJECT_ROOT, 'package-lock.json'))).toBe(true);
  });

  it('runs Prometheus with the course\'s scrape configuration, aimed at the service by its Compose name', () => {
    const prometheus = compose.services.prometheus!;
    expect(prometheus.image).toMatch(/^prom\/prometheus:v\d+\.\d+\.\d+$/);
    expect(prometheus.ports).toContain('9090:9090');
    expect(prometheus.depends_on).toContain('api');
    const mounted = prometheus.configs?.find((c) => c.target === '/etc/prometheus/prometheus.yml');
    expect(mounted).toBeDefined();
    const config = parse(compose.configs[mounted!.source]!.content) as { scrape_configs: Array<{ job_name: string; metrics_path: string; static_configs: Array<{ targets: string[] }> }> };
    const job = config.scrape_configs[0]!;
    expect(job.job_name).toBe('production-service');
    expect(job.metrics_path).toBe('/metrics');
    expect(job.static_configs[0]!.targets).toEqual([`api:${compose.services.api!.environment!.PORT}`]);
  });

  it.skipIf(!promtoolPath())('its Prometheus configuration passes promtool check config (skipped without promtool)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'compose-'));
    try {
      const file = path.join(dir, 'prometheus.yml');
      writeFileSync(file, compose.configs.prometheus_config!.content);
      execFileSync(promtoolPath()!, ['check', 'config', file], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
