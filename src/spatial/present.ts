import type { Geometry } from 'geojson';
import type { PolygonCrs } from '../ingest/polygons.js';
import type { HotspotResult } from './hotspots.js';
import type { Rings } from './weights.js';
import { defaultSnapMetres } from './defaults.js';

/**
 * Default vertex snap, as in `analyse`: 25 m in RD New, as many metres in degrees for WGS84; for
 * planar data of unknown units a ten-millionth of the extent.
 */
export function defaultSnap(crs: PolygonCrs, shapes: readonly Rings[]): number {
  if (crs === 'EPSG:28992') return defaultSnapMetres;
  if (crs === 'EPSG:4326') return defaultSnapMetres / metresPerDegree;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const shape of shapes) for (const polygon of shape) for (const ring of polygon) {
    for (let p = 0; p + 1 < ring.length; p += 2) {
      minX = Math.min(minX, ring[p]!);
      maxX = Math.max(maxX, ring[p]!);
      minY = Math.min(minY, ring[p + 1]!);
      maxY = Math.max(maxY, ring[p + 1]!);
    }
  }
  return Math.max(maxX - minX, maxY - minY, 1e-9) * 1e-7;
}

/** A snap in metres in the layer's coordinates (1° taken as 111.32 km, as for the snap everywhere). */
export function snapInUnits(metres: number, crs: PolygonCrs): number {
  return crs === 'EPSG:4326' ? metres / metresPerDegree : metres;
}

const metresPerDegree = 111_320;

/** The readable summary: global Moran's I in one sentence, cluster and hot-spot counts. */
export function hotspotSummary(result: HotspotResult, crs: string): string {
  const w = result.weights;
  const snapMetres = w.snap === undefined ? undefined : crs === 'EPSG:4326' ? w.snap * metresPerDegree : w.snap;
  const snap = snapMetres === undefined ? '' : crs === 'planar' ? `, vertices within ${w.snap}` : `, vertices within ${Number(snapMetres.toPrecision(3))} m`;
  const spec = w.type === 'knn' ? `knn:${w.k}` : w.type === 'distance' ? `distance:${w.distance}` : w.type;
  const lines = [
    `${result.variable} on ${result.n} areas (${crs}), ${spec} weights (${w.style}${snap}), ${w.links} links, ${w.islands.length === 0 ? 'no islands' : `${w.islands.length} islands`}, ${w.min_neighbors}-${w.max_neighbors} neighbours`,
  ];
  const moran = result.global.moran;
  if (moran) {
    const p = moran.p_norm < 0.001 ? 'p < 0.001' : `p = ${moran.p_norm.toFixed(3)}`;
    const meaning =
      moran.p_norm >= 0.05
        ? 'no evidence that similar values cluster in space.'
        : moran.I > moran.expected
          ? 'similar values cluster in space (positive spatial autocorrelation).'
          : 'neighbouring areas tend to differ (negative spatial autocorrelation).';
    lines.push(`Global Moran's I = ${moran.I.toFixed(3)} (expected ${moran.expected.toFixed(3)}, z = ${moran.z.toFixed(2)}, ${p}${moran.p_sim === null ? '' : `, p_sim = ${moran.p_sim.toFixed(3)}`}): ${meaning}`);
    const count = (cluster: string) => result.features.filter((f) => f.local_moran.significant && f.local_moran.cluster === cluster).length;
    lines.push(`Local Moran clusters, significant at ${result.alpha} after ${result.correction} correction (${result.permutations} permutations): HH ${count('HH')}, LL ${count('LL')}, HL ${count('HL')}, LH ${count('LH')}`);
    lines.push(`Gi* hot spots: ${result.features.filter((f) => f.gi_star.spot === 'hot').length}, cold spots: ${result.features.filter((f) => f.gi_star.spot === 'cold').length}`);
  }
  for (const note of result.notes) lines.push(`note: ${note}`);
  return `${lines.join('\n')}\n`;
}

/** The input features with the statistics added as properties (for QGIS and friends). */
export function withStatistics(features: { type: 'Feature'; properties: Record<string, unknown>; geometry: Geometry }[], result: HotspotResult): string {
  const out = features.map((feature, i) => {
    const s = result.features[i]!;
    return {
      ...feature,
      properties: {
        ...feature.properties,
        lisa_i: s.local_moran.I,
        lisa_z: s.local_moran.z,
        lisa_z_conditional: s.local_moran.z_conditional,
        lisa_p_sim: s.local_moran.p_sim,
        lisa_cluster: s.local_moran.cluster,
        lisa_significant: s.local_moran.significant,
        gi_star_z: s.gi_star.z,
        gi_star_p_sim: s.gi_star.p_sim,
        gi_star_significant: s.gi_star.significant,
        gi_star_spot: s.gi_star.spot,
        gi_z: s.gi.z,
      },
    };
  });
  return `${JSON.stringify({ type: 'FeatureCollection', features: out })}\n`;
}
