// F.3 — An SLO rule generator: from a small typed SLO spec, the recording rules of its error ratio
// over every window and its multiwindow, multi-burn-rate alerts, as Prometheus rules YAML.
//
// generateRules(spec) returns the text of a rules file (YAML) holding:
//   - for each window in WINDOWS, a recording rule `slo:sli_error:ratio_rate<window>` whose value is
//     the error ratio (1 − good / total) over that window, with the labels service and slo of the spec;
//   - alerting rules labelled severity: page and severity: ticket (plus service and slo), one tier per
//     entry of TIERS: the error ratio above factor × (1 − objective / 100) over the long window AND
//     over the short one, where factor = budgetShare × (windowDays × 24) / longHours.
// A spec that cannot make sense is refused with an Error whose message names the field: an objective
// not strictly between 0 and 100, an empty selector (good, total or histogram), a windowDays or a
// thresholdSeconds that is not a number above 0.
// Tip: build a plain object { groups: [...] } and turn it into text with stringify() from 'yaml'.

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

/** The recording and alerting rules of one SLO, as Prometheus rules YAML. */
export function generateRules(spec: SloSpec): string {
  // TODO: validate the spec, then build the rules.
  throw new Error(`TODO: generate the rules of ${spec.slo} (F.3)`);
}
