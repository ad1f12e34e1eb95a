// The one entry point: picks the command, and maps every error to a clear message and exit code.
import { ERROR_CODES, WorkbookError } from '../errors.js';
import { killAllGroups } from '../processes.js';
import { COMMANDS, FLAGS, overview, type CommandSpec } from './commands.js';
import { didYouMean } from '../suggest.js';

type Command = (argv: string[]) => Promise<number>;
// Commands load lazily: a command pays only for what it uses.
const commands: Record<string, () => Promise<Command>> = {
  grade: async () => (await import('./grade/index.js')).gradeCommand,
  start: async () => (await import('./start/index.js')).startCommand,
  lesson: async () => (await import('./lesson/index.js')).lessonCommand,
  hint: async () => (await import('./hint/index.js')).hintCommand,
  progress: async () => (await import('./progress/index.js')).progressCommand,
  reset: async () => (await import('./reset/index.js')).resetCommand,
  restore: async () => (await import('./reset/index.js')).restoreCommand,
  solution: async () => (await import('./solution/index.js')).solutionCommand,
  watch: async () => {
    const { watchCommand } = await import('./watch/index.js');
    return (argv) => watchCommand(argv, async () => (await import('./menu/index.js')).menuCommand());
  },
  class: async () => (await import('./class/index.js')).classCommand,
  'check-course': async () => (await import('./check-course/index.js')).checkCourseCommand,
};

/** Unknown options are refused with the right spelling, before anything runs. */
function checkOptions(name: string, spec: CommandSpec, argv: string[]): void {
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') break;
    if (!arg.startsWith('-') || arg === '-') continue;
    const option = arg.startsWith('--') ? arg.slice(2).split('=')[0] ?? '' : arg.slice(1);
    if (arg.startsWith('--') ? spec.options.includes(option) || option === 'help' : option === 'h') {
      if (arg.startsWith('--') && !arg.includes('=') && !FLAGS.has(option)) i++; // its value, whatever it looks like
      continue;
    }
    const hint = didYouMean(option, [...spec.options, 'help'], (o) => `--${o}`);
    const takes = spec.options.length ? `${name} takes: ${spec.options.map((o) => `--${o}`).join(', ')}, --help` : `${name} takes no options but --help`;
    throw new WorkbookError('USAGE', `Unknown option ${arg} for ${name}.${hint} (${takes})`);
  }
}

async function main(): Promise<number> {
  let [name = 'start', ...argv] = process.argv.slice(2);
  if (name === '--help' || name === '-h' || name === 'help') [name = 'start', ...argv] = ['start', '--help'];
  // `npm run grade -- class DIR` grades a class of submissions.
  if (name === 'grade' && argv[0] === 'class') [name = 'class', ...argv] = argv;
  // `npm start -- hint B.3` arrives as `start hint B.3`; `npm start -- --help` as `start --help`.
  if (name === 'start' && argv[0] !== undefined) {
    const [first = '', ...rest] = argv;
    if (first === '--help' || first === '-h') {
      console.log(overview());
      return 0;
    }
    if (!first.startsWith('-')) {
      name = first;
      argv = rest;
    }
  }
  const load = commands[name];
  const spec = COMMANDS[name];
  if (!load || !spec) throw new WorkbookError('USAGE', `Unknown command "${name}".${didYouMean(name, Object.keys(commands))}\n\n${overview()}`);
  if (name !== 'class' && (argv.includes('--help') || argv.includes('-h'))) {
    console.log(spec.usage);
    return 0;
  }
  if (name !== 'class') checkOptions(name, spec, argv);
  const command = await load();
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
