// The report for people: per section, per criterion ✓ / ✗ / skipped, and on failure what was
// expected, what was seen, and a hint.
import { typeErrorsOf, type CriterionResult, type Report } from './results.js';

export interface Style {
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const colours: Style = { green: wrap(32, 39), red: wrap(31, 39), yellow: wrap(33, 39), dim: wrap(2, 22), bold: wrap(1, 22) };
export const plain: Style = { green: (s) => s, red: (s) => s, yellow: (s) => s, dim: (s) => s, bold: (s) => s };

export function styleFor(stream: NodeJS.WriteStream): Style {
  return stream.isTTY && !process.env.NO_COLOR ? colours : plain;
}

const indent = (text: string, pad: string) => text.split('\n').map((l) => pad + l).join('\n');

function mark(c: CriterionResult, s: Style): string {
  if (c.status === 'pass') return s.green('✓');
  if (c.status === 'skipped') return s.yellow('-');
  return s.red('✗');
}

function details(c: CriterionResult, s: Style): string[] {
  const pad = '        ';
  if (c.status === 'pass') {
    // Checks by the real Prometheus tools say what they ran, so a pass shows how it was judged.
    const said = [c.kind === 'prometheus' ? c.message : '', c.note ?? ''].filter(Boolean).join('\n');
    return said ? [s.dim(indent(said, pad))] : [];
  }
  const lines: string[] = [];
  const label = c.status === 'error' ? s.red('could not grade: ') : c.status === 'skipped' ? s.yellow('skipped: ') : '';
  lines.push(indent(`${label}${c.message}`, pad));
  if (c.expected !== undefined) lines.push(indent(`expected: ${c.expected.split('\n').join(`\n          `)}`, pad));
  if (c.seen !== undefined) lines.push(indent(`seen:     ${c.seen.split('\n').join(`\n          `)}`, pad));
  if (c.hint) lines.push(s.dim(indent(`hint:     ${c.hint}`, pad)));
  return lines;
}

export function formatReport(report: Report, s: Style, titles: Map<string, string> = new Map(), files: Map<string, readonly string[]> = new Map()): string {
  const seed = report.seed === undefined ? '' : s.dim(`  (seed ${report.seed}: --seed ${report.seed} replays this run's traffic and data)`);
  const out: string[] = [s.bold(`Grading ${report.target}`) + seed, ''];
  for (const section of report.sections) {
    const got = section.criteria.reduce((a, c) => a + c.points, 0);
    const max = section.criteria.reduce((a, c) => a + c.max_points, 0);
    out.push(s.bold(`${section.id}  ${section.title}`) + s.dim(`  ${got}/${max} points`));
    const byExercise = new Map<string, CriterionResult[]>();
    for (const c of section.criteria) byExercise.set(c.exercise, [...(byExercise.get(c.exercise) ?? []), c]);
    for (const [exercise, list] of byExercise) {
      out.push(`  ${s.bold(`${exercise} ${titles.get(exercise) ?? ''}`.trim())}`);
      const typeErrors = typeErrorsOf(report, exercise, files.get(exercise) ?? []);
      if (typeErrors.length) out.push(`    ${s.red('✗')} not done yet: ${typeErrors.join(', ')} ${typeErrors.length > 1 ? 'do' : 'does'} not type-check (the errors are listed below)`);
      // One reason shared by several criteria (say, a service that did not start) is told once.
      const key = (c: CriterionResult) => (c.status === 'pass' ? '' : `${c.status}|${c.message}|${c.expected}|${c.seen}`);
      const counts = new Map<string, number>();
      for (const c of list) counts.set(key(c), (counts.get(key(c)) ?? 0) + 1);
      const shared: CriterionResult[] = [];
      for (const c of list) {
        out.push(`    ${mark(c, s)} ${c.title} ${s.dim(`(${c.id})`)}`);
        if (c.status !== 'pass' && (counts.get(key(c)) ?? 0) > 1) {
          if (!shared.some((x) => key(x) === key(c))) shared.push(c);
        } else out.push(...details(c, s));
      }
      for (const c of shared) {
        out.push(s.dim(`        (the ${counts.get(key(c))} criteria marked above with this reason:)`));
        out.push(...details(c, s));
      }
    }
    const t = section.typecheck;
    if (t) {
      const m = t.status === 'pass' ? s.green('✓') : s.red('✗');
      out.push(`  ${m} type-check: ${t.message}`);
      for (const e of t.errors) out.push(`        ${e}`);
    }
    out.push('');
  }
  const { pass, fail, error, skipped, points, max_points } = report.summary;
  const parts = [s.green(`${pass} passed`), fail ? s.red(`${fail} failed`) : `${fail} failed`];
  if (error) parts.push(s.red(`${error} could not be graded`));
  if (skipped) parts.push(s.yellow(`${skipped} skipped`));
  out.push(`${parts.join(', ')}  ·  ${points}/${max_points} points  ·  ${(report.duration_ms / 1000).toFixed(1)} s`);
  if (!report.prometheus.promtool) out.push(s.dim('Prometheus is not installed: its checks ran without it where that is honest (see the README to install it).'));
  return out.join('\n');
}
