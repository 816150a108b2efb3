import { Chalk, supportsColorStderr } from 'chalk';

/**
 * Colours for what goes to stderr: only when stderr itself is a terminal (not when stdout is and
 * stderr goes to a log file) and never with NO_COLOR set (no-color.org), which chalk ignores.
 */
export const stderrColour = new Chalk({ level: process.env.NO_COLOR ? 0 : supportsColorStderr ? supportsColorStderr.level : 0 });
