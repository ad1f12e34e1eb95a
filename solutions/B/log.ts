// A tiny logger: one line per call on stdout. Section C replaces it with structured JSON logs.
export type LogFn = (message: string) => void;

export const log: LogFn = (message) => {
  process.stdout.write(`${new Date().toISOString()} ${message}\n`);
};
