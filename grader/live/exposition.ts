// Strict parser for the Prometheus text exposition format 0.0.4, i.e. what
// prom-client's `registry.metrics()` emits. Anything malformed or inconsistent
// is rejected with an ExpositionError naming the 1-based line and its text.

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
  line: number;
}

export type MetricType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped';

export interface MetricFamily {
  name: string;
  type: MetricType;
  help: string | undefined;
  samples: Sample[];
}

export class ExpositionError extends Error {
  override name = 'ExpositionError';
  constructor(reason: string, readonly line: number, readonly text: string) {
    super(`line ${line}: ${reason}: ${text}`);
  }
}

const TYPES: readonly string[] = ['counter', 'gauge', 'histogram', 'summary', 'untyped'];
const isMetricType = (t: string): t is MetricType => TYPES.includes(t);
const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;
// Go strconv.ParseFloat syntax as Prometheus accepts it (no hex floats, no '_').
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const SPECIAL = /^(?:[+-]?inf(?:inity)?|nan)$/i;

/** Parses a float the way Go's strconv.ParseFloat does; undefined if invalid or out of range. */
function parseGoFloat(s: string): number | undefined {
  if (SPECIAL.test(s)) return /nan/i.test(s) ? NaN : s.startsWith('-') ? -Infinity : Infinity;
  if (!DECIMAL.test(s)) return undefined;
  const v = Number(s);
  return Number.isFinite(v) ? v : undefined;
}

/** Canonical key for a label set (order-insensitive), optionally ignoring one label. */
function labelKey(labels: Record<string, string>, omit?: string): string {
  const entries = Object.entries(labels).filter(([k]) => k !== omit);
  return JSON.stringify(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

/** Sample names a family of this type owns. */
function ownedNames(name: string, type: MetricType): string[] {
  if (type === 'histogram') return [name, `${name}_bucket`, `${name}_sum`, `${name}_count`];
  if (type === 'summary') return [name, `${name}_sum`, `${name}_count`];
  return [name];
}

type Fail = (reason: string) => ExpositionError;

function parseSampleLine(text: string, fail: Fail): { name: string; labels: Record<string, string>; value: number } {
  let i = /^[ \t]*/.exec(text)?.[0].length ?? 0;
  const skipBlanks = (): void => { while (text[i] === ' ' || text[i] === '\t') i++; };
  const token = (re: RegExp): string => { re.lastIndex = i; const t = re.exec(text)?.[0] ?? ''; i += t.length; return t; };

  const name = token(/[^ \t{]*/y);
  if (!METRIC_NAME.test(name)) throw fail(`malformed metric name "${name}"`);
  skipBlanks();
  const labels: Record<string, string> = {};
  if (text[i] === '{') {
    i++;
    for (;;) {
      skipBlanks();
      if (i >= text.length) throw fail('unterminated label set');
      if (text[i] === '}') { i++; break; }
      const label = token(/[^ \t=,{}"]*/y);
      if (!LABEL_NAME.test(label)) throw fail(`malformed label name "${label}"`);
      skipBlanks();
      if (i >= text.length) throw fail('unterminated label set');
      if (text[i] !== '=') throw fail(`expected '=' after label name "${label}"`);
      i++;
      skipBlanks();
      if (text[i] !== '"') throw fail(i >= text.length ? 'unterminated label set' : `label "${label}" value is not quoted`);
      i++;
      let value = '';
      for (;;) {
        const c = text[i++];
        if (c === undefined) throw fail('unterminated label set');
        if (c === '"') break;
        if (c !== '\\') { value += c; continue; }
        const e = text[i++];
        if (e === '\\' || e === '"') value += e;
        else if (e === 'n') value += '\n';
        else throw fail(`invalid escape sequence "\\${e ?? ''}" in value of label "${label}"`);
      }
      if (Object.hasOwn(labels, label)) throw fail(`duplicate label name "${label}"`);
      // defineProperty so that a label called "__proto__" stays an ordinary own property
      Object.defineProperty(labels, label, { value, enumerable: true, writable: true, configurable: true });
      skipBlanks();
      if (text[i] === ',') { i++; continue; }
      if (text[i] === '}') { i++; break; }
      throw fail(`unterminated label set (expected ',' or '}' after label "${label}")`);
    }
  }
  const rest = text.slice(i).replace(/^[ \t]+|[ \t]+$/g, '');
  const [valueText = '', timestamp, ...extra] = rest === '' ? [] : rest.split(/[ \t]+/);
  if (valueText === '') throw fail('missing sample value');
  const value = parseGoFloat(valueText);
  if (value === undefined) throw fail(`unparsable sample value "${valueText}"`);
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) throw fail(`invalid timestamp "${timestamp}"`);
  if (extra.length > 0) throw fail('unexpected text after timestamp');
  return { name, labels, value };
}

function unescapeHelp(s: string, fail: Fail): string {
  return s.replace(/\\(.?)/g, (_, c: string) => {
    if (c === '\\') return '\\';
    if (c === 'n') return '\n';
    throw fail(`invalid escape sequence "\\${c}" in HELP text`);
  });
}

/** The family a sample name belongs to: exact name, or a histogram/summary via its suffix. */
function resolveFamily(families: Map<string, MetricFamily>, name: string): MetricFamily | undefined {
  const exact = families.get(name);
  if (exact) return exact;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.endsWith(suffix) ? families.get(name.slice(0, -suffix.length)) : undefined;
    if (base?.type === 'histogram' || (base?.type === 'summary' && suffix !== '_bucket')) return base;
  }
  return undefined;
}

function checkRole(family: MetricFamily, name: string, labels: Record<string, string>, fail: Fail): void {
  const suffix = name.slice(family.name.length);
  const has = (l: string): boolean => Object.hasOwn(labels, l);
  if (family.type === 'histogram') {
    if (suffix === '') throw fail(`histogram "${family.name}" only allows _bucket, _sum and _count samples`);
    if (suffix === '_bucket' && !has('le')) throw fail('histogram bucket without "le" label');
    if (suffix !== '_bucket' && has('le')) throw fail(`histogram ${suffix} sample must not have an "le" label`);
  } else if (family.type === 'summary') {
    if (suffix === '' && !has('quantile')) throw fail('summary sample without "quantile" label');
    if (suffix !== '' && has('quantile')) throw fail(`summary ${suffix} sample must not have a "quantile" label`);
  }
}

function checkHistogram(family: MetricFamily, failAt: (s: Sample, reason: string) => ExpositionError): void {
  const groups = new Map<string, { first: Sample; buckets: { le: number; sample: Sample }[]; count?: Sample }>();
  for (const s of family.samples) {
    const suffix = s.name.slice(family.name.length);
    if (suffix === '_sum') continue;
    const key = labelKey(s.labels, 'le');
    const group = groups.get(key) ?? { first: s, buckets: [] };
    groups.set(key, group);
    if (suffix === '_count') { group.count = s; continue; }
    const le = parseGoFloat(s.labels.le ?? '');
    if (le === undefined || Number.isNaN(le)) throw failAt(s, `invalid "le" value "${s.labels.le ?? ''}"`);
    group.buckets.push({ le, sample: s });
  }
  for (const { first, buckets, count } of groups.values()) {
    buckets.sort((a, b) => a.le - b.le);
    buckets.forEach((b, i) => {
      const prev = buckets[i - 1];
      if (prev && prev.le === b.le) throw failAt(b.sample, `duplicate bucket le="${b.sample.labels.le ?? ''}"`);
      if (prev && b.sample.value < prev.sample.value) throw failAt(b.sample, 'histogram buckets are not cumulative');
    });
    const inf = buckets[buckets.length - 1];
    if (!inf || inf.le !== Infinity) throw failAt(first, 'histogram has no le="+Inf" bucket');
    if (!count) throw failAt(inf.sample, `histogram has no ${family.name}_count for this label set`);
    if (count.value !== inf.sample.value) throw failAt(count, `_count ${count.value} differs from +Inf bucket ${inf.sample.value}`);
  }
}

export function parseExposition(text: string): Map<string, MetricFamily> {
  const lines = text.split('\n');
  const families = new Map<string, MetricFamily>();
  const typed = new Set<string>();
  const sampleNames = new Set<string>();
  const series = new Set<string>();
  const family = (name: string): MetricFamily => {
    const f = families.get(name) ?? { name, type: 'untyped', help: undefined, samples: [] };
    families.set(name, f);
    return f;
  };

  lines.forEach((line, index) => {
    const lineNo = index + 1;
    const fail: Fail = (reason) => new ExpositionError(reason, lineNo, line);
    const trimmed = line.replace(/^[ \t]+/, '');
    if (trimmed === '') return;
    if (trimmed.startsWith('#')) {
      const m = /^#[ \t]*(HELP|TYPE)(?:[ \t]+(.*))?$/.exec(trimmed);
      if (!m) return; // plain comment
      const [, keyword, rest = ''] = m;
      const [, name = '', arg = ''] = /^(\S*)[ \t]*(.*)$/.exec(rest) ?? [];
      if (!METRIC_NAME.test(name)) throw fail(`malformed metric name "${name}" in ${keyword} line`);
      if (keyword === 'HELP') {
        if (families.get(name)?.help !== undefined) throw fail(`second HELP line for "${name}"`);
        family(name).help = unescapeHelp(arg, fail);
        return;
      }
      const type = arg.replace(/[ \t]+$/, '');
      if (!isMetricType(type)) throw fail(`unknown metric type "${type}"`);
      if (typed.has(name)) throw fail(`second TYPE line for "${name}"`);
      if (ownedNames(name, type).some((n) => sampleNames.has(n))) throw fail(`TYPE line for "${name}" after its samples`);
      family(name).type = type;
      typed.add(name);
      return;
    }
    const { name, labels, value } = parseSampleLine(line, fail);
    const target = resolveFamily(families, name) ?? family(name);
    checkRole(target, name, labels, fail);
    const key = name + labelKey(labels);
    if (series.has(key)) throw fail(`duplicate series "${name}"`);
    series.add(key);
    sampleNames.add(name);
    target.samples.push({ name, labels, value, line: lineNo });
  });

  const failAt = (s: Sample, reason: string): ExpositionError => new ExpositionError(reason, s.line, lines[s.line - 1] ?? '');
  for (const f of families.values()) if (f.type === 'histogram') checkHistogram(f, failAt);
  return families;
}

function matches(sample: Sample, labels: Record<string, string>): boolean {
  return Object.entries(labels).every(([k, v]) => Object.hasOwn(sample.labels, k) && sample.labels[k] === v);
}

/** Samples with exactly this sample name whose labels include all the given pairs. */
export function findSamples(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): Sample[] {
  const out: Sample[] = [];
  for (const f of families.values()) for (const s of f.samples) if (s.name === name && matches(s, labels)) out.push(s);
  return out;
}

/** Value of the single matching sample; undefined if none; throws if ambiguous. */
export function sampleValue(families: Map<string, MetricFamily>, name: string, labels: Record<string, string>): number | undefined {
  const found = findSamples(families, name, labels);
  if (found.length > 1) throw new Error(`sampleValue: ${found.length} samples of "${name}" match ${JSON.stringify(labels)}`);
  return found[0]?.value;
}

/** Sum of all matching sample values (0 if none match). */
export function sumSamples(families: Map<string, MetricFamily>, name: string, labels: Record<string, string> = {}): number {
  return findSamples(families, name, labels).reduce((sum, s) => sum + s.value, 0);
}
