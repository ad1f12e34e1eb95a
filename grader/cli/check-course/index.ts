// `npm run check-course`: the whole course validated without running any of it (for contributors).
import { loadCourse } from '../../course/load.js';
import { validateCourse } from '../../course/validate.js';
import { checkCourse } from './check.js';
import { PROJECT_ROOT } from '../../paths.js';

export async function checkCourseCommand(): Promise<number> {
  // The manifest's shape first (a malformed one is an error [COURSE_INVALID] naming each problem).
  const course = validateCourse(loadCourse());
  const problems = await checkCourse(course, PROJECT_ROOT);
  const exercises = course.sections.flatMap((s) => s.exercises);
  const criteria = exercises.flatMap((e) => e.criteria).length;
  for (const p of problems) console.log(`✗ ${p}`);
  console.log(
    problems.length
      ? `${problems.length} problem(s) in the course`
      : `course OK: ${course.sections.length} sections, ${exercises.length} exercises, ${criteria} criteria, each implemented once`,
  );
  return problems.length ? 1 : 0;
}
