// F.3 — An SLO rule generator: from a small typed SLO spec, the recording rules of its error ratio
// over every window and its multiwindow, multi-burn-rate alerts, as Prometheus rules YAML.
import { stringify } from 'yaml';

/** Good events over all events, each a counter selector such as `http_requests_total{job="api"}`. */
export interface RatioSli {
  kind: 'ratio';
  good: string;
  total: string;
}

/** Requests at or under a latency threshold, from a histogram named without its suffix, such as
 * `http_request_duration_seconds{job="api"}` (its _bucket and _count series are read). */
export interface LatencySli {
  kind: 'latency';
  histogram: string;
  /** A bucket bound of the histogram, in seconds (its le label, as prom-client prints it). */
  thresholdSeconds: number;
}

export interface SloSpec {
  /** The service the SLO is about: the `service` label of every rule. */
  service: string;
  /** The SLO's name: the `slo` label of every rule, e.g. "availability". */
  slo: string;
  /** The objective in percent, e.g. 99.9: strictly between 0 and 100. */
  objective: number;
  /** The SLO window in days, e.g. 30. */
  windowDays: number;
  sli: RatioSli | LatencySli;
}

/** The windows the error ratio is recorded over. */
export const WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;

/** The four alert tiers: the share of the error budget each may spend in its long window. */
export const TIERS = [
  { severity: 'page', budgetShare: 0.02, long: '1h', short: '5m', longHours: 1 },
  { severity: 'page', budgetShare: 0.05, long: '6h', short: '30m', longHours: 6 },
  { severity: 'ticket', budgetShare: 0.1, long: '1d', short: '2h', longHours: 24 },
  { severity: 'ticket', budgetShare: 0.1, long: '3d', short: '6h', longHours: 72 },
] as const;

const SELECTOR = /^([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{(.*)\})?$/s;

function refuse(field: string, why: string, value: unknown): never {
  throw new RangeError(`${field} ${why}, got ${typeof value === 'string' ? JSON.stringify(value) : String(value)}`);
}

function checkSelector(field: string, value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '') refuse(field, 'must be a non-empty selector such as http_requests_total{job="api"}', value);
  if (!SELECTOR.test(value.trim())) refuse(field, 'must be a metric name with optional {matchers}', value);
  return value.trim();
}

/** Refuses a spec that cannot make sense, naming the field. */
export function validateSpec(spec: SloSpec): void {
  for (const field of ['service', 'slo'] as const) {
    if (typeof spec[field] !== 'string' || spec[field].trim() === '') refuse(field, 'must be a non-empty name', spec[field]);
  }
  if (typeof spec.objective !== 'number' || !(spec.objective > 0 && spec.objective < 100)) refuse('objective', 'must be a percentage strictly between 0 and 100', spec.objective);
  if (typeof spec.windowDays !== 'number' || !(spec.windowDays > 0) || !Number.isFinite(spec.windowDays)) refuse('windowDays', 'must be a number of days above 0', spec.windowDays);
  const sli = spec.sli;
  if (sli?.kind === 'ratio') {
    checkSelector('good', sli.good);
    checkSelector('total', sli.total);
  } else if (sli?.kind === 'latency') {
    checkSelector('histogram', sli.histogram);
    if (typeof sli.thresholdSeconds !== 'number' || !(sli.thresholdSeconds > 0) || !Number.isFinite(sli.thresholdSeconds)) refuse('thresholdSeconds', 'must be a number of seconds above 0', sli.thresholdSeconds);
  } else {
    refuse('sli.kind', 'must be "ratio" or "latency"', (sli as { kind?: unknown } | undefined)?.kind);
  }
}

/** A selector with one more matcher: `name{a="b"}` + `le="0.25"` → `name_bucket{a="b", le="0.25"}`. */
function withSuffix(selector: string, suffix: string, extra?: string): string {
  const [, name, matchers = ''] = SELECTOR.exec(selector)!;
  const all = [matchers.trim(), extra].filter((m) => m !== undefined && m !== '');
  return `${name}${suffix}{${all.join(', ')}}`;
}

/** The error ratio over a window: 1 − good / total. */
function errorRatio(sli: RatioSli | LatencySli, window: string): string {
  const [good, total] =
    sli.kind === 'ratio'
      ? [sli.good.trim(), sli.total.trim()]
      : [withSuffix(sli.histogram.trim(), '_bucket', `le="${String(sli.thresholdSeconds)}"`), withSuffix(sli.histogram.trim(), '_count')];
  return `1 - (sum(rate(${good}[${window}])) / sum(rate(${total}[${window}])))`;
}

export const recordName = (window: string) => `slo:sli_error:ratio_rate${window}`;

/** The recording and alerting rules of one SLO, as Prometheus rules YAML. */
export function generateRules(spec: SloSpec): string {
  validateSpec(spec);
  const labels = { service: spec.service, slo: spec.slo };
  const budget = 1 - spec.objective / 100;
  const ratio = (window: string) => `${recordName(window)}{service="${spec.service}", slo="${spec.slo}"}`;
  const recording = WINDOWS.map((window) => ({ record: recordName(window), expr: errorRatio(spec.sli, window), labels }));
  const alerts = (['page', 'ticket'] as const).map((severity) => {
    const tiers = TIERS.filter((t) => t.severity === severity).map((t) => {
      const threshold = ((t.budgetShare * spec.windowDays * 24) / t.longHours) * budget;
      return `(${ratio(t.long)} > ${threshold} and ${ratio(t.short)} > ${threshold})`;
    });
    return {
      alert: 'ErrorBudgetBurn',
      expr: tiers.join('\nor\n'),
      labels: { severity, ...labels },
      annotations: {
        summary: `${spec.service} is spending the error budget of its ${spec.slo} SLO ${severity === 'page' ? 'fast' : 'too fast'}`,
        description: `Objective ${spec.objective} % over ${spec.windowDays} days; the error ratio is {{ $value | humanizePercentage }}.`,
      },
    };
  });
  return stringify(
    {
      groups: [
        { name: `slo-${spec.service}-${spec.slo}-ratios`, rules: recording },
        { name: `slo-${spec.service}-${spec.slo}-alerts`, rules: alerts },
      ],
    },
    { lineWidth: 0 },
  );
}
