/**
 * Builds the CLI as a few ES module files in dist/ with esbuild. One file per lazily loaded part
 * instead of hundreds of small modules (@stdlib alone loads over a hundred) makes every start
 * about 100 ms quicker. Packages with native code, data files or worker threads beside their code stay external,
 * and fontkit, which pdfkit (external) loads: one copy, loaded once.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';

rmSync(new URL('../dist/', import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: ['src/cli/program.ts', 'src/cli/memory.ts'],
  outdir: 'dist/cli',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  external: ['@resvg/resvg-js', 'highs', 'pdfkit', 'fontkit', 'svg-to-pdfkit', 'playwright-core', 'canvas', 'read-excel-file', 'write-excel-file', 'sql.js'],
  // Bundled CommonJS packages call require() for Node's own modules.
  banner: { js: "import { createRequire as bundleRequire } from 'node:module'; const require = bundleRequire(import.meta.url);" },
  chunkNames: 'chunks/[name]-[hash]',
  logLevel: 'warning',
});
