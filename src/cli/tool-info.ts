import { readFileSync } from 'node:fs';
import { findUp } from './find-up.js';

export interface ToolInfo {
  name: string;
  version: string;
}

/** Name and version from package.json, for outputs' metadata and `--version`. */
export function toolInfo(): ToolInfo {
  const manifest = JSON.parse(readFileSync(findUp('package.json'), 'utf8')) as ToolInfo;
  return { name: manifest.name, version: manifest.version };
}
