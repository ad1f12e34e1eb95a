// `npm start`: the menu in a terminal; without one, the course outline and the commands.
import { loadCourse } from '../../course/load.js';
import { SUBCOMMANDS } from '../commands.js';

export async function startCommand(): Promise<number> {
  if (process.stdin.isTTY && process.stdout.isTTY) return (await import('../menu/index.js')).menuCommand();
  const course = loadCourse();
  console.log(`${course.title}\n`);
  for (const section of course.sections) {
    console.log(`  ${section.id}  ${section.title}  (lesson: ${section.lesson})`);
    for (const e of section.exercises) console.log(`     ${e.id}  ${e.title}`);
  }
  console.log(`\nNo terminal here, so no menu. ${SUBCOMMANDS}`);
  return 0;
}
