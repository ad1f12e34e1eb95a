// The "model" the service serves. Given. It can be switched unhealthy (see routes.ts) so that the
// health check (C.2) has something real to report.
export interface Model {
  version: string;
  name: string;
  predict(features: number[]): number;
  isHealthy(): boolean;
  setHealthy(healthy: boolean): void;
}

export function createModel(version: string): Model {
  let healthy = true;
  return {
    version,
    name: 'mean-logistic',
    /** A logistic score of the mean feature value: always between 0 and 1. */
    predict(features) {
      const mean = features.reduce((sum, x) => sum + x, 0) / features.length;
      return 1 / (1 + Math.exp(-(mean - 5) / 2));
    },
    isHealthy: () => healthy,
    setHealthy(value) {
      healthy = value;
    },
  };
}
