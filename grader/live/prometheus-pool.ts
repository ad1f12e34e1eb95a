// Prometheus servers started ahead and kept idle for the checks of a grade (and, in the menu and watch,
// between grades): a check's config goes into one by a reload instead of a new start, so its first
// scrape comes at Prometheus' next reload tick (every 5 s from its start) instead of 5 s after a start.
import { startPrometheus, type PrometheusServer } from './prometheus-server.js';

/** What an idle server runs: no target, no rule. */
const IDLE_CONFIG = 'global:\n  scrape_interval: 1s\n  evaluation_interval: 1s\nscrape_configs: []\n';

/** How a check gets a Prometheus running its config (the pool's, or a plain start). */
export type LaunchPrometheus = (bin: string, configText: string) => Promise<PrometheusServer>;

export const startFresh: LaunchPrometheus = (bin, configText) => startPrometheus(bin, configText);

export class PrometheusPool {
  private readonly idle: Array<Promise<PrometheusServer | undefined>> = [];
  private readonly leased = new Set<PrometheusServer>();
  private closed = false;

  constructor(private readonly bin: string | undefined) {}

  /** Starts servers now so that up to `count` are idle when checks ask for them. */
  warm(count: number): void {
    if (!this.bin || this.closed) return;
    while (this.idle.length < count) this.idle.push(startPrometheus(this.bin, IDLE_CONFIG, { lifecycle: true }).catch(() => undefined));
  }

  /** A server running `configText`: an idle one reloaded, else one started with it. Its stop() hands it
   * back to the pool (its targets and rules dropped; once the pool is closed, it ends). */
  readonly launch: LaunchPrometheus = async (bin, configText) => {
    if (this.closed || bin !== this.bin) return startFresh(bin, configText);
    let server: PrometheusServer | undefined;
    while (!server && this.idle.length > 0) {
      const next = await this.idle.shift();
      if (next && !next.gone()) server = next;
    }
    if (server) {
      try {
        await server.reload(configText);
      } catch (error) {
        server.stop(); // it keeps no half-loaded config for the next check
        throw error;
      }
    } else {
      server = await startPrometheus(bin, configText, { lifecycle: true });
    }
    this.leased.add(server);
    const own = server;
    return { ...own, stop: () => this.giveBack(own) };
  };

  private giveBack(server: PrometheusServer): void {
    if (!this.leased.delete(server)) return; // stopped twice
    if (this.closed || server.gone()) {
      server.stop();
      return;
    }
    // Its targets and rules dropped, then every series deleted: a check lent it next sees nothing of
    // this one (a series left behind would answer its queries for five minutes).
    this.idle.push(
      (async () => {
        try {
          await server.reload(IDLE_CONFIG);
          await server.forget();
          return server;
        } catch {
          server.stop();
          return undefined;
        }
      })(),
    );
  }

  /** Ends every server, idle or still lent out. */
  close(): void {
    this.closed = true;
    for (const server of this.leased) server.stop();
    this.leased.clear();
    for (const pending of this.idle.splice(0)) void pending.then((s) => s?.stop());
  }
}
