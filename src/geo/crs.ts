import proj4 from 'proj4';
import type { CrsName } from '../project/schema.js';

/** RD New with the datum shift to WGS84; without +towgs84 positions are ~115 m off. */
const rdNew =
  '+proj=sterea +lat_0=52.15616055555555 +lon_0=5.38763888888889 +k=0.9999079 +x_0=155000 +y_0=463000 ' +
  '+ellps=bessel +towgs84=565.417,50.3319,465.552,-0.398957,0.343988,-1.8774,4.0725 +units=m +no_defs';
const rdToWgs84 = proj4(rdNew, 'EPSG:4326');

/** RD New (x, y in metres) to WGS84 [lon, lat]. */
export function rdToLonLat(x: number, y: number): [number, number] {
  return rdToWgs84.forward([x, y]) as [number, number];
}

/** WGS84 lon/lat to RD New [x, y] in metres. */
export function lonLatToRd(lon: number, lat: number): [number, number] {
  return rdToWgs84.inverse([lon, lat]) as [number, number];
}

/** Rough extent of the Netherlands in each CRS, generous enough for border areas and the sea. */
const netherlands: Record<CrsName, { minX: number; maxX: number; minY: number; maxY: number }> = {
  'EPSG:28992': { minX: -7000, maxX: 300000, minY: 289000, maxY: 629000 },
  'EPSG:4326': { minX: 3.2, maxX: 7.3, minY: 50.7, maxY: 53.7 },
};

export function insideNetherlands(x: number, y: number, crs: CrsName): boolean {
  const box = netherlands[crs];
  return x >= box.minX && x <= box.maxX && y >= box.minY && y <= box.maxY;
}

/**
 * Why coordinates that fall outside the Netherlands are probably wrong, and what to set instead.
 * Returns undefined when no common mistake explains them.
 */
export function diagnoseCoordinates(x: number, y: number, crs: CrsName): string | undefined {
  if (insideNetherlands(y, x, crs)) return `x and y look swapped (${x}, ${y}); exchange the x and y columns`;
  const other: CrsName = crs === 'EPSG:28992' ? 'EPSG:4326' : 'EPSG:28992';
  if (insideNetherlands(x, y, other)) return `they look like ${describeCrs(other)}; set crs: ${other}`;
  if (insideNetherlands(y, x, other)) return `they look like ${describeCrs(other)} with the two columns swapped; set crs: ${other} and exchange x and y`;
  return undefined;
}

export function describeCrs(crs: CrsName): string {
  return crs === 'EPSG:28992' ? 'RD New metres (EPSG:28992)' : 'WGS84 lon/lat degrees (EPSG:4326)';
}

/** Converts a point in the given CRS to RD New, the working CRS of every placement. */
export function toRd(x: number, y: number, crs: CrsName): [number, number] {
  return crs === 'EPSG:28992' ? [x, y] : lonLatToRd(x, y);
}
