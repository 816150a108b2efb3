import { describe, expect, it } from 'vitest';
import { isBsn, isIban, looksPersonalColumn } from '../../src/privacy/identifiers.js';

describe('identifier rules', () => {
  it('treats every name the scan rules know as a personal column, and leaves address columns alone', () => {
    for (const name of ['naam', 'Achternaam', 'roepnaam', 'firstname', 'surname', 'initialen', 'BSN', 'geboortedatum', 'e-mail', 'telefoon', 'IBAN']) {
      expect(looksPersonalColumn(name), name).toBe(true);
    }
    for (const name of ['postcode', 'huisnummer', 'straatnaam', 'blok_id', 'aantal']) {
      expect(looksPersonalColumn(name), name).toBe(false);
    }
  });

  it('checks BSN and IBAN with their published check digits', () => {
    expect(isBsn('111222333')).toBe(true);
    expect(isBsn('123456782')).toBe(true);
    expect(isBsn('123456789')).toBe(false);
    expect(isIban('NL91ABNA0417164300')).toBe(true);
    expect(isIban('NL91ABNA0417164301')).toBe(false);
  });
});
