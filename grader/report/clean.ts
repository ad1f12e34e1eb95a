// Messages for people: no ANSI colour codes, no absolute paths, no stack noise.
import path from 'node:path';
import { PROJECT_ROOT } from '../paths.js';

// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

let extraRoots: Array<[string, string]> = [];

/** Maps a scratch copy's folder back to the name a person knows (e.g. a graded folder's path). */
export function addPathAlias(from: string, to: string): void {
  extraRoots = [[from, to], ...extraRoots.filter(([f]) => f !== from)];
}

export function cleanText(text: string): string {
  let out = text.replace(ANSI, '');
  for (const [from, to] of extraRoots) out = out.split(`${from}${path.sep}`).join(to ? `${to}/` : '');
  out = out.split(`file://${PROJECT_ROOT}/`).join('').split(`${PROJECT_ROOT}/`).join('');
  out = out.replace(/\.grader-work\/[\w.-]+\//g, '');
  return out;
}

/** The first meaningful lines of an error, without the "    at ..." frames. */
export function cleanError(text: string, maxLines = 6): string {
  const lines = cleanText(text)
    .split('\n')
    .filter((l) => !/^\s+at /.test(l) && !/^\s*❯ /.test(l))
    .map((l) => l.trimEnd());
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines.slice(0, maxLines).join('\n');
}
