// Runs inside a child process: imports the learner's SLO rule generator and writes what it makes of
// each spec (the YAML text, or the error it threw) to a JSON file the grader reads.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modulePath = '', specsFile = '', outFile = ''] = process.argv.slice(2);
const specs = JSON.parse(readFileSync(specsFile, 'utf8')) as unknown[];
const results: Array<{ yaml?: unknown; error?: string }> = [];
try {
  const mod = (await import(pathToFileURL(modulePath).href)) as { generateRules?: unknown };
  if (typeof mod.generateRules !== 'function') throw new Error('the module does not export a function named generateRules');
  for (const spec of specs) {
    try {
      results.push({ yaml: (mod.generateRules as (s: unknown) => unknown)(spec) });
    } catch (error) {
      results.push({ error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) });
    }
  }
  writeFileSync(outFile, JSON.stringify({ results }));
} catch (error) {
  writeFileSync(outFile, JSON.stringify({ loadError: error instanceof Error ? (error.stack ?? error.message) : String(error) }));
}
process.exit(0);
