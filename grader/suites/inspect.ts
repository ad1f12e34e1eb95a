// Reads what a prom-client metric really is, for the hidden suites' messages.
import type { Registry } from 'prom-client';

export interface MetricShape {
  name: string;
  type: string;
  help: string;
  labelNames: string[];
  buckets: number[] | undefined;
}

export async function shapeOf(registry: Registry, name: string): Promise<MetricShape | undefined> {
  const metric = registry.getSingleMetric(name);
  if (!metric) return undefined;
  const fields = metric as unknown as { labelNames?: string[]; help?: string; upperBounds?: number[] };
  const { type } = await metric.get();
  return {
    name,
    type: String(type),
    help: fields.help ?? '',
    labelNames: [...(fields.labelNames ?? [])].sort(),
    buckets: fields.upperBounds ? [...fields.upperBounds] : undefined,
  };
}

export function registeredNames(registry: Registry): string {
  const names = registry.getMetricsAsArray().map((m) => (m as unknown as { name: string }).name);
  return names.length ? names.join(', ') : '(none)';
}

/** Asserts the metric exists with the given type and labels, with a message a learner can act on. */
export async function expectShape(
  registry: Registry,
  name: string,
  want: { type: string; labelNames: string[]; buckets?: number[] },
): Promise<MetricShape> {
  const shape = await shapeOf(registry, name);
  if (!shape) throw new Error(`expected a metric named ${name} on the registry, saw: ${registeredNames(registry)}`);
  if (shape.type !== want.type) throw new Error(`expected ${name} to be a ${want.type}, saw a ${shape.type}`);
  if (shape.help.trim().length < 5 || /^todo$/i.test(shape.help.trim())) {
    throw new Error(`expected ${name} to have a help text that says what it measures, saw "${shape.help}"`);
  }
  const wantLabels = [...want.labelNames].sort();
  if (shape.labelNames.join(',') !== wantLabels.join(',')) {
    throw new Error(`expected ${name} labels [${wantLabels.join(', ')}], saw [${shape.labelNames.join(', ')}]`);
  }
  if (want.buckets && (shape.buckets ?? []).join(',') !== want.buckets.join(',')) {
    throw new Error(`expected ${name} buckets [${want.buckets.join(', ')}], saw [${(shape.buckets ?? []).join(', ')}]`);
  }
  return shape;
}
