// `npm start -- progress`: each exercise ✓ / ✗ / not tried, from the latest grades (npm run grade updates
// them); a missing or corrupt progress file is rebuilt from a fresh grade.
import { loadCourse } from '../../course/load.js';
import { existsSync } from 'node:fs';
import { grade } from '../../run/grade.js';
import { PROGRESS_FILE, readProgress, recordReport } from '../../run/progress.js';
import { resolveTarget } from '../../run/target.js';

export async function progressCommand(): Promise<number> {
  const read = readProgress();
  let { progress } = read;
  const { note } = read;
  if (note || !existsSync(PROGRESS_FILE)) {
    // Missing or unreadable: rebuild it from a fresh grade of the learner's exercises.
    console.error(`${note ?? 'No progress recorded yet'}: grading your exercises to rebuild it (this takes a minute)…`);
    recordReport(await grade({ course: loadCourse(), selectors: [], target: resolveTarget({}) }));
    ({ progress } = readProgress());
  }
  let points = 0;
  let max = 0;
  for (const section of loadCourse().sections) {
    console.log(`${section.id}  ${section.title}`);
    for (const e of section.exercises) {
      const r = progress.results[e.id];
      const mark = !r ? '·' : r.status === 'pass' ? '✓' : '✗';
      points += r?.points ?? 0;
      max += e.criteria.reduce((a, c) => a + c.points, 0);
      const hints = progress.hints[e.id] ? `, ${progress.hints[e.id]} hint(s) seen` : '';
      const types = r?.type_errors?.length ? `, not done: ${r.type_errors.join(', ')} ${r.type_errors.length > 1 ? 'do' : 'does'} not type-check` : '';
      console.log(`  ${mark} ${e.id} ${e.title}${r ? ` (${r.points}/${r.max_points})` : ' (not tried)'}${types}${hints}`);
    }
  }
  console.log(`\n${points}/${max} points`);
  return 0;
}
