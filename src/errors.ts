import type { Bilingual } from './indicators/builtins.js';

/**
 * A mistake in the user's input or usage, as opposed to a bug in the tool.
 * The CLI prints it without a stack trace and exits with code 2.
 *
 * @example
 * throw new UserError('column "Postcod" not found', {
 *   file: 'corporatie-a.csv', line: 1, column: 'Postcod',
 *   expected: 'a column named in sources[0].columns.postcode',
 *   fix: 'did you mean "Postcode"? Correct the name in buurtbalans.yml',
 * });
 */
export class UserError extends Error {
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly feature: number | undefined;
  readonly column: string | undefined;
  readonly expected: string | undefined;
  readonly fix: string | undefined;

  constructor(message: string, where: ErrorLocation = {}) {
    super(message);
    this.name = 'UserError';
    this.file = where.file;
    this.line = where.line;
    this.feature = where.feature;
    this.column = where.column;
    this.expected = where.expected;
    this.fix = where.fix;
  }

  /** The multi-line text the CLI shows: where, what, what was expected, what to do. */
  describe(): string {
    const place = [
      this.file,
      this.line !== undefined ? `line ${this.line}` : undefined,
      this.feature !== undefined ? `feature ${this.feature}` : undefined,
      this.column !== undefined ? `column "${this.column}"` : undefined,
    ].filter((part) => part !== undefined);
    const lines = [`error: ${place.length > 0 ? `${place.join(', ')}: ` : ''}${this.message}`];
    if (this.expected) lines.push(`  expected: ${this.expected}`);
    if (this.fix) lines.push(`  fix: ${this.fix}`);
    return lines.join('\n');
  }
}

export interface ErrorLocation {
  file?: string | undefined;
  line?: number | undefined;
  /** 0-based index of a GeoJSON feature. */
  feature?: number | undefined;
  column?: string | undefined;
  expected?: string | undefined;
  fix?: string | undefined;
}

/** A problem that does not stop the analysis but must be shown to the user. */
export interface Warning {
  code: string;
  source?: string;
  /** In English, for scripts that read analysis.json. */
  message: string;
  /** The same in both languages: a Dutch run says it in Dutch. */
  text: Bilingual;
}

export function warning(code: string, text: Bilingual, source?: string): Warning {
  return { code, ...(source !== undefined ? { source } : {}), message: text.en, text };
}

/** Thrown by a command to end with a given exit code after it printed its own output. */
export class ExitCode extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}
