import { readFileSync } from 'node:fs';
import { findUp } from './find-up.js';

export interface ToolInfo {
  name: string;
  version: string;
}

let read: ToolInfo | undefined;

/** Name and version from package.json (read once), for outputs' metadata and `--version`. */
export function toolInfo(): ToolInfo {
  if (!read) {
    const manifest = JSON.parse(readFileSync(findUp('package.json'), 'utf8')) as ToolInfo;
    read = { name: manifest.name, version: manifest.version };
  }
  return read;
}
