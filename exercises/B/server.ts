// Starts the service: `npm run serve` (PORT and HOST from the environment, 3000 and 127.0.0.1 by default).
import { buildApp } from './app.js';

const { app } = await buildApp();
const address = await app.listen({
  port: Number(process.env.PORT ?? 3000),
  host: process.env.HOST ?? '127.0.0.1',
});
console.log(`service listening on ${address} (metrics at ${address}/metrics)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
