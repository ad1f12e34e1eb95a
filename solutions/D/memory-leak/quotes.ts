// GET /quotes/:symbol?days=N: a summary of a symbol's price history (16 ticks a day, simulated from
// the symbol's name, so the same symbol always has the same history). Building a history is the
// expensive part, so histories are cached.
import type { FastifyPluginAsync } from 'fastify';
import type { Counter } from 'prom-client';
import { ResultCache } from './cache.js';

export const TICKS_PER_DAY = 16;
export const DEFAULT_DAYS = 365;
export const MAX_DAYS = 730;
/** At most this many histories are kept: 200 × ~47 KB (a year of ticks) ≈ 9 MB. */
export const CACHE_ENTRIES = 200;

export interface PriceHistory {
  symbol: string;
  days: number;
  /** One price per tick: days × 16 numbers, ~47 KB for a year. */
  points: number[];
}

export interface QuoteSummary {
  symbol: string;
  days: number;
  ticks: number;
  first: number;
  last: number;
  low: number;
  high: number;
  mean: number;
}

function seedOf(symbol: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

export function buildHistory(symbol: string, days: number): PriceHistory {
  let state = seedOf(symbol);
  const random = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let price = 20 + (seedOf(symbol) % 2000) / 10 + 0.5;
  const points: number[] = [];
  for (let i = 0; i < days * TICKS_PER_DAY; i++) {
    price *= 1 + (random() - 0.5) * 0.01;
    points.push(price);
  }
  return { symbol, days, points };
}

const r4 = (n: number) => Math.round(n * 1e4) / 1e4;

export function summarize(history: PriceHistory): QuoteSummary {
  const { points } = history;
  let low = Infinity;
  let high = -Infinity;
  let sum = 0;
  for (const p of points) {
    if (p < low) low = p;
    if (p > high) high = p;
    sum += p;
  }
  return { symbol: history.symbol, days: history.days, ticks: points.length, first: r4(points[0]!), last: r4(points.at(-1)!), low: r4(low), high: r4(high), mean: r4(sum / points.length) };
}

export interface QuotesOptions {
  lookups: Counter<'result'>;
}

const quotesRoutes: FastifyPluginAsync<QuotesOptions> = async (app, { lookups }) => {
  const cache = new ResultCache<PriceHistory>({ maxEntries: CACHE_ENTRIES });

  app.get('/quotes/:symbol', async (request, reply) => {
    const { symbol } = request.params as { symbol: string };
    const raw = (request.query as { days?: string }).days;
    const days = raw === undefined ? DEFAULT_DAYS : Number(raw);
    if (!/^[A-Za-z0-9._-]{1,32}$/.test(symbol) || !Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
      return reply.code(400).send({ detail: `symbol must be 1-32 letters, digits, ".", "_" or "-", and days an integer 1..${MAX_DAYS}` });
    }
    // The key holds exactly what the answer depends on: not the whole URL (the web app adds a
    // cache-busting ?t=... to every call).
    const key = `${symbol}:${days}`;
    let history = cache.get(key);
    lookups.inc({ result: history ? 'hit' : 'miss' });
    if (!history) {
      history = buildHistory(symbol, days);
      cache.set(key, history);
    }
    return summarize(history);
  });
};

export default quotesRoutes;
