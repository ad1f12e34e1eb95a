// "Did you mean …?": the closest known spelling of a mistyped exercise id, command or option.
import { distance } from 'fastest-levenshtein';

/** The closest candidate, when it is close enough to be what was meant (case and dots aside). */
export function closestMatch(input: string, candidates: readonly string[]): string | undefined {
  const norm = (s: string) => s.toLowerCase().replace(/[.\s_-]/g, '');
  let best: string | undefined;
  let bestScore = Infinity;
  for (const candidate of candidates) {
    const score = norm(input) === norm(candidate) ? 0 : distance(input.toLowerCase(), candidate.toLowerCase());
    if (score < bestScore) [best, bestScore] = [candidate, score];
  }
  // Two slips (a swapped pair counts as two) in a short word, about one in three in a longer one.
  const allowed = Math.max(2, Math.ceil(input.length / 3));
  return best !== undefined && bestScore <= allowed && bestScore < input.length ? best : undefined;
}

/** ` Did you mean "X"?`, or nothing when no candidate is close. */
export function didYouMean(input: string, candidates: readonly string[], quote = (s: string) => `"${s}"`): string {
  const match = closestMatch(input, candidates);
  return match === undefined ? '' : ` Did you mean ${quote(match)}?`;
}
