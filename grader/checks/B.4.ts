// B.4's live checks: valid predictions (one with a very long array), the bodies learners mishandle
// (numeric strings, null, booleans, nested arrays, Infinity), and bodies Fastify refuses before any
// handler runs, in an order and with values from the seed; counts and times judged against what
// the grader itself sent, got back and timed.
import { sampleValue } from '../live/exposition.js';
import { parseJson, send, type Answer, type RequestOptions } from '../live/http.js';
import type { Random } from '../live/random.js';
import { pass } from '../report/results.js';
import { refusedBodies } from './B.3.js';
import { checkSet, expectThat, expectValue, registryFamilies, seenSeries, sleep, type ExerciseChecks, type LiveContext } from './kit.js';

/** The course's model (given in model.ts): a logistic score of the mean feature value. */
function modelScore(features: number[]): number {
  const mean = features.reduce((sum, x) => sum + x, 0) / features.length;
  return 1 / (1 + Math.exp(-(mean - 5) / 2));
}

const feature = (r: Random) => Math.round((r.next() * 20 - 5) * 1000) / 1000;

/** Bodies the handler must refuse with 422, as raw JSON text (some cannot be written with JSON.stringify). */
function invalidBodies(r: Random): string[] {
  const n = () => String(feature(r));
  return [
    '{"features": []}',
    '{}',
    'null',
    `[${n()}, ${n()}]`,
    `{"features": "${n()},${n()}"}`,
    `{"features": ["${n()}", "${n()}"]}`,
    `{"features": [${n()}, null]}`,
    '{"features": null}',
    `{"features": [true, ${n()}]}`,
    `{"features": [[${n()}, ${n()}], [${n()}]]}`,
    `{"features": [${n()}, 1e999]}`,
    `{"features": {"0": ${n()}, "length": 1}}`,
  ];
}

interface Try {
  what: string;
  kind: 'valid' | 'invalid' | 'refused';
  features?: number[];
  options: RequestOptions;
  answer?: Answer;
}

export default {
  exercise: 'B.4',
  live: checkSet(['B.4.predict-response', 'B.4.rejects-bad-features', 'B.4.counts-successes-only', 'B.4.prediction-latency'] as const, async ({ service, random: r }: LiveContext) => {
    const url = service.baseUrl;
    const json = (body: string): RequestOptions => ({ body, headers: { 'content-type': 'application/json' } });
    const valid: number[][] = Array.from({ length: r.int(2, 4) }, () => Array.from({ length: r.int(1, 6) }, () => feature(r)));
    // A very long array of small numbers: valid, just under the body limit, and slow enough to time.
    valid.push(Array.from({ length: r.int(300_000, 340_000) }, () => r.int(0, 9)));
    const tries: Try[] = r.shuffle([
      ...valid.map((features): Try => ({ what: features.length > 10 ? `${features.length} features` : JSON.stringify({ features }), kind: 'valid', features, options: json(JSON.stringify({ features })) })),
      ...invalidBodies(r).map((body): Try => ({ what: body, kind: 'invalid', options: json(body) })),
      ...refusedBodies(r).map(({ what, options }): Try => ({ what, kind: 'refused', options })),
    ]);
    // One after another, so that each prediction's time lies inside the time the grader waited for it.
    for (const t of tries) t.answer = await send(url, 'POST', '/predict', { ...t.options, timeoutMs: 5000 });
    await sleep(20);
    const m = await registryFamilies(service);
    const answered = (t: Try) => t.answer!;
    const good = tries.filter((t) => t.kind === 'valid');
    // Successes as the service answered them (a 200 instead of a 201 is judged by predict-response, not here).
    const created = tries.filter((t) => answered(t).status >= 200 && answered(t).status < 300);
    const show = (t: Try) => (t.what.length > 80 ? `${t.what.slice(0, 77)}...` : t.what);

    return {
      'B.4.predict-response': () => {
        const ids = new Set<string>();
        for (const t of good) {
          const answer = answered(t);
          expectThat(answer.status === 201, `a valid prediction (${show(t)}) should be answered with 201 Created`, '201', `${answer.status} ${answer.text.slice(0, 200)}`);
          const body = parseJson(answer.text) as Record<string, unknown> | undefined;
          const shape = 'JSON {prediction_id: string, result: number in 0..1, model_version: "v1.0", created_at: ISO-8601 time}';
          expectThat(!!body && typeof body === 'object', 'the answer should be a JSON object', shape, answer.text.slice(0, 200));
          const { prediction_id, result, model_version, created_at } = body;
          expectThat(typeof prediction_id === 'string' && prediction_id.length >= 8, 'prediction_id should be a unique id string (a UUID)', shape, answer.text.slice(0, 200));
          ids.add(prediction_id);
          const want = modelScore(t.features ?? []);
          expectThat(typeof result === 'number' && Math.abs(result - want) < 1e-9, `result should be the model's score for these features (${show(t)})`, `result ${want}`, answer.text.slice(0, 200));
          expectThat(model_version === 'v1.0', 'model_version should be the model\'s version', 'model_version "v1.0"', String(model_version));
          const when = typeof created_at === 'string' ? Date.parse(created_at) : Number.NaN;
          expectThat(typeof created_at === 'string' && /\d{4}-\d\d-\d\dT/.test(created_at) && Math.abs(Date.now() - when) < 120_000, 'created_at should be the current time in ISO-8601', 'e.g. 2026-01-01T12:00:00.000Z', String(created_at));
        }
        expectThat(ids.size === good.length, 'every prediction needs its own prediction_id', `${good.length} different ids`, `${ids.size}`);
        return pass();
      },
      'B.4.rejects-bad-features': () => {
        for (const t of tries.filter((x) => x.kind === 'invalid')) {
          const answer = answered(t);
          const detail = (parseJson(answer.text) as { detail?: unknown } | null | undefined)?.detail;
          expectThat(answer.status === 422, `POST /predict with ${show(t)} should be refused as unprocessable: features must be a non-empty array of finite numbers, and nothing else counts as one`, '422', `${answer.status} ${answer.text.slice(0, 200)}`);
          expectThat(typeof detail === 'string' && detail.length > 0, 'a refusal should say why in { detail }', '{"detail": "features must ..."}', answer.text.slice(0, 200));
        }
        for (const t of tries.filter((x) => x.kind === 'refused')) {
          const { status, text } = answered(t);
          expectThat(status >= 400 && status < 500, `POST /predict with ${t.what} is refused by Fastify before your handler runs: leave that answer a 4xx`, 'a 4xx status', `${status} ${text.slice(0, 200)}`);
        }
        return pass();
      },
      'B.4.counts-successes-only': () => {
        expectThat(created.length > 0, 'no prediction succeeded, so there is nothing to count yet', 'some 201 answers', tries.map((t) => answered(t).status).join(', '));
        const refused = tries.length - created.length;
        expectValue(m, 'predictions_total', { model_version: 'v1.0' }, created.length, `${created.length} predictions succeeded and ${refused} requests were refused: only the successes count`);
        return pass();
      },
      'B.4.prediction-latency': () => {
        expectValue(m, 'prediction_duration_seconds_count', { model_version: 'v1.0' }, created.length, `each of the ${created.length} successful predictions should be observed once`);
        const sum = sampleValue(m, 'prediction_duration_seconds_sum', { model_version: 'v1.0' }) ?? Number.NaN;
        // The model's time lies inside the time the grader waited for those answers.
        const waited = created.reduce((a, t) => a + answered(t).ms, 0) / 1000;
        const upper = waited + 0.001 * created.length;
        expectThat(sum > 0 && sum <= upper, sum > upper ? `the ${created.length} predictions took ${waited.toFixed(3)} s altogether, timed by the grader from the outside, yet the model's _sum says more: is it in seconds?` : 'each prediction should add the model\'s own time, in seconds, to the sum', `a sum above 0 and at most ${upper.toFixed(4)} (seconds)`, Number.isNaN(sum) ? seenSeries(m, 'prediction_duration_seconds_sum') : String(sum));
        return pass();
      },
    };
  }),
} satisfies ExerciseChecks;
