// Runs inside the spawned service process: imports the learner's app, listens on a free loopback
// port, and talks to the grader over the IPC channel (so the learner's stdout stays pure logs).
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

interface Built {
  app: { listen(o: { port: number; host: string }): Promise<string>; server: { address(): unknown } };
  registry: { metrics(): Promise<string> };
}

function send(message: object): void {
  process.send?.(message);
}

function describe(error: unknown): { message: string; stack: string } {
  if (error instanceof Error) return { message: error.message, stack: error.stack ?? error.message };
  return { message: String(error), stack: String(error) };
}

const MARK_PREFIX = '__workbook_log_mark__';

/** The packages every app of the course imports: a spare loads them while it waits (the app's own
 * imports then find them loaded; nothing of them runs before the app asks). */
const COURSE_PACKAGES = ['fastify', 'fastify-plugin', 'prom-client'];

/** Started ahead as a spare (node and tsx already loaded), the launcher waits to be told which app to load. */
function orders(): Promise<{ appModule?: string; options?: string }> {
  if (process.argv[2]) return Promise.resolve({ appModule: process.argv[2], ...(process.env.WORKBOOK_APP_OPTIONS && { options: process.env.WORKBOOK_APP_OPTIONS }) });
  for (const name of COURSE_PACKAGES) import(name).catch(() => undefined);
  return new Promise((resolve) => {
    const onMessage = (raw: unknown) => {
      const message = raw as { type?: string; appModule?: string; options?: string };
      if (message.type !== 'load') return;
      process.off('message', onMessage);
      resolve({ ...(message.appModule && { appModule: message.appModule }), ...(message.options && { options: message.options }) });
    };
    process.on('message', onMessage);
  });
}

const { appModule, options: optionsText } = await orders();
try {
  if (!appModule) throw new Error('launch: no app module given');
  const mod = (await import(pathToFileURL(appModule).href)) as { buildApp?: unknown };
  if (typeof mod.buildApp !== 'function') {
    throw new Error('the app module does not export a function named buildApp');
  }
  // The grader may ask for a variant of the app (e.g. { instrument: false } to measure overhead).
  const options = optionsText ? (JSON.parse(optionsText) as unknown) : undefined;
  const built = (await (mod.buildApp as (o?: unknown) => Promise<Built>)(options)) as Built;
  await built.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = built.app.server.address() as AddressInfo;
  process.on('message', (raw) => {
    const message = raw as { type?: string; id?: number };
    if (message.type === 'mark') {
      // Everything written to stdout before this line has been written: the grader waits for it.
      process.stdout.write(`${MARK_PREFIX}${message.id}\n`);
      return;
    }
    if (message.type !== 'scrape') return;
    built.registry.metrics().then(
      (text) => send({ type: 'scrape', id: message.id, text }),
      (error: unknown) => send({ type: 'scrape', id: message.id, error: describe(error).message }),
    );
  });
  send({ type: 'ready', port });
} catch (error) {
  send({ type: 'startup-error', ...describe(error) });
  process.exitCode = 1;
  process.disconnect?.();
}
