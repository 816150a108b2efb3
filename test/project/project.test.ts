import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/project/load.js';
import { userError } from '../helpers.js';

const valid = `name: Rijnbuurt West
blocks: { file: blokken.geojson, id: blok_id, label: naam }
addresses:
  file: adressen.csv
  postcode: postcode
  huisnummer: huisnummer
  x: x
  y: y
  crs: EPSG:28992
sources:
  - name: corporatie_a
    file: corporatie-a.csv
    place_by: address
    columns: { postcode: Postcode, huisnummer: Huisnr, toevoeging: Toev }
  - name: zorg
    file: zorg.csv
    place_by: pc6
    columns: { pc6: PC6 }
    counts: [clienten, zorgmijders]
  - name: meldingen
    file: meldingen.csv
    place_by: point
    columns: { x: X, y: Y }
    crs: EPSG:28992
`;

describe('parseProject', () => {
  it('reads the project file of the issue', () => {
    const project = parseProject(valid, 'buurtbalans.yml');
    expect(project.name).toBe('Rijnbuurt West');
    expect(project.blocks).toEqual({ file: 'blokken.geojson', id: 'blok_id', label: 'naam' });
    expect(project.sources.map((s) => s.place_by)).toEqual(['address', 'pc6', 'point']);
    expect(project.sources[1]!.counts).toEqual(['clienten', 'zorgmijders']);
  });

  it('names the line of a YAML syntax error', () => {
    const error = userError(() => parseProject('name: x\nblocks: { file: a\nsources: [', 'p.yml'));
    expect(error.file).toBe('p.yml');
    expect(error.message).toContain('not valid YAML');
    expect(error.line).toBeGreaterThan(1);
  });

  it('names line, key and what is allowed for a wrong value', () => {
    const error = userError(() => parseProject(valid.replace('place_by: pc6', 'place_by: postcode'), 'buurtbalans.yml'));
    expect(error.line).toBe(17);
    expect(error.message).toContain('sources[1].place_by');
    expect(error.expected).toBe('one of: "address", "pc6", "block", "point", "bag", "area"');
  });

  it('suggests the key meant for an unknown key', () => {
    const error = userError(() => parseProject(valid.replace('    counts: [clienten', '    count: [clienten'), 'buurtbalans.yml'));
    expect(error.message).toBe('unknown key "count" in sources[1]');
    expect(error.line).toBe(19);
    expect(error.fix).toBe('did you mean "counts"?');
  });

  it('lists the column keys for an unknown key under columns:, and moves a source key that strayed there', () => {
    const strayed = userError(() => parseProject(valid.replace('columns: { x: X, y: Y }', 'columns: { x: X, y: Y, date: Datum }'), 'buurtbalans.yml'));
    expect(strayed.message).toBe('unknown key "date" in sources[2].columns');
    expect(strayed.expected).toMatch(/^one of: postcode, huisnummer, huisletter, toevoeging, pc6, .*\bx, y\b/);
    expect(strayed.fix).toBe('"date" belongs directly under sources[2], not under columns: move it to sources[2].date');
    const misspelt = userError(() => parseProject(valid.replace('columns: { pc6: PC6 }', 'columns: { pc: PC6 }'), 'buurtbalans.yml'));
    expect(misspelt.fix).toBe('did you mean "pc6"?');
  });

  it('reports a missing key', () => {
    const error = userError(() => parseProject(valid.replace('name: Rijnbuurt West\n', ''), 'buurtbalans.yml'));
    expect(error.message).toBe('missing key name');
  });

  it('refuses a source name with capitals and says what is allowed', () => {
    const error = userError(() => parseProject(valid.replace('name: zorg', 'name: Zorg'), 'buurtbalans.yml'));
    expect(error.line).toBe(15);
    expect(error.message).toContain('lower-case');
  });

  it('refuses duplicate source names', () => {
    const error = userError(() => parseProject(valid.replace('name: zorg', 'name: corporatie_a'), 'buurtbalans.yml'));
    expect(error.message).toContain('used twice');
    expect(error.line).toBe(15);
  });

  it('asks for the columns a route needs', () => {
    const error = userError(() => parseProject(valid.replace('columns: { x: X, y: Y }', 'columns: { x: X }'), 'buurtbalans.yml'));
    expect(error.message).toContain('has no columns.y');
    expect(error.fix).toContain('buurtbalans inspect meldingen.csv');
  });

  it('asks for a register when records are placed by address', () => {
    const withoutRegister = valid.replace(/addresses:\n(  .*\n)+/, '');
    const error = userError(() => parseProject(withoutRegister, 'buurtbalans.yml'));
    expect(error.message).toContain('needs an address register');
  });
});
