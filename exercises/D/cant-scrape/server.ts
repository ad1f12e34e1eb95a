// Starts the D.5 lab service: `npx tsx exercises/D/cant-scrape/server.ts` (HOST and PORT, see listen.ts).
// Then run Prometheus on this folder's config and open http://localhost:9090/targets:
//   prometheus --config.file=exercises/D/cant-scrape/prometheus.yml --storage.tsdb.path=/tmp/prom-d5
import { buildApp, METRICS_PATH } from './app.js';
import { listenOptions } from './listen.js';

const { app } = await buildApp();
const address = await app.listen(listenOptions());
process.stdout.write(`listening on ${address}; metrics at ${address}${METRICS_PATH}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => void app.close().then(() => process.exit(0)));
}
