import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The nearest `relativePath` in this module's folder or a folder above it: the same answer from
 * src/ (tests), from dist/ and from the bundle's chunk folder.
 */
export function findUp(relativePath: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, relativePath);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${relativePath} not found above ${fileURLToPath(import.meta.url)}: run npm install`);
  }
}
