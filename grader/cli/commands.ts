// Every command of the workbook: its usage text and the options it takes, in one light module that
// the entry point reads before it loads the command itself (for --help and "did you mean").
export interface CommandSpec {
  summary: string;
  usage: string;
  /** Long option names it takes (without --); --help / -h is taken by every command. */
  options: readonly string[];
}

/** Options that take no value (every other option takes the argument after it). */
export const FLAGS = new Set(['solutions', 'json', 'give-up', 'keep', 'help']);

export const GRADE_USAGE = `Usage: npm run grade -- [SECTION|EXERCISE ...] [--solutions | --target DIR] [--format FORMAT] [--out DIR] [--seed N]
       npx workbook grade [the same]

  SECTION|EXERCISE   what to grade, e.g. B or B.3 (any mix; all when none is given)
  --solutions        grade the reference solutions instead of exercises/
  --target DIR       grade another folder laid out like exercises/ (e.g. a learner's copy)
  --format FORMAT    text (the default): the report for people
                     json: one JSON report (results schema 1) instead of the text report
                     gradescope: the text report, and DIR/results.json for Gradescope (needs --out DIR)
                     classroom: the text report, and the GitHub Classroom result (base64): appended as
                       result=... to the file GITHUB_OUTPUT names when it is set, else written to
                       DIR/classroom-result.txt with --out DIR, else printed on the last line
  --json             the same as --format json
  --out DIR          where --format gradescope and classroom write their file (created if missing)
  --extra-suites DIR an instructor's hidden vitest files (<exercise>.<name>.test.ts) graded as well
  --server-cmd CMD   grade Section E's live checks against any HTTP service that CMD starts
                     (it gets PORT and HOST in its environment; its stdout is read as its logs)
  --server-url URL   the same against a service already running at URL (its logs cannot be read)
  --seed N           replay the generated traffic and test data of an earlier report (it prints its seed)

For a clean JSON report on stdout: npm run -s grade -- --json (or npx workbook grade --json).
Exit code: 0 when every selected criterion passes, 1 when any fails or cannot be graded, 2 for bad usage.`;

export const COMMANDS: Record<string, CommandSpec> = {
  start: {
    summary: 'the menu (in a terminal), or the course outline and the commands',
    usage: 'Usage: npm start  (or npx workbook)\n\nOpens the menu: continue where you left off, lessons, exercises, grading, hints, progress.',
    options: [],
  },
  grade: { summary: 'grade exercises, sections or everything', usage: GRADE_USAGE, options: ['solutions', 'target', 'json', 'format', 'out', 'extra-suites', 'server-cmd', 'server-url', 'seed'] },
  watch: {
    summary: 'grade an exercise on every save, with keys for hints, next, reset and more',
    usage: 'Usage: npm run watch [-- EXERCISE] [--target DIR]\n\nGrades the exercise at once and on every save of its files (the next unfinished one when none is given).\nKeys: h next hint · n next exercise (once this one passes) · l the list · r reset · s solution · q quit',
    options: ['target'],
  },
  lesson: { summary: 'read a lesson in the terminal', usage: 'Usage: npm start -- lesson SECTION|EXERCISE\n\nlesson B shows all of part B; lesson B.3 opens at B.3, with its files to edit at the top.', options: [] },
  hint: { summary: 'the next hint of an exercise', usage: 'Usage: npm start -- hint EXERCISE\n\nShows the hints seen so far and one more (remembered in .workbook-progress.json).', options: [] },
  progress: { summary: 'what passes so far', usage: 'Usage: npm start -- progress\n\nEach exercise ✓ / ✗ / not tried, and the points so far.', options: [] },
  reset: {
    summary: 'put an exercise back to its stub (your version is backed up)',
    usage: 'Usage: npm start -- reset EXERCISE [--target DIR]\n\nPuts the exercise\'s files back to their stubs; your versions are kept in .workbook-backups/ (see restore).',
    options: ['target'],
  },
  restore: {
    summary: 'list an exercise\'s backups, or bring one back',
    usage: 'Usage: npm start -- restore EXERCISE [N] [--target DIR]\n\nWithout N: lists the backups of the exercise, newest first, numbered.\nWith N: restores backup N (your current files are backed up first).',
    options: ['target'],
  },
  solution: {
    summary: 'the reference solution, once the exercise passes',
    usage: 'Usage: npm start -- solution EXERCISE [--give-up]\n\nShows the reference solution once the exercise passes; --give-up shows it anyway.',
    options: ['give-up'],
  },
  class: { summary: 'grade a class of submissions (instructors)', usage: '', options: ['out', 'section', 'jobs', 'format', 'extra-suites', 'timeout', 'memory', 'isolation', 'keep'] },
  'check-course': { summary: 'validate the course without running it (contributors)', usage: 'Usage: npm run check-course\n\nChecks the manifest against the files: every criterion implemented once, lesson anchors, hints, stubs and solutions, given files identical.', options: [] },
};

export function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((n) => n.length));
  return [
    'Usage: npm start -- COMMAND [ARGS]   (or npx workbook COMMAND [ARGS]; npm run grade / watch for those two)',
    '',
    ...Object.entries(COMMANDS).map(([name, spec]) => `  ${name.padEnd(width)}  ${spec.summary}`),
    '',
    'npm start -- COMMAND --help shows one command\'s options.',
  ].join('\n');
}

/** The commands behind every menu action, for where there is no menu (no terminal). */
export const SUBCOMMANDS = `Commands (also in the menu of \`npm start\` in a terminal):
  npm start -- lesson B          read a lesson (a section or an exercise: lesson B.3)
  npm run grade -- B.3           grade an exercise (or a section, or everything)
  npm run watch -- B.3           grade at once and on every save (keys: h hint, n next, q quit)
  npm start -- hint B.3          the next hint
  npm start -- reset B.3         back to the stub (your version is kept in .workbook-backups/)
  npm start -- restore B.3 [N]   list the backups of B.3, or bring backup N back
  npm start -- solution B.3      the reference solution, once it passes (or with --give-up)
  npm start -- progress          what passes so far`;
