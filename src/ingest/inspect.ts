import { parseBagId, parseCbsCode } from '../address/codes.js';
import { normalisePostcode } from '../address/postcode.js';
import { parseHouseNumber } from '../address/housenumber.js';
import { printable, parseCsv } from './csv.js';
import { parseJson } from './geojson.js';
import { parseCountCell, parseDate, parseDecimal } from './values.js';
import { addressesInText, looksPersonalColumn, looksPersonalValue, namesInText } from '../privacy/identifiers.js';
import type { DecimalSeparator } from './csv.js';

export type ColumnRole = 'postcode' | 'pc6' | 'huisnummer' | 'huisletter' | 'toevoeging' | 'bag_id' | 'x' | 'y' | 'lat' | 'lon' | 'date' | 'count' | 'cbs_code' | 'block';
export type ColumnType = 'integer' | 'decimal' | 'date' | 'text' | 'empty';

export interface ColumnDescription {
  name: string;
  type: ColumnType;
  nulls: number;
  role: ColumnRole | null;
  /** True when the column looks like a direct identifier (name, BSN, e-mail, phone, birth date, IBAN). */
  personal: boolean;
  /** A few distinct values; never for personal columns. */
  examples: string[];
}

export interface FileDescription {
  file: string;
  format: 'csv' | 'geojson';
  encoding: string;
  bom: boolean;
  delimiter: string | null;
  decimal: DecimalSeparator | null;
  rows: number;
  columns: ColumnDescription[];
  /** GeoJSON only: geometry types and the coordinate system. */
  geometry?: { types: string[]; crs: string };
}

const blockName = /^(blok|bouwblok|adresblok|block)(_?id|_?code|nr)?$/i;

/** What a user needs before writing the project file: dialect, rows and per column type, nulls and role. */
export function inspectFile(bytes: Uint8Array, file: string): FileDescription {
  const start = new TextDecoder().decode(bytes.subarray(0, 200)).replace(/^\ufeff/, '').trimStart();
  if (/\.(geo)?json$/i.test(file) || start.startsWith('{')) return inspectGeoJson(bytes, file);
  const table = parseCsv(bytes, file);
  const columns = table.header.map((name, c) => describeColumn(name, table.column(c), table.dialect.decimal));
  return {
    file,
    format: 'csv',
    encoding: table.dialect.encoding,
    bom: table.dialect.bom,
    delimiter: printable(table.dialect.delimiter),
    decimal: table.dialect.decimal,
    rows: table.rowCount,
    columns,
  };
}

function inspectGeoJson(bytes: Uint8Array, file: string): FileDescription {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const json = parseJson(new TextDecoder().decode(bytes).replace(/^\ufeff/, ''), file) as {
    features?: { geometry?: { type?: string; coordinates?: unknown } | null; properties?: Record<string, unknown> | null }[];
    crs?: { properties?: { name?: string } };
  };
  const features = Array.isArray(json.features) ? json.features : [];
  const names = [...new Set(features.flatMap((feature) => Object.keys(feature.properties ?? {})))];
  const columns = names.map((name) =>
    describeColumn(name, features.map((feature) => stringOf(feature.properties?.[name])), '.'),
  );
  const types = [...new Set(features.map((feature) => feature.geometry?.type ?? 'null'))].sort();
  const crsName = json.crs?.properties?.name;
  const firstCoordinate = JSON.stringify(features[0]?.geometry?.coordinates ?? []).match(/-?\d+(\.\d+)?/)?.[0];
  const crs = crsName ?? (firstCoordinate && Math.abs(Number(firstCoordinate)) > 180 ? 'EPSG:28992 (guessed from the coordinates)' : 'EPSG:4326');
  return { file, format: 'geojson', encoding: 'utf-8', bom, delimiter: null, decimal: null, rows: features.length, columns, geometry: { types, crs } };
}

function stringOf(value: unknown): string {
  return value === null || value === undefined ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value);
}

export function describeColumn(name: string, values: readonly string[], decimal: DecimalSeparator): ColumnDescription {
  const present = values.map((v) => v.trim()).filter((v) => v !== '');
  const sample = present.slice(0, 500);
  const type = columnType(sample, decimal);
  const personal = looksPersonalColumn(name) || mostly(sample, looksPersonalValue);
  const role = personal ? null : columnRole(name, sample, type, decimal);
  // A value the identifier rules flag is never an example, also inside free text in an ordinary column.
  const examples = personal ? [] : [...new Set(sample)].filter((value) => !looksPersonalValue(value) && namesInText(value) === 0 && addressesInText(value) === 0).slice(0, 3);
  return { name, type, nulls: values.length - present.length, role, personal, examples };
}

function columnType(sample: string[], decimal: DecimalSeparator): ColumnType {
  if (sample.length === 0) return 'empty';
  if (mostly(sample, (v) => parseDate(v) !== undefined)) return 'date';
  const numbers = sample.filter((v) => parseCountCell(v, decimal).kind !== 'invalid');
  if (numbers.length / sample.length >= 0.95) {
    const known = numbers.map((v) => parseDecimal(v, decimal)).filter((v): v is number => v !== undefined);
    return known.every(Number.isInteger) ? 'integer' : 'decimal';
  }
  return 'text';
}

function columnRole(name: string, sample: string[], type: ColumnType, decimal: DecimalSeparator): ColumnRole | null {
  const key = name.toLowerCase().replace(/[\s_.-]+/g, '');
  const number = (v: string) => parseDecimal(v, decimal);
  if (sample.length === 0) return null;
  if (mostly(sample, (v) => normalisePostcode(v).ok)) {
    // A PC6 that occurs once per row is the key of an aggregated export; repeated, it is part of an address.
    return /pc6|postcode6/.test(key) || distinct(sample) ? 'pc6' : 'postcode';
  }
  if (mostly(sample, (v) => parseBagId(v).ok && /^\d{15,16}$/.test(v))) return 'bag_id';
  if (mostly(sample, (v) => parseCbsCode(v) !== undefined)) return 'cbs_code';
  if (blockName.test(key)) return 'block';
  if (/^(huisnummer|huisnr|hnr|nummer|nr|housenumber)$/.test(key) && mostly(sample, (v) => parseHouseNumber(v).ok)) return 'huisnummer';
  if (/letter|ltr/.test(key)) return 'huisletter';
  if (/toev|toevoeging|suffix/.test(key)) return 'toevoeging';
  if (/^(lat|latitude|breedtegraad|wgs84lat)$/.test(key)) return 'lat';
  if (/^(lon|lng|long|longitude|lengtegraad|wgs84lon)$/.test(key)) return 'lon';
  if (/^(x|xrd|rdx|xcoord|xcoordinaat|coordx)$/.test(key) && mostly(sample, (v) => (number(v) ?? -1) > 1000)) return 'x';
  if (/^(y|yrd|rdy|ycoord|ycoordinaat|coordy)$/.test(key) && mostly(sample, (v) => (number(v) ?? -1) > 1000)) return 'y';
  if (type === 'date' || /datum|date/.test(key)) return 'date';
  if (type === 'integer' && mostly(sample, (v) => (number(v) ?? 0) >= 0) && !/id$|code$|jaar|year/.test(key)) return 'count';
  return null;
}

function distinct(sample: string[]): boolean {
  const keys = sample.map((v) => v.replace(/\s+/g, '').toUpperCase());
  return new Set(keys).size === keys.length;
}

function mostly(sample: string[], test: (value: string) => boolean): boolean {
  if (sample.length === 0) return false;
  return sample.filter(test).length / sample.length >= 0.8;
}
