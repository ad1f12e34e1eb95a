// The fallback where promtool is not installed: PromQL syntax checked with Prometheus' own lezer
// grammar (@prometheus-io/lezer-promql), and the metric names and functions an expression uses.
import { parser } from '@prometheus-io/lezer-promql';

export interface PromqlShape {
  /** Where the grammar could not continue (character offsets), empty when the syntax is fine. */
  errorsAt: number[];
  /** Metric names used in selectors. */
  metrics: string[];
  /** Function names called (rate, histogram_quantile, ...). */
  functions: string[];
  /** Aggregations with their grouping labels, e.g. "sum by (le)". */
  aggregations: string[];
}

export function inspectPromql(expr: string): PromqlShape {
  const tree = parser.parse(expr);
  const shape: PromqlShape = { errorsAt: [], metrics: [], functions: [], aggregations: [] };
  const text = (from: number, to: number) => expr.slice(from, to);
  tree.iterate({
    enter: (node) => {
      if (node.type.isError) shape.errorsAt.push(node.from);
      else if (node.name === 'VectorSelector') {
        const id = node.node.getChild('Identifier');
        if (id) shape.metrics.push(text(id.from, id.to));
        // {__name__="x"} selectors name their metric in a matcher
        const named = /__name__\s*=\s*"([^"]+)"/.exec(text(node.from, node.to));
        if (named?.[1]) shape.metrics.push(named[1]);
      } else if (node.name === 'FunctionIdentifier') shape.functions.push(text(node.from, node.to));
      else if (node.name === 'AggregateExpr') {
        const op = node.node.getChild('AggregateOp');
        const modifier = node.node.getChild('AggregateModifier');
        if (op) shape.aggregations.push([text(op.from, op.to), modifier ? text(modifier.from, modifier.to).replace(/\s+/g, ' ') : ''].filter(Boolean).join(' '));
      }
    },
  });
  return shape;
}

/** A message for the first syntax error, pointing at it, or undefined when the syntax is fine. */
export function syntaxProblem(expr: string): string | undefined {
  if (expr.trim() === '') return 'the expression is empty';
  const { errorsAt } = inspectPromql(expr);
  if (errorsAt.length === 0) return undefined;
  const at = errorsAt[0]!;
  return `PromQL syntax error at character ${at + 1}: ${expr.slice(0, at)}⟨here⟩${expr.slice(at)}`;
}
