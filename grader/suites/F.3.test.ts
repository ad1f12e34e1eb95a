// F.3 — the SLO rule generator refuses specs that cannot make sense, naming the field, and accepts
// every sensible one: generated specs, each with at most one bad field, compared with the grader's
// own judgement of the spec.
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { generateRules } from '@target/F/slo-generator.js';
import { compareWithOracle, mismatch, show } from './differential.js';
import { badField, type SpecInput } from './oracles/F.3.js';

const selector = fc.constantFrom('http_requests_total{job="api"}', 'http_requests_total{job="api", status_code!~"5.."}', 'grpc_server_handled_total{grpc_code="OK"}', 'jobs_total');
const blank = fc.constantFrom('', '   ');
const validObjective = fc.oneof(fc.constantFrom(99.9, 99.5, 99, 99.99, 95, 50), fc.double({ min: 0.5, max: 99.99, noNaN: true }));
const badObjective = fc.constantFrom(100, 100.5, 150, 0, -1, -99.9, Number.NaN, Number.POSITIVE_INFINITY);
const validDays = fc.constantFrom(7, 14, 28, 30, 90);
const badDays = fc.constantFrom(0, -30, Number.NaN, Number.POSITIVE_INFINITY);
const validThreshold = fc.constantFrom(0.05, 0.1, 0.25, 0.5, 1, 2.5);
const badThreshold = fc.constantFrom(0, -0.25, Number.NaN);

/** A spec, sometimes with one bad field. */
const specs: fc.Arbitrary<[SpecInput]> = fc
  .record({
    bad: fc.constantFrom('none', 'none', 'none', 'objective', 'windowDays', 'good', 'total', 'histogram', 'thresholdSeconds'),
    kind: fc.constantFrom('ratio', 'latency'),
    service: fc.constantFrom('checkout', 'search', 'payments'),
    slo: fc.constantFrom('availability', 'latency', 'jobs'),
    objective: validObjective,
    badObjective,
    windowDays: validDays,
    badDays,
    good: selector,
    total: selector,
    histogram: fc.constantFrom('http_request_duration_seconds{job="api"}', 'rpc_latency_seconds'),
    blank,
    thresholdSeconds: validThreshold,
    badThreshold,
  })
  .map((r): [SpecInput] => {
    const kind = r.bad === 'histogram' || r.bad === 'thresholdSeconds' ? 'latency' : r.bad === 'good' || r.bad === 'total' ? 'ratio' : r.kind;
    const sli =
      kind === 'ratio'
        ? { kind: 'ratio' as const, good: r.bad === 'good' ? r.blank : r.good, total: r.bad === 'total' ? r.blank : r.total }
        : { kind: 'latency' as const, histogram: r.bad === 'histogram' ? r.blank : r.histogram, thresholdSeconds: r.bad === 'thresholdSeconds' ? r.badThreshold : r.thresholdSeconds };
    return [{ service: r.service, slo: r.slo, objective: r.bad === 'objective' ? r.badObjective : r.objective, windowDays: r.bad === 'windowDays' ? r.badDays : r.windowDays, sli }];
  });

/** What a call did, as the check compares it: accepted, or refused with its message. */
function learnerVerdict(spec: SpecInput): string {
  try {
    const text = generateRules(spec);
    return typeof text === 'string' && text.trim() !== '' ? 'accepted' : `returned ${show(text)} instead of the rules`;
  } catch (error) {
    return `refused: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The message names the field as a word of its own ("total", "total:", "`total`", "total_selector"):
 * the "total" in an example such as http_requests_total is not it. */
function namesField(message: string, field: string): boolean {
  return new RegExp(`(^|[^\\w])${field.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}($|[^A-Za-z0-9])`).test(message);
}

function expectedVerdict(spec: SpecInput): string {
  const field = badField(spec);
  return field ? `refused with an Error naming ${field}` : 'accepted';
}

const good: SpecInput = { service: 'checkout', slo: 'availability', objective: 99.9, windowDays: 30, sli: { kind: 'ratio', good: 'http_requests_total{job="checkout", status_code!~"5.."}', total: 'http_requests_total{job="checkout"}' } };
const latency: SpecInput = { service: 'search', slo: 'latency', objective: 99, windowDays: 28, sli: { kind: 'latency', histogram: 'http_request_duration_seconds{job="search"}', thresholdSeconds: 0.25 } };

/** Hand-picked specs: the edges of each field, then the generated ones. */
const CASES: SpecInput[] = [
  good,
  latency,
  { ...good, objective: 99.999 },
  { ...good, objective: 0.5 },
  ...[100, 100.5, 0, -1, Number.NaN, Number.POSITIVE_INFINITY].map((objective) => ({ ...good, objective })),
  ...[0, -7, Number.NaN].map((windowDays) => ({ ...good, windowDays })),
  ...['', '   '].flatMap((blank): SpecInput[] => [
    { ...good, sli: { kind: 'ratio', good: blank, total: 'http_requests_total{job="checkout"}' } },
    { ...good, sli: { kind: 'ratio', good: 'http_requests_total{job="checkout", status_code!~"5.."}', total: blank } },
    { ...latency, sli: { kind: 'latency', histogram: blank, thresholdSeconds: 0.25 } },
  ]),
  ...[0, -0.25, Number.NaN].map((thresholdSeconds): SpecInput => ({ ...latency, sli: { kind: 'latency', histogram: 'http_request_duration_seconds{job="search"}', thresholdSeconds } })),
];

describe('F.3.refuses-bad-specs', () => {
  it('refuses each bad field of hand-picked specs, naming it, and accepts the good ones', () => {
    for (const spec of CASES) {
      const seen = learnerVerdict(spec);
      const field = badField(spec);
      const ok = field ? seen.startsWith('refused: ') && namesField(seen, field) : seen === 'accepted';
      if (!ok) throw mismatch(`generateRules should ${field ? `refuse this spec, naming ${field}` : 'accept this spec'}: generateRules(${show(spec)})`, expectedVerdict(spec), seen);
    }
  });

  it('refuses a bad spec naming the field, and accepts a good one', () => {
    compareWithOracle(
      {
        inputs: specs,
        learner: learnerVerdict,
        oracle: expectedVerdict,
        call: ([spec]) => `generateRules(${show(spec)})`,
        same: (seen, expected, [spec]) => (expected === 'accepted' ? seen === 'accepted' : seen.startsWith('refused: ') && namesField(seen, badField(spec)!)),
        render: (v) => v,
        numRuns: 150,
      },
      'generateRules should refuse a spec that cannot make sense, with a message naming the field, and accept a sensible one',
    );
  });
});
