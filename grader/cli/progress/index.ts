// `npm start -- progress`: each exercise ✓ / ✗ / not tried, from the latest grades (npm run grade updates them).
import { loadCourse } from '../../course/load.js';
import { readProgress } from '../../run/progress.js';

export async function progressCommand(): Promise<number> {
  const { progress, note } = readProgress();
  if (note) console.error(note);
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
      console.log(`  ${mark} ${e.id} ${e.title}${r ? ` (${r.points}/${r.max_points})` : ' (not tried)'}${hints}`);
    }
  }
  console.log(`\n${points}/${max} points`);
  return 0;
}
