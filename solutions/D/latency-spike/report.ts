// GET /report?seed=&rows=: a sales report over `rows` synthetic orders (the same seed always gives
// the same orders, so the same report). Adding up millions of orders takes real CPU time.
import type { FastifyPluginAsync } from 'fastify';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';

export const REGIONS = ['north', 'south', 'east', 'west'] as const;
export type Region = (typeof REGIONS)[number];

export interface SalesReport {
  seed: number;
  rows: number;
  total_cents: number;
  by_region: Record<Region, number>;
  largest_cents: number;
  checksum: number;
}

export const DEFAULT_ROWS = 1_000_000;
export const MAX_ROWS = 20_000_000;
/** Orders added up between two turns of the event loop: about a millisecond of work. */
export const CHUNK_ROWS = 15_000;

/** Adds up orders one after the other; the orders come from a small seeded generator (mulberry32). */
export class Tally {
  private state: number;
  private total = 0;
  private largest = 0;
  private checksum = 0;
  private readonly byRegion = [0, 0, 0, 0];
  private count = 0;

  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }

  private next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Adds the next `n` orders. */
  add(n: number): void {
    for (let i = 0; i < n; i++) {
      const region = Math.floor(this.next() * 4);
      const cents = 100 + Math.floor(this.next() * 99_900);
      this.total += cents;
      this.byRegion[region]! += cents;
      if (cents > this.largest) this.largest = cents;
      this.checksum = (Math.imul(this.checksum, 31) + cents) >>> 0;
    }
    this.count += n;
  }

  result(): SalesReport {
    const by_region = Object.fromEntries(REGIONS.map((r, i) => [r, this.byRegion[i]!])) as Record<Region, number>;
    return { seed: this.seed, rows: this.count, total_cents: this.total, by_region, largest_cents: this.largest, checksum: this.checksum };
  }
}

/** The report, computed a chunk at a time: between two chunks the event loop serves other requests
 * (health checks, other reports), so no request waits behind a whole report. */
export async function buildReport(seed: number, rows: number): Promise<SalesReport> {
  const tally = new Tally(seed);
  for (let done = 0; done < rows; ) {
    const n = Math.min(CHUNK_ROWS, rows - done);
    tally.add(n);
    done += n;
    if (done < rows) await yieldToEventLoop();
  }
  return tally.result();
}

function intParam(raw: unknown, fallback: number, min: number, max: number): number | undefined {
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  return Number.isInteger(n) && n >= min && n <= max ? n : undefined;
}

const reportRoutes: FastifyPluginAsync = async (app) => {
  app.get('/report', async (request, reply) => {
    const query = request.query as { seed?: string; rows?: string };
    const seed = intParam(query.seed, 1, 0, 0xffffffff);
    const rows = intParam(query.rows, DEFAULT_ROWS, 1, MAX_ROWS);
    if (seed === undefined || rows === undefined) {
      return reply.code(400).send({ detail: `seed must be an integer 0..4294967295 and rows an integer 1..${MAX_ROWS}` });
    }
    return buildReport(seed, rows);
  });
};

export default reportRoutes;
