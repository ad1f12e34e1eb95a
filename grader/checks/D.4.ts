// D.4 memory leak: every request adds a ~47 KB price history to a cache that never drops anything
// (and, keyed by the whole URL with its cache-busting ?t=, never even hits). Symbols, days and the
// cache-busting values vary per run; known answers come from the grader's own quote arithmetic.
import { findSamples } from '../live/exposition.js';
import { parseJson, send } from '../live/http.js';
import type { Random } from '../live/random.js';
import { busyMachine, pass } from '../report/results.js';
import { checkSet, expectThat, registryFamilies, type ExerciseChecks, type Families, type LiveContext } from './kit.js';
import { load, sameJson, shoot, type Shot } from './lab-load.js';

// ---------------------------------------------------------------------------------------------
// The grader's own quote: the lab's simulated history (16 ticks a day from the symbol's name) and
// its summary, written here anew.

const TICKS_PER_DAY = 16;

export function expectedQuote(symbol: string, days: number): Record<string, unknown> {
  let h = 0x811c9dc5;
  for (let i = 0; i < symbol.length; i++) h = Math.imul(h ^ symbol.charCodeAt(i), 0x01000193) >>> 0;
  let state = h;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let price = 20 + (h % 2000) / 10 + 0.5;
  let low = Infinity;
  let high = -Infinity;
  let sum = 0;
  let first = 0;
  const ticks = days * TICKS_PER_DAY;
  for (let i = 0; i < ticks; i++) {
    price *= 1 + (next() - 0.5) * 0.01;
    if (i === 0) first = price;
    low = Math.min(low, price);
    high = Math.max(high, price);
    sum += price;
  }
  const r4 = (n: number) => Math.round(n * 1e4) / 1e4;
  return { symbol, days, ticks, first: r4(first), last: r4(price), low: r4(low), high: r4(high), mean: r4(sum / ticks) };
}

/** Questions the grader knows the answers to: new symbols and day counts every run. */
function questions(random: Random): Array<{ path: string; body: unknown; status?: number }> {
  const symbol = () => `${random.pick(['ACME', 'ZED', 'QX', 'NORTH', 'LAB'])}${random.pick(['', '.L', '-B', '_X'])}${random.int(1, 999)}`;
  // The first two share a symbol with different days: the answer depends on both.
  const shared = symbol();
  const [d1, d2] = random.shuffle([random.int(1, 60), random.int(61, 400), random.int(401, 730)]) as [number, number];
  const out: Array<{ path: string; body: unknown; status?: number }> = [
    { path: `/quotes/${shared}?days=${d1}`, body: expectedQuote(shared, d1) },
    { path: `/quotes/${shared}?days=${d2}`, body: expectedQuote(shared, d2) },
  ];
  const s0 = symbol();
  const d0 = random.int(1, 730);
  out.push({ path: `/quotes/${s0}?days=${d0}`, body: expectedQuote(s0, d0) });
  const s = symbol();
  out.push({ path: `/quotes/${s}`, body: expectedQuote(s, DAYS) });
  // The edges the service accepts, and requests it refuses: a fix must keep both as they were.
  const edge = symbol();
  const longest = `${symbol()}${'Q'.repeat(32)}`.slice(0, 32);
  out.push({ path: `/quotes/${edge}?days=1`, body: expectedQuote(edge, 1) }, { path: `/quotes/${edge}?days=${MAX_DAYS}`, body: expectedQuote(edge, MAX_DAYS) }, { path: `/quotes/${longest}?days=${d0}`, body: expectedQuote(longest, d0) });
  const refused = { detail: `symbol must be 1-32 letters, digits, ".", "_" or "-", and days an integer 1..${MAX_DAYS}` };
  for (const path of [`/quotes/${edge}?days=0`, `/quotes/${edge}?days=${MAX_DAYS + 1}`, `/quotes/${edge}?days=2.5`, `/quotes/${longest}Q?days=${d0}`, `/quotes/${edge}%24?days=${d0}`]) out.push({ path, body: refused, status: 400 });
  return out;
}

export const D4 = {
  /** The sustained load: quotes (a year of ticks, ~47 KB of history each, ~58 KB as the array grew)
   * for symbols never asked before, in batches, reading the heap after each batch. A leak keeps every
   * history: 1,500 requests in, at least ~70 MB. */
  requests: 3000,
  /** If no full garbage collection was seen in the second half, the load goes on up to this many. */
  maxRequests: 4000,
  batch: 150,
  concurrency: 16,
  /** Past this, the load stops; too few requests by then is a grading error (a very busy machine). */
  durationMs: 30_000,
  /** At least this share of the load must have been served for the growth to mean something. */
  minServed: 0.9,
  /** Bound on the heap's floor over the second half of the load, above the heap before it (bytes):
   * the cache's budget (32 MB) and room for what was allocated since the last collection. */
  maxGrowth: 64 * 1024 * 1024,
};

interface HeapSample {
  requests: number;
  heap: number | undefined;
  rss: number | undefined;
  majorGcs: number | undefined;
}

const MB = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
const gauge = (m: Families, name: string) => findSamples(m, name)[0]?.value;
/** Days of history per quote in the load: the service's default. */
const DAYS = 365;
/** The longest history the service gives (its refusal names it). */
const MAX_DAYS = 730;

export default {
  exercise: 'D.4',
  live: checkSet(['D.4.memory-gauges', 'D.4.heap-bounded', 'D.4.behaviour-kept'] as const, async ({ service, random }: LiveContext) => {
  const url = service.baseUrl;
  const t = () => random.int(1, 1e9);
  const QUOTES = questions(random);
  const count = (m: Families, result: string) => findSamples(m, 'quote_cache_lookups_total', { result })[0]?.value ?? 0;
  const lookups = async () => {
    const m = await registryFamilies(service);
    return { hit: count(m, 'hit'), miss: count(m, 'miss'), m };
  };
  const start = await lookups();
  const fresh = gauge(start.m, 'nodejs_heap_size_used_bytes');
  // Behaviour first: known answers, and the same question again (as the web app asks it, with a
  // new ?t=) must come from the cache.
  const first: Array<{ path: string; want: unknown; status: number; shot: Shot }> = [];
  for (const q of QUOTES) first.push({ path: q.path, want: q.body, status: q.status ?? 200, shot: await shoot(url, 'GET', `${q.path}${q.path.includes('?') ? '&' : '?'}t=${t()}`, 3000) });
  const afterFirst = await lookups();
  const hitsBefore = afterFirst.hit;
  // Every question answered is one lookup (refused ones are never looked up), and the first asking of
  // a question is a miss.
  const answered = first.filter((f) => f.status === 200).length;
  const firstLookups = { hit: afterFirst.hit - start.hit, miss: afterFirst.miss - start.miss };
  const again = await shoot(url, 'GET', `${QUOTES[0]!.path}&t=${t()}`, 3000);
  const hitsAfter = (await lookups()).hit;

  // Warm up, then the sustained load in batches. Without a forced collection the heap holds garbage
  // too, up to tens of MB, so the judge is the heap's floor over the second half of the load (its
  // lowest reading, which follows a collection): a leak lifts the floor, garbage does not.
  const tag = `L${random.token(6)}`;
  await load(url, [{ concurrency: 8, max: 100, path: (i) => `/quotes/${tag}-w${i}?days=${DAYS}&t=${t()}` }], 2000);
  const before = await registryFamilies(service);
  const sample = (m: Families, requests: number): HeapSample => ({
    requests,
    heap: gauge(m, 'nodejs_heap_size_used_bytes'),
    rss: gauge(m, 'process_resident_memory_bytes'),
    majorGcs: findSamples(m, 'nodejs_gc_duration_seconds_count', { kind: 'major' })[0]?.value,
  });
  const samples: HeapSample[] = [sample(before, 0)];
  const half = D4.requests / 2;
  const gcInSecondHalf = () => {
    const start = samples.filter((x) => x.requests <= half).at(-1)?.majorGcs;
    const last = samples.at(-1)?.majorGcs;
    return start === undefined || last === undefined || last > start; // no GC metric: nothing to wait for
  };
  const started = performance.now();
  let sent = 0;
  let served = 0;
  let after = before;
  while ((sent < D4.requests || (!gcInSecondHalf() && sent < D4.maxRequests)) && performance.now() - started < D4.durationMs) {
    const from = sent;
    const run = await load(url, [{ concurrency: D4.concurrency, max: D4.batch, path: (i) => `/quotes/${tag}-${from + i}?days=${DAYS}&t=${from + i}` }], D4.durationMs);
    sent += run.shots[0]!.length;
    served += run.shots[0]!.filter((x) => x.status === 200).length;
    after = await registryFamilies(service);
    samples.push(sample(after, sent));
  }
  const loadMs = performance.now() - started;
  // The first question once more: evicted or not, the answer is the same.
  const later = await shoot(url, 'GET', `${QUOTES[0]!.path}&t=${t()}`, 3000);

  // Where the heap started: its lowest reading before the load (the service fresh, or warmed up).
  const heap0 = fresh === undefined ? samples[0]!.heap : Math.min(fresh, samples[0]!.heap ?? fresh);
  const heap1 = gauge(after, 'nodejs_heap_size_used_bytes');
  const rss1 = gauge(after, 'process_resident_memory_bytes');
  // What Prometheus would scrape: the service's own /metrics route.
  const exposed = await send(url, 'GET', '/metrics', { timeoutMs: 10_000 }).catch(() => undefined);
  const secondHalf = samples.filter((x) => x.requests > half && x.heap !== undefined);
  const floor = secondHalf.reduce((lo, x) => (lo === undefined || x.heap! < lo.heap! ? x : lo), undefined as HeapSample | undefined);
  const loadLine = `${served} of ${sent} quotes (${DAYS} days each) for new symbols served in ${(loadMs / 1000).toFixed(2)} s`;
  const trace = samples
    .filter((_, i) => i % 5 === 0 || i === samples.length - 1)
    .map((x) => `${x.requests}: ${x.heap === undefined ? '?' : MB(x.heap)}`)
    .join(', ');

  return {
    'D.4.memory-gauges': () => {
      const want = 'process_resident_memory_bytes and nodejs_heap_size_used_bytes, gauges in bytes (collectDefaultMetrics gives both)';
      const missing = ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes'].filter((n) => after.get(n)?.type !== 'gauge' || gauge(after, n) === undefined);
      expectThat(missing.length === 0, 'a memory leak is found on a graph of memory over time, so the service must expose its memory: resident set size (what the container limit counts) and the JavaScript heap', want, `missing: ${missing.join(', ')}`);
      const scraped = ['process_resident_memory_bytes', 'nodejs_heap_size_used_bytes'].filter((n) => !new RegExp(`^${n} \\d`, 'm').test(exposed?.text ?? ''));
      expectThat(
        exposed?.status === 200 && (exposed.headers.get('content-type') ?? '').startsWith('text/plain') && scraped.length === 0,
        'Prometheus reads them from GET /metrics: it should answer 200 with the registry in the text format',
        `200, content-type text/plain, with ${want}`,
        exposed ? `${exposed.status}, content-type ${exposed.headers.get('content-type') ?? 'none'}${scraped.length ? `, without ${scraped.join(' and ')}` : ''}` : 'no answer',
      );
      expectThat(
        rss1! > 10 * 1024 * 1024 && heap1! > 1024 * 1024 && heap1! < rss1! * 1.5,
        'the values should be the process\'s real memory in bytes (the heap is part of the resident set)',
        'RSS above 10 MB, heap used above 1 MB and not far above RSS',
        `process_resident_memory_bytes ${rss1}, nodejs_heap_size_used_bytes ${heap1}`,
      );
      return pass(`RSS ${MB(rss1!)}, heap used ${MB(heap1!)}`);
    },
    'D.4.heap-bounded': () => {
      expectThat(
        heap0 !== undefined && heap1 !== undefined,
        'the grader reads the heap from nodejs_heap_size_used_bytes during the load: expose it first (see D.4.memory-gauges)',
        'nodejs_heap_size_used_bytes on the registry',
        'no such gauge',
      );
      const distinct = new Set(samples.map((x) => x.heap)).size;
      expectThat(distinct > 1, 'nodejs_heap_size_used_bytes read the same all through thousands of requests: it must be read afresh at each scrape (a gauge with collect(), or collectDefaultMetrics)', 'readings that change', `${heap0} every time`);
      if (sent < D4.requests) return busyMachine(`the load could not be sent in time (${loadLine}; ${D4.requests} needed within ${D4.durationMs / 1000} s)`);
      expectThat(served >= sent * D4.minServed, 'many quotes failed during the load, so the memory growth cannot be judged', `at least ${D4.minServed * 100} % of the quotes served (200)`, loadLine);
      const growth = floor!.heap! - heap0;
      expectThat(
        growth <= D4.maxGrowth,
        'even at its lowest, late in the load, the heap holds what thousands of earlier requests left behind: something keeps every result. Bound it (a cache needs a maximum size or an expiry)',
        `the heap's floor over the second half of the load at most ${MB(D4.maxGrowth)} above where it started`,
        `heap used ${MB(heap0)} before; lowest in the second half ${MB(floor!.heap!)} (+${MB(growth)}, after ${floor!.requests} requests); by requests sent: ${trace}; ${loadLine}`,
      );
      return pass(`heap ${MB(heap0)} before, floor ${MB(floor!.heap!)} late in the load (+${MB(growth)}), ${MB(heap1)} at the end; ${loadLine}`);
    },
    'D.4.behaviour-kept': () => {
      for (const f of first) {
        expectThat(f.shot.status === f.status && sameJson(parseJson(f.shot.text), f.want), `GET ${f.path} must answer exactly as the original service did${f.status === 200 ? '' : ' (it refused such a request)'}`, `${f.status} ${JSON.stringify(f.want)}`, `${f.shot.status || f.shot.error} ${f.shot.text.slice(0, 300)}`);
      }
      expectThat(
        firstLookups.hit + firstLookups.miss === answered && firstLookups.miss >= 1,
        'each question the service answers is one cache lookup, counted under result="hit" or result="miss" (a question asked for the first time is a miss): keep the given counter as it was',
        `quote_cache_lookups_total{result="hit"} plus {result="miss"} up by ${answered}, the misses by at least 1`,
        `hit up by ${firstLookups.hit}, miss up by ${firstLookups.miss}`,
      );
      const want = QUOTES[0]!.body;
      expectThat(again.status === 200 && sameJson(parseJson(again.text), want), `asking GET ${QUOTES[0]!.path} again must give the same answer`, JSON.stringify(want), `${again.status || again.error} ${again.text.slice(0, 300)}`);
      expectThat(
        hitsAfter - hitsBefore === 1,
        `the same question asked again (${QUOTES[0]!.path}, only the web app's cache-busting ?t= differs) should be answered from the cache: the cache key should hold what the answer depends on, nothing more`,
        'quote_cache_lookups_total{result="hit"} up by 1',
        `up by ${hitsAfter - hitsBefore}`,
      );
      expectThat(later.status === 200 && sameJson(parseJson(later.text), want), `after the load, GET ${QUOTES[0]!.path} must still give the same answer`, JSON.stringify(want), `${later.status || later.error} ${later.text.slice(0, 300)}`);
      return pass('same answers, and a repeated question is a cache hit');
    },
  };
}),
} satisfies ExerciseChecks;
