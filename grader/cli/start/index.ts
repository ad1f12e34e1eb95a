// `npm start`: until the interactive menu lands, a short welcome and a grade of your exercises.
import { loadCourse } from '../../course/load.js';
import { gradeCommand } from '../grade/index.js';

export async function startCommand(argv: string[]): Promise<number> {
  const course = loadCourse();
  console.log(`${course.title}\n`);
  for (const section of course.sections) {
    console.log(`  ${section.id}  ${section.title}  (lesson: ${section.lesson})`);
    for (const e of section.exercises) console.log(`     ${e.id}  ${e.title}  — ${e.files.map((f) => `exercises/${f}`).join(', ')}`);
  }
  console.log('\nRead a lesson, edit the exercise file, then grade it: npm run grade -- B.2\nGrading all your exercises now…\n');
  await gradeCommand(argv);
  // An overview, not a check: unfinished exercises are expected here (npm run grade gives exit codes).
  return 0;
}
