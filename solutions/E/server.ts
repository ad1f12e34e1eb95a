// Starts the production service: `npm run serve:e` (PORT and HOST from the environment). It listens
// on every interface (0.0.0.0) unless HOST says otherwise: Prometheus scrapes it from another
// container or machine. HOST=127.0.0.1 keeps it to this machine, e.g. on a laptop on a shared network.
import { buildApp } from './app.js';
import { createLogger } from './logger.js';

const logger = createLogger({ name: 'app' });
const { app } = await buildApp({ logger });
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST || '0.0.0.0' });
logger.info('service listening', { address });
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
