// C.1's live checks: every line the running service writes is a JSON object, and each request the
// grader sent is logged once, with the fields of a request line.
import { parseJson, send, type Answer } from '../live/http.js';
import { pass } from '../report/results.js';
import { checkSet, expectThat, type ExerciseChecks, type LiveContext } from './kit.js';

interface Sent {
  /** The X-Request-ID the grader sent, or undefined when it sent none (the service makes one up). */
  id: string | undefined;
  method: string;
  path: string;
  answer: Answer;
  /** For GET /work: how long the grader asked the route to take. */
  workMs?: number;
}

type Json = Record<string, unknown>;

/** A correct service answers in milliseconds; a busy grading machine may still take seconds. */
const PATIENCE_MS = 10_000;

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export default {
  exercise: 'C.1',
  live: checkSet(['C.1.live-json-lines', 'C.1.live-request-fields'] as const, async ({ service, random }: LiveContext) => {
    const url = service.baseUrl;
    const tag = `grader-c1-${random.token(8)}`;
    const workMs = random.int(110, 180);
    const script: Array<{ method: string; path: string; body?: unknown; workMs?: number; noId?: boolean }> = [];
    for (let i = random.int(1, 3); i > 0; i--) script.push({ method: 'GET', path: '/health' });
    for (let i = random.int(1, 3); i > 0; i--) script.push({ method: 'GET', path: `/items/${random.int(1, 99_999)}` });
    for (let i = random.int(1, 2); i > 0; i--) {
      script.push({ method: 'POST', path: '/predict', body: { features: Array.from({ length: random.int(1, 5) }, () => random.int(0, 1000) / 10) } });
    }
    script.push({ method: 'POST', path: '/predict', body: { features: random.pick([[], ['x'], 'not a list']) } });
    for (let i = random.int(1, 2); i > 0; i--) script.push({ method: 'GET', path: '/boom' });
    script.push({ method: 'GET', path: `/${tag}-missing-${random.token(4)}` });
    script.push({ method: 'GET', path: `/work?ms=${workMs}`, workMs });
    script.push({ method: 'GET', path: `/items/${random.int(1, 99_999)}`, noId: true });

    const sent: Sent[] = await Promise.all(
      random.shuffle(script).map(async (r, i) => {
        const id = r.noId ? undefined : `${tag}-${i}-${random.token(6)}`;
        const answer = await send(url, r.method, r.path, { timeoutMs: PATIENCE_MS, ...(id && { headers: { 'x-request-id': id } }), ...(r.body !== undefined && { body: r.body }) });
        return { id, method: r.method, path: r.path.split('?')[0] ?? r.path, answer, ...(r.workMs !== undefined && { workMs: r.workMs }) };
      }),
    );
    await service.flushLogs();
    const lines = service.logs();
    const records = lines.map((line) => ({ line, record: parseJson(line) }));

    return {
      'C.1.live-json-lines': () => {
        expectThat(lines.length >= script.length, 'the service should write a log line for each request', `at least ${script.length} lines`, `${lines.length}`);
        const bad = records.find(({ record }) => !isObject(record));
        expectThat(!bad, 'every line the service writes to stdout must be one JSON object', 'a JSON object on every line', bad?.line.slice(0, 300) ?? '');
        return pass(`${lines.length} lines, all JSON objects`);
      },
      'C.1.live-request-fields': () => {
        for (const r of sent) {
          // A request sent without an id is found by the id the service answered with.
          const id = r.id ?? r.answer.headers.get('x-request-id') ?? '(no X-Request-ID in the answer)';
          const mine = records.filter(({ record }) => isObject(record) && record.request_id === id);
          const example = `{"request_id":"${id}","method":"${r.method}","path":"${r.path}","status_code":${r.answer.status},"duration_ms":12.3,...}`;
          const what = r.id ? 'with request_id equal to the X-Request-ID it sent' : 'with the request_id the service sent back in X-Request-ID';
          expectThat(mine.length === 1, `${r.method} ${r.path} should be logged once, ${what}`, example, mine.length ? `${mine.length} lines` : 'no line with that request_id');
          const rec = mine[0]!.record as Json;
          const line = mine[0]!.line.slice(0, 300);
          expectThat(rec.method === r.method && rec.path === r.path && rec.status_code === r.answer.status, `the request line for ${r.method} ${r.path} should carry method, path (without the query string) and status_code (a number)`, example, line);
          const ms = rec.duration_ms;
          expectThat(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0, 'duration_ms should be a number of milliseconds', example, line);
          // The service cannot take longer than the grader waited for the answer (with room for a
          // busy machine, which may run the service's onResponse hook late): microseconds show.
          const most = r.answer.ms * 2 + 250;
          expectThat(ms <= most, `${r.method} ${r.path} was answered within ${r.answer.ms.toFixed(1)} ms as the grader measured it, so duration_ms cannot be much larger: is it in milliseconds?`, `duration_ms at most ${most.toFixed(1)}`, line);
          if (r.workMs !== undefined) {
            expectThat(ms >= r.workMs, `GET /work?ms=${r.workMs} takes at least ${r.workMs} ms: duration_ms is in milliseconds`, `duration_ms between ${r.workMs} and ${r.answer.ms.toFixed(1)}`, String(ms));
          }
        }
        return pass();
      },
    };
  }),
} satisfies ExerciseChecks;
