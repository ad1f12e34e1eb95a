// D.3 lab — a small service that logs every request as a JSON line to a file (given; the bug is not here).
// LOG_DIR (default ./logs), LOG_MAX_BYTES (default 10 MiB) and LOG_KEEP (default 5) set where the
// log goes and how much of it is kept. GET /metrics shows how many bytes the log folder holds.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Counter, Gauge, Registry } from 'prom-client';
import { createLogger, type Logger } from './logger.js';
import { createRotatingFileWriter } from './rotating-writer.js';

export interface BuiltApp {
  app: FastifyInstance;
  registry: Registry;
  logger: Logger;
}

function numberFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 ? value : fallback;
}

/** Bytes of every file in a folder (0 when it is not there). */
function folderBytes(dir: string): number {
  try {
    return readdirSync(dir).reduce((sum, name) => {
      try {
        return sum + statSync(path.join(dir, name)).size;
      } catch {
        return sum; // rotated away meanwhile
      }
    }, 0);
  } catch {
    return 0;
  }
}

export async function buildApp(): Promise<BuiltApp> {
  const logDir = path.resolve(process.env.LOG_DIR ?? './logs');
  const writer = createRotatingFileWriter({
    file: path.join(logDir, 'app.log'),
    maxBytes: numberFromEnv('LOG_MAX_BYTES', 10 * 1024 * 1024),
    keep: numberFromEnv('LOG_KEEP', 5),
  });
  const logger = createLogger({ name: 'app', stream: { write: (line: string) => writer.write(line) } });

  const registry = new Registry();
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests by method, route and status code',
    labelNames: ['method', 'endpoint', 'status_code'] as const,
    registers: [registry],
  });
  const logBytes = new Gauge({
    name: 'app_log_dir_bytes',
    help: 'Bytes held by the files in the log folder (LOG_DIR)',
    registers: [registry],
    collect() {
      this.set(folderBytes(logDir));
    },
  });
  void logBytes;

  const app = Fastify({ logger: false });
  app.addHook('onResponse', async (request, reply) => {
    const endpoint = request.routeOptions.url ?? 'unmatched';
    if (endpoint === '/metrics') return;
    requests.inc({ method: request.method, endpoint, status_code: String(reply.statusCode) });
    logger.info('request finished', {
      request_id: request.id,
      method: request.method,
      path: request.url.split('?')[0],
      status_code: reply.statusCode,
      duration_ms: Math.round(reply.elapsedTime * 100) / 100,
      user_agent: request.headers['user-agent'] ?? null,
    });
  });
  app.addHook('onClose', async () => writer.close());

  app.get('/health', async () => ({ status: 'healthy' }));
  app.get('/items/:id', async (request) => ({ id: (request.params as { id: string }).id }));
  app.get('/metrics', async (_request, reply) => {
    reply.header('content-type', registry.contentType);
    return registry.metrics();
  });
  await app.ready();
  logger.info('service started', { log_dir: logDir });
  return { app, registry, logger };
}
