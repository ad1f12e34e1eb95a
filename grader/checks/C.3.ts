// C.3's live checks: the business metrics exposed from start-up, every bucket of both histograms
// after predictions made up for this run, model_info, and a bounded number of series for a huge input.
import { findSamples, sumSamples } from '../live/exposition.js';
import { parseJson, send } from '../live/http.js';
import type { Random } from '../live/random.js';
import { pass } from '../report/results.js';
import { checkSet, expectThat, registryFamilies, seenSeries, series, type ExerciseChecks, type Families, type LiveContext } from './kit.js';

const FEATURE_BUCKETS = [0, 0.1, 0.5, 1, 5, 10, 50, 100];
const RESULT_BUCKETS = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1];
/** Positions 0 to 9 have a feature_index of their own; the lesson pools the rest under one more value. */
const TRACKED_FEATURES = 10;
const MAX_FEATURE_INDEXES = TRACKED_FEATURES + 1;
/** A correct service answers in milliseconds; a busy grading machine may still take seconds. */
const PATIENCE_MS = 10_000;

/** Series that the service's given code (metrics.ts, instrumentation.ts, predict.ts) creates at 0 at start-up. */
const GIVEN_AT_ZERO: Array<{ name: string; labels: Record<string, string>; file: string }> = [
  { name: 'predictions_total', labels: { model_version: 'v1.0' }, file: 'predict.ts' },
  { name: 'http_errors_total', labels: { method: 'POST', endpoint: '/predict', error_type: 'client_error' }, file: 'instrumentation.ts' },
  { name: 'http_errors_total', labels: { method: 'POST', endpoint: '/predict', error_type: 'server_error' }, file: 'instrumentation.ts' },
  { name: 'http_errors_total', labels: { method: 'GET', endpoint: '/boom', error_type: 'server_error' }, file: 'instrumentation.ts' },
];

/** The value of the one series with these labels; undefined when there is none, or more than one. */
function sampleValue(families: Families, name: string, labels: Record<string, string>): number | undefined {
  const found = findSamples(families, name, labels);
  return found.length === 1 ? found[0]!.value : undefined;
}

/** Cumulative bucket counts, as Prometheus exposes them (le is inclusive). */
function cumulative(values: number[], bounds: number[]): Array<[string, number]> {
  return [...bounds.map((le) => [String(le), values.filter((v) => v <= le).length] as [string, number]), ['+Inf', values.length]];
}

/** Feature vectors for this run: short (at most 6 features), with values on bucket edges, between
 * them, above the last one and below 0, and one vector whose mean is 5 (a result of exactly 0.5). */
function makeInputs(random: Random): number[][] {
  const edges = [...FEATURE_BUCKETS, 200, -1];
  const value = (): number => (random.next() < 0.4 ? random.pick(edges) : random.int(0, 1200) / 100);
  const inputs = Array.from({ length: random.int(4, 7) }, () => Array.from({ length: random.int(1, 6) }, value));
  // Every edge at least once, at some position.
  for (const edge of edges) inputs[random.int(0, inputs.length - 1)]!.push(edge);
  const half = random.int(0, 5);
  return random.shuffle([...inputs.map((f) => f.slice(0, 8)), random.shuffle([5 - half, 5 + half, 5])]);
}

export default {
  exercise: 'C.3',
  live: checkSet(['C.3.feature-histogram', 'C.3.result-histogram', 'C.3.model-info', 'C.3.series-at-start', 'C.3.bounded-feature-index'] as const, async ({ service, random }: LiveContext) => {
    const url = service.baseUrl;
    const atStart = await registryFamilies(service);

    const inputs = makeInputs(random);
    const results: number[] = [];
    for (const features of inputs) {
      const answer = await send(url, 'POST', '/predict', { body: { features }, timeoutMs: PATIENCE_MS });
      const result = (parseJson(answer.text) as { result?: unknown } | undefined)?.result;
      if (answer.status === 201 && typeof result === 'number') results.push(result);
    }
    for (const bad of random.shuffle([{ features: [] }, { features: ['1', 2] }, { values: [1] }])) await send(url, 'POST', '/predict', { body: bad, timeoutMs: PATIENCE_MS });
    const m = await registryFamilies(service);

    // One valid input with thousands of features.
    const long = Array.from({ length: random.int(3000, 6000) }, () => random.int(0, 20_000) / 100);
    const longAnswer = await send(url, 'POST', '/predict', { body: { features: long }, timeoutMs: PATIENCE_MS });
    const afterLong = await registryFamilies(service);

    const compare = (families: Families, name: string, labels: Record<string, string>, values: number[], bounds: number[], why: string) => {
      const want = cumulative(values, bounds);
      const seen = want.map(([le]) => [le, sampleValue(families, `${name}_bucket`, { ...labels, le })] as const);
      const fmt = (rows: ReadonlyArray<readonly [string, number | undefined]>) => rows.map(([le, n]) => `le=${le}: ${n ?? 'missing'}`).join(', ');
      expectThat(seen.every(([le], i) => seen[i]?.[1] === want[i]?.[1] && le === want[i]?.[0]), why, fmt(want), families.has(name) ? fmt(seen) : `no ${name} histogram`);
    };
    const indexesOf = (families: Families) => new Set(findSamples(families, 'prediction_feature_value_count').map((s) => s.labels.feature_index));

    return {
      'C.3.feature-histogram': () => {
        const width = Math.max(...inputs.map((f) => f.length));
        for (let i = 0; i < width; i++) {
          const values = inputs.filter((f) => f.length > i).map((f) => f[i]!);
          compare(m, 'prediction_feature_value', { feature_index: String(i) }, values, FEATURE_BUCKETS, `every feature value should be observed under its position, feature_index="${i}" (inputs sent: ${JSON.stringify(inputs)})`);
        }
        const indexes = indexesOf(m);
        expectThat(indexes.size === width, `inputs had at most ${width} features, so there are ${width} feature_index series`, `feature_index 0 to ${width - 1}`, seenSeries(m, 'prediction_feature_value_count'));
        return pass();
      },
      'C.3.result-histogram': () => {
        expectThat(results.length === inputs.length, 'the predictions did not succeed, so there is nothing to observe', `${inputs.length} results`, `${results.length}`);
        compare(m, 'prediction_result_value', {}, results, RESULT_BUCKETS, `each successful prediction's result should be observed once, in buckets 0, 0.1, ..., 1 (results: ${results.map((r) => r.toFixed(4)).join(', ')})`);
        return pass();
      },
      'C.3.model-info': () => {
        const info = findSamples(m, 'model_info');
        expectThat(m.get('model_info')?.type === 'gauge' && info.length === 1 && info[0]?.value === 1 && info[0].labels.version === 'v1.0' && info[0].labels.name === 'mean-logistic', 'model_info is a gauge fixed at 1 whose labels name the model being served', 'model_info{version="v1.0",name="mean-logistic"} 1', seenSeries(m, 'model_info'));
        return pass();
      },
      'C.3.series-at-start': () => {
        const info = findSamples(atStart, 'model_info');
        expectThat(info.length === 1 && info[0]?.value === 1, 'model_info is set once, when the metrics are created: before the first prediction it already reads 1', 'model_info{version="v1.0",name="mean-logistic"} 1', seenSeries(atStart, 'model_info'));
        expectThat(sampleValue(atStart, 'prediction_result_value_count', {}) === 0, 'prediction_result_value is created at start-up, so it is exposed (at 0) before the first prediction', 'prediction_result_value_count 0', seenSeries(atStart, 'prediction_result_value_count'));
        for (const g of GIVEN_AT_ZERO) {
          expectThat(sampleValue(atStart, g.name, g.labels) === 0, `${series(g.name, g.labels)} should exist at 0 before the first event (the given ${g.file} creates it: keep that)`, `${series(g.name, g.labels)} 0`, seenSeries(atStart, g.name));
        }
        return pass();
      },
      'C.3.bounded-feature-index': () => {
        const indexes = indexesOf(afterLong);
        const lines = findSamples(afterLong, 'prediction_feature_value_bucket').length + findSamples(afterLong, 'prediction_feature_value_count').length + findSamples(afterLong, 'prediction_feature_value_sum').length;
        expectThat(
          indexes.size <= MAX_FEATURE_INDEXES,
          `one POST /predict with ${long.length} features must not create a series per position: feature_index needs a bounded set of values (positions 0 to ${TRACKED_FEATURES - 1}, the rest pooled under one more value)`,
          `at most ${MAX_FEATURE_INDEXES} feature_index values`,
          `${indexes.size} feature_index values, ${lines} prediction_feature_value series`,
        );
        const count = (f: Families, labels: Record<string, string> = {}) => sumSamples(f, 'prediction_feature_value_count', labels);
        expectThat(!indexes.has('') && !indexes.has(undefined), 'the pooled positions need a feature_index value of their own, such as "other": an empty label is, to Prometheus, no label at all', 'feature_index="other" (or another name)', seenSeries(afterLong, 'prediction_feature_value_count'));
        if (longAnswer.status === 422) {
          expectThat(count(afterLong) === count(m), 'an input refused with 422 must not be observed', `prediction_feature_value_count total ${count(m)}`, `${count(afterLong)}`);
          return pass(`refused with 422; ${indexes.size} feature_index values`);
        }
        expectThat(longAnswer.status === 201, `a valid input with ${long.length} features should be answered 201 (or refused with 422)`, '201', `${longAnswer.status} ${longAnswer.text.slice(0, 200)}`);
        expectThat(count(afterLong) - count(m) === long.length, `every one of the ${long.length} feature values should still be observed once (positions from ${TRACKED_FEATURES} on pooled under one feature_index)`, `prediction_feature_value_count total +${long.length}`, `+${count(afterLong) - count(m)}`);
        return pass(`${indexes.size} feature_index values for ${long.length} features`);
      },
    };
  }),
} satisfies ExerciseChecks;
