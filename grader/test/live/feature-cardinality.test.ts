// The reference C service keeps feature_index bounded: one POST /predict with 5,000 features adds a
// handful of series, not thousands.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExposition, type MetricFamily } from '../../live/exposition.js';
import { buildApp, type BuiltApp } from '../../../solutions/C/app.js';
import { createLogger } from '../../../solutions/C/logger.js';

let built: BuiltApp;

beforeAll(async () => {
  built = await buildApp({ logger: createLogger({ name: 'app', stream: { write: () => true } }) });
});

afterAll(async () => {
  await built.app.close();
});

const seriesCount = (families: Map<string, MetricFamily>): number => [...families.values()].reduce((n, f) => n + f.samples.length, 0);

describe('feature_index cardinality (solutions/C)', () => {
  it('a 5,000-feature request adds at most 11 feature_index values, and every value is still observed', async () => {
    const predict = (features: number[]) => built.app.inject({ method: 'POST', url: '/predict', payload: { features } });
    expect((await predict([1, 2, 3])).statusCode).toBe(201);
    const before = parseExposition(await built.registry.metrics());

    const features = Array.from({ length: 5000 }, (_, i) => (i * 37) % 250);
    const answer = await predict(features);
    expect(answer.statusCode).toBe(201);
    const after = parseExposition(await built.registry.metrics());

    const counts = after.get('prediction_feature_value')?.samples.filter((s) => s.name === 'prediction_feature_value_count') ?? [];
    expect(new Set(counts.map((s) => s.labels.feature_index)).size).toBeLessThanOrEqual(11);
    expect(counts.reduce((sum, s) => sum + s.value, 0)).toBe(3 + 5000);
    // Eight new label values (3 to 9 and "other") of 11 series each, far from 5,000 × 11; the whole
    // registry grows by a few dozen series at most (the request's own counters included).
    const featureSeries = (m: Map<string, MetricFamily>) => m.get('prediction_feature_value')?.samples.length ?? 0;
    expect(featureSeries(after) - featureSeries(before)).toBeLessThanOrEqual(8 * 11);
    expect(seriesCount(after) - seriesCount(before)).toBeLessThan(200);
  });
});
