// Starts the production service: `npm run serve:e` (PORT and HOST from the environment).
import { buildApp } from './app.js';
import { createLogger } from './logger.js';

const logger = createLogger({ name: 'app' });
const { app } = await buildApp({ logger });
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
logger.info('service listening', { address });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
