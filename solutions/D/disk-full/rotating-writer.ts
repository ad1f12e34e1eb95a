// D.3 lab — the service's file log: size-based rotation (solved).
// Lesson: lessons/D-debug-labs.md, "D.3 Disk full from logs". Grade: npm run grade -- D.3
//
// The current file is `file` (e.g. logs/app.log). When the next line would take it past `maxBytes`,
// it is renamed app.log.1 (app.log.1 becomes app.log.2, and so on; the oldest, app.log.<keep>, is
// deleted) and a fresh app.log is opened. So the disk holds at most keep + 1 files of maxBytes each.
import { closeSync, fstatSync, mkdirSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
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

export function createRotatingFileWriter({ file, maxBytes, keep }: RotatingWriterOptions): RotatingWriter {
  if (!(maxBytes > 0)) throw new RangeError(`createRotatingFileWriter: maxBytes must be > 0, got ${maxBytes}`);
  if (!Number.isInteger(keep) || keep < 0) throw new RangeError(`createRotatingFileWriter: keep must be an integer >= 0, got ${keep}`);
  mkdirSync(path.dirname(file), { recursive: true });
  let fd: number | undefined = openSync(file, 'a');
  // A restarted service continues the file it finds: its bytes count too.
  let size = fstatSync(fd).size;

  const rotate = (current: number): number => {
    // Close first: a renamed file that is still open keeps growing under its new name.
    closeSync(current);
    if (keep === 0) return openSync(file, 'w'); // nothing to keep: start the file again
    rmSync(`${file}.${keep}`, { force: true });
    for (let i = keep - 1; i >= 1; i--) {
      try {
        renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error; // not rotated that often yet
      }
    }
    renameSync(file, `${file}.1`);
    return openSync(file, 'a');
  };

  return {
    write(line: string): void {
      if (fd === undefined) throw new Error('write after close: the log file is closed');
      const data = Buffer.from(line.endsWith('\n') ? line : `${line}\n`, 'utf8');
      // Rotate between lines, never inside one: a line is never split over two files.
      if (size > 0 && size + data.length > maxBytes) {
        fd = rotate(fd);
        size = 0;
      }
      let written = 0;
      while (written < data.length) written += writeSync(fd, data, written, data.length - written);
      size += data.length;
    },
    async close(): Promise<void> {
      if (fd === undefined) return;
      closeSync(fd);
      fd = undefined;
    },
  };
}
