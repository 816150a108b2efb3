import { describe, expect, it } from 'vitest';
import { readableColumn } from '../../src/indicators/defaults.js';

describe('readableColumn', () => {
  it('makes the column names of real exports (CBS Kerncijfers, corporations) labels a reader takes in', () => {
    expect(readableColumn('inwoners65plus')).toBe('Inwoners 65+');
    expect(readableColumn('inwoners0tot15')).toBe('Inwoners 0 tot 15');
    expect(readableColumn('aantal_huishoudens')).toBe('Aantal huishoudens');
    expect(readableColumn('inkomenPerInwoner')).toBe('Inkomen per inwoner');
    // Names already written for people stay as they are.
    expect(readableColumn('Huishoudens in beeld')).toBe('Huishoudens in beeld');
    expect(readableColumn('Alleenstaande 75-plussers')).toBe('Alleenstaande 75-plussers');
  });
});
