// Notices saves of an exercise's files however an editor saves them: chokidar watches the folders (so a
// save that renames a new file over the old one is seen too), and a poll of the files' size and time
// catches what events miss; when the poll sees a change no event reported, it says so and takes over.
import { statSync } from 'node:fs';
import path from 'node:path';
import { watch, type FSWatcher } from 'chokidar';

export interface FileWatch {
  close(): Promise<void>;
}

const POLL_MS = 1000;

function signature(files: string[]): string {
  return files
    .map((f) => {
      try {
        const s = statSync(f);
        return `${s.size}:${s.mtimeMs}:${s.ino}`;
      } catch {
        return 'missing';
      }
    })
    .join('|');
}

/** Calls `changed` (debounced) whenever one of `files` is written, replaced or removed. */
export function watchFiles(files: string[], changed: () => void, note: (message: string) => void): FileWatch {
  const wanted = new Set(files.map((f) => path.resolve(f)));
  let timer: NodeJS.Timeout | undefined;
  let seen = signature(files);
  let lastEvent = 0;
  let polling = false;
  const fire = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      seen = signature(files);
      changed();
    }, 80);
  };
  let watcher: FSWatcher | undefined = watch([...new Set(files.map((f) => path.dirname(path.resolve(f))))], { ignoreInitial: true, depth: 0, atomic: true });
  watcher.on('all', (_event, file) => {
    if (!wanted.has(path.resolve(file))) return;
    lastEvent = Date.now();
    fire();
  });
  watcher.on('error', () => {
    if (!polling) note('file events stopped arriving: watching by checking the files every second instead');
    polling = true;
    void watcher?.close();
    watcher = undefined;
  });
  let noticedAt = 0; // when the poll saw a change that no event has reported yet
  const poll = setInterval(() => {
    const now = signature(files);
    if (polling) {
      if (now !== seen) fire();
      return;
    }
    if (noticedAt && lastEvent < noticedAt) {
      // A whole poll later, still no event for that change: events are not arriving.
      polling = true;
      note('file events did not arrive for that save: watching by checking the files every second instead');
      void watcher?.close();
      watcher = undefined;
      noticedAt = 0;
      fire();
      return;
    }
    noticedAt = now !== seen && lastEvent < Date.now() - POLL_MS ? Date.now() : 0;
  }, POLL_MS);
  poll.unref();
  return {
    close: async () => {
      clearTimeout(timer);
      clearInterval(poll);
      await watcher?.close();
    },
  };
}
