// F.2 — Multiwindow, multi-burn-rate alerts for a 99.9 % / 30-day SLO: the learner's slo-alerts.yml
// is checked by promtool, then run by `promtool test rules` over simulated days of hidden traffic
// (two instances, numbers varied per run): a fast burn pages within minutes, a 10× burn within hours,
// a slow burn opens a ticket and never pages, a short blip stays quiet, and the alerts resolve soon
// after the burn stops. The scenario builders serve F.3 too, for any objective and SLO window.
import { INSTALL_HINT } from '../live/prometheus-tools.js';
import { checkRules, problemLines } from '../live/promtool-rules.js';
import type { Random } from '../live/random.js';
import { clock, evaluate, firingAt, firstBroken, key, requestsSource, ScenarioProblem, trafficSeries, type AlertStates, type BurnScenario, type SliSource } from '../live/slo-rules.js';
import { pass, skipped, type Verdict } from '../report/results.js';
import { JOB, readYaml } from './C.4.js';
import { agree, sliRuns } from './F.1.js';
import { checkSet, expectThat, Mismatch, type ExerciseChecks, type ToolContext } from './kit.js';

const RULES_FILE = 'F/slo-alerts.yml';

type Yaml = Record<string, unknown>;
const isMap = (v: unknown): v is Yaml => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface AlertRule {
  alert: string;
  expr: string;
  labels: Yaml;
  annotations: Yaml;
  for?: unknown;
}

export function alertRules(data: unknown): AlertRule[] {
  if (!isMap(data) || !Array.isArray(data.groups)) return [];
  return data.groups
    .filter(isMap)
    .flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isMap) : []))
    .filter((r) => typeof r.alert === 'string')
    .map((r) => ({ alert: String(r.alert), expr: String(r.expr ?? ''), labels: isMap(r.labels) ? r.labels : {}, annotations: isMap(r.annotations) ? r.annotations : {}, for: r.for }));
}

const describeRules = (rules: AlertRule[]) => (rules.length ? rules.map((r) => `${r.alert} ${JSON.stringify(r.labels)}`).join('\n') : 'no alerting rule at all');

async function rulesValid(targetDir: string, promtool: string | undefined): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  if (promtool) {
    const outcome = await checkRules(promtool, text, 'slo-alerts.yml');
    expectThat(!outcome.timedOut, 'promtool check rules did not finish in time', 'an answer within 15 s', 'no answer');
    expectThat(outcome.ok, `promtool check rules refuses ${RULES_FILE}`, 'SUCCESS', problemLines(outcome.output));
  }
  const rules = alertRules(data);
  for (const severity of ['page', 'ticket']) {
    expectThat(rules.some((r) => r.labels.severity === severity), `there should be an alert labelled severity: ${severity}`, `labels: { severity: ${severity}, service: ${JOB} }`, describeRules(rules));
  }
  for (const rule of rules) {
    expectThat(rule.labels.severity === 'page' || rule.labels.severity === 'ticket', `${rule.alert}: severity is page or ticket, which Alertmanager routes (F.4)`, 'severity: page (or ticket)', `labels: ${JSON.stringify(rule.labels)}`);
    expectThat(rule.labels.service === JOB, `${rule.alert} needs the label service: ${JOB}, so that Alertmanager can group and inhibit by service`, `service: ${JOB}`, `labels: ${JSON.stringify(rule.labels)}`);
    expectThat(typeof rule.annotations.summary === 'string' && rule.annotations.summary.trim() !== '', `${rule.alert} needs a summary annotation: the first thing the person paged reads`, 'annotations: { summary: ... }', `annotations: ${JSON.stringify(rule.annotations)}`);
  }
  if (!promtool) return skipped(`the alerts are labelled right, but promtool is needed to check the rules: ${INSTALL_HINT}`);
  return pass(`promtool check rules: SUCCESS; ${rules.length} alerts, page and ticket, labelled with their service`);
}

// ---------------------------------------------------------------------------------------------
// Scenarios, for any objective and SLO window

export interface SloShape {
  /** In percent, e.g. 99.9. */
  objective: number;
  periodDays: number;
  source: SliSource;
  instances: string[];
  /** What is burning, for messages: "server errors", "requests slower than 0.25 s". */
  bad: string;
}

/** The burn-rate factor of each tier: the share of the budget it may spend in its long window. */
export function tierFactors(periodDays: number): { page1h: number; page6h: number; ticket1d: number; ticket3d: number } {
  const hours = periodDays * 24;
  return { page1h: (0.02 * hours) / 1, page6h: (0.05 * hours) / 6, ticket1d: (0.1 * hours) / 24, ticket3d: (0.1 * hours) / 72 };
}

const round = (n: number) => Number(n.toPrecision(3));

export interface Scenarios {
  fast: BurnScenario;
  medium: BurnScenario;
  slow: BurnScenario;
  /** A burn only the 1× ticket tier catches. */
  between: BurnScenario;
  blip: BurnScenario;
  quiet: BurnScenario;
  resolvePage: BurnScenario;
  resolveTicket: BurnScenario;
}

export function burnScenarios(shape: SloShape, random: Random): Scenarios {
  const budget = 1 - shape.objective / 100;
  const f = tierFactors(shape.periodDays);
  const perMinute = shape.instances.map(() => random.int(600, 1200));
  const baseline = Math.min(0.2, f.ticket3d / 3) * budget;
  const share = (s: number) => `${round(s * 100)} % ${shape.bad}`;
  const build = (stepMinutes: number, lastMinute: number, badShare: (minute: number) => number, reset = false, volume?: (minute: number) => number) =>
    trafficSeries(shape.source, shape.instances, {
      stepMinutes,
      steps: Math.floor(lastMinute / stepMinutes) + 1,
      perMinute,
      badShare,
      ...(volume && { volume }),
      ...(reset && { resetAt: { instance: random.int(0, shape.instances.length - 1), step: Math.floor(lastMinute / stepMinutes / 2) } }),
    });
  const baseNote = `${share(baseline)} before (a burn rate of ${round(baseline / budget)})`;

  // A fast burn: the 1h tier fires within minutes. Its rate is 2 to 10 times the 1h tier's, so that
  // the 1h tier pages in 6 to 30 minutes and the 6h tier, 2.5 times slower, would be late: each tier
  // must do its own part. It starts after six hours of normal traffic, so that every window of the
  // page tiers is full (a 6h window over 70 minutes of data is a 70-minute window). The
  // page-resolution scenario burns harder, so that both tiers fire.
  const start = 70;
  const fastStart = 370;
  const fastShare = Math.min(0.6, random.int(2, 10) * f.page1h * budget);
  const hardShare = Math.min(0.6, random.int(12, 20) * f.page1h * budget);
  const pageBy = fastStart + Math.ceil((60 * f.page1h * budget) / fastShare) + 6;
  const fast: BurnScenario = {
    name: `from ${clock(fastStart)}, ${share(fastShare)} (a burn rate of ${round(fastShare / budget)}; ${baseNote})`,
    stepMinutes: 1,
    series: build(1, fastStart + 60, (m) => (m > fastStart ? fastShare : baseline), true),
    expect: [
      { at: fastStart - 1, page: false, why: 'nothing is burning yet: no page' },
      { at: pageBy, page: true, why: `the burn started ${pageBy - fastStart} minutes ago and spends the budget ${round(fastShare / budget)} times too fast: the ${round(f.page1h)}× tier over 1h and 5m should page by now` },
      { at: fastStart + 60, page: true, why: 'the burn goes on: the page should still fire' },
    ],
  };

  // A medium burn: only the 6h tier catches it, within hours.
  const mediumRate = shape.periodDays === 30 ? 10 : 1.6 * f.page6h;
  const mediumBy = start + Math.ceil((360 * f.page6h) / mediumRate) + 30;
  const medium: BurnScenario = {
    name: `from minute ${start}, ${share(mediumRate * budget)} (a burn rate of ${round(mediumRate)}; ${baseNote})`,
    stepMinutes: 1,
    series: build(1, mediumBy, (m) => (m > start ? mediumRate * budget : baseline)),
    expect: [{ at: mediumBy, page: true, why: `a burn rate of ${round(mediumRate)} for ${clock(mediumBy - start)} spends over ${round((100 * mediumRate * (mediumBy - start)) / (shape.periodDays * 1440))} % of the budget: the ${round(f.page6h)}× tier over 6h and 30m should page` }],
  };

  // A slow burn: between the ticket and the page tiers; a ticket after about 16 hours.
  const slowRate = (f.page6h + f.ticket1d) / 2;
  const slowStart = 120;
  const ticketAt = slowStart + Math.ceil((0.1 * shape.periodDays * 1440) / slowRate);
  const slowEnd = ticketAt + 240;
  const slow: BurnScenario = {
    name: `from ${clock(slowStart)}, ${share(slowRate * budget)} (a burn rate of ${round(slowRate)}; ${baseNote})`,
    stepMinutes: 5,
    series: build(5, slowEnd, (m) => (m > slowStart ? slowRate * budget : baseline), true),
    expect: [
      { at: slowStart - 5, ticket: false, page: false, why: 'nothing is burning yet' },
      ...[slowStart + 60, slowStart + 360, slowStart + 720].map((at) => ({ at, page: false, why: `a burn rate of ${round(slowRate)} is under both page tiers (${round(f.page1h)}× and ${round(f.page6h)}×): it must never page` })),
      ...[ticketAt + 120, slowEnd].map((at) => ({ at, ticket: true, page: false, why: `the burn has lasted ${clock(at - slowStart)} and spent over ${round((100 * slowRate * (at - slowStart)) / (shape.periodDays * 1440))} % of the budget: a ticket should be open, and still no page` })),
    ],
  };

  // Between the ticket tiers' rates (a 2× burn) only the 1× tier over 3d and 6h tickets, after about
  // half a day. (The 3× tier over 1d is optional: the Workbook's own three tiers leave it out.)
  const lowRate = (f.ticket1d + f.ticket3d) / 2;
  const lowStart = 360;
  const lowBy = lowStart + Math.ceil((lowStart * f.ticket3d) / (lowRate - f.ticket3d)) + 180;
  const between: BurnScenario = {
    name: `from ${clock(lowStart)}, ${share(lowRate * budget)} (a burn rate of ${round(lowRate)}, between the ticket tiers' ${round(f.ticket3d)}× and ${round(f.ticket1d)}×; ${baseNote})`,
    stepMinutes: 5,
    series: build(5, lowBy + 60, (m) => (m > lowStart ? lowRate * budget : baseline)),
    expect: [
      { at: lowBy, ticket: true, page: false, why: `a burn rate of ${round(lowRate)} for ${clock(lowBy - lowStart)}: the ${round(f.ticket3d)}× tier over 3d and 6h should open a ticket (the ${round(f.ticket1d)}× tier never will)` },
    ],
  };
  // A blip: two minutes of errors, under 2 % of the budget.
  const blipAt = 90;
  const blipShare = Math.min(1, (random.int(55, 75) / 100) * 24 * f.page1h * budget);
  const blip: BurnScenario = {
    name: `at minute ${blipAt}, two minutes with ${share(blipShare)}, then back to ${share(baseline)}`,
    stepMinutes: 1,
    series: build(1, 130, (m) => (m > blipAt && m <= blipAt + 2 ? blipShare : baseline)),
    expect: [blipAt + 1, blipAt + 2, blipAt + 3, blipAt + 5, blipAt + 10, 130].map((at) => ({ at, page: false, why: `two minutes of ${shape.bad} spend about ${round((100 * 2 * blipShare) / (budget * shape.periodDays * 1440))} % of the budget, less than the 2 % an hour that pages: nobody should be paged` })),
  };

  // A healthy service: the baseline only.
  const quiet: BurnScenario = {
    name: `${share(baseline)} all along (a burn rate of ${round(baseline / budget)})`,
    stepMinutes: 5,
    series: build(5, 1440, () => baseline, true),
    expect: [60, 360, 720, 1440].map((at) => ({ at, page: false, ticket: false, why: 'the budget is spent slower than it is earned: nothing should fire' })),
  };

  // Resolution: the fast burn stops after 30 minutes; the slow one once its ticket is open.
  const fastEnd = start + 30;
  const resolvePage: BurnScenario = {
    name: `from minute ${start} to ${fastEnd}, ${share(hardShare)}, then back to ${share(baseline)}`,
    stepMinutes: 1,
    series: build(1, fastEnd + 45, (m) => (m > start && m <= fastEnd ? hardShare : baseline)),
    expect: [
      { at: fastEnd - 5, page: true, why: 'the burn is going on: it should page (this scenario checks that the page resolves afterwards)' },
      { at: fastEnd + 45, page: false, why: 'the errors stopped 45 minutes ago: the short windows (5m, 30m) are clean again, so the page should have resolved' },
    ],
  };
  const slowStop = ticketAt + 60;
  const resolveTicket: BurnScenario = {
    name: `from ${clock(slowStart)} to ${clock(slowStop)}, ${share(slowRate * budget)}, then back to ${share(baseline)}`,
    stepMinutes: 5,
    series: build(5, slowStop + 420, (m) => (m > slowStart && m <= slowStop ? slowRate * budget : baseline)),
    expect: [
      { at: slowStop - 5, ticket: true, why: 'the slow burn is going on: a ticket should be open (this scenario checks that it resolves afterwards)' },
      { at: slowStop + 420, ticket: false, why: 'the errors stopped 7 hours ago: the short windows (2h, 6h) are clean again, so the ticket should have resolved' },
    ],
  };
  return { fast, medium, slow, between, blip, quiet, resolvePage, resolveTicket };
}

/** Runs scenarios with the rules and fails on the first broken expectation. */
export async function judgeScenarios(promtool: string, rules: Record<string, string>, scenarios: BurnScenario[], what: string, ruleSummary: string): Promise<void> {
  let states: Array<Map<number, AlertStates>>;
  try {
    states = await Promise.all(scenarios.map((s) => firingAt(promtool, rules, s)));
  } catch (error) {
    if (error instanceof ScenarioProblem) throw new Mismatch(`promtool could not run ${what}`, 'rules promtool can load and evaluate', error.message);
    throw error;
  }
  scenarios.forEach((scenario, i) => {
    const broken = firstBroken(scenario, states[i]!);
    if (!broken) return;
    const { e, severity, seen } = broken;
    throw new Mismatch(`${what}: ${scenario.name}. At ${clock(e.at)}: ${e.why}`, `${severity} ${e[severity] ? 'firing' : 'not firing'}`, `${seen}\n${ruleSummary}`);
  });
}

export function summarizeRules(rules: AlertRule[]): string {
  return rules.map((r) => `${r.alert} (${String(r.labels.severity ?? 'no severity')}): ${r.expr.replace(/\s+/g, ' ').trim().slice(0, 300)}${r.for !== undefined ? `, for: ${String(r.for)}` : ''}`).join('\n');
}

/** The F.2 traffic: the production service's requests on two instances. */
function serviceShape(random: Random): SloShape {
  return {
    objective: 99.9,
    periodDays: 30,
    source: requestsSource(JOB),
    instances: [`10.4.${random.int(0, 127)}.${random.int(2, 254)}:3000`, `10.4.${random.int(128, 255)}.${random.int(2, 254)}:3000`],
    bad: 'server errors',
  };
}

async function scenarioCheck(targetDir: string, promtool: string | undefined, pick: (s: Scenarios) => BurnScenario[], scenarios: Scenarios, summary: string): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  const rules = alertRules(data);
  expectThat(rules.length > 0, `${RULES_FILE} has no alerting rule yet`, 'alerts labelled severity: page and severity: ticket', 'no alerting rule at all');
  if (!promtool) return skipped(`the alerts are run over simulated time with promtool test rules: ${INSTALL_HINT}`);
  const chosen = pick(scenarios);
  await judgeScenarios(promtool, { 'slo-alerts.yml': text }, chosen, 'with your alerts', summarizeRules(rules));
  return pass(`${summary} (${chosen.length} scenario${chosen.length > 1 ? 's' : ''})`);
}

// ---------------------------------------------------------------------------------------------
// The recorded error ratios

const ERROR_WINDOWS = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'];
const errorOracle = (w: string) => `sum by (job) (rate(http_requests_total{job="${JOB}", status_code=~"5.."}[${w}])) / sum by (job) (rate(http_requests_total{job="${JOB}"}[${w}]))`;

/** The recording rules named for one of the SLO's windows (…_rate5m, …:ratio_rate1h): their value is judged. */
function windowRules(data: unknown): Array<{ record: string; window: string }> {
  if (!isMap(data) || !Array.isArray(data.groups)) return [];
  return data.groups
    .filter(isMap)
    .flatMap((g) => (Array.isArray(g.rules) ? g.rules.filter(isMap) : []))
    .filter((r) => typeof r.record === 'string')
    .map((r) => ({ record: String(r.record), window: /(\d+[smhdw])$/.exec(String(r.record))?.[1] ?? '' }))
    .filter((r) => ERROR_WINDOWS.includes(r.window));
}

/** Every error ratio the file records for a window is compared with the grader's own on hidden
 * series (F.1's: two instances and another job, the mix changing every few samples, a restart):
 * the multiwindow tiers hide a wrong ratio in one window behind the others, the values do not. */
async function errorRatios(targetDir: string, promtool: string | undefined, random: Random): Promise<Verdict> {
  const { text, data } = readYaml(targetDir, RULES_FILE);
  const recorded = windowRules(data);
  const alerts = alertRules(data);
  expectThat(recorded.length > 0 || alerts.length > 0, `${RULES_FILE} records and alerts nothing yet`, `recording rules for the error ratio over ${ERROR_WINDOWS.join(', ')}, and the alerts`, 'no rule at all');
  if (recorded.length === 0) return pass('no error ratio is recorded (the alerts compute theirs inline): the scenarios judge them');
  if (!promtool) return skipped(`the recorded error ratios are checked with promtool test rules: ${INSTALL_HINT}`);
  const runs = sliRuns(random, ['5m', '30m', '1h', '2h'], ['6h', '1d', '3d']);
  const judged = runs.map((run) => ({ run, rules: recorded.filter((r) => run.windows.includes(r.window)) })).filter((j) => j.rules.length > 0);
  const outcomes = await Promise.all(
    judged.map(({ run, rules }) =>
      evaluate(promtool, { rules: { 'slo-alerts.yml': text }, series: run.series, stepMinutes: run.stepMinutes, queries: run.times.flatMap((at) => rules.flatMap((r) => [{ expr: r.record, at }, { expr: errorOracle(r.window), at }])) }),
    ),
  );
  judged.forEach(({ run, rules }, i) => {
    const outcome = outcomes[i]!;
    expectThat(!outcome.timedOut, 'promtool test rules did not finish in time', 'an answer within 20 s', 'no answer');
    if (outcome.problem) throw new Mismatch(`promtool could not evaluate ${RULES_FILE}`, 'rules promtool can load and evaluate', outcome.problem);
    for (const at of run.times) {
      for (const r of rules) {
        const want = (outcome.results.get(key(errorOracle(r.window), at)) ?? []).find((s) => s.labels.job === JOB);
        if (!want) throw new Error(`grader fault: no reference error ratio over ${r.window} at ${clock(at)}`);
        const got = outcome.results.get(key(r.record, at)) ?? [];
        const mine = got.filter((s) => s.labels.job === JOB);
        const one = mine.length === 1 ? mine[0] : got.length === 1 && got[0]!.labels.job === undefined ? got[0] : undefined;
        const shown = got.map((s) => `${JSON.stringify(Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== '__name__')))} ${s.value}`).join('\n') || 'no result at all';
        const why = `${r.record} at ${clock(at)} should be the share of ${JOB}'s requests answered with a 5xx over the last ${r.window} (the share of good ones for a rule named for them), one number for the job (hidden series: ${run.story})`;
        expectThat(one !== undefined, why, `{job="${JOB}"} ${Number(want.value.toPrecision(6))}`, shown);
        // A rule named for the errors must hold the error ratio; one named for the good requests, its complement.
        const good = /availab|success|good/i.test(r.record) && !/error|bad|fail/i.test(r.record);
        const expected = good ? 1 - want.value : want.value;
        expectThat(agree(one.value, expected), why, String(expected), shown);
      }
    }
  });
  return pass(`${recorded.length} recorded error ratio(s) right over ${[...new Set(recorded.map((r) => r.window))].join(', ')} on hidden series (a restart and another job included)`);
}

export default {
  exercise: 'F.2',
  tools: checkSet(['F.2.rules-valid', 'F.2.error-ratios', 'F.2.fast-burn-pages', 'F.2.slow-burn-tickets', 'F.2.blip-quiet', 'F.2.resolves'] as const, async ({ targetDir, promtool, random }: ToolContext) => {
    const scenarios = burnScenarios(serviceShape(random.fork('shape')), random.fork('scenarios'));
    return {
      'F.2.rules-valid': () => rulesValid(targetDir, promtool),
      'F.2.error-ratios': () => errorRatios(targetDir, promtool, random.fork('ratios')),
      'F.2.fast-burn-pages': () => scenarioCheck(targetDir, promtool, (s) => [s.fast, s.medium], scenarios, 'a fast burn pages within minutes, a 10× burn within hours'),
      'F.2.slow-burn-tickets': () => scenarioCheck(targetDir, promtool, (s) => [s.slow, s.between, s.quiet], scenarios, 'a slow burn opens a ticket and never pages, a 2× burn is ticketed too; a healthy service stays quiet'),
      'F.2.blip-quiet': () => scenarioCheck(targetDir, promtool, (s) => [s.blip], scenarios, 'a two-minute blip pages nobody'),
      'F.2.resolves': () => scenarioCheck(targetDir, promtool, (s) => [s.resolvePage, s.resolveTicket], scenarios, 'the page and the ticket resolve soon after the burn stops'),
    };
  }),
} satisfies ExerciseChecks;
