// D.3 — size-based rotation of the service's file log. The learner's writer is driven directly into a
// scratch folder with JSON lines whose sizes and counts come from the run's seed (short and long,
// multi-byte text, lines right at the size limit). The folder is read back at EVERY rotation (and
// wherever a rotation was due), and each criterion compares what it finds with the grader's own
// rotation model (oracles/D.3.ts) given the files that were there just before.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createRotatingFileWriter } from '@target/D/disk-full/rotating-writer.js';
import { makeWorkDir, removeDir } from '../paths.js';
import { compareWithOracle, SEED } from './differential.js';
import { BASE, currentBytes, fits, nextLayout, rotatedCount, rotatedName, seqsInOrder, type Layout } from './oracles/D.3.js';

const MAX_BYTES = 16 * 1024;
const KEEP = 3;
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

// ---------------------------------------------------------------------------------------------
// Lines: numbered JSON objects of an exact size in bytes (newline included), some multi-byte.

const MULTI = ['é', '—', '✓', '😀'];

/** Line `seq` of exactly `size` bytes with its newline (or as short as it can be), multi-byte text
 * (2, 3 and 4 bytes a character) when `multi`. */
function lineOf(seq: number, size: number, multi: boolean): string {
  const base = JSON.stringify({ seq, m: '' });
  let room = size - 1 - bytes(base);
  let fill = '';
  for (let i = 0; multi && room >= 4; i++) {
    const ch = MULTI[(seq + i) % MULTI.length]!;
    fill += ch;
    room -= bytes(ch);
  }
  if (room > 0) fill += 'x'.repeat(room);
  return JSON.stringify({ seq, m: fill });
}

/** A small seeded generator for the main run's sizes. */
function sizes(seed: number, count: number, maxBytes: number): Array<{ size: number; multi: boolean }> {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () => {
    const r = next();
    const size = r < 0.005 ? maxBytes - Math.floor(next() * 3) : r < 0.04 ? Math.floor(maxBytes / 4 + next() * (maxBytes / 2)) : 60 + Math.floor(next() * 420);
    return { size, multi: next() < 0.3 };
  });
}

// ---------------------------------------------------------------------------------------------
// Driving the learner's writer, reading the folder back at every rotation.

interface OnDisk {
  name: string;
  text: string;
  bytes: number;
  raw: Buffer;
}

/** The folder at one write that rotated (or should have): before and after that write. */
interface Checkpoint {
  seq: number;
  lineBytes: number;
  before: OnDisk[];
  after: OnDisk[];
  /** The writer rotated: app.log did not simply grow by the line. */
  rotated: boolean;
}

interface Trace {
  written: string[];
  checkpoints: Checkpoint[];
  /** The folder after the last write. */
  end: OnDisk[];
  maxBytes: number;
  keep: number;
  /** The longest line written, newline included. */
  longest: number;
}

function readFolder(dir: string): OnDisk[] {
  return readdirSync(dir)
    .sort()
    .map((name) => {
      const buffer = readFileSync(path.join(dir, name));
      return { name, text: buffer.toString('utf8'), bytes: buffer.length, raw: buffer };
    });
}

const closing: Array<Promise<unknown>> = [];

/** Writes the lines through the learner's writer (in one or more writer lifetimes); the lines that
 * `ownNewline` picks are handed over ending in their newline already. After each write,
 * app.log's size tells whether the writer rotated; the folder is read back at each rotation and
 * wherever the model says a rotation was due. */
function trace(batches: string[][], maxBytes: number, keep: number, ownNewline: (seq: number) => boolean = (seq) => seq % 7 === 3): Trace {
  const dir = makeWorkDir('d3');
  const file = path.join(dir, BASE);
  const checkpoints: Checkpoint[] = [];
  const written = batches.flat();
  try {
    let shadow: OnDisk[] = [];
    let seq = 0;
    let missed = 0;
    for (const batch of batches) {
      const writer = createRotatingFileWriter({ file, maxBytes, keep });
      shadow = readFolder(dir);
      for (const line of batch) {
        const before = shadow;
        const data = `${line}\n`;
        try {
          // Some lines come with their newline already (the writer adds one only when it is missing).
          writer.write(ownNewline(seq) ? data : line);
        } catch (error) {
          throw new Error(`writing line ${seq} (${bytes(data)} bytes) threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}; the folder held ${listing(before)}`);
        }
        const size = statSync(file, { throwIfNoEntry: false })?.size ?? -1;
        const sizeBefore = before.find((f) => f.name === BASE)?.bytes ?? 0;
        // Shorter than before plus the line: app.log was started again.
        const rotated = size < sizeBefore + bytes(data);
        const due = !(sizeBefore === 0 || sizeBefore + bytes(data) <= maxBytes);
        // A writer that never rotates would be read back at every later line: a few are enough.
        if (rotated || (due && missed++ < 5)) {
          shadow = readFolder(dir);
          checkpoints.push({ seq, lineBytes: bytes(data), before, after: shadow, rotated });
        } else if (size !== sizeBefore + bytes(data)) {
          // More than the line went in (whole-lines judges that): read what is there.
          shadow = readFolder(dir);
        } else {
          const current = before.find((f) => f.name === BASE);
          const raw = Buffer.concat([current?.raw ?? Buffer.alloc(0), Buffer.from(data, 'utf8')]);
          shadow = [...before.filter((f) => f.name !== BASE), { name: BASE, text: (current?.text ?? '') + data, bytes: raw.length, raw }];
        }
        seq++;
      }
      closing.push(Promise.resolve(writer.close()).catch(() => undefined));
    }
    const end = readFolder(dir);
    return { written, checkpoints, end, maxBytes, keep, longest: Math.max(...written.map((l) => bytes(l) + 1)) };
  } finally {
    removeDir(dir);
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a folder: which lines each file holds.

function seqOf(line: string): number | undefined {
  try {
    const seq = (JSON.parse(line) as { seq?: unknown }).seq;
    return typeof seq === 'number' ? seq : undefined;
  } catch {
    return undefined;
  }
}

/** The rotated files app.log.1, app.log.2, … that exist, newest first. */
function rotated(files: OnDisk[]): OnDisk[] {
  const found: OnDisk[] = [];
  for (let k = 1; k <= files.length; k++) {
    const f = files.find((x) => x.name === rotatedName(k));
    if (f) found.push(f);
  }
  return found;
}

/** The whole log in order: oldest rotated file first, the current file last. */
function inOrder(files: OnDisk[]): OnDisk[] {
  const current = files.find((f) => f.name === BASE);
  return [...rotated(files).reverse(), ...(current ? [current] : [])];
}

/** The model's view of a folder (whole lines only; a cut line counts as no line). */
function layoutOf(files: OnDisk[]): Layout {
  return files.map((f) => ({ name: f.name, bytes: f.bytes, seqs: f.text.split('\n').filter(Boolean).map(seqOf).filter((s): s is number => s !== undefined) }));
}

const listing = (files: OnDisk[]) => files.map((f) => `${f.name} (${f.bytes} bytes)`).join(', ') || 'no file at all';
const modelListing = (layout: Layout) =>
  [...layout].sort((a, b) => a.name.localeCompare(b.name)).map((f) => `${f.name} (${f.bytes} bytes)`).join(', ') || 'no file at all';
const short = (line: string) => (line.length > 90 ? `${line.slice(0, 60)}…${line.slice(-25)}` : line);

/** Runs of consecutive numbers, e.g. "12–40, 42–50". */
function ranges(seqs: number[]): string {
  const out: string[] = [];
  for (let i = 0; i < seqs.length; ) {
    let j = i;
    while (j + 1 < seqs.length && seqs[j + 1] === seqs[j]! + 1) j++;
    out.push(i === j ? `${seqs[i]}` : `${seqs[i]}–${seqs[j]}`);
    i = j + 1;
  }
  return out.join(', ') || 'none';
}

/** The lines read back in order, with a line cut across two files joined again (a cut line is
 * D.3.whole-lines' to judge) and a leading tail of a line rotated away dropped. */
function joinedSeqs(files: OnDisk[], written: string[]): Array<number | undefined> {
  // Joined as bytes: a line cut inside a multi-byte character reads whole again.
  // Empty lines are no lines (D.3.whole-lines judges them).
  const lines = Buffer.concat(inOrder(files).map((f) => f.raw)).toString('utf8').split('\n').filter((l) => l !== '');
  // The oldest file may open with the tail of a line whose start was rotated away: that loss is
  // allowed (the oldest lines go).
  if (lines.length > 1 && seqOf(lines[0]!) === undefined && seqOf(lines[1]!) !== undefined) lines.shift();
  return lines.map((l) => {
    const seq = seqOf(l);
    return seq !== undefined && written[seq] === l ? seq : undefined;
  });
}

// ---------------------------------------------------------------------------------------------
// What each criterion looks at, at one checkpoint: undefined when all is well, else what the model
// expects and what was found.

interface Finding {
  expected: string;
  seen: string;
}

type Judge = (cp: Checkpoint, t: Trace) => Finding | undefined;

const at = (cp: Checkpoint) => `after line ${cp.seq} (${cp.lineBytes} bytes) was written into ${listing(cp.before)}`;
const modelAfter = (cp: Checkpoint, t: Trace) => nextLayout(layoutOf(cp.before), cp.seq, cp.lineBytes, t.maxBytes, t.keep);

const judges: Record<'bounded' | 'newest' | 'lost' | 'whole', Judge> = {
  bounded: (cp, t) => {
    const tooMany = cp.after.length > t.keep + 1;
    const big = cp.after.filter((f) => f.bytes > t.maxBytes && f.text.split('\n').filter(Boolean).length > 1);
    if (!tooMany && big.length === 0) return undefined;
    return {
      expected: `${at(cp)}: at most ${t.keep + 1} files, none past maxBytes ${t.maxBytes} (count bytes: é is 2, ✓ 3, 😀 4), e.g. ${modelListing(modelAfter(cp, t))}`,
      seen: `${listing(cp.after)}${big.length ? `: ${big.map((f) => f.name).join(', ')} past maxBytes` : ''}`,
    };
  },
  newest: (cp, t) => {
    if (!cp.rotated) return undefined; // not rotating when due grows a file past maxBytes: D.3.bounded-size
    const model = modelAfter(cp, t);
    const before = layoutOf(cp.before);
    if (fits(before, cp.lineBytes, t.maxBytes)) {
      return {
        expected: `${at(cp)}: no rotation (app.log held ${currentBytes(before)} bytes; the line fits within maxBytes ${t.maxBytes})`,
        seen: `rotated: ${listing(cp.after)}`,
      };
    }
    const empty = rotated(cp.after).find((f) => f.bytes === 0);
    if (empty) {
      return {
        expected: `${at(cp)}: ${modelListing(model)} (an empty app.log is written into, not rotated: a line longer than maxBytes starts in it)`,
        seen: `${empty.name} is empty: ${listing(cp.after)}`,
      };
    }
    const want = rotatedCount(model);
    const got = rotated(cp.after).length;
    if (got === want) return undefined;
    return { expected: `${at(cp)}: ${want} rotated file${want === 1 ? '' : 's'}: ${modelListing(model)}`, seen: `${got} rotated: ${listing(cp.after)}` };
  },
  lost: (cp, t) => {
    const seqs = joinedSeqs(cp.after, t.written);
    const known = seqs.filter((s): s is number => s !== undefined);
    const contiguous = known.length === seqs.length && known.every((s, i) => i === 0 || s === known[i - 1]! + 1);
    if (contiguous && known.at(-1) === cp.seq) return undefined;
    const model = seqsInOrder(modelAfter(cp, t));
    return {
      expected: `${at(cp)}: read oldest to newest, one unbroken run of lines ending with line ${cp.seq}, e.g. lines ${ranges(model)}`,
      seen: `lines ${ranges(known)}${known.length < seqs.length ? ` and ${seqs.length - known.length} line(s) that were never written` : ''} (${listing(cp.after)})`,
    };
  },
  whole: (cp, t) => {
    for (const f of inOrder(cp.after)) {
      if (f.bytes === 0) continue;
      const lines = f.text.split('\n');
      const tail = lines.pop();
      const cut = lines.find((l) => seqOf(l) === undefined || t.written[seqOf(l)!] !== l);
      if (tail === '' && cut === undefined) continue;
      return {
        expected: `${at(cp)}: every file ends with a newline and holds whole lines (rotate before a line, never inside it)`,
        seen: tail !== '' ? `${f.name} ends with ${short(tail ?? '')}` : cut === '' ? `${f.name} holds an empty line (was a newline added to a line that already ended in one?)` : `${f.name} holds ${short(cut ?? '')}`,
      };
    }
    return undefined;
  },
};

function firstFinding(t: Trace, judge: Judge): Finding | undefined {
  for (const cp of t.checkpoints) {
    const found = judge(cp, t);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Generated scenarios (fast-check, seeded by the grade): sizes and counts vary, lines near and at the
// limit, multi-byte text. Lines never pass maxBytes here, so every correct writer rotates at the
// same lines.

interface Scenario {
  maxBytes: number;
  keep: number;
  lines: Array<{ kind: 'short' | 'mid' | 'near' | 'exact' | 'fill' | 'brim'; multi: boolean; k: number }>;
}

// Not shrunk: each try writes real files, and the first scenario that shows a fault is shown whole.
const scenarios: fc.Arbitrary<[Scenario]> = fc.noShrink(fc.tuple(
  fc.record({
    maxBytes: fc.integer({ min: 120, max: 900 }),
    keep: fc.integer({ min: 1, max: 4 }),
    lines: fc.array(fc.record({ kind: fc.constantFrom('short' as const, 'mid' as const, 'near' as const, 'exact' as const, 'fill' as const, 'brim' as const), multi: fc.boolean(), k: fc.nat(10_000) }), { minLength: 30, maxLength: 120 }),
  }),),
);

/** The scenario's lines. A "fill" line is sized to fill the current file exactly, as the model
 * has it (a line that fits exactly must not start a new file); a "brim" line is one byte longer
 * (its text fits, its newline does not: the whole line starts a new file). */
function scenarioLines(s: Scenario): string[] {
  let layout: Layout = [];
  return s.lines.map((l, seq) => {
    const room = s.maxBytes - currentBytes(layout);
    let size: number;
    if (l.kind === 'fill' && room >= 30) size = room;
    // One byte too many: the text fits the room exactly, its newline does not.
    else if (l.kind === 'brim' && room >= 29 && room < s.maxBytes) size = room + 1;
    else if (l.kind === 'short' || l.kind === 'fill' || l.kind === 'brim') size = 30 + (l.k % 40);
    else if (l.kind === 'mid') size = Math.floor(s.maxBytes / 4) + (l.k % Math.floor(s.maxBytes / 2));
    else if (l.kind === 'near') size = s.maxBytes - 1 - (l.k % 4);
    else size = s.maxBytes;
    const line = lineOf(seq, Math.min(size, s.maxBytes), l.multi);
    layout = nextLayout(layout, seq, bytes(line) + 1, s.maxBytes, s.keep);
    return line;
  });
}

const traces = new Map<string, Trace>();
function traced(s: Scenario): Trace {
  const key = JSON.stringify(s);
  let t = traces.get(key);
  if (!t) {
    t = trace([scenarioLines(s)], s.maxBytes, s.keep, (seq) => (s.lines[seq]?.k ?? 1) % 4 === 0);
    if (traces.size > 200) traces.clear();
    traces.set(key, t);
  }
  return t;
}

const ALL_WELL = 'as the model expects, at every rotation';

/** Compares, on generated scenarios, what the learner's writer left at each rotation with what the
 * grader's model expects there (the first checkpoint where they differ is shown). */
function compareAtEveryRotation(judge: Judge, what: string): void {
  compareWithOracle(
    {
      inputs: scenarios,
      learner: (s) => firstFinding(traced(s), judge)?.seen ?? ALL_WELL,
      oracle: (s) => firstFinding(traced(s), judge)?.expected ?? ALL_WELL,
      call: ([s]) => `${s.lines.length} lines (short, long, right at the limit, one byte past the room left, some multi-byte, some ending in their own newline) with maxBytes ${s.maxBytes} and keep ${s.keep}`,
      render: (r) => r,
      numRuns: 12,
      structuredClone: false,
    },
    what,
  );
}

// ---------------------------------------------------------------------------------------------
// The main run: thousands of lines of seeded sizes, 16 KB files, keep 3.

const COUNT = 1_200 + (SEED % 800);
/** The main run and the generated scenarios take a few seconds on a busy machine. */
const SLOW = 15_000;
let main: Trace | undefined;
const mainRun = () => (main ??= trace([sizes(SEED, COUNT, MAX_BYTES).map((s, seq) => lineOf(seq, s.size, s.multi))], MAX_BYTES, KEEP));

/** The criteria below are about what happens at a rotation: there must have been one. */
function expectRotation(t: Trace): void {
  const total = t.written.reduce((sum, l) => sum + bytes(l) + 1, 0);
  if (!t.end.some((f) => f.name === rotatedName(1))) {
    throw new Error(
      `no rotation happened: after writing ${t.written.length} lines (${total} bytes) with maxBytes ${t.maxBytes} and keep ${t.keep}, ` +
        `there should be a rotated file ${rotatedName(1)}; the folder holds ${listing(t.end)}. Nothing to check at a rotation yet.`,
    );
  }
}

function expectNoFinding(t: Trace, judge: Judge, what: string): void {
  const found = firstFinding(t, judge);
  if (found) throw new Error(`${what} (${t.written.length} lines, maxBytes ${t.maxBytes}, keep ${t.keep}, seed ${SEED})\nexpected: ${found.expected}\nseen: ${found.seen}`);
}

/** Lines longer than maxBytes now and then, the very first one included (it goes into the empty
 * app.log: nothing is rotated). */
let long: Trace | undefined;
const longLines = () =>
  (long ??= trace([Array.from({ length: 60 }, (_, seq) => lineOf(seq, seq % 13 === 0 || seq % 13 === 5 ? 900 + (SEED % 200) : 40 + ((seq * 37 + SEED) % 200), seq % 3 === 0))], 400, 2));

describe('D.3.bounded-size', () => {
  it('at every rotation: at most keep + 1 files, none past maxBytes (bytes, not characters)', async () => {
    const t = mainRun();
    expectNoFinding(t, judges.bounded, 'the log grew past its bound');
    expect(t.end.length, `with keep ${KEEP}, at most ${KEEP + 1} files should be left; the folder holds ${listing(t.end)}`).toBeLessThanOrEqual(KEEP + 1);
    const total = t.end.reduce((sum, f) => sum + f.bytes, 0);
    const bound = (KEEP + 1) * MAX_BYTES + t.longest;
    expect(total, `after ${t.written.length} lines the log should take at most (keep + 1) × maxBytes (+ one line) = ${bound} bytes on disk; it takes ${total}: ${listing(t.end)}`).toBeLessThanOrEqual(bound);
    compareAtEveryRotation(judges.bounded, 'the log grew past its bound at a rotation');
  }, SLOW);

  it('a line longer than maxBytes gets a file of its own, and the bound holds around it', () => {
    expectNoFinding(longLines(), judges.bounded, 'the log grew past its bound around a line longer than maxBytes');
  });

  it('with keep 0, only app.log is left: it starts again when the next line does not fit', () => {
    const lines = sizes(SEED + 2, 80, 300).map((s, seq) => lineOf(seq, Math.min(s.size, 300), s.multi));
    const t = trace([lines], 600, 0);
    expectNoFinding(t, judges.bounded, 'with keep 0 the log grew past its bound');
    expect(t.end.map((f) => f.name), `with keep 0 no rotated file is kept; the folder holds ${listing(t.end)}`).toEqual([BASE]);
  });

  it('continues the size of a file it finds on disk (a restarted service must not start counting from 0)', async () => {
    const lines = sizes(SEED + 1, 400, 600).map((s, seq) => lineOf(seq, Math.min(s.size, 400), s.multi));
    const firstHalf: string[] = [];
    let size = 0;
    for (const line of lines) {
      if (size + bytes(line) + 1 > MAX_BYTES * 0.75) break;
      firstHalf.push(line);
      size += bytes(line) + 1;
    }
    const rest = lines.slice(firstHalf.length, firstHalf.length * 2);
    const t = trace([firstHalf, rest], MAX_BYTES, KEEP);
    const current = t.end.find((f) => f.name === BASE);
    expect(current, `after a restart ${BASE} should still exist; the folder holds ${listing(t.end)}`).toBeDefined();
    expect(
      current!.bytes,
      `a writer was closed with ${size} bytes in ${BASE}, a new one opened on the same file wrote ${rest.reduce((s, l) => s + bytes(l) + 1, 0)} more: ` +
        `${BASE} should not pass maxBytes ${MAX_BYTES}, but holds ${current!.bytes} bytes (${listing(t.end)}). Start counting from the size already on disk.`,
    ).toBeLessThanOrEqual(MAX_BYTES);
  });
});

describe('D.3.newest-kept', () => {
  it('at every rotation, rotates only when the next line does not fit and keeps keep rotated files; the newest line ends app.log', async () => {
    const t = mainRun();
    expectRotation(t);
    expectNoFinding(t, judges.newest, 'a rotation did not keep what it should');
    const current = t.end.find((f) => f.name === BASE);
    expect(current, `the current file ${BASE} should exist and receive the newest lines; the folder holds ${listing(t.end)}`).toBeDefined();
    const last = current!.text.split('\n').filter(Boolean).at(-1) ?? '';
    const newest = t.written.at(-1)!;
    expect(last, `the last line of ${BASE} should be the newest line written (seq ${t.written.length - 1}); it is ${short(last) || 'nothing (the file is empty)'}`).toBe(newest);
    expect(rotated(t.end).length, `after ${t.written.length} lines, keep ${KEEP} rotated files; the folder holds ${listing(t.end)}`).toBe(KEEP);
    compareAtEveryRotation(judges.newest, 'a rotation did not keep what it should');
  }, SLOW);

  it('around lines longer than maxBytes, rotates only non-empty files', () => {
    expectNoFinding(longLines(), judges.newest, 'a rotation around a line longer than maxBytes did not keep what it should');
  });
});

describe('D.3.no-line-lost', () => {
  it('at every rotation, read oldest to newest, the files hold an unbroken run of lines ending with the newest', async () => {
    const t = mainRun();
    expectRotation(t);
    expectNoFinding(t, judges.lost, 'a line was lost or repeated at a rotation');
    compareAtEveryRotation(judges.lost, 'a line was lost or repeated at a rotation');
    expectNoFinding(longLines(), judges.lost, 'a line was lost or repeated around a line longer than maxBytes');
  }, SLOW);

  it('a line written after close() throws instead of vanishing', async () => {
    const dir = makeWorkDir('d3-closed');
    try {
      const writer = createRotatingFileWriter({ file: path.join(dir, BASE), maxBytes: 1_000, keep: 1 });
      writer.write(lineOf(0, 80, false));
      await writer.close();
      const late = lineOf(1, 80, false);
      let threw = false;
      try {
        writer.write(late);
      } catch {
        threw = true;
      }
      const kept = readFolder(dir).some((f) => f.text.includes(late));
      if (!threw) {
        throw mismatchAfterClose(kept ? 'write() returned normally and the line went into the file anyway' : 'write() returned normally and the line is nowhere on disk');
      }
    } finally {
      removeDir(dir);
    }
  });
});

function mismatchAfterClose(seen: string): Error {
  return new Error(`writing after close() should throw (the contract says so: a caller must learn that its line was not logged)\nexpected: write() after close() throws\nseen: ${seen}`);
}

describe('D.3.whole-lines', () => {
  it('at every rotation, every file ends with a newline and holds only whole lines', async () => {
    const t = mainRun();
    expectRotation(t);
    expectNoFinding(t, judges.whole, 'a line was cut at a rotation');
    compareAtEveryRotation(judges.whole, 'a line was cut at a rotation');
    expectNoFinding(longLines(), judges.whole, 'a line was cut around a line longer than maxBytes');
    await Promise.all(closing);
  }, SLOW);
});
