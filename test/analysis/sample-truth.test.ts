import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyse } from '../../src/analysis/analyse.js';
import { loadProject } from '../../src/ingest/load.js';
import type { SampleTruth } from '../../src/samples/generate.js';

const sample = new URL('../../data-samples/rijnbuurt-west/', import.meta.url);
const truth = JSON.parse(readFileSync(new URL('truth.json', sample), 'utf8')) as SampleTruth;
const { result } = analyse(loadProject(new URL('buurtbalans.yml', sample).pathname, { name: 'buurtbalans', version: 'test' }));

describe('the committed Rijnbuurt West sample against its truth.json', () => {
  it('places at least 99% of the placeable records of every source', () => {
    for (const source of result.sources) {
      const expected = truth.sources[source.name]!;
      expect(source.rows_read).toBe(expected.rows);
      expect(source.rows_placed! / expected.placeable).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('gives the planted unplaceable records the planted reasons', () => {
    for (const source of result.sources) expect(source.unplaced_reasons, source.name).toEqual(truth.sources[source.name]!.unplaceable);
  });

  it('gives every block exactly the counts and unknown cells of truth.json', () => {
    expect(result.blocks.map((b) => b.id)).toEqual(Object.keys(truth.blocks));
    for (const block of result.blocks) {
      const expected = truth.blocks[block.id]!;
      for (const [key, value] of Object.entries(expected.counts)) expect(block.counts[key], `${block.id} ${key}`).toBeCloseTo(value, 9);
      for (const [key, value] of Object.entries(expected.unknown_cells)) expect(block.unknown_cells[key], `${block.id} ${key}`).toBe(value);
    }
  });

  it('reports the PC6 areas that are split over blocks', () => {
    expect(result.pc6_split).toHaveLength(truth.pc6_split);
    expect(truth.pc6_split).toBeGreaterThan(0);
  });

  it('detects each corporation dialect', () => {
    const dialect = Object.fromEntries(result.sources.map((s) => [s.name, [s.encoding, s.bom, s.delimiter, s.decimal]]));
    expect(dialect.corporatie_a).toEqual(['windows-1252', false, ';', ',']);
    expect(dialect.corporatie_b).toEqual(['utf-8', true, ',', '.']);
    expect(dialect.corporatie_c).toEqual(['utf-8', false, '\t', '.']);
    expect(dialect.corporatie_d).toEqual(['utf-8', false, ';', ',']);
    expect(dialect.bevolking).toEqual(['utf-8', true, ';', '.']);
  });

  it('uses all three address match levels on the sample', () => {
    const levels = result.sources.find((s) => s.name === 'corporatie_d')!.match_levels!;
    expect(levels.exact).toBeGreaterThan(0);
    expect(levels.number_letter).toBeGreaterThan(0);
    expect(levels.number).toBeGreaterThan(0);
  });
});
