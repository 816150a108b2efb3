/**
 * Benchmark of the spatial statistics: 100,000 square polygons, knn:8, 999 permutations
 * (issue 4's target: under 30 s). Run: npm run bench:hotspots [-- --n 100000 --permutations 999]
 */
import { hotspots } from '../src/spatial/hotspots.js';
import { Random } from '../src/stats/random.js';
import type { Rings } from '../src/spatial/weights.js';

const argument = (name: string, fallback: number) => {
  const index = process.argv.indexOf(`--${name}`);
  return index >= 0 ? Number(process.argv[index + 1]) : fallback;
};
const n = argument('n', 100_000);
const permutations = argument('permutations', 999);
const side = Math.ceil(Math.sqrt(n));
const random = new Random(42);
const shapes: Rings[] = [];
const values: number[] = [];
for (let i = 0; i < n; i++) {
  const x = (i % side) * 100;
  const y = Math.floor(i / side) * 100;
  shapes.push([[Float64Array.from([x, y, x + 90, y, x + 90, y + 90, x, y + 90, x, y])]]);
  // A smooth surface plus noise, so there is something to find.
  values.push(Math.sin(x / 3000) + Math.cos(y / 2000) + random.next());
}
const ids = values.map((_, i) => i + 1);
const started = performance.now();
const result = hotspots(
  { variable: 'v', ids, values, shapes },
  { weights: { type: 'knn', k: 8 }, style: 'W', metric: 'planar', snap: 0.05, permutations, seed: 1, alpha: 0.05, correction: 'fdr' },
);
const seconds = (performance.now() - started) / 1000;
const hot = result.features.filter((f) => f.gi_star.spot === 'hot').length;
const memory = process.memoryUsage().rss / 2 ** 20;
console.log(`hotspots: ${n} polygons, knn:8, ${permutations} permutations: ${seconds.toFixed(1)} s, ${hot} hot spots, Moran's I ${result.global.moran?.I.toFixed(3)}, rss ${memory.toFixed(0)} MB`);
