// Starts the Section C service: `npm run serve:c` (PORT and HOST from the environment, 3000 and
// 127.0.0.1 by default). Every line it prints is a JSON log line.
import { buildApp } from './app.js';

const { app, logger } = await buildApp();
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
logger.info('service listening', { address, metrics: `${address}/metrics` });

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
