// Every error the workbook reports to a person, with its code and exit code, in one place.
export const ERROR_CODES = {
  USAGE: { exit: 2, summary: 'The command line could not be understood.' },
  UNKNOWN_SELECTOR: { exit: 2, summary: 'A section or exercise id that the course does not have.' },
  TARGET_MISSING: { exit: 2, summary: 'The folder to grade does not exist or has no exercise files.' },
  FILE_ACCESS: { exit: 2, summary: 'A file of yours could not be read or written; nothing was changed.' },
  COURSE_INVALID: { exit: 3, summary: 'The course manifest does not match its schema.' },
  INTERNAL: { exit: 3, summary: 'A fault in the grader itself, not in the code being graded.' },
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class WorkbookError extends Error {
  readonly code: ErrorCode;
  constructor(code: ErrorCode, message: string) {
    super(message);
    this.name = 'WorkbookError';
    this.code = code;
  }
  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }
}
