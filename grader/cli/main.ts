// The one entry point: picks the command, and maps every error to a clear message and exit code.
import { ERROR_CODES, WorkbookError } from '../errors.js';
import { killAllGroups } from '../live/processes.js';
import { prestartServices } from '../run/prestart.js';

type Command = (argv: string[]) => Promise<number>;
// Commands load lazily, so the services a grade needs can start booting first.
const commands: Record<string, () => Promise<Command>> = {
  grade: async () => (await import('./grade/index.js')).gradeCommand,
  start: async () => (await import('./start/index.js')).startCommand,
  lesson: async () => (await import('./lesson/index.js')).lessonCommand,
  hint: async () => (await import('./hint/index.js')).hintCommand,
  progress: async () => (await import('./progress/index.js')).progressCommand,
  reset: async () => (await import('./reset/index.js')).resetCommand,
  solution: async () => (await import('./solution/index.js')).solutionCommand,
  watch: async () => (await import('./watch/index.js')).watchCommand,
  class: async () => (await import('./class/index.js')).classCommand,
  'check-course': async () => (await import('./check-course/index.js')).checkCourseCommand,
};

/** Inside the class sandbox the grader starts as root and becomes the submission's own user before
 * anything else: every process it starts (the learner's code among them) runs as that user, and the
 * change of user also hides this process's pipes and memory from them. */
function dropPrivileges(): void {
  const uid = Number(process.env.WORKBOOK_SANDBOX_UID);
  if (!Number.isInteger(uid) || uid <= 0 || process.getuid?.() !== 0) return;
  process.setgroups?.([]);
  process.setgid!(uid);
  process.setuid!(uid);
}

async function main(): Promise<number> {
  dropPrivileges();
  let [name = 'start', ...argv] = process.argv.slice(2);
  // `npm run grade -- class DIR` grades a class of submissions.
  if (name === 'grade' && argv[0] === 'class') [name = 'class', ...argv] = argv;
  // `npm start -- hint B.3` arrives as `start hint B.3`.
  if (name === 'start' && argv[0] && argv[0] !== 'start' && argv[0] !== 'grade' && commands[argv[0]]) [name = 'start', ...argv] = argv;
  if (name === 'grade') prestartServices(argv);
  const load = commands[name];
  const command = load && (await load());
  if (!command) throw new WorkbookError('USAGE', `Unknown command "${name}". Commands: ${Object.keys(commands).join(', ')}`);
  return command(argv);
}

main().then(
  (code) => {
    killAllGroups();
    process.exit(code);
  },
  (error: unknown) => {
    killAllGroups();
    if (error instanceof WorkbookError) {
      console.error(`error [${error.code}]: ${error.message}`);
      process.exit(error.exitCode);
    }
    console.error(`The grader itself failed (this is not your code's fault): ${error instanceof Error ? error.stack : String(error)}`);
    process.exit(ERROR_CODES.INTERNAL.exit);
  },
);
