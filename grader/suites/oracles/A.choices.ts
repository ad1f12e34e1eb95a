// Judging the choice tables of A.3 and A.5: every wrong answer is named with why it cannot fit,
// and the right answers are never told.

export interface Question<Option extends string> {
  /** The scenario in a few words, as the report shows it. */
  scenario: string;
  /** Every option that fits. */
  right: readonly Option[];
  /** Why each option that does not fit cannot fit, without saying which one does. */
  wrong: Partial<Record<Option, string>>;
}

export type Questions<Option extends string> = Record<string, Question<Option>>;

/** The grader reads at most six lines of a failure: the count, the unanswered ones, then the rest. */
const MAX_LINES = 6;

/** Puts `items` on at most `lines` lines, in order, several to a line when there are many. */
function pack(items: string[], lines: number): string[] {
  if (items.length <= lines) return items.map((i) => `- ${i}`);
  const per = Math.ceil(items.length / lines);
  const out: string[] = [];
  for (let i = 0; i < items.length; i += per) out.push(items.slice(i, i + per).map((x) => `- ${x}`).join(' '));
  return out;
}

/** The failure message for a table of answers, or undefined when every answer fits. */
export function judgeChoices<Option extends string>(
  table: string,
  given: Readonly<Record<string, unknown>>,
  questions: Questions<Option>,
  options: readonly Option[],
  /** Answers judged elsewhere (e.g. a number): how many, and those not answered or wrong. */
  more: { questions: number; unanswered: string[]; wrong: string[] } = { questions: 0, unanswered: [], wrong: [] },
): string | undefined {
  const unanswered: string[] = [];
  const wrong: string[] = [];
  for (const [id, q] of Object.entries(questions)) {
    const seen = given?.[id];
    if ((q.right as readonly unknown[]).includes(seen)) continue;
    if (seen === 'TODO' || seen === undefined) {
      unanswered.push(`'${id}'${seen === undefined ? ' (missing)' : ''}`);
    } else if (!(options as readonly unknown[]).includes(seen)) {
      wrong.push(`'${id}' (${q.scenario}): ${JSON.stringify(seen)} is not one of ${options.map((o) => `'${o}'`).join(', ')}.`);
    } else {
      const why = q.wrong[seen as Option] ?? 'it does not fit this scenario';
      wrong.push(`'${id}' (${q.scenario}): '${String(seen)}' cannot fit: ${why}.`);
    }
  }
  unanswered.push(...more.unanswered);
  wrong.push(...more.wrong);
  const total = Object.keys(questions).length + more.questions;
  const bad = unanswered.length + wrong.length;
  if (bad === 0) return undefined;
  const lines = [`${bad} of ${total} answers in ${table} are not right yet${wrong.length > 0 ? ` (${wrong.length} wrong, ${unanswered.length} not answered)` : ''}:`];
  if (unanswered.length > 0) lines.push(`- not answered yet (still 'TODO'): ${unanswered.join(', ')}.`);
  lines.push(...pack(wrong, MAX_LINES - lines.length));
  return lines.join('\n');
}
