import { readFileSync } from 'node:fs';
import { findUp } from './find-up.js';

/**
 * The browser bundles of vega, vega-lite and vega-embed from the installed packages, to inline in
 * the HTML report (no CDN). Found by walking up to node_modules, since their exports hide the files.
 */
export function vegaBundles(): string[] {
  return [
    ['vega', 'build/vega.min.js'],
    ['vega-lite', 'build/vega-lite.min.js'],
    ['vega-embed', 'build/vega-embed.min.js'],
  ].map(([name, file]) => readFileSync(findUp(`node_modules/${name}/${file}`), 'utf8'));
}
