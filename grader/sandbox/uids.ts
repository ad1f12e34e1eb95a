// User ids for sandboxed learner code: each held by one live run at a time, across every workbook
// run on this machine at once, through a lock file per id that names its owner; an id whose owner
// died is swept (its processes stopped) before it is handed out again.
import { closeSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeSync } from 'node:fs';
import path from 'node:path';
import { atExit, isAlive, killAll, processesOfUid } from './marker.js';

/** The first id handed out; ids run from here up to FIRST_UID + COUNT - 1. */
export const FIRST_UID = 61_000;
const COUNT = 4_000;
/** Root's own folder for the locks (the sandbox needs root, so /run is there to write). */
export const uidLocks = (): string => process.env.WORKBOOK_UID_LOCKS ?? '/run/workbook/uids';

function ownerOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Frees the ids whose owner is gone: their processes are stopped, their locks removed. How many. */
export function sweepStaleUids(): number {
  let swept = 0;
  let entries: string[] = [];
  try {
    entries = readdirSync(uidLocks());
  } catch {
    return 0;
  }
  for (const name of entries) {
    const file = path.join(uidLocks(), name);
    const owner = ownerOf(file);
    if (owner !== undefined && isAlive(owner)) continue;
    const uid = Number(name);
    if (Number.isInteger(uid)) killAll(processesOfUid(uid));
    rmSync(file, { force: true });
    swept++;
  }
  return swept;
}

export interface HeldUid {
  uid: number;
  release(): void;
}

/** An id no other live run holds, locked for this process until release(). */
export function allocateUid(owner = process.pid): HeldUid {
  mkdirSync(uidLocks(), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 2; attempt++) {
    for (let uid = FIRST_UID; uid < FIRST_UID + COUNT; uid++) {
      const file = path.join(uidLocks(), String(uid));
      let fd: number;
      try {
        fd = openSync(file, 'wx', 0o600);
      } catch {
        continue; // held by someone
      }
      writeSync(fd, `${owner}\n`);
      closeSync(fd);
      // Whatever still runs under this id belongs to a run that died without its sweep.
      killAll(processesOfUid(uid));
      // Freed on every way out (Ctrl-C and SIGTERM too); only a killed run leaves it to the next sweep.
      const forget = atExit(() => {
        killAll(processesOfUid(uid));
        rmSync(file, { force: true });
      });
      return {
        uid,
        release: () => {
          forget();
          rmSync(file, { force: true });
        },
      };
    }
    sweepStaleUids();
  }
  throw new Error(`every sandbox user id from ${FIRST_UID} to ${FIRST_UID + COUNT - 1} is in use (${uidLocks()})`);
}
