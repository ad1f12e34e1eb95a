// A Stryker reporter: one progress line per tested mutant, and one JSON line per mutant for the runner (kept when a run is cut short).
import { appendFileSync } from 'node:fs';
import type { MutantResult } from '@stryker-mutator/api/core';
import { declareClassPlugin, PluginKind } from '@stryker-mutator/api/plugin';
import type { DryRunCompletedEvent, MutationTestingPlanReadyEvent, Reporter } from '@stryker-mutator/api/report';
import { EVENTS_ENV } from './config.js';

/** What the runner reads back: the number of mutants to judge, then each mutant (lines and columns 1-based). */
export type RunEvent = { kind: 'plan'; total: number } | MutantEvent;

export interface MutantEvent {
  kind: 'mutant';
  id: string;
  status: string;
  mutator: string;
  file: string;
  start: { line: number; column: number };
  end: { line: number; column: number };
  replacement: string;
  reason: string;
}

const LABELS: Record<string, string> = {
  Killed: 'killed',
  Survived: 'SURVIVED',
  Timeout: 'timed out',
  NoCoverage: 'no coverage',
  RuntimeError: 'error',
  CompileError: 'error',
  Ignored: 'ignored',
};

function record(event: RunEvent): void {
  const file = process.env[EVENTS_ENV];
  if (file) appendFileSync(file, `${JSON.stringify(event)}\n`);
}

class WorkbookReporter implements Reporter {
  private total = 0;
  private done = 0;
  private readonly started = Date.now();

  onDryRunCompleted(event: DryRunCompletedEvent): void {
    console.log(`  the unmutated solution passes (${(event.timing.net / 1000).toFixed(1)} s)`);
  }

  onMutationTestingPlanReady(event: MutationTestingPlanReadyEvent): void {
    this.total = event.mutantPlans.length;
    record({ kind: 'plan', total: this.total });
    console.log(`  ${this.total} mutant(s) to judge`);
  }

  onMutantTested(result: Readonly<MutantResult>): void {
    this.done += 1;
    const event: MutantEvent = {
      kind: 'mutant',
      id: result.id,
      status: result.status,
      mutator: result.mutatorName,
      file: result.fileName,
      start: { line: result.location.start.line, column: result.location.start.column },
      end: { line: result.location.end.line, column: result.location.end.column },
      replacement: result.replacement ?? '',
      reason: result.statusReason ?? '',
    };
    record(event);
    const width = String(this.total).length;
    const elapsed = Math.round((Date.now() - this.started) / 1000);
    const where = `${event.file.split(/[\\/]solutions[\\/]/).pop()}:${event.start.line}`;
    console.log(`  [${String(this.done).padStart(width)}/${this.total}] ${(LABELS[event.status] ?? event.status).padEnd(11)} ${where} ${event.mutator} (${elapsed} s)`);
  }
}

export const strykerPlugins = [declareClassPlugin(PluginKind.Reporter, 'workbook', WorkbookReporter)];
