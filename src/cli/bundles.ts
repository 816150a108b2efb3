import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The browser bundles of vega, vega-lite and vega-embed from the installed packages, to inline in
 * the HTML report (no CDN). Found by walking up to node_modules, since their exports hide the files.
 */
export function vegaBundles(): string[] {
  return [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ].map(([name, file]) => readFileSync(packageFile(name!, file!), 'utf8'));
}

function packageFile(name: string, file: string): string {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', name, file);
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) throw new Error(`${name}/${file} not found: run npm install`);
  }
}
