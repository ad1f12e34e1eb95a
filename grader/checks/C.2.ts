// C.2's live checks: GET /health while the model is healthy, unhealthy and healed again, and the
// app_health_status gauge, read both right after /health and with no call to /health at all.
import { findSamples } from '../live/exposition.js';
import { parseJson, send, type Answer } from '../live/http.js';
import { pass } from '../report/results.js';
import { checkSet, expectThat, registryFamilies, seenSeries, sleep, type ExerciseChecks, type LiveContext } from './kit.js';

/** How long a gauge may lag behind the model: well under one scrape interval (5 s in C.4). */
const FRESH_WITHIN_MS = 2500;
/** A correct service answers in milliseconds; a busy grading machine may still take seconds. */
const PATIENCE_MS = 10_000;

interface GaugeRead {
  /** What the gauge should say, and why. */
  want: 0 | 1;
  when: string;
  /** The value read (undefined: no such series), and the series seen, for the message. */
  value: number | undefined;
  seen: string;
}

type HealthJson = { status?: unknown; timestamp?: unknown; checks?: { model_loaded?: unknown; uptime_seconds?: unknown } } | undefined;

export default {
  exercise: 'C.2',
  live: checkSet(['C.2.healthy-response', 'C.2.unhealthy-503', 'C.2.health-gauge', 'C.2.recovers', 'C.2.gauge-current'] as const, async ({ service, random }: LiveContext) => {
    const url = service.baseUrl;
    const body = (a: Answer) => parseJson(a.text) as HealthJson;

    /** Reads app_health_status, again and again for a short while when it does not say `want` yet
     * (a gauge refreshed by a timer is fine, as long as it is fresh). */
    const readGauge = async (want: 0 | 1, when: string): Promise<GaugeRead> => {
      const deadline = performance.now() + FRESH_WITHIN_MS;
      for (;;) {
        const m = await registryFamilies(service);
        const samples = findSamples(m, 'app_health_status');
        const value = samples.length === 1 ? samples[0]!.value : undefined;
        if (value === want || samples.length === 0 || performance.now() > deadline) return { want, when, value, seen: seenSeries(m, 'app_health_status') };
        await sleep(100);
      }
    };
    const flip = async (healthy: boolean) => {
      const answer = await send(url, 'POST', '/admin/model-health', { body: { healthy }, timeoutMs: PATIENCE_MS });
      expectThat(answer.status === 200, 'the grader could not switch the model (POST /admin/model-health is given code: keep it)', '200', `${answer.status}`);
    };
    const healthCalls = async (n: number): Promise<Answer[]> => {
      const answers: Answer[] = [];
      for (let i = 0; i < n; i++) answers.push(await send(url, 'GET', '/health', { timeoutMs: PATIENCE_MS }));
      return answers;
    };

    const afterHealth: GaugeRead[] = [];
    const withoutHealth: GaugeRead[] = [];

    // Start-up: no /health call yet.
    withoutHealth.push(await readGauge(1, 'at start-up, before any call to /health, with the model healthy'));
    // Two calls some time apart (timed by the grader), for the uptime: it must grow as the clock does.
    const firstSent = performance.now();
    const healthy = await healthCalls(random.int(1, 3));
    const firstDone = performance.now();
    await sleep(random.int(300, 600));
    const laterSent = performance.now();
    healthy.push(await send(url, 'GET', '/health', { timeoutMs: PATIENCE_MS }));
    const laterDone = performance.now();
    afterHealth.push(await readGauge(1, 'after GET /health with the model healthy'));

    await flip(false);
    withoutHealth.push(await readGauge(0, 'after the model was switched unhealthy, with no call to /health since'));
    const unhealthy = await healthCalls(random.int(1, 3));
    afterHealth.push(await readGauge(0, 'after GET /health with the model unhealthy'));

    await flip(true);
    withoutHealth.push(await readGauge(1, 'after the model was healed, with no call to /health since'));
    const recovered = await healthCalls(random.int(1, 3));
    afterHealth.push(await readGauge(1, 'after GET /health with the model healed'));

    const shape = '{"status":"healthy","timestamp":"<ISO-8601>","checks":{"model_loaded":true,"uptime_seconds":12.5}}';
    const judgeReads = (reads: GaugeRead[], why: string) => {
      for (const r of reads) {
        expectThat(r.value === r.want, `${why}: ${r.when}, app_health_status should read ${r.want}`, `app_health_status ${r.want}`, r.value === undefined ? r.seen : `app_health_status ${r.value} (read for ${FRESH_WITHIN_MS / 1000} s)`);
      }
    };

    /** uptime_seconds is in seconds since the service started: between the first and the last healthy
     * call it grows by the time that passed (the grader's clock, rounding allowed), and a service the
     * grader started cannot have been up longer than the grader itself has run. */
    const judgeUptime = (first: number, last: number) => {
      const shortest = (laterSent - firstDone) / 1000;
      const longest = (laterDone - firstSent) / 1000;
      const grew = last - first;
      expectThat(
        grew >= shortest - 0.02 && grew <= longest + 0.02,
        `uptime_seconds counts seconds: two calls ${shortest.toFixed(2)}–${longest.toFixed(2)} s apart (timed by the grader) should differ by about that much`,
        `a difference of ${shortest.toFixed(2)}–${longest.toFixed(2)} (seconds)`,
        `${first} then ${last}: a difference of ${Number.isFinite(grew) ? Number(grew.toFixed(3)) : grew}`,
      );
      if (service.external) return;
      const upperBound = (Date.now() - performance.timeOrigin) / 1000 + 1;
      expectThat(
        last <= upperBound,
        'uptime_seconds is the time since the service started (startedAt), in seconds',
        `at most ${upperBound.toFixed(1)} (the grader started this service less than ${upperBound.toFixed(1)} s ago)`,
        `${last}`,
      );
    };

    return {
      'C.2.healthy-response': () => {
        for (const a of healthy) {
          const b = body(a);
          expectThat(a.status === 200, 'a healthy service answers GET /health with 200', '200', `${a.status}`);
          expectThat(
            b?.status === 'healthy' && typeof b.timestamp === 'string' && !Number.isNaN(Date.parse(b.timestamp)) && b.checks?.model_loaded === true && typeof b.checks.uptime_seconds === 'number' && b.checks.uptime_seconds >= 0,
            'the body reports the status, the time and each check',
            shape,
            a.text.slice(0, 300),
          );
        }
        judgeUptime(body(healthy[0]!)?.checks?.uptime_seconds as number, body(healthy.at(-1)!)?.checks?.uptime_seconds as number);
        return pass();
      },
      'C.2.unhealthy-503': () => {
        for (const a of unhealthy) {
          const b = body(a);
          expectThat(a.status === 503, 'with the model unhealthy, GET /health answers 503 so load balancers stop sending traffic', '503', `${a.status} ${a.text.slice(0, 200)}`);
          expectThat(b?.status === 'unhealthy' && b.checks?.model_loaded === false, 'the body says which check failed', '{"status":"unhealthy",...,"checks":{"model_loaded":false,...}}', a.text.slice(0, 300));
        }
        return pass();
      },
      'C.2.health-gauge': () => {
        // 1 while the model (which the grader switches) is healthy, 0 while it is not.
        judgeReads(afterHealth, 'app_health_status is 1 when healthy and 0 when not');
        return pass('1 → 0 → 1');
      },
      'C.2.recovers': () => {
        const last = unhealthy.at(-1)!;
        const noticed = last.status !== 200 || body(last)?.status === 'unhealthy';
        expectThat(noticed, 'the model was switched unhealthy, but /health did not notice: nothing to recover from yet', 'a 503 (or "unhealthy") while unhealthy', `${last.status} ${last.text.slice(0, 200)}`);
        for (const a of recovered) {
          expectThat(a.status === 200 && body(a)?.status === 'healthy', 'once the model is healthy again, /health answers 200 again', '200 {"status":"healthy",...}', `${a.status} ${a.text.slice(0, 200)}`);
        }
        return pass();
      },
      'C.2.gauge-current': () => {
        // Prometheus scrapes /metrics, not /health: the gauge must be right without anyone calling /health.
        judgeReads(withoutHealth, 'the gauge is computed when scraped (or kept fresh), not only when /health is called');
        return pass('1 → 0 → 1 without /health');
      },
    };
  }),
} satisfies ExerciseChecks;
