// The grader's own judgement of an SLO spec for F.3: the first field that cannot make sense, if any.
export type SpecInput = {
  service: string;
  slo: string;
  objective: number;
  windowDays: number;
  sli: { kind: 'ratio'; good: string; total: string } | { kind: 'latency'; histogram: string; thresholdSeconds: number };
};

const positive = (n: number) => Number.isFinite(n) && n > 0;
const filled = (s: string) => s.trim() !== '';

export function badField(spec: SpecInput): string | undefined {
  if (!(spec.objective > 0 && spec.objective < 100)) return 'objective';
  if (!positive(spec.windowDays)) return 'windowDays';
  if (spec.sli.kind === 'ratio') {
    if (!filled(spec.sli.good)) return 'good';
    if (!filled(spec.sli.total)) return 'total';
    return undefined;
  }
  if (!filled(spec.sli.histogram)) return 'histogram';
  if (!positive(spec.sli.thresholdSeconds)) return 'thresholdSeconds';
  return undefined;
}
