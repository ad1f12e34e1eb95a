// B.6's live checks: the in-flight gauge while a number of slow requests (from the seed) run, back
// at 0 after traffic with errors in it, and back at 0 after clients hang up mid-request.
import { sampleValue } from '../live/exposition.js';
import { send } from '../live/http.js';
import { pass } from '../report/results.js';
import { hangUpMidway, refusedBodies } from './B.3.js';
import { checkSet, expectThat, registryFamilies, sleep, type ExerciseChecks, type LiveContext } from './kit.js';

export default {
  exercise: 'B.6',
  live: checkSet(['B.6.in-flight-concurrent', 'B.6.in-flight-back-to-zero', 'B.6.in-flight-after-abort'] as const, async ({ service, random: r }: LiveContext) => {
    const url = service.baseUrl;
    const gauge = async () => sampleValue(await registryFamilies(service), 'http_requests_in_flight', {});
    const n = r.int(2, 4);
    let finished = false;
    const slow = Promise.all(Array.from({ length: n }, () => send(url, 'GET', `/work?ms=${r.int(550, 650)}`))).finally(() => {
      finished = true;
    });
    // Read the gauge a few times while the slow requests run, and keep the highest reading.
    let gaugeDuring: number | undefined;
    await sleep(150);
    while (!finished) {
      const value = await gauge();
      if (value !== undefined && value > (gaugeDuring ?? -Infinity)) gaugeDuring = value;
      if (value === n) break;
      await sleep(50);
    }
    await slow;
    // Then requests that end every other way: a crash, a 404, a body refused before any handler, a success.
    const refused = r.pick(refusedBodies(r));
    for (const [method, path, options] of r.shuffle([
      ['GET', '/boom', {}],
      ['GET', `/${r.token(8)}`, {}],
      ['POST', '/predict', refused.options],
      ['GET', '/health', {}],
    ] as const)) await send(url, method, path, options);
    await sleep(50);
    const after = await registryFamilies(service);
    const gaugeAfter = sampleValue(after, 'http_requests_in_flight', {});
    const exists = () =>
      expectThat(after.get('http_requests_in_flight')?.type === 'gauge', 'http_requests_in_flight should be a gauge on the registry', 'a gauge http_requests_in_flight', after.has('http_requests_in_flight') ? `a ${after.get('http_requests_in_flight')?.type}` : 'no such metric');

    // Last, clients that hang up while their request is being handled; read once their handlers are done too.
    const slowMs = 200;
    const gone = await Promise.all(Array.from({ length: r.int(2, 4) }, () => hangUpMidway(service.port, `/work?ms=${slowMs}`, r.int(20, 50))));
    const last = Math.max(...gone.map((g) => g.takenAt).filter(Number.isFinite), performance.now());
    await sleep(Math.max(0, last + slowMs + 60 - performance.now()));
    const gaugeAfterAbort = await gauge();
    const k = gone.filter((g) => g.abandoned).length;

    return {
      'B.6.in-flight-concurrent': () => {
        exists();
        expectThat(gaugeDuring === n, `while ${n} slow requests were running, the gauge should have read ${n}`, String(n), `${gaugeDuring} at most`);
        return pass();
      },
      'B.6.in-flight-back-to-zero': () => {
        exists();
        expectThat((gaugeDuring ?? 0) > 0, 'the gauge never went up during traffic, so "back to 0" proves nothing yet', 'above 0 while requests run', String(gaugeDuring));
        expectThat(gaugeAfter === 0, `after every request has finished (a 500, a 404 and ${refused.what} among them) the gauge should read 0`, '0', String(gaugeAfter));
        return pass();
      },
      'B.6.in-flight-after-abort': () => {
        exists();
        expectThat((gaugeDuring ?? 0) > 0, 'the gauge never went up during traffic, so "back to 0" proves nothing yet', 'above 0 while requests run', String(gaugeDuring));
        expectThat(k > 0, 'grader fault: the service answered every request before the client hung up', 'requests abandoned mid-flight', `${gone.length} answered`);
        const drift = (gaugeAfterAbort ?? 0) - (gaugeAfter ?? 0);
        expectThat(drift === 0, `${k} clients hung up before their answer; Fastify ran onRequestAbort for them, not onResponse, so the gauge must come down there too (it read ${gaugeAfter} before)`, `${gaugeAfter} again (0 for a gauge that works)`, String(gaugeAfterAbort));
        return pass();
      },
    };
  }),
} satisfies ExerciseChecks;
