// D.3 lab — the service's file log.
// Lesson: lessons/D-debug-labs.md, "D.3 Disk full from logs". Start with SYMPTOM.md in this folder.
// Grade: npm run grade -- D.3
//
// Contract (the rest of the service and the grader rely on it):
// - the current file is `file` (e.g. logs/app.log);
// - no file grows past `maxBytes` (a single line longer than that may have a file of its own);
// - older lines live in rotated files app.log.1 (newest) … app.log.<keep> (oldest), nothing older;
// - every line is written whole, once, and in order.
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import path from 'node:path';

export interface RotatingWriterOptions {
  /** The current log file, e.g. logs/app.log. Rotated files are app.log.1 (newest) … app.log.<keep> (oldest). */
  file: string;
  /** No file grows past this many bytes; a single line longer than that gets a file of its own. */
  maxBytes: number;
  /** How many rotated files are kept besides the current one. */
  keep: number;
}

export interface RotatingWriter {
  /** Writes one log line (a newline is added when it has none). The line is in the file when this returns. */
  write(line: string): void;
  /** Closes the current file; writing afterwards throws. */
  close(): Promise<void>;
}

export function createRotatingFileWriter({ file }: RotatingWriterOptions): RotatingWriter {
  mkdirSync(path.dirname(file), { recursive: true });
  let fd: number | undefined = openSync(file, 'a');

  return {
    write(line: string): void {
      if (fd === undefined) throw new Error('write after close: the log file is closed');
      const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    },
    async close(): Promise<void> {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}
