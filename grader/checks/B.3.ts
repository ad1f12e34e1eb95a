// B.3's live checks: traffic varied per run from the seed (how many requests of each kind, the ids,
// the paths, the order), judged against what the grader itself sent and timed; then requests the
// client gives up on mid-flight, judged on what they added to the registry.
import { connect } from 'node:net';
import { findSamples, type Sample } from '../live/exposition.js';
import { send, type Answer, type RequestOptions } from '../live/http.js';
import type { Random } from '../live/random.js';
import { pass } from '../report/results.js';
import { durationsInMs } from './log-duration.js';
import { checkSet, expectThat, expectValue, registryFamilies, seenSeries, sleep, UUID, type ExerciseChecks, type Families, type LiveContext } from './kit.js';

/** Fastify's default body limit (1 MiB): a body over it is refused before any handler runs. */
const BODY_LIMIT = 1024 * 1024;

/** One request the grader sent, what it was for, and what came back. */
export interface Sent {
  method: string;
  path: string;
  /** The route template that should serve it, or undefined for a path no route matches. */
  route: string | undefined;
  answer: Answer;
}

/** Requests Fastify refuses before any handler runs: malformed JSON, a content type it has no parser
 * for, a body over the limit. Each gets a 4xx from Fastify itself. */
export function refusedBodies(random: Random): Array<{ what: string; options: RequestOptions }> {
  const n = random.int(1, 9);
  return [
    { what: 'malformed JSON', options: { body: `{"features": [${n}, ${n + 1}`, headers: { 'content-type': 'application/json' } } },
    { what: 'a content type with no parser', options: { body: `<features>${n}</features>`, headers: { 'content-type': 'application/xml' } } },
    { what: 'a body over the 1 MiB limit', options: { body: `{"features": [${'1,'.repeat(BODY_LIMIT / 2 + random.int(1, 1000))}1]}`, headers: { 'content-type': 'application/json' } } },
  ];
}

/** An id in the shape callers really send: upper and lower case letters, digits and dashes. */
export function requestIdLike(random: Random, uuid = false): string {
  const hex = () => '0123456789ABCDEF'[random.int(0, 15)];
  if (uuid) return [8, 4, 4, 4, 12].map((n) => Array.from({ length: n }, hex).join('')).join('-');
  const mixed = Array.from({ length: 10 }, () => {
    const ch = random.token(1);
    return random.next() < 0.5 ? ch.toUpperCase() : ch;
  }).join('');
  return `${random.pick(['req', 'Trace', 'client'])}-${mixed}`;
}

export interface Abandoned {
  /** The service took the request (it answered "100 Continue") and had not answered when the client hung up. */
  abandoned: boolean;
  sentAt: number;
  takenAt: number;
  hungUpAt: number;
}

/**
 * A client that gives up: sends `GET path` on its own connection with `Expect: 100-continue`, so the
 * service says "100 Continue" once it has taken the request (Fastify's onRequest hooks have run by
 * then), waits `afterMs` more, and destroys the socket before the answer comes.
 */
export function hangUpMidway(port: number, path: string, afterMs: number, headers: Record<string, string> = {}, timeoutMs = 3000): Promise<Abandoned> {
  return new Promise((resolve) => {
    const sentAt = performance.now();
    let takenAt = Number.NaN;
    let answered = false;
    let received = '';
    const socket = connect(port, '127.0.0.1');
    const finish = () => {
      clearTimeout(deadline);
      const hungUpAt = performance.now();
      socket.destroy();
      resolve({ abandoned: !answered && Number.isFinite(takenAt), sentAt, takenAt, hungUpAt });
    };
    const deadline = setTimeout(finish, timeoutMs);
    socket.on('error', () => {});
    socket.on('connect', () => {
      const extra = Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
      socket.write(`GET ${path} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nExpect: 100-continue\r\n${extra}\r\n`);
    });
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (Number.isNaN(takenAt) && received.startsWith('HTTP/1.1 100')) {
        takenAt = performance.now();
        setTimeout(finish, afterMs);
      }
      // Anything after the interim "100 Continue" is the real answer: then nothing was abandoned.
      if (/^HTTP\/1\.1 [2-5]\d\d/m.test(received.replace(/^HTTP\/1\.1 100[^\n]*\r\n\r\n/, ''))) answered = true;
    });
  });
}

/** Samples of a name, with those of /metrics left out (they are judged by their own criterion). */
export function traffic(m: Families, name: string, labels: Record<string, string> = {}): Sample[] {
  return findSamples(m, name, labels).filter((s) => s.labels.endpoint !== '/metrics');
}

const total = (samples: Sample[]) => samples.reduce((a, s) => a + s.value, 0);
const key = (s: Sample) => JSON.stringify(Object.entries(s.labels).filter(([k]) => k !== 'le').sort());

/** What a set of samples gained between two readings of the registry (series that did not move are left out). */
export function gained(before: Families, after: Families, name: string): Sample[] {
  const old = new Map(traffic(before, name).map((s) => [key(s), s.value]));
  return traffic(after, name)
    .map((s) => ({ ...s, value: s.value - (old.get(key(s)) ?? 0) }))
    .filter((s) => s.value !== 0);
}

const list = (samples: Sample[]) => (samples.length ? samples.map((s) => `${s.name}{${Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(',')}} +${s.value}`).join('\n') : 'nothing');

const CRITERIA = [
  'B.3.counts-every-request',
  'B.3.route-template',
  'B.3.unmatched-one-series',
  'B.3.latency-seconds',
  'B.3.errors-counted',
  'B.3.metrics-not-self-counted',
  'B.3.request-id',
  'B.3.log-line',
  'B.3.aborted-requests-counted',
] as const;

export default {
  exercise: 'B.3',
  live: checkSet(CRITERIA, async ({ service, random }: LiveContext) => {
    const url = service.baseUrl;
    const r = random;
    const idOf = (a: Answer) => a.headers.get('x-request-id');

    // The mix of this run: every count, id and path comes from the seed.
    const sentIds = [requestIdLike(r, true), ...Array.from({ length: r.int(1, 3) }, () => requestIdLike(r))];
    const nGenerated = r.int(2, 4);
    const itemIds = [...new Set(Array.from({ length: r.int(2, 5) }, () => (r.next() < 0.5 ? String(r.int(1, 99_999)) : r.token(6))))];
    const unknown = [...new Set(Array.from({ length: r.int(2, 5) }, () => {
      const p = r.int(0, 2);
      return p === 0 ? `/${r.token(7)}` : p === 1 ? `/${r.token(4)}/${r.token(6)}` : `/${r.token(6)}?q=${r.token(4)}`;
    }))];
    const nBoom = r.int(1, 3);
    const workMs = Array.from({ length: r.int(2, 3) }, () => r.int(25, 60));
    const refused = r.shuffle(refusedBodies(r));

    type Plan = { method: string; path: string; route: string | undefined; options?: RequestOptions; id?: string };
    const plan: Plan[] = r.shuffle([
      ...sentIds.map((id): Plan => ({ method: 'GET', path: '/health', route: '/health', id, options: { headers: { 'x-request-id': id } } })),
      ...Array.from({ length: nGenerated }, (): Plan => ({ method: 'GET', path: '/health', route: '/health' })),
      // An empty X-Request-ID is no id: it gets a fresh one too.
      { method: 'GET', path: '/health', route: '/health', options: { headers: { 'x-request-id': '' } } },
      ...itemIds.map((id): Plan => ({ method: 'GET', path: `/items/${id}`, route: '/items/:id' })),
      ...Array.from({ length: nBoom }, (): Plan => ({ method: 'GET', path: '/boom', route: '/boom' })),
      ...unknown.map((path): Plan => ({ method: 'GET', path, route: undefined })),
      ...workMs.map((ms): Plan => ({ method: 'GET', path: `/work?ms=${ms}`, route: '/work' })),
      ...refused.map(({ options }): Plan => ({ method: 'POST', path: '/predict', route: '/predict', options })),
    ]);

    // One after another: each request's time on the service lies inside the time the grader waited for it.
    const sent: Sent[] = [];
    const echoed = new Map<string, string | null>();
    const generated: Array<string | null> = [];
    for (const p of plan) {
      const answer = await send(url, p.method, p.path, p.options);
      sent.push({ method: p.method, path: p.path, route: p.route, answer });
      if (p.id !== undefined) echoed.set(p.id, idOf(answer));
      else if (p.path === '/health') generated.push(idOf(answer));
    }
    const scrapes = r.int(2, 3);
    for (let i = 0; i < scrapes; i++) await send(url, 'GET', '/metrics');
    await sleep(20);
    const m = await registryFamilies(service);
    await service.flushLogs();
    const logs = [...service.logs()];

    // Then clients that hang up while /work is still working; judged on what they add to the registry.
    const slowMs = 200;
    const abandoned = await Promise.all(
      Array.from({ length: r.int(2, 3) }, () => hangUpMidway(service.port, `/work?ms=${slowMs}`, r.int(20, 50), { 'x-request-id': requestIdLike(r) })),
    );
    // Wait until the abandoned handlers have finished too, so nothing they do later is missed.
    const last = Math.max(...abandoned.map((a) => a.takenAt).filter(Number.isFinite), performance.now());
    await sleep(Math.max(0, last + slowMs + 60 - performance.now()));
    const after = await registryFamilies(service);
    const readAt = performance.now();

    const N = sent.length;
    const status = (s: Sent) => String(s.answer.status);
    const count = (pred: (s: Sent) => boolean) => sent.filter(pred).length;
    const rawUrls = new Set(sent.filter((s) => s.route).map((s) => s.path));
    const templates = new Set(['/health', '/items/:id', '/boom', '/work', '/predict', '/metrics']);
    const requests = traffic(m, 'http_requests_total');

    return {
      'B.3.counts-every-request': () => {
        const health = count((s) => s.route === '/health');
        expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/health', status_code: '200' }, health, `${health} × GET /health should be counted once each`);
        expectValue(m, 'http_requests_total', { method: 'GET', endpoint: '/boom', status_code: '500' }, nBoom, `failed requests are requests too: ${nBoom} × GET /boom (500)`);
        for (const code of new Set(sent.filter((s) => s.route === '/predict').map(status))) {
          const n = count((s) => s.route === '/predict' && status(s) === code);
          expectValue(m, 'http_requests_total', { method: 'POST', endpoint: '/predict', status_code: code }, n, `${n} × POST /predict refused by Fastify before any handler ran (${refused.map((x) => x.what).join('; ')}): they answered ${code} and count with that status`);
        }
        const notFound = total(findSamples(m, 'http_requests_total', { status_code: '404' }));
        expectThat(notFound === unknown.length, `the ${unknown.length} requests for unknown paths answered 404: count them with status_code="404"`, `a total of ${unknown.length} with status_code="404"`, `${notFound}:\n${seenSeries(m, 'http_requests_total')}`);
        const all = total(requests);
        expectThat(all === N, `the grader sent ${N} requests besides /metrics; each should be counted exactly once`, `a total of ${N}`, `a total of ${all}:\n${seenSeries(m, 'http_requests_total', {}, 14)}`);
        return pass(`${N} requests, ${N} counted`);
      },
      'B.3.route-template': () => {
        for (const [template, prefix] of [['/items/:id', '/items'], ['/work', '/work']] as const) {
          const n = count((s) => s.route === template);
          const series = requests.filter((s) => s.labels.endpoint?.startsWith(prefix));
          expectThat(series.length > 0, `the ${n} requests to ${prefix}... were not counted at all`, `one series with endpoint="${template}"`, seenSeries(m, 'http_requests_total'));
          expectThat(series.every((s) => s.labels.endpoint === template), 'the endpoint label should be the route template, so every URL of one route shares one series', `only endpoint="${template}"`, list(series).replace(/ \+/g, ' '));
          expectThat(total(series) === n, `${n} requests to ${template} (${sent.filter((s) => s.route === template).map((s) => s.path).join(', ')})`, `a total of ${n} for endpoint="${template}"`, list(series).replace(/ \+/g, ' '));
        }
        return pass();
      },
      'B.3.unmatched-one-series': () => {
        // Whatever is neither a route template nor the raw URL of a known route is the unknown paths' share.
        const others = requests.filter((s) => !templates.has(s.labels.endpoint ?? '') && !rawUrls.has(s.labels.endpoint ?? ''));
        const sum = total(others);
        expectThat(sum === unknown.length, `${unknown.length} requests for unknown paths (${unknown.join(', ')}) should be counted`, `a total of ${unknown.length} under one fixed endpoint label`, seenSeries(m, 'http_requests_total', {}, 14));
        const labels = new Set(others.map((s) => s.labels.endpoint));
        expectThat(!labels.has('') && !labels.has(undefined), 'an empty endpoint label is, to Prometheus, no label at all: give unknown paths a name of their own', 'a fixed label such as endpoint="unmatched"', list(others).replace(/ \+/g, ' '));
        expectThat(labels.size === 1, 'unknown paths must share one endpoint label, or anyone can create series at will', 'one endpoint label for all unknown paths', list(others).replace(/ \+/g, ' '));
        const leaked = [...labels].find((l) => unknown.some((p) => l?.includes(p.slice(1).split('?')[0] ?? '')));
        expectThat(!leaked, 'the raw URL of an unknown path must not become a label value', 'a fixed label such as endpoint="unmatched"', `endpoint="${leaked}"`);
        return pass();
      },
      'B.3.latency-seconds': () => {
        const observed = total(traffic(m, 'http_request_duration_seconds_count'));
        expectThat(observed === N, `every request but /metrics should be observed once in http_request_duration_seconds (${N} were sent)`, `_count summing to ${N}`, `${observed}:\n${seenSeries(m, 'http_request_duration_seconds_count')}`);
        const sum = total(traffic(m, 'http_request_duration_seconds_sum'));
        // Sent one after another, so each one's time on the service lies inside the time the grader
        // waited for it; the slow /work requests slept at least as long as they were asked to.
        const waited = sent.reduce((a, s) => a + s.answer.ms, 0) / 1000;
        const slept = workMs.reduce((a, ms) => a + ms, 0) / 1000;
        const upper = waited + 0.002 * N + 0.03;
        const lower = slept - 0.002 * workMs.length;
        expectThat(sum <= upper, sum >= 100 * waited ? 'that looks like milliseconds: Prometheus expects seconds' : `the requests took ${waited.toFixed(3)} s altogether, timed by the grader from the outside, yet the histogram's _sum says more: is the duration in seconds, and measured from the request's own start?`, `a _sum of at most ${upper.toFixed(3)} (seconds)`, sum.toFixed(6));
        expectThat(sum >= lower, `the /work requests alone slept ${workMs.join(' + ')} ms, yet the histogram's _sum is smaller: is the duration in seconds (nanoseconds / 1e9, milliseconds / 1000)?`, `a _sum of at least ${lower.toFixed(3)} (seconds)`, sum.toFixed(6));
        // Per series too: the histogram carries the counter's method and endpoint labels, so each
        // (method, endpoint) has as many observations as requests counted.
        const byRoute = (samples: Sample[]) => {
          const out = new Map<string, number>();
          for (const s of samples) {
            const k = `method="${s.labels.method ?? ''}",endpoint="${s.labels.endpoint ?? ''}"`;
            out.set(k, (out.get(k) ?? 0) + s.value);
          }
          return out;
        };
        const counted = byRoute(requests);
        const timed = byRoute(traffic(m, 'http_request_duration_seconds_count'));
        for (const [k, n] of counted) {
          expectThat(timed.get(k) === n, `http_requests_total counts ${n} request(s) with ${k}: the histogram should have observed each of them under the same method and endpoint labels`, `http_request_duration_seconds_count{${k}} ${n}`, `${timed.get(k) ?? 'no such series'}:\n${seenSeries(m, 'http_request_duration_seconds_count')}`);
        }
        const workSum = total(traffic(m, 'http_request_duration_seconds_sum').filter((x) => x.labels.endpoint?.startsWith('/work')));
        expectThat(workSum >= lower, `the /work requests slept ${workMs.join(' + ')} ms: their own series' _sum must hold at least that`, `_sum{endpoint="/work"} of at least ${lower.toFixed(3)}`, workSum.toFixed(6));
        return pass(`${N} observations, ${sum.toFixed(3)} s in all (the grader waited ${waited.toFixed(3)} s)`);
      },
      'B.3.errors-counted': () => {
        expectValue(m, 'http_errors_total', { method: 'GET', endpoint: '/boom', error_type: 'server_error' }, nBoom, `${nBoom} × GET /boom answered 500: count them as server_error`);
        const clientErrors = count((s) => s.answer.status >= 400 && s.answer.status < 500);
        const client = total(traffic(m, 'http_errors_total', { error_type: 'client_error' }));
        const codes = sent.filter((s) => s.answer.status >= 400 && s.answer.status < 500).map(status);
        expectThat(client === clientErrors, `${clientErrors} requests answered 4xx (${[...new Set(codes)].join(', ')}): count each as client_error`, `a total of ${clientErrors} with error_type="client_error"`, seenSeries(m, 'http_errors_total'));
        const serverErrors = count((s) => s.answer.status >= 500);
        const rest = total(traffic(m, 'http_errors_total')) - clientErrors - serverErrors;
        expectThat(rest === 0, 'successful requests are not errors', 'nothing else in http_errors_total', seenSeries(m, 'http_errors_total'));
        return pass();
      },
      'B.3.metrics-not-self-counted': () => {
        expectThat(requests.length > 0, 'nothing is counted yet, so whether /metrics counts itself cannot be judged (finish the counting first)', 'requests counted', 'http_requests_total is empty');
        const self = ['http_requests_total', 'http_request_duration_seconds_count', 'http_errors_total'].flatMap((name) => findSamples(m, name, { endpoint: '/metrics' }));
        expectThat(self.length === 0, `the grader scraped /metrics ${scrapes} times: skip /metrics in the hook, for the counters and the histogram alike`, 'no series with endpoint="/metrics"', list(self).replace(/ \+/g, ' '));
        return pass();
      },
      'B.3.request-id': () => {
        for (const id of sentIds) {
          const back = echoed.get(id);
          expectThat(back === id, 'a request that sends X-Request-ID gets the same id back, exactly as sent', `X-Request-ID: ${id}`, back ? `X-Request-ID: ${back}` : 'no X-Request-ID header');
        }
        for (const id of generated) expectThat(typeof id === 'string' && UUID.test(id), 'a request without an id gets a fresh UUID in X-Request-ID', 'a UUID like 3f2c…-…', id ?? 'no X-Request-ID header');
        const distinct = new Set(generated);
        expectThat(distinct.size === generated.length, 'each request needs its own id', `${generated.length} different ids`, generated.join(', '));
        return pass();
      },
      'B.3.log-line': () => {
        // The id the service answered with is the one its log line should carry.
        // (An id answered to several requests is judged by B.3.request-id; here each request has its line.)
        const answeredWith = (id: string) => sent.filter((s) => idOf(s.answer) === id).length;
        const ids = new Set([...sentIds.map((id) => echoed.get(id) ?? id), ...generated.filter((id): id is string => id !== null)]);
        for (const id of ids) {
          const n = Math.max(1, answeredWith(id));
          const lines = logs.filter((l) => l.includes(id));
          expectThat(lines.length === n, 'each request should write one log line that carries its request id', n === 1 ? `one line containing ${id}` : `${n} lines containing ${id} (${n} requests were answered with it)`, lines.length ? `${lines.length} lines:\n${lines.slice(0, 3).join('\n')}` : `none; the service wrote ${logs.length} line(s)${logs.length ? `, e.g.\n${logs.slice(0, 2).join('\n')}` : ''}`);
        }
        // The /work requests slept a known time and the grader timed each: the duration their line
        // states (with its unit, or under a key such as duration_ms) lies between the two.
        for (const s of sent.filter((x) => x.route === '/work')) {
          const id = idOf(s.answer);
          const mine = id ? logs.filter((l) => l.includes(id)) : [];
          const line = mine.find((l) => l.includes(s.path)) ?? mine[0];
          if (!id || !line) continue; // judged above
          const slept = Number(new URLSearchParams(s.path.split('?')[1]).get('ms'));
          // Generous on both sides: a timer may fire a little early, and on a busy machine the service
          // may log its onResponse some milliseconds after the grader already had the answer. The
          // mistakes this catches are off by a factor of a thousand.
          const low = slept - 2;
          const high = s.answer.ms + 50;
          const stated = durationsInMs(line, [s.path, id]);
          expectThat(
            stated.some((ms) => ms >= low && ms <= high),
            `the log line of ${s.method} ${s.path} should state how long the request took, with its unit (e.g. "${(slept + 0.4).toFixed(1)} ms" or duration_ms=${slept}): it slept ${slept} ms and the grader waited ${s.answer.ms.toFixed(1)} ms for it`,
            `a duration between ${low} and ${high.toFixed(1)} ms`,
            `${line.slice(0, 240)}${stated.length ? ` (read as ${stated.map((x) => `${Number(x.toPrecision(4))} ms`).join(', ')})` : ' (no duration with a unit found)'}`,
          );
        }
        return pass();
      },
      'B.3.aborted-requests-counted': () => {
        const gone = abandoned.filter((a) => a.abandoned);
        const k = gone.length;
        expectThat(k > 0, 'grader fault: the service answered every request before the client hung up', 'requests abandoned mid-flight', `${abandoned.length} answered`);
        const counted = gained(m, after, 'http_requests_total');
        expectThat(total(counted) === k, `${k} clients asked for GET /work?ms=${slowMs} and hung up before the answer: Fastify then runs onRequestAbort, not onResponse, and each must still be counted once`, `http_requests_total up by ${k}`, list(counted));
        // (Which endpoint label it gets is judged by B.3.route-template; here, that it is not a success.)
        const wrong = counted.find((s) => s.labels.method !== 'GET' || !s.labels.status_code || s.labels.status_code.startsWith('2'));
        expectThat(!wrong, 'count an abandoned request with a status that says so, such as status_code="499" (the client closed the request): it never got an answer, let alone a 200', `http_requests_total{method="GET",endpoint="/work",status_code="499"} +${k}`, list(counted));
        const timed = gained(m, after, 'http_request_duration_seconds_count');
        expectThat(total(timed) === k, 'an abandoned request is timed too, from its start until the client hung up', `http_request_duration_seconds_count up by ${k}`, list(timed));
        const sum = total(gained(m, after, 'http_request_duration_seconds_sum'));
        const lower = gone.reduce((a, g) => a + (g.hungUpAt - g.takenAt), 0) / 1000 * 0.8 - 0.002 * k;
        const upper = gone.reduce((a, g) => a + (readAt - g.sentAt), 0) / 1000;
        expectThat(sum >= lower && sum <= upper, 'each abandoned request lasted from its start until the client hung up, in seconds', `a _sum between ${lower.toFixed(3)} and ${upper.toFixed(3)}`, sum.toFixed(6));
        return pass(`${k} abandoned requests, counted and timed`);
      },
    };
  }),
} satisfies ExerciseChecks;
