import { z } from 'zod';

/** Coordinate reference systems the tool reads: RD New and WGS84. */
export const crsNames = ['EPSG:28992', 'EPSG:4326'] as const;
export type CrsName = (typeof crsNames)[number];

export const placeByRoutes = ['address', 'pc6', 'block', 'point', 'bag'] as const;
export type PlaceBy = (typeof placeByRoutes)[number];

/** CSV dialect settings a user may give to override detection. */
const dialect = {
  encoding: z.enum(['utf-8', 'windows-1252', 'utf-16le', 'utf-16be']).optional(),
  delimiter: z.enum([';', ',', '\t', '|', 'tab']).optional(),
  decimal: z.enum([',', '.']).optional(),
  header_line: z.number().int().min(1).optional(),
};

const columnName = z.string().min(1);

const sourceColumns = z.strictObject({
  postcode: columnName.optional(),
  huisnummer: columnName.optional(),
  huisletter: columnName.optional(),
  toevoeging: columnName.optional(),
  pc6: columnName.optional(),
  block: columnName.optional(),
  bag: columnName.optional(),
  x: columnName.optional(),
  y: columnName.optional(),
});
export type SourceColumns = z.infer<typeof sourceColumns>;

const source = z.strictObject({
  name: z.string().regex(/^[a-z0-9_]+$/, 'use only lower-case letters, digits and _ (for example corporatie_a)'),
  file: z.string().min(1),
  place_by: z.enum(placeByRoutes),
  columns: sourceColumns,
  counts: z.array(columnName).min(1).optional(),
  crs: z.enum(crsNames).optional(),
  organisation: z.string().optional(),
  ...dialect,
});
export type SourceConfig = z.infer<typeof source>;

const blocks = z.strictObject({
  file: z.string().min(1),
  id: columnName,
  label: columnName.optional(),
  crs: z.enum(crsNames).optional(),
});
export type BlocksConfig = z.infer<typeof blocks>;

const addresses = z.strictObject({
  file: z.string().min(1),
  postcode: columnName,
  huisnummer: columnName,
  huisletter: columnName.optional(),
  toevoeging: columnName.optional(),
  x: columnName.optional(),
  y: columnName.optional(),
  crs: z.enum(crsNames).optional(),
  block: columnName.optional(),
  bag: z.union([columnName, z.array(columnName).min(1)]).optional(),
  ...dialect,
});
export type AddressesConfig = z.infer<typeof addresses>;

export const projectSchema = z.strictObject({
  name: z.string().min(1),
  period: z.string().optional(),
  blocks,
  addresses: addresses.optional(),
  sources: z.array(source).min(1),
});

/** A validated project file, with every path still as the user wrote it (relative to the project file). */
export type ProjectConfig = z.infer<typeof projectSchema>;
