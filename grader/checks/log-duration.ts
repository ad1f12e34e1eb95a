// Reads the durations a free-form log line states ("45.3 ms", "0.045s", duration_ms=45, "took": 45):
// every reading in milliseconds, so a check can ask whether any of them matches what the grader timed.

const UNIT_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, ms: 1, millis: 1, milliseconds: 1, s: 1000, sec: 1000, secs: 1000, seconds: 1000 };

/** A number with its unit right after it: 45.3 ms, 0.045s, 45ms. */
const WITH_UNIT = /(?<![\w.])(\d+(?:\.\d+)?(?:e-?\d+)?)\s*(ns|us|µs|ms|millis|milliseconds|seconds|secs|sec|s)(?![a-z])/gi;
/** A number after a key that names a duration: duration_ms=45, "responseTime": 45.3, "seconds": 0.045, took 45. */
const AFTER_KEY = /(?<![a-z_])([a-z_]*(?:duration|latency|elapsed|took|response_?time|time|seconds|secs|ms|millis|milliseconds)[a-z_]*)["']?\s*[:=]?\s*["']?(\d+(?:\.\d+)?(?:e-?\d+)?)(?!\s*(?:ns|us|µs|ms|s)\b)/gi;

/** Every duration the line states, in milliseconds (a number after a key without a unit is read both
 * as milliseconds and as seconds). `ignore` is text taken out first (the request's path: /work?ms=45). */
export function durationsInMs(line: string, ignore: string[] = []): number[] {
  let text = line;
  for (const part of ignore) if (part) text = text.split(part).join(' ');
  const found: number[] = [];
  for (const m of text.matchAll(WITH_UNIT)) found.push(Number(m[1]) * UNIT_MS[m[2]!.toLowerCase()]!);
  for (const m of text.matchAll(AFTER_KEY)) {
    const name = m[1]!.toLowerCase().replaceAll('_', '');
    if (name.includes('stamp')) continue; // a timestamp is no duration
    const value = Number(m[2]);
    if (/(ms|millis|milliseconds)$/.test(name)) found.push(value);
    else if (/(seconds|secs|sec)$/.test(name)) found.push(value * 1000);
    else found.push(value, value * 1000);
  }
  return found.filter(Number.isFinite);
}
