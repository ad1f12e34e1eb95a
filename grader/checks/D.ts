// Section D's live checks: the debug labs D.1 (latency spike), D.2 (metrics not updating) and D.4
// (memory leak). Each lab is a small broken service; a check confirms the symptom is gone under a
// bounded load (requests and time both capped, loopback only) and that the service still answers
// as it did. D.2's restart criterion is a hidden suite (grader/suites/D.2.test.ts).
import { findSamples, type Sample } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import { gradingError, pass } from '../report/results.js';
import { expectThat, registryFamilies, seenSeries, sleep, unique, type Families, type LiveRun } from './kit.js';

// ---------------------------------------------------------------------------------------------
// Shared helpers

/** One request of a load: never throws (a timeout or a refused connection is status 0). */
interface Shot {
  path: string;
  status: number;
  ms: number;
  text: string;
  error?: string;
}

async function shoot(baseUrl: string, method: string, path: string, timeoutMs: number): Promise<Shot> {
  const started = performance.now();
  try {
    const a: Answer = await send(baseUrl, method, path, { timeoutMs });
    return { path, status: a.status, ms: a.ms, text: a.text };
  } catch (error) {
    return { path, status: 0, ms: performance.now() - started, text: '', error: error instanceof Error ? error.message : String(error) };
  }
}

/** One stream of requests in a load: `concurrency` workers send `path(i)` one after the other. */
interface Lane {
  concurrency: number;
  /** At most this many requests in all. */
  max: number;
  path: (i: number) => string;
}

/** Runs the lanes side by side until each has sent its `max` or `durationMs` has passed (no new
 * request starts after that). Every request it starts is awaited, so none is left in flight. */
async function load(baseUrl: string, lanes: Lane[], durationMs: number, timeoutMs = 5000): Promise<{ shots: Shot[][]; ms: number }> {
  const started = performance.now();
  const shots = lanes.map((): Shot[] => []);
  await Promise.all(
    lanes.flatMap((lane, l) => {
      let next = 0;
      const worker = async () => {
        while (next < lane.max && performance.now() - started < durationMs) {
          shots[l]!.push(await shoot(baseUrl, 'GET', lane.path(next++), timeoutMs));
        }
      };
      return Array.from({ length: lane.concurrency }, worker);
    }),
  );
  return { shots, ms: performance.now() - started };
}

/** Nearest-rank percentile of raw values (for the client-side view quoted in messages). */
function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

interface Bucket {
  le: number;
  count: number;
}

/** Cumulative buckets of one histogram series (labels must pick exactly one series). */
function bucketsOf(m: Families, name: string, labels: Record<string, string>): Bucket[] {
  return findSamples(m, `${name}_bucket`, labels)
    .map((s: Sample) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), count: s.value }))
    .sort((a, b) => a.le - b.le);
}

/** after − before, bucket by bucket (a series missing before counts as all zeros). */
function bucketDelta(after: Bucket[], before: Bucket[]): Bucket[] {
  return after.map((b) => ({ le: b.le, count: b.count - (before.find((x) => x.le === b.le)?.count ?? 0) }));
}

/** Prometheus' histogram_quantile: find the bucket holding rank q·total and interpolate linearly
 * inside it (from 0 for the first bucket); a rank in the +Inf bucket gives the highest finite bound. */
export function histogramQuantile(q: number, buckets: Bucket[]): number {
  const finite = buckets.filter((b) => Number.isFinite(b.le));
  const total = buckets.find((b) => b.le === Infinity)?.count ?? finite.at(-1)?.count ?? 0;
  if (total <= 0 || finite.length === 0) return Number.NaN;
  const rank = q * total;
  for (let i = 0; i < finite.length; i++) {
    const b = finite[i]!;
    if (b.count >= rank) {
      const lowerLe = i === 0 ? 0 : finite[i - 1]!.le;
      const lowerCount = i === 0 ? 0 : finite[i - 1]!.count;
      const inBucket = b.count - lowerCount;
      return inBucket <= 0 ? b.le : lowerLe + (b.le - lowerLe) * ((rank - lowerCount) / inBucket);
    }
  }
  return finite.at(-1)!.le;
}

const ms = (seconds: number) => `${(seconds * 1000).toFixed(1)} ms`;
const round = (n: number) => Math.round(n * 10) / 10;

// ---------------------------------------------------------------------------------------------
// D.1 latency spike: /report blocks the event loop, so /health (which waits on a 1 ms database
// ping) is held up behind every report in progress.

/** Known answers of the original /report (seed, rows → body), computed from the lab as given. */
const REPORTS: Array<{ path: string; body: unknown }> = [
  {
    path: '/report?seed=1',
    body: { seed: 1, rows: 1000000, total_cents: 50019638206, by_region: { north: 12522033560, south: 12484656115, east: 12501606890, west: 12511341641 }, largest_cents: 99999, checksum: 382553004 },
  },
  {
    path: '/report?seed=42&rows=50000',
    body: { seed: 42, rows: 50000, total_cents: 2509611902, by_region: { north: 629417979, south: 629404509, east: 627128965, west: 623660449 }, largest_cents: 99999, checksum: 11931108 },
  },
  {
    path: '/report?seed=4294967295&rows=123457',
    body: { seed: 4294967295, rows: 123457, total_cents: 6189756879, by_region: { north: 1558498330, south: 1542122290, east: 1548639480, west: 1540496779 }, largest_cents: 99999, checksum: 996464711 },
  },
];
const SMALL_REPORT = {
  path: '/report?seed=10&rows=10000',
  body: { seed: 10, rows: 10000, total_cents: 500661786, by_region: { north: 126572666, south: 120122668, east: 125831891, west: 128134561 }, largest_cents: 99999, checksum: 898750106 },
};

export const D1 = {
  /** The load: for this long, `reportLanes` clients ask for reports back to back while `healthLanes`
   * clients probe /health, as a load balancer and a few busy users would. */
  durationMs: 1200,
  healthLanes: 6,
  maxHealth: 600,
  reportLanes: 2,
  maxReports: 12,
  /** Orders per report in the load: 0.1 to 0.3 s of CPU each, as given. */
  reportRows: 10_000_000,
  /** /health p95 bound, seconds, from the service's own histogram. */
  healthP95: 0.1,
  /** nodejs_eventloop_lag_p90_seconds bound over the load (the monitor's own 10 ms tick included).
   * p90 rather than p99: a busy machine can pause any process for a moment; a blocked loop is
   * blocked most of the time. */
  lagP90: 0.1,
  /** A short report sent while a long one runs must answer within this (ms), before the long one. */
  bigRows: 16_000_000,
  smallWithinMs: 150,
};

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const d1: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  // Warm up (JIT, connections), then read the registry: that also resets the event-loop monitor,
  // so the lag read after the load covers the load alone.
  await shoot(url, 'GET', '/health', 3000);
  await shoot(url, 'GET', '/report?seed=3&rows=20000', 3000);
  const before = await registryFamilies(service);
  const healthLabels = { method: 'GET', endpoint: '/health' };

  const seedBase = Math.floor(Math.random() * 1e6);
  const run = await load(
    url,
    [
      { concurrency: D1.healthLanes, max: D1.maxHealth, path: () => '/health' },
      { concurrency: D1.reportLanes, max: D1.maxReports, path: (i) => `/report?seed=${seedBase + i}&rows=${D1.reportRows}` },
    ],
    D1.durationMs,
  );
  const after = await registryFamilies(service);
  const [health = [], reports = []] = run.shots;

  // A long report, and a short one sent while it runs.
  const big = shoot(url, 'GET', `/report?seed=9&rows=${D1.bigRows}`, 8000).then((s) => ({ ...s, at: performance.now() }));
  await sleep(50);
  const small = await shoot(url, 'GET', SMALL_REPORT.path, 8000).then((s) => ({ ...s, at: performance.now() }));
  const long = await big;

  const fixed: Array<{ path: string; want: unknown; shot: Shot }> = [];
  for (const r of REPORTS) fixed.push({ path: r.path, want: r.body, shot: await shoot(url, 'GET', r.path, 8000) });

  const clientP95 = percentile(health.map((s) => s.ms), 95);
  const loadLine = `${health.length} × /health from ${D1.healthLanes} clients next to ${reports.length} × /report of ${D1.reportRows.toLocaleString('en')} orders from ${D1.reportLanes}, in ${(run.ms / 1000).toFixed(2)} s`;

  return {
    'D.1.health-p95-under-load': () => {
      const failed = health.filter((s) => s.status !== 200);
      expectThat(failed.length === 0, 'every /health during the load should answer 200', '200 for each /health', `${failed.length} did not: ${failed[0]?.status || failed[0]?.error}`);
      const delta = bucketDelta(bucketsOf(after, 'http_request_duration_seconds', healthLabels), bucketsOf(before, 'http_request_duration_seconds', healthLabels));
      const counted = delta.find((b) => b.le === Infinity)?.count ?? 0;
      expectThat(
        counted === health.length,
        'the grader reads /health latency from the service\'s own histogram, so every /health must be timed in http_request_duration_seconds{method="GET",endpoint="/health"} (keep the instrumentation as given)',
        `_count up by ${health.length}`,
        counted === 0 ? `no new /health observations; what there is:\n${seenSeries(after, 'http_request_duration_seconds_count')}` : `up by ${counted}`,
      );
      const p50 = histogramQuantile(0.5, delta);
      const p95 = histogramQuantile(0.95, delta);
      expectThat(
        p95 <= D1.healthP95,
        '/health does no work of its own (one 1 ms database ping), yet under load it is slow: it waits behind something else in the same process (look at what runs next to it)',
        `/health p95 ≤ ${ms(D1.healthP95)} (histogram_quantile over the load)`,
        `p50 ${ms(p50)}, p95 ${ms(p95)} (seen by the grader's client: p95 ${round(clientP95)} ms); ${loadLine}`,
      );
      return pass(`/health p50 ${ms(p50)}, p95 ${ms(p95)} under load (${loadLine})`);
    },
    'D.1.event-loop-lag': () => {
      const lag = (q: string) => findSamples(after, `nodejs_eventloop_lag_${q}_seconds`)[0]?.value;
      const p90 = lag('p90');
      const seen = `p50 ${ms(lag('p50') ?? Number.NaN)}, p90 ${ms(p90 ?? Number.NaN)}, p99 ${ms(lag('p99') ?? Number.NaN)}, max ${ms(lag('max') ?? Number.NaN)}`;
      expectThat(
        p90 !== undefined,
        'the service does not expose its event-loop lag, so a blocked loop cannot be seen on a dashboard: turn on prom-client\'s default metrics on the app\'s registry',
        'nodejs_eventloop_lag_p90_seconds (and its siblings) on the registry',
        'no nodejs_eventloop_lag_* gauges',
      );
      expectThat(
        p90 <= D1.lagP90,
        'during the load the event loop was blocked: timers fired late by this much, most of the time. Some handler runs for a long time without giving the loop back',
        `nodejs_eventloop_lag_p90_seconds ≤ ${D1.lagP90} (${ms(D1.lagP90)}, the monitor's 10 ms tick included)`,
        `${seen} over the load (${loadLine})`,
      );
      return pass(`event-loop lag ${seen} under load`);
    },
    'D.1.report-behaviour': () => {
      const bad = reports.filter((s) => s.status !== 200);
      expectThat(bad.length === 0, 'every /report during the load should answer 200', '200', `${bad.length} did not: ${bad[0]?.status || bad[0]?.error}`);
      for (const f of [...fixed, { path: SMALL_REPORT.path, want: SMALL_REPORT.body, shot: small }]) {
        expectThat(f.shot.status === 200 && sameJson(parseJson(f.shot.text), f.want), `GET ${f.path} must answer exactly as the original service did (same fields, same numbers, same order)`, JSON.stringify(f.want), `${f.shot.status || f.shot.error} ${f.shot.text.slice(0, 300)}`);
      }
      expectThat(long.status === 200, `the long report (GET /report?seed=9&rows=${D1.bigRows}) should answer 200`, '200', `${long.status || long.error}`);
      const smallMs = Math.round(small.ms);
      expectThat(
        small.at < long.at && small.ms <= D1.smallWithinMs,
        `a short report (10,000 orders) sent while a long one (${D1.bigRows.toLocaleString('en')} orders) runs should not wait for the long one to finish`,
        `the short report answered within ${D1.smallWithinMs} ms, before the long one`,
        `the short one took ${smallMs} ms and answered ${small.at < long.at ? 'before' : 'after'} the long one (which took ${Math.round(long.ms)} ms)`,
      );
      return pass(`same answers; a short report took ${smallMs} ms while a long one ran`);
    },
  };
};

// ---------------------------------------------------------------------------------------------
// D.2 metrics not updating: the request hook lives inside one encapsulated plugin and labels by raw
// URL, one counter is re-created on every request, another sits on prom-client's global registry.

interface Route {
  method: string;
  template: string;
  paths: string[];
  body?: unknown;
}

const D2_ROUTES: Route[] = [
  { method: 'GET', template: '/health', paths: ['/health', '/health', '/health'] },
  { method: 'GET', template: '/orders/:id', paths: ['/orders/101', '/orders/102', '/orders/103', '/orders/104'] },
  { method: 'POST', template: '/orders', paths: ['/orders', '/orders', '/orders'], body: { item: 'widget', quantity: 2 } },
  { method: 'GET', template: '/inventory/:sku', paths: ['/inventory/widget', '/inventory/gadget', '/inventory/gizmo', '/inventory/widget'] },
];

const d2: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const answers: Array<{ route: Route; path: string; answer: Answer }> = [];
  // One route after the other, each route's requests together.
  for (const route of D2_ROUTES) {
    await Promise.all(
      route.paths.map(async (path) => {
        answers.push({ route, path, answer: await send(url, route.method, path, route.body === undefined ? {} : { body: route.body }) });
      }),
    );
  }
  const m = await registryFamilies(service);
  const counted = (route: Route) => {
    const labels = new Set([route.template, ...route.paths]);
    return findSamples(m, 'http_requests_total', { method: route.method }).filter((s) => labels.has(s.labels.endpoint ?? '')).reduce((a, s) => a + s.value, 0);
  };
  const templates = new Set([...D2_ROUTES.map((r) => r.template), 'unmatched']);

  return {
    'D.2.every-route-counted': () => {
      const bad = answers.filter((a) => a.answer.status >= 400);
      expectThat(bad.length === 0, 'the routes should answer as given (the lab\'s bug is in the metrics, not the answers)', '2xx for every request', bad.map((a) => `${a.route.method} ${a.path}: ${a.answer.status}`).join(', '));
      const rows = D2_ROUTES.map((r) => ({ r, want: r.paths.length, seen: counted(r) }));
      const wrong = rows.filter((x) => x.seen !== x.want);
      expectThat(
        wrong.length === 0,
        `every route's requests should be counted in http_requests_total; these routes' counters did not move as they should (${wrong.map((x) => `${x.r.method} ${x.r.template}`).join(', ')}): a hook only applies to the routes of the plugin scope it was added in`,
        rows.map((x) => `${x.r.method} ${x.r.template}: ${x.want}`).join(', '),
        `${rows.map((x) => `${x.r.method} ${x.r.template}: ${x.seen}`).join(', ')}\n${seenSeries(m, 'http_requests_total')}`,
      );
      return pass(rows.map((x) => `${x.r.method} ${x.r.template}: ${x.seen}`).join(', '));
    },
    'D.2.one-series-per-route': () => {
      const all = findSamples(m, 'http_requests_total');
      expectThat(all.length > 0, 'nothing is counted in http_requests_total at all, so the series cannot be judged yet (get the counting working first)', 'series labelled by route', 'no http_requests_total series');
      const raw = all.filter((s) => !templates.has(s.labels.endpoint ?? ''));
      expectThat(
        raw.length === 0,
        'the endpoint label should be the route template (e.g. "/orders/:id"), so all requests to one route add to one series; a raw URL starts a new series per order id, and a dashboard filtered on the route stays flat',
        `endpoint among ${[...templates].map((t) => `"${t}"`).join(', ')}`,
        raw.slice(0, 6).map((s) => `http_requests_total{method="${s.labels.method}",endpoint="${s.labels.endpoint}",status_code="${s.labels.status_code}"} ${s.value}`).join('\n'),
      );
      return pass(`${all.length} series, all labelled by route template`);
    },
    'D.2.business-counters': () => {
      const orders = findSamples(m, 'orders_created_total')[0]?.value;
      const posted = D2_ROUTES.find((r) => r.method === 'POST')!.paths.length;
      expectThat(
        orders === posted,
        `${posted} orders were created, so orders_created_total should read ${posted}; a counter that is created again on each request starts from zero every time`,
        `orders_created_total ${posted}`,
        orders === undefined ? 'no orders_created_total on the app\'s registry' : `orders_created_total ${orders}`,
      );
      const lookups = findSamples(m, 'inventory_lookups_total');
      const inStock = lookups.find((s) => s.labels.result === 'in_stock')?.value ?? 0;
      const out = lookups.find((s) => s.labels.result === 'out_of_stock')?.value ?? 0;
      expectThat(
        inStock === 3 && out === 1,
        'the 4 stock lookups (3 in stock, 1 out of stock) should be counted in inventory_lookups_total on the registry the service exposes; a metric created without `registers` lands on prom-client\'s global registry, which nobody scrapes',
        'inventory_lookups_total{result="in_stock"} 3, inventory_lookups_total{result="out_of_stock"} 1',
        lookups.length === 0 ? 'no inventory_lookups_total on the app\'s registry' : seenSeries(m, 'inventory_lookups_total'),
      );
      return pass(`orders_created_total ${orders}; inventory_lookups_total in_stock ${inStock}, out_of_stock ${out}`);
    },
  };
};

// ---------------------------------------------------------------------------------------------
// D.4 memory leak: every request adds a ~47 KB price history to a cache that never drops anything
// (and, keyed by the whole URL with its cache-busting ?t=, never even hits).

const QUOTES: Array<{ path: string; body: unknown }> = [
  { path: '/quotes/ACME?days=30', body: { symbol: 'ACME', days: 30, ticks: 480, first: 83.1691, last: 78.4677, low: 78.1716, high: 83.1691, mean: 80.5636 } },
  { path: '/quotes/ACME?days=90', body: { symbol: 'ACME', days: 90, ticks: 1440, first: 83.1691, last: 68.8387, low: 66.2447, high: 83.1691, mean: 75.8865 } },
  { path: '/quotes/ZED.L', body: { symbol: 'ZED.L', days: 365, ticks: 5840, first: 161.7603, last: 219.4174, low: 149.6655, high: 233.3142, mean: 183.0271 } },
];

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
  durationMs: 15000,
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

const d4: LiveRun = async ({ service }) => {
  const url = service.baseUrl;
  const t = () => Math.floor(Math.random() * 1e9);
  const lookups = async () => {
    const m = await registryFamilies(service);
    return { hit: findSamples(m, 'quote_cache_lookups_total', { result: 'hit' })[0]?.value ?? 0, m };
  };
  const fresh = gauge(await registryFamilies(service), 'nodejs_heap_size_used_bytes');
  // Behaviour first: known answers, and the same question again (as the web app asks it, with a
  // new ?t=) must come from the cache.
  const first: Array<{ path: string; want: unknown; shot: Shot }> = [];
  for (const q of QUOTES) first.push({ path: q.path, want: q.body, shot: await shoot(url, 'GET', `${q.path}${q.path.includes('?') ? '&' : '?'}t=${t()}`, 3000) });
  const hitsBefore = (await lookups()).hit;
  const again = await shoot(url, 'GET', `${QUOTES[0]!.path}&t=${t()}`, 3000);
  const hitsAfter = (await lookups()).hit;

  // Warm up, then the sustained load in batches. Without a forced collection the heap holds garbage
  // too, up to tens of MB, so the judge is the heap's floor over the second half of the load (its
  // lowest reading, which follows a collection): a leak lifts the floor, garbage does not.
  const tag = unique('L').replace(/[^A-Za-z0-9-]/g, '');
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
      if (sent < D4.requests) return gradingError(`the load could not be sent in time (${loadLine}; ${D4.requests} needed within ${D4.durationMs / 1000} s): is the machine very busy? Try again`);
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
        expectThat(f.shot.status === 200 && sameJson(parseJson(f.shot.text), f.want), `GET ${f.path} must answer exactly as the original service did`, JSON.stringify(f.want), `${f.shot.status || f.shot.error} ${f.shot.text.slice(0, 300)}`);
      }
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
};

export const sectionD: Record<string, LiveRun> = { 'D.1': d1, 'D.2': d2, 'D.4': d4 };
