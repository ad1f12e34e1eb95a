// Given code in a hot loop that mutation leaves alone, with the reason: instrumented, it slows the service past every deadline.
import path from 'node:path';

interface HotCode {
  exercise: string;
  /** Relative to solutions/. */
  file: string;
  /** The first line of the block (its text, trimmed, starts so); the block ends at the next line that is
   * exactly `}` (a top-level declaration's end). */
  from: string;
  reason: string;
}

export const HOT_CODE: HotCode[] = [
  {
    exercise: 'D.1',
    file: 'D/latency-spike/report.ts',
    from: 'export class Tally',
    reason:
      'the lab\'s order generator and sums, given unchanged in the stub: 10 million orders a report, and with every expression instrumented a report takes longer than the load lasts, so no mutant could be judged; D.1.report-behaviour compares every field of each report with the grader\'s own sums',
  },
];

/** 1-based first and last line of a hot block in `source`, or undefined when the file has none. */
function blockLines(source: string, from: string): { first: number; last: number } | undefined {
  const lines = source.split('\n');
  const start = lines.findIndex((l) => l.trim().startsWith(from));
  if (start < 0) return undefined;
  const end = lines.findIndex((l, i) => i > start && l === '}');
  return { first: start + 1, last: (end < 0 ? lines.length - 1 : end) + 1 };
}

/** What Stryker should mutate of one exercise's TypeScript files (relative to solutions/; a file with a
 * hot block becomes the ranges around it), and a line per block left out for the report. */
export function mutateRanges(exercise: string, files: string[], sourceOf: (file: string) => string): { patterns: string[]; left: string[] } {
  const patterns: string[] = [];
  const left: string[] = [];
  for (const file of files) {
    const hot = HOT_CODE.filter((h) => h.exercise === exercise && h.file === file.split(path.sep).join('/'));
    const source = sourceOf(file);
    const total = source.split('\n').length;
    const blocks = hot.flatMap((h) => {
      const lines = blockLines(source, h.from);
      return lines ? [{ ...lines, h }] : [];
    });
    if (blocks.length === 0) {
      patterns.push(file);
      continue;
    }
    blocks.sort((a, b) => a.first - b.first);
    let next = 1;
    for (const b of blocks) {
      if (b.first > next) patterns.push(`${file}:${next}-${b.first - 1}`);
      next = b.last + 1;
      left.push(`${file} lines ${b.first}–${b.last} (${b.h.from}): ${b.h.reason}`);
    }
    if (next <= total) patterns.push(`${file}:${next}-${total}`);
  }
  return { patterns, left };
}
