// `npx tsx grader/test/helpers/try-fixtures.ts <criterion prefix> ... [--alternatives] [--why]`: grades the
// mutant, mistake (and with --alternatives, alternative) fixtures of the given criteria one by one and
// prints whether each fails exactly the criteria it should: a quick look before the full fixture tests.
import { allAlternatives, allMutants, heavyMistakes } from '../fixtures/all-mutants.js';
import { criteria, gradeVariant, statusById } from './submission.js';

const args = process.argv.slice(2);
const prefixes = args.filter((a) => !a.startsWith('--'));
const failingOf = (report: Parameters<typeof statusById>[0]) =>
  Object.entries(statusById(report))
    .filter(([, status]) => status !== 'pass')
    .map(([id]) => id)
    .sort();

for (const m of [...allMutants, ...heavyMistakes].filter((x) => prefixes.some((p) => x.criterion.startsWith(p)))) {
  const exercise = m.criterion.split('.').slice(0, 2).join('.');
  const { report } = await gradeVariant(m, [exercise]);
  const failing = failingOf(report);
  const want = [m.criterion, ...(m.alsoFails ?? [])].sort();
  const ok = JSON.stringify(failing) === JSON.stringify(want);
  console.log(`${ok ? 'ok  ' : 'BAD '} ${m.criterion} | ${m.bug.slice(0, 80)} | failing: ${failing.join(', ') || 'none'}`);
  if (!ok && args.includes('--why')) {
    for (const c of criteria(report)) if (c.status !== 'pass' && !want.includes(c.id)) console.log(`     ${c.id}: ${c.message.slice(0, 600)}`);
  }
}
if (args.includes('--alternatives')) {
  for (const a of allAlternatives.filter((x) => x.exercises.some((e) => prefixes.some((p) => e.startsWith(p) || p.startsWith(e))))) {
    const { report } = await gradeVariant(a, a.exercises);
    const failing = failingOf(report);
    console.log(`${failing.length ? 'BAD ' : 'ok  '} alternative: ${a.name} | failing: ${failing.join(', ') || 'none'}`);
  }
}
process.exit(0);
