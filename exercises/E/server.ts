// Starts the production service: `npm run serve:e` (PORT and HOST from the environment). It listens
// on every interface (0.0.0.0) unless HOST says otherwise: Prometheus scrapes it from another
// container or machine. HOST=127.0.0.1 keeps it to this machine, e.g. on a laptop on a shared network.
import { buildApp } from './app.js';

const { app } = await buildApp();
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST || '0.0.0.0' });
// One JSON line, like every other line this service should print.
process.stdout.write(`${JSON.stringify({ timestamp: new Date().toISOString(), level: 'INFO', logger: 'app', message: 'service listening', address })}\n`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
