// Starts the production service: `npm run serve:e`. Lesson: lessons/E-production-simulation.md,
// "Where it listens". Grade: npm run grade -- E
import { buildApp } from './app.js';

// TODO(E): read the port and the host from the environment (PORT, default 3000; HOST, default
// 0.0.0.0 so that Prometheus in another container or machine can reach the service), and print the
// start line as one JSON log line (your logger from C.1) with a message and the address, like every
// other line this service prints.
const { app } = await buildApp();
const address = await app.listen({ port: 3000, host: '127.0.0.1' });
console.log(`service listening at ${address}`);
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
