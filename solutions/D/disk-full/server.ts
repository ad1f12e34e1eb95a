// Starts the D.3 lab service: `npx tsx exercises/D/disk-full/server.ts` (PORT, default 3000).
// Its log goes to LOG_DIR/app.log (default ./logs/app.log), not to the terminal.
// To see the symptom: send it a lot of requests, e.g.
//   for i in $(seq 5000); do curl -s localhost:3000/health >/dev/null; done; du -sh logs/
import { buildApp } from './app.js';

const { app, logger } = await buildApp();
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
logger.info('service listening', { address });
process.stdout.write(`listening on ${address}; logs in ${process.env.LOG_DIR ?? './logs'}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
