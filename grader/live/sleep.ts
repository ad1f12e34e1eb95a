// Waiting without blocking: the one sleep helper of the grader.
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
