// Mutants of the YAML files Stryker cannot mutate (scrape configs, queries, rules, Alertmanager routing): one realistic change each.
export interface Position {
  /** 1-based. */
  line: number;
  /** 1-based; an end column is exclusive. */
  column: number;
}

export interface TextMutant {
  mutator: string;
  start: Position;
  end: Position;
  replacement: string;
}

/** Keys whose value is PromQL. In a file of named queries (no `groups`, `route` or `scrape_configs`) every top-level value is. */
const PROMQL_KEYS = new Set(['expr']);
/** Text for people: never mutated, never removed (a check that reads wording would be a bad check). */
const PROSE_KEYS = new Set(['summary', 'description', 'help']);
/** Keys whose quoted list items are Alertmanager label matchers. */
const MATCHER_KEYS = new Set(['matchers', 'source_matchers', 'target_matchers']);
const DURATION = /^(\d+)(ms|s|m|h|d|w|y)$/;
const UNIT_SECONDS: Record<string, number> = { ms: 0.001, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800, y: 31_536_000 };

/** A window or interval that is wrong by a factor of 6 (5m → 30m, 1h → 10m): the mix-up people make
 * between a short and a long window. */
export function otherDuration(text: string): string | undefined {
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const seconds = Number(m[1]) * UNIT_SECONDS[m[2]!]!;
  if (seconds === 0) return undefined;
  const to = seconds >= 3600 ? seconds / 6 : seconds * 6;
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = to / UNIT_SECONDS[unit]!;
    if (Number.isInteger(n)) return `${n}${unit}`;
  }
  return `${Math.round(to * 1000)}ms`;
}

/** A number ten times too big (a ratio written as a percentage, or a factor off by a place). */
function tenTimes(text: string): string {
  const n = Number(text) * 10;
  return String(Number(n.toPrecision(12)));
}

/** Where the code of a line ends: at a `#` that starts a comment, outside quotes. */
export function codeEnd(line: string): number {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      continue;
    }
    const before = i === 0 ? ' ' : line[i - 1]!;
    if ((ch === '"' || ch === "'") && /[\s:[,({=~!]/.test(before)) quote = ch;
    else if (ch === '#' && /\s/.test(before)) return i;
  }
  return line.length;
}

const indentOf = (line: string): number => line.length - line.trimStart().length;
const blank = (line: string): boolean => line.trim() === '' || line.trim().startsWith('#');

interface Segment {
  line: number;
  /** 0-based offset of the text in its line. */
  from: number;
  text: string;
}

/** Every match of `re` in a segment, as a mutant replacing the match's group 1 (or the whole match). */
function eachMatch(seg: Segment, re: RegExp, mutator: string, replace: (found: string) => string | undefined, out: TextMutant[], inside?: (offset: number) => boolean): void {
  for (const m of seg.text.matchAll(re)) {
    const found = m[1] ?? m[0];
    const offset = m.index + m[0].indexOf(found);
    if (inside && !inside(offset)) continue;
    const replacement = replace(found);
    if (replacement === undefined || replacement === found) continue;
    out.push({ mutator, start: { line: seg.line, column: seg.from + offset + 1 }, end: { line: seg.line, column: seg.from + offset + found.length + 1 }, replacement });
  }
}

/** Offsets of a PromQL line that are inside a label selector `{...}`. */
function braceMap(text: string): boolean[] {
  const map: boolean[] = [];
  let depth = 0;
  let quote = false;
  for (const ch of text) {
    if (ch === '"') quote = !quote;
    if (!quote && ch === '{') depth += 1;
    map.push(depth > 0);
    if (!quote && ch === '}') depth = Math.max(0, depth - 1);
  }
  return map;
}

const SWAP: Record<string, string> = { '>': '>=', '>=': '>', '<': '<=', '<=': '<', '==': '!=', '!=': '==' };
const MATCHER_SWAP: Record<string, string> = { '=': '!=', '!=': '=', '=~': '!~', '!~': '=~' };
const ARITHMETIC: Record<string, string> = { '/': '*', '*': '/', '+': '-', '-': '+' };
const LOGICAL: Record<string, string> = { and: 'or', or: 'and', unless: 'and' };

function promqlMutants(seg: Segment, out: TextMutant[]): void {
  const inBraces = braceMap(seg.text);
  const outside = (i: number) => !inBraces[i];
  const inside = (i: number) => inBraces[i] === true;
  eachMatch(seg, /(?<![=!<>~])(>=|<=|==|!=|>|<)(?![=~])/g, 'ComparisonOperator', (op) => SWAP[op], out, outside);
  eachMatch(seg, /(=~|!~|!=|(?<![!=<>])=(?![=~]))/g, 'LabelMatcher', (op) => MATCHER_SWAP[op], out, inside);
  eachMatch(seg, /(?<=^|[\s)])([/*+-])(?=$|[\s(])/g, 'ArithmeticOperator', (op) => ARITHMETIC[op], out, outside);
  eachMatch(seg, /(?<![\w.:"])(\d+(?:\.\d+)?)(?![\w.])/g, 'NumberLiteral', tenTimes, out, outside);
  eachMatch(seg, /\[(\d+(?:ms|s|m|h|d|w|y))\]/g, 'RangeWindow', otherDuration, out);
  eachMatch(seg, /\b(rate)\(/g, 'FunctionName', () => 'irate', out, outside);
  eachMatch(seg, /\b(irate)\(/g, 'FunctionName', () => 'rate', out, outside);
  eachMatch(seg, /\b(and|or|unless)\b/g, 'LogicalOperator', (op) => LOGICAL[op], out, outside);
  eachMatch(seg, /(\s*\b(?:by|without)\s*\([^)]*\))/g, 'Grouping', () => '', out, outside);
  // One matcher left out of a selector: the filter that keeps other jobs or other statuses out.
  for (const m of seg.text.matchAll(/\{([^{}]*)\}/g)) {
    const matchers = [...m[1]!.matchAll(/\s*[\w]+\s*(?:=~|!~|!=|=)\s*"[^"]*"\s*,?/g)];
    if (matchers.length === 0) continue;
    for (const one of matchers) {
      const whole = matchers.length === 1;
      const from = whole ? m.index : m.index + 1 + one.index;
      const to = whole ? m.index + m[0].length : from + one[0].length;
      out.push({ mutator: 'MatcherRemoval', start: { line: seg.line, column: seg.from + from + 1 }, end: { line: seg.line, column: seg.from + to + 1 }, replacement: '' });
    }
  }
}

/** The lines of an item or key with everything nested under it: [first, last] (1-based, inclusive). */
function blockOf(lines: string[], index: number, itemIndent: number): number {
  let last = index;
  for (let j = index + 1; j < lines.length; j++) {
    const line = lines[j]!;
    if (line.trim() === '') continue;
    if (indentOf(line) <= itemIndent) break;
    last = j;
  }
  return last;
}

function removal(mutator: string, lines: string[], first: number, last: number): TextMutant {
  // The lines, and the line break after the last one (or before the first one at the end of the file).
  return last + 1 < lines.length
    ? { mutator, start: { line: first + 1, column: 1 }, end: { line: last + 2, column: 1 }, replacement: '' }
    : { mutator, start: { line: first, column: (lines[first - 1] ?? '').length + 1 }, end: { line: last + 1, column: (lines[last] ?? '').length + 1 }, replacement: '' };
}

/** Every mutant of one YAML file, in the order of the text. */
export function yamlMutants(source: string): TextMutant[] {
  const lines = source.split('\n');
  const out: TextMutant[] = [];
  const kind = /^(groups|route|scrape_configs|global):/m.test(source) ? 'config' : 'queries';
  /** An open block scalar (`key: |`): its PromQL (or prose) lines are those indented deeper than its key. */
  let block: { indent: number; promql: boolean } | undefined;
  const keyStack: Array<{ indent: number; key: string }> = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (blank(line) && !block) continue;
    const end = codeEnd(line);
    const indent = indentOf(line);
    if (block) {
      if (line.trim() === '' || indent > block.indent) {
        if (block.promql && line.trim() !== '') promqlMutants({ line: i + 1, from: indent, text: line.slice(indent) }, out);
        continue;
      }
      block = undefined;
    }
    if (blank(line)) continue;
    const m = /^(\s*)(-\s+)?([\w.-]+):(?:\s+|$)(.*)$/.exec(line.slice(0, end));
    const itemIndent = indent;
    const keyIndent = m ? m[1]!.length + (m[2]?.length ?? 0) : indent + (line.trimStart().startsWith('- ') ? 2 : 0);
    while (keyStack.length && keyStack[keyStack.length - 1]!.indent >= keyIndent) keyStack.pop();
    const parent = keyStack[keyStack.length - 1]?.key;
    const isItem = line.trimStart().startsWith('- ');
    if (!m) {
      // A list item that is a plain value: `- 'severity="page"'` or `- targets-like text`.
      if (isItem && parent && MATCHER_KEYS.has(parent)) {
        eachMatch({ line: i + 1, from: 0, text: line.slice(0, end) }, /(=~|!~|!=|(?<![!=])=(?![=~]))/g, 'LabelMatcher', (op) => MATCHER_SWAP[op], out);
      }
      if (isItem) out.push(removal('ItemRemoval', lines, i, blockOf(lines, i, itemIndent)));
      continue;
    }
    const key = m[3]!;
    const value = m[4]!.trim();
    keyStack.push({ indent: keyIndent, key });
    if (PROSE_KEYS.has(key)) {
      if (/^[|>][-+]?\d*$/.test(value)) block = { indent: keyIndent, promql: false };
      continue;
    }
    const promql = PROMQL_KEYS.has(key) || (kind === 'queries' && keyIndent === 0);
    const valueFrom = line.slice(0, end).lastIndexOf(m[4]!);
    if (/^[|>][-+]?\d*$/.test(value)) {
      block = { indent: keyIndent, promql };
    } else if (value !== '') {
      const seg = { line: i + 1, from: valueFrom, text: line.slice(valueFrom, end).trimEnd() };
      if (promql) promqlMutants(seg, out);
      else if (DURATION.test(value)) eachMatch(seg, /^(\S+)/g, 'Duration', otherDuration, out);
      else if (value === 'true' || value === 'false') eachMatch(seg, /^(true|false)/g, 'BooleanLiteral', (b) => (b === 'true' ? 'false' : 'true'), out);
      else if (/^\[.*\]$/.test(value)) {
        // A flow list: each element left out in turn (group_by, equal, targets, matchers).
        const items = [...value.slice(1, -1).matchAll(/\s*([^,]+?)\s*(,|$)/g)].filter((x) => x[1]!.trim() !== '');
        for (const item of items) {
          const inner = seg.text.indexOf(value) + 1;
          const from = inner + item.index;
          const to = from + item[0].length;
          out.push({ mutator: 'ListElementRemoval', start: { line: i + 1, column: seg.from + from + 1 }, end: { line: i + 1, column: seg.from + to + 1 }, replacement: '' });
          if (MATCHER_KEYS.has(key)) eachMatch({ line: i + 1, from: seg.from + from + item[0].indexOf(item[1]!), text: item[1]! }, /(=~|!~|!=|(?<![!=])=(?![=~]))/g, 'LabelMatcher', (op) => MATCHER_SWAP[op], out);
        }
      } else if (!/^-?\d/.test(value)) {
        eachMatch(seg, /^(.+)$/g, 'StringLiteral', () => '""', out);
      }
    }
    // The key (or the list item it opens) with everything under it left out.
    if (isItem) out.push(removal('ItemRemoval', lines, i, blockOf(lines, i, itemIndent)));
    else if (!(kind === 'queries' && keyIndent === 0)) out.push(removal('KeyRemoval', lines, i, blockOf(lines, i, keyIndent)));
  }
  return dedupe(out);
}

function dedupe(list: TextMutant[]): TextMutant[] {
  const seen = new Set<string>();
  return list.filter((m) => {
    const key = `${m.start.line}:${m.start.column}-${m.end.line}:${m.end.column}=${m.replacement}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The source with one mutant applied. */
export function applyMutant(source: string, m: TextMutant): string {
  const lines = source.split('\n');
  const offset = (p: Position) => lines.slice(0, p.line - 1).reduce((sum, l) => sum + l.length + 1, 0) + p.column - 1;
  return source.slice(0, offset(m.start)) + m.replacement + source.slice(offset(m.end));
}
