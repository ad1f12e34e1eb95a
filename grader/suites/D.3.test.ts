// D.3 — size-based rotation of the service's file log. The learner's writer is driven directly with
// numbered JSON lines of varied length (some with multi-byte characters) into a scratch folder; the
// files left on disk are then read back and every line the suite wrote is accounted for.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRotatingFileWriter } from '@target/D/disk-full/rotating-writer.js';
import { makeWorkDir, removeDir } from '../run/paths.js';

const BASE = 'app.log';
const MAX_BYTES = 16 * 1024;
const KEEP = 3;
const COUNT = 20_000;

/** Line `seq`: a JSON object whose length varies from ~70 to ~460 bytes; every 7th holds multi-byte text. */
function makeLine(seq: number): string {
  const pad = 'x'.repeat((seq * 37) % 390);
  const message = seq % 7 === 0 ? 'requête terminée — ✓' : 'request finished';
  return JSON.stringify({ seq, level: 'INFO', logger: 'app', message, path: `/items/${seq % 97}`, pad });
}
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

interface OnDisk {
  name: string;
  text: string;
  bytes: number;
}

interface Outcome {
  written: string[];
  /** Every file the writer left in the folder. */
  files: OnDisk[];
  longest: number;
}

/** Writes `lines` through the learner's writer (in one or more writer lifetimes) and reads the folder back. */
async function run(batches: string[][], maxBytes = MAX_BYTES, keep = KEEP): Promise<Outcome> {
  const dir = makeWorkDir('d3');
  try {
    const file = path.join(dir, BASE);
    for (const batch of batches) {
      const writer = createRotatingFileWriter({ file, maxBytes, keep });
      for (const line of batch) writer.write(line);
      await writer.close();
    }
    const files = readdirSync(dir)
      .sort()
      .map((name) => {
        const buffer = readFileSync(path.join(dir, name));
        return { name, text: buffer.toString('utf8'), bytes: buffer.length };
      });
    const written = batches.flat();
    return { written, files, longest: Math.max(...written.map((l) => bytes(l) + 1)) };
  } finally {
    removeDir(dir);
  }
}

let main: Promise<Outcome> | undefined;
/** The main scenario, run once and shared by the criteria. */
const mainRun = () => (main ??= run([Array.from({ length: COUNT }, (_, i) => makeLine(i))]));

const listing = (files: OnDisk[]) => files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ') || 'no file at all';
const rotatedName = (k: number) => `${BASE}.${k}`;

/** The rotated files app.log.1, app.log.2, … that exist, newest first. */
function rotated(files: OnDisk[]): OnDisk[] {
  const found: OnDisk[] = [];
  for (let k = 1; k <= files.length; k++) {
    const f = files.find((x) => x.name === rotatedName(k));
    if (f) found.push(f);
  }
  return found;
}

/** The criteria below are about what happens at a rotation: there must have been one. */
function expectRotation(o: Outcome): void {
  const total = o.written.reduce((sum, l) => sum + bytes(l) + 1, 0);
  must(
    o.files.some((f) => f.name === rotatedName(1)),
    `no rotation happened: after writing ${COUNT} lines (${total} bytes) with maxBytes ${MAX_BYTES} and keep ${KEEP}, ` +
      `there should be a rotated file ${rotatedName(1)}; the folder holds ${listing(o.files)}. Nothing to check at a rotation yet.`,
  );
}

/** The whole log in order: oldest rotated file first, the current file last. */
function inOrder(o: Outcome): OnDisk[] {
  const current = o.files.find((f) => f.name === BASE);
  return [...rotated(o.files).reverse(), ...(current ? [current] : [])];
}

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** A failed condition with the message alone (no "expected false to be true"). */
function must(ok: boolean, message: string): asserts ok {
  if (!ok) throw new Error(message);
}

const short = (line: string) => (line.length > 90 ? `${line.slice(0, 60)}…${line.slice(-25)}` : line);

describe('D.3.bounded-size', () => {
  it(`keeps at most keep + 1 files of at most maxBytes each (a line longer than maxBytes alone)`, async () => {
    const o = await mainRun();
    expect(o.files.length, `with keep ${KEEP}, at most ${KEEP + 1} files (${BASE} and ${KEEP} rotated ones) should be left; the folder holds ${o.files.length}: ${listing(o.files)}`).toBeLessThanOrEqual(KEEP + 1);
    for (const f of o.files) {
      const lines = f.text.split('\n').filter(Boolean).length;
      must(f.bytes <= MAX_BYTES || lines <= 1, `${f.name} holds ${f.bytes} bytes in ${lines} lines: no file may grow past maxBytes ${MAX_BYTES} (count bytes, not characters: some lines hold é, — and ✓)`);
    }
    const total = o.files.reduce((sum, f) => sum + f.bytes, 0);
    const bound = (KEEP + 1) * MAX_BYTES + o.longest;
    expect(total, `after ${COUNT} lines the log should take at most (keep + 1) × maxBytes (+ one line) = ${bound} bytes on disk; it takes ${total}: ${listing(o.files)}`).toBeLessThanOrEqual(bound);
  });

  it('continues the size of a file it finds on disk (a restarted service must not start counting from 0)', async () => {
    const lines = Array.from({ length: 400 }, (_, i) => makeLine(i));
    const firstHalf: string[] = [];
    let size = 0;
    for (const line of lines) {
      if (size + bytes(line) + 1 > MAX_BYTES * 0.75) break;
      firstHalf.push(line);
      size += bytes(line) + 1;
    }
    const rest = lines.slice(firstHalf.length, firstHalf.length * 2);
    const o = await run([firstHalf, rest]);
    const current = o.files.find((f) => f.name === BASE);
    expect(current, `after a restart ${BASE} should still exist; the folder holds ${listing(o.files)}`).toBeDefined();
    expect(
      current!.bytes,
      `a writer was closed with ${size} bytes in ${BASE}, a new one opened on the same file wrote ${rest.reduce((s, l) => s + bytes(l) + 1, 0)} more: ` +
        `${BASE} should not pass maxBytes ${MAX_BYTES}, but holds ${current!.bytes} bytes (${listing(o.files)}). Start counting from the size already on disk.`,
    ).toBeLessThanOrEqual(MAX_BYTES);
  });
});

describe('D.3.newest-kept', () => {
  it('the newest line ends the current file and keep full rotated files hold the lines before it', async () => {
    const o = await mainRun();
    expectRotation(o);
    const current = o.files.find((f) => f.name === BASE);
    expect(current, `the current file ${BASE} should exist and receive the newest lines; the folder holds ${listing(o.files)}`).toBeDefined();
    const last = current!.text.split('\n').filter(Boolean).at(-1) ?? '';
    const newest = o.written.at(-1)!;
    expect(last, `the last line of ${BASE} should be the newest line written (seq ${COUNT - 1}); it is ${short(last) || 'nothing (the file is empty)'}`).toBe(newest);
    const kept = rotated(o.files);
    expect(
      kept.length,
      `after ${COUNT} lines, keep ${KEEP} rotated files (${Array.from({ length: KEEP }, (_, i) => rotatedName(i + 1)).join(', ')}): older lines are what you debug with. The folder holds ${listing(o.files)}`,
    ).toBe(KEEP);
    for (const f of kept) {
      expect(f.bytes, `${f.name} holds ${f.bytes} bytes: a file should be rotated only once the next line would not fit in maxBytes ${MAX_BYTES}, so it should hold more than ${MAX_BYTES - o.longest}`).toBeGreaterThan(MAX_BYTES - o.longest);
    }
  });
});

describe('D.3.no-line-lost', () => {
  it('read oldest to newest, the files hold every line of a contiguous newest range exactly once, in order', async () => {
    const o = await mainRun();
    expectRotation(o);
    const order = inOrder(o);
    // Joined across files, so a line cut in two at a rotation still counts here (D.3.whole-lines judges that).
    const lines = order.map((f) => f.text).join('').split('\n');
    if (lines.at(-1) === '') lines.pop();
    // The oldest file may open with the tail of a line whose start was in a file rotated away:
    // that loss is allowed (the oldest lines go); a cut line is D.3.whole-lines' to judge.
    const second = seqOf(lines[1] ?? '');
    if (seqOf(lines[0] ?? '') === undefined && second !== undefined && second > 0 && o.written[second - 1]!.endsWith(lines[0]!)) lines.shift();
    const seqs = lines.map(seqOf);
    const bad = lines.findIndex((l, i) => seqs[i] === undefined || o.written[seqs[i]!] !== l);
    expect(bad, `every line read back should be one of the lines written, unchanged; found ${short(lines[bad] ?? '')}`).toBe(-1);
    const first = seqs[0]!;
    for (let i = 0; i < seqs.length; i++) {
      const want = first + i;
      const got = seqs[i]!;
      if (got === want) continue;
      const what = got < want ? `line seq ${got} appears again (a duplicate)` : got - want > 1 ? `lines seq ${want}–${got - 1} are missing` : `line seq ${want} is missing`;
      expect(got, `reading ${order.map((f) => f.name).join(', ')} in order, after seq ${want - 1} comes seq ${got}: ${what}. Rotation may drop the oldest file, but never a line in the middle, and never write one twice.`).toBe(want);
    }
    expect(seqs.at(-1), `the range read back should end with the newest line, seq ${COUNT - 1}; it ends with seq ${seqs.at(-1)}`).toBe(COUNT - 1);
  });
});

describe('D.3.whole-lines', () => {
  it('every file ends with a newline and holds only whole lines (no line split across a rotation)', async () => {
    const o = await mainRun();
    expectRotation(o);
    for (const f of inOrder(o)) {
      if (f.bytes === 0) continue;
      const lines = f.text.split('\n');
      const tail = lines.pop();
      expect(tail, `${f.name} should end with a newline; it ends with ${short(tail ?? '')} (a line cut in two at a rotation: rotate between lines)`).toBe('');
      const cut = lines.find((l) => seqOf(l) === undefined || o.written[seqOf(l)!] !== l);
      expect(cut, `every line in ${f.name} should be a whole log line; found ${short(cut ?? '')} (part of a line: rotate before the line that does not fit, not in the middle of it)`).toBeUndefined();
    }
  });
});
