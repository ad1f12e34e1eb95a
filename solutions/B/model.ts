// The "model" the service serves. It is deliberately simple: the course is about watching it.
export interface Model {
  version: string;
  predict(features: number[]): number;
  isHealthy(): boolean;
}

export function createModel(version: string): Model {
  return {
    version,
    /** A logistic score of the mean feature value: always between 0 and 1. */
    predict(features) {
      const mean = features.reduce((sum, x) => sum + x, 0) / features.length;
      return 1 / (1 + Math.exp(-(mean - 5) / 2));
    },
    isHealthy: () => true,
  };
}
