// A vitest reporter for the grader's own tests: each test's result by project, written as JSON to the
// file WORKBOOK_PROJECTS_FILE names (vitest's JSON report does not say which project a file ran in).
import { writeFileSync } from 'node:fs';

interface Err {
  name?: string;
  message?: string;
  stack?: string;
}
interface Suite {
  type: string;
  name?: string;
  parent?: Suite;
}
interface Case {
  name: string;
  parent: Suite;
  result(): { state: string; errors?: ReadonlyArray<Err> };
}
interface Module {
  moduleId: string;
  project: { name: string };
  errors(): ReadonlyArray<Err>;
  children: { allTests(): Iterable<Case> };
}

const text = (e: Err) => e.stack ?? `${e.name ?? 'Error'}: ${e.message ?? ''}`;

export default class ProjectReporter {
  onTestRunEnd(modules: ReadonlyArray<Module>, unhandled: ReadonlyArray<Err>): void {
    const file = process.env.WORKBOOK_PROJECTS_FILE;
    if (!file) return;
    const projects = modules.map((m) => ({
      project: m.project.name,
      file: m.moduleId,
      message: m.errors().map(text).join('\n'),
      tests: [...m.children.allTests()].map((t) => {
        const titles: string[] = [];
        for (let p: Suite | undefined = t.parent; p && p.type === 'suite'; p = p.parent) titles.unshift(p.name ?? '');
        const r = t.result();
        return { ancestorTitles: titles, title: t.name, status: r.state, failureMessages: (r.errors ?? []).map(text) };
      }),
    }));
    writeFileSync(file, JSON.stringify({ projects, unhandled: unhandled.map(text) }));
  }
}
