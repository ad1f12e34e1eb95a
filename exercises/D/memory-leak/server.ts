// Runs the lab's service: `npx tsx exercises/D/memory-leak/server.ts` (PORT, default 3000).
import { buildApp } from './app.js';

const { app } = await buildApp();
const address = await app.listen({ port: Number(process.env.PORT ?? 3000), host: process.env.HOST ?? '127.0.0.1' });
console.log(`quotes service listening on ${address} (metrics: ${address}/metrics)`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
