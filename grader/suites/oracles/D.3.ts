// The grader's own model of size-based log rotation (D.3): from the files on disk before a write and
// the line written, what a correct writer leaves on disk after it. Pure, and written independently
// of any learner's writer.

export const BASE = 'app.log';

/** One file of the log as the model sees it: the lines it holds (by number) and its size in bytes. */
export interface ModelFile {
  name: string;
  seqs: number[];
  bytes: number;
}

/** The folder: app.log first, then app.log.1 (newest rotated) … app.log.<keep> (oldest). */
export type Layout = ModelFile[];

export const rotatedName = (k: number) => `${BASE}.${k}`;

/** How many bytes app.log holds (0 when it does not exist). */
export function currentBytes(layout: Layout): number {
  return layout.find((f) => f.name === BASE)?.bytes ?? 0;
}

/** Does a line of `bytes` (newline included) still fit in the current file? A line always goes into
 * an empty file, even one longer than maxBytes. */
export function fits(layout: Layout, bytes: number, maxBytes: number): boolean {
  const size = currentBytes(layout);
  return size === 0 || size + bytes <= maxBytes;
}

/** The folder after writing line `seq` of `bytes` bytes (newline included). */
export function nextLayout(before: Layout, seq: number, bytes: number, maxBytes: number, keep: number): Layout {
  const current = before.find((f) => f.name === BASE) ?? { name: BASE, seqs: [], bytes: 0 };
  if (fits(before, bytes, maxBytes)) {
    return [{ name: BASE, seqs: [...current.seqs, seq], bytes: current.bytes + bytes }, ...before.filter((f) => f.name !== BASE)];
  }
  // Rotate: app.log.<i> becomes app.log.<i+1>, app.log becomes app.log.1, the oldest beyond keep goes.
  const rotated: Layout = [];
  if (keep > 0) rotated.push({ ...current, name: rotatedName(1) });
  for (let k = 1; k < keep; k++) {
    const older = before.find((f) => f.name === rotatedName(k));
    if (older) rotated.push({ ...older, name: rotatedName(k + 1) });
  }
  return [{ name: BASE, seqs: [seq], bytes }, ...rotated];
}

/** How many rotated files a layout holds. */
export function rotatedCount(layout: Layout): number {
  return layout.filter((f) => f.name !== BASE).length;
}

/** The lines of the whole log, oldest file first. */
export function seqsInOrder(layout: Layout): number[] {
  const rotated = layout.filter((f) => f.name !== BASE).sort((a, b) => Number(b.name.slice(BASE.length + 1)) - Number(a.name.slice(BASE.length + 1)));
  return [...rotated, ...layout.filter((f) => f.name === BASE)].flatMap((f) => f.seqs);
}
