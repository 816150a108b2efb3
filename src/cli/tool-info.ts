import { readFileSync } from 'node:fs';

export interface ToolInfo {
  name: string;
  version: string;
}

/** Name and version from package.json, for outputs' metadata and `--version`. */
export function toolInfo(): ToolInfo {
  const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as ToolInfo;
  return { name: manifest.name, version: manifest.version };
}
