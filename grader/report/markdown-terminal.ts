// Markdown (the lessons) rendered to readable terminal text with markdown-it's tokens: headings,
// paragraphs wrapped to the width, nested lists, tables with aligned columns, code with a margin.
import MarkdownIt from 'markdown-it';
import type Token from 'markdown-it/lib/token.mjs';

export interface TerminalStyle {
  bold(s: string): string;
  dim(s: string): string;
  code(s: string): string;
  heading(s: string): string;
}

const sgr = (open: number, close: number) => (s: string) => `\x1b[${open}m${s}\x1b[${close}m`;
export const ansiStyle: TerminalStyle = { bold: sgr(1, 22), dim: sgr(2, 22), code: sgr(36, 39), heading: (s) => sgr(1, 22)(sgr(4, 24)(s)) };
export const plainStyle: TerminalStyle = { bold: (s) => s, dim: (s) => s, code: (s) => s, heading: (s) => s };

// eslint-disable-next-line no-control-regex
const visibleLength = (s: string) => s.replace(/\x1b\[[0-9;]*m/g, '').length;

function wrap(text: string, width: number, indent: string, firstIndent = indent): string[] {
  const lines: string[] = [];
  let line = firstIndent;
  let empty = true;
  for (const word of text.split(/ +/)) {
    if (!word) continue;
    if (!empty && visibleLength(line) + 1 + visibleLength(word) > width) {
      lines.push(line);
      line = indent + word;
    } else line += (empty ? '' : ' ') + word;
    empty = false;
  }
  if (!empty || lines.length === 0) lines.push(line);
  return lines;
}

function inline(tokens: Token[] | null, style: TerminalStyle): string {
  let out = '';
  const open: string[] = [];
  let href = '';
  for (const t of tokens ?? []) {
    switch (t.type) {
      case 'text':
        out += open.includes('strong') ? style.bold(t.content) : t.content;
        break;
      case 'code_inline':
        out += style.code(t.content);
        break;
      case 'softbreak':
        out += ' ';
        break;
      case 'hardbreak':
        out += '\n';
        break;
      case 'strong_open':
      case 'em_open':
        open.push(t.type.replace('_open', ''));
        break;
      case 'strong_close':
      case 'em_close':
        open.pop();
        break;
      case 'link_open':
        href = t.attrGet('href') ?? '';
        break;
      case 'link_close':
        if (href && !href.startsWith('#')) out += style.dim(` (${href})`);
        href = '';
        break;
      case 'html_inline':
        break;
      default:
        out += t.content;
    }
  }
  return out;
}

function table(tokens: Token[], start: number, style: TerminalStyle, width: number): { text: string[]; end: number } {
  const rows: string[][] = [];
  let i = start;
  let row: string[] = [];
  for (; i < tokens.length && tokens[i]!.type !== 'table_close'; i++) {
    const t = tokens[i]!;
    if (t.type === 'tr_open') row = [];
    else if (t.type === 'inline') row.push(inline(t.children, style));
    else if (t.type === 'tr_close') rows.push(row);
  }
  const columns = Math.max(...rows.map((r) => r.length));
  const widths = Array.from({ length: columns }, (_, c) => Math.max(...rows.map((r) => visibleLength(r[c] ?? ''))));
  // Wide tables fall back to one "header: value" block per row.
  const total = widths.reduce((a, b) => a + b, 0) + 3 * (columns - 1) + 2;
  const text: string[] = [];
  if (total > width) {
    const [head = [], ...body] = rows;
    for (const r of body) {
      r.forEach((cell, c) => text.push(...wrap(`${style.bold(`${head[c] ?? ''}:`)} ${cell}`, width, '    ', c === 0 ? '  • ' : '    ')));
    }
    return { text, end: i };
  }
  const fmt = (r: string[], bold: boolean) =>
    `  ${r.map((cell, c) => (bold ? style.bold(cell) : cell) + ' '.repeat((widths[c] ?? 0) - visibleLength(cell))).join(style.dim(' │ '))}`.trimEnd();
  rows.forEach((r, n) => {
    text.push(fmt(r, n === 0));
    if (n === 0) text.push(style.dim(`  ${widths.map((w) => '─'.repeat(w)).join('─┼─')}`));
  });
  return { text, end: i };
}

export function renderMarkdown(source: string, options: { width?: number; style?: TerminalStyle } = {}): string {
  const width = Math.max(40, Math.min(options.width ?? 100, 120));
  const style = options.style ?? plainStyle;
  const tokens = new MarkdownIt({ html: false }).parse(source, {});
  const out: string[] = [];
  const lists: Array<{ ordered: boolean; n: number }> = [];
  let quote = 0;
  let itemFirst = false;
  const margin = () => `${'  '.repeat(lists.length)}${quote ? style.dim('│ ') : ''}`;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t.type) {
      case 'heading_open': {
        const text = inline(tokens[i + 1]?.children ?? null, style);
        out.push('', t.tag === 'h1' ? style.heading(text.toUpperCase()) : t.tag === 'h2' ? style.heading(text) : style.bold(text), '');
        i += 2;
        break;
      }
      case 'paragraph_open': {
        const text = inline(tokens[i + 1]?.children ?? null, style);
        const pad = margin();
        const list = lists[lists.length - 1];
        const bullet = itemFirst && list ? (list.ordered ? `${list.n}. ` : '• ') : '';
        const first = bullet ? `${'  '.repeat(lists.length - 1)}${bullet}` : pad;
        const rest = bullet ? `${'  '.repeat(lists.length - 1)}${' '.repeat(bullet.length)}` : pad;
        for (const [k, part] of text.split('\n').entries()) out.push(...wrap(part, width, rest, k === 0 ? first : rest));
        itemFirst = false;
        if (!lists.length) out.push('');
        i += 2;
        break;
      }
      case 'bullet_list_open':
      case 'ordered_list_open':
        lists.push({ ordered: t.type === 'ordered_list_open', n: Number(t.attrGet('start') ?? 1) - 1 });
        break;
      case 'bullet_list_close':
      case 'ordered_list_close':
        lists.pop();
        if (!lists.length) out.push('');
        break;
      case 'list_item_open': {
        const list = lists[lists.length - 1];
        if (list) list.n += 1;
        itemFirst = true;
        break;
      }
      case 'blockquote_open':
        quote++;
        break;
      case 'blockquote_close':
        quote--;
        break;
      case 'fence':
      case 'code_block': {
        const lines = t.content.replace(/\n$/, '').split('\n');
        out.push(...lines.map((l) => `${margin()}    ${style.code(l)}`), '');
        break;
      }
      case 'table_open': {
        const rendered = table(tokens, i, style, width);
        out.push(...rendered.text, '');
        i = rendered.end;
        break;
      }
      case 'hr':
        out.push(style.dim('─'.repeat(Math.min(width, 60))), '');
        break;
      default:
        break;
    }
  }
  return `${out.join('\n').replace(/\n{3,}/g, '\n\n').trim()}\n`;
}
