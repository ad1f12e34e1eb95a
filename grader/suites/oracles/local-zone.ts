// Runs code as if the machine's local time zone were UTC+05:30, whatever the grading machine's zone:
// a mistake that uses local time (getHours(), getTimezoneOffset()) then shows on every machine.
const OFFSET_MINUTES = 330;
export const ZONE_NAME = 'UTC+05:30';

const LOCAL_GETTERS = ['FullYear', 'Month', 'Date', 'Day', 'Hours', 'Minutes', 'Seconds', 'Milliseconds'] as const;
type Getter = () => number;
const proto = Date.prototype as unknown as Record<string, Getter>;

/** Calls `run` with Date's local getters answering for UTC+05:30; they are put back afterwards. */
export async function inShiftedZone<T>(run: () => T | Promise<T>): Promise<T> {
  const saved = new Map<string, Getter>();
  const getTime = Date.prototype.getTime;
  for (const name of [...LOCAL_GETTERS.map((g) => `get${g}`), 'getTimezoneOffset']) saved.set(name, proto[name]!);
  for (const g of LOCAL_GETTERS) {
    const utc = proto[`getUTC${g}`]!;
    proto[`get${g}`] = function (this: Date) {
      const ms = getTime.call(this);
      return Number.isNaN(ms) ? Number.NaN : utc.call(new Date(ms + OFFSET_MINUTES * 60_000));
    };
  }
  proto.getTimezoneOffset = function (this: Date) {
    return Number.isNaN(getTime.call(this)) ? Number.NaN : -OFFSET_MINUTES;
  };
  try {
    return await run();
  } finally {
    for (const [name, fn] of saved) proto[name] = fn;
  }
}
