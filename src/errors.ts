/** Errors are values with an exit code and a hint; main.ts turns them into one stderr message. */

/** Every exit code notify uses; the rest of the code names them, never writes the number. */
export const EXIT = { ok: 0, incomplete: 1, usage: 2, unexpected: 70, interrupted: 130, terminated: 143 } as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export class NotifyError extends Error {
  constructor(
    message: string,
    readonly exitCode: ExitCode,
    readonly hint?: string,
    /** Raw text from below (a TLS library's message): shown only with --verbose. */
    readonly detail?: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** A mistake in the command line or a missing answer: exit 2, nothing sent. */
export class UsageError extends NotifyError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.usage, hint);
  }
}

export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  message: string;
  severity: 'error' | 'warning';
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.col}: ${d.severity === 'warning' ? 'warning: ' : ''}${d.message}`;
}

/** One or more problems in a file the user wrote (map, plan, template, log): exit 2. */
export class ConfigError extends NotifyError {
  constructor(readonly diagnostics: Diagnostic[], hint?: string) {
    super(diagnostics.map(formatDiagnostic).join('\n'), EXIT.usage, hint);
  }
}

/** The work could not be completed (a send failed, the project stays open): exit 1. */
export class IncompleteError extends NotifyError {
  constructor(message: string, hint?: string) {
    super(message, EXIT.incomplete, hint);
  }
}

/** Ctrl-C (130) or SIGTERM (143): the log is valid, the lock released. */
export class InterruptedError extends NotifyError {
  constructor(signal: 'SIGINT' | 'SIGTERM') {
    super(`interrupted by ${signal}; the log is consistent, run the same command again to resume`, signal === 'SIGINT' ? EXIT.interrupted : EXIT.terminated);
  }
}
