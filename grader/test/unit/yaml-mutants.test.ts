// The YAML mutators of `npm run mutation`: what they change, and what they leave alone.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { applyMutant, codeEnd, otherDuration, yamlMutants } from '../../mutation/yaml-mutants.js';
import { PROJECT_ROOT } from '../../paths.js';

const RULES = `groups:
  - name: demo
    rules:
      - alert: HighErrorRate
        # a comment: rate(x[5m]) > 1 must stay as it is
        expr: |
          sum by (job) (rate(http_requests_total{job="api", status_code=~"5.."}[5m]))
          /
          sum by (job) (rate(http_requests_total{job="api"}[5m])) > 0.05
        for: 5m
        labels:
          severity: page
        annotations:
          summary: Errors > 5 % for 5m
`;

const mutated = (source: string) => yamlMutants(source).map((m) => ({ m, text: applyMutant(source, m) }));

describe('yaml mutants', () => {
  it('changes PromQL operators, windows, functions, matchers and grouping', () => {
    const kinds = new Set(yamlMutants(RULES).map((m) => m.mutator));
    for (const kind of ['ComparisonOperator', 'LabelMatcher', 'ArithmeticOperator', 'NumberLiteral', 'RangeWindow', 'FunctionName', 'Grouping', 'MatcherRemoval', 'Duration', 'StringLiteral', 'KeyRemoval', 'ItemRemoval']) {
      expect(kinds, kind).toContain(kind);
    }
    const texts = mutated(RULES).map((x) => x.text);
    expect(texts).toContain(RULES.replace('> 0.05', '>= 0.05'));
    expect(texts).toContain(RULES.replace('> 0.05', '> 0.5'));
    expect(texts).toContain(RULES.replace('status_code=~"5.."', 'status_code!~"5.."'));
    expect(texts).toContain(RULES.replace('{job="api"}', ''));
    expect(texts).toContain(RULES.replace('for: 5m', 'for: 30m'));
    expect(texts).toContain(RULES.replace('          /\n', '          *\n'));
  });

  it('leaves comments and text for people alone', () => {
    for (const { m, text } of mutated(RULES).filter((x) => !x.m.mutator.endsWith('Removal'))) {
      expect(text, m.mutator).toContain('# a comment: rate(x[5m]) > 1 must stay as it is');
      expect(text, m.mutator).toContain('summary: Errors > 5 % for 5m');
    }
  });

  it('removes whole blocks, so that most mutants are still YAML', () => {
    const removals = mutated(RULES).filter((x) => x.m.mutator === 'KeyRemoval' || x.m.mutator === 'ItemRemoval');
    expect(removals.length).toBeGreaterThan(3);
    for (const { text } of removals) expect(() => parse(text)).not.toThrow();
    expect(removals.map((x) => x.text)).toContain(RULES.replace('        labels:\n          severity: page\n', ''));
  });

  it('mutates every YAML file of the reference, each mutant different from the source', () => {
    for (const file of ['C/prometheus.yml', 'C/queries.yml', 'C/alerts.yml', 'F/slis.yml', 'F/slo-alerts.yml', 'F/alertmanager.yml']) {
      const source = readFileSync(path.join(PROJECT_ROOT, 'solutions', file), 'utf8');
      const all = mutated(source);
      expect(all.length, file).toBeGreaterThan(10);
      for (const { text } of all) expect(text).not.toBe(source);
      expect(new Set(all.map((x) => x.text)).size, `${file}: no two mutants alike`).toBe(all.length);
    }
  });

  it('finds where a comment starts, outside quotes', () => {
    expect(codeEnd("url: 'http://x/#a' # note")).toBe(19);
    expect(codeEnd('expr: up == 0')).toBe(13);
  });

  it('mixes up short and long windows by a factor of 6', () => {
    expect(otherDuration('5m')).toBe('30m');
    expect(otherDuration('1h')).toBe('10m');
    expect(otherDuration('3d')).toBe('12h');
    expect(otherDuration('15s')).toBe('90s');
    expect(otherDuration('soon')).toBeUndefined();
  });
});
