import { describe, expect, it } from 'vitest';
import { generateSample, type SampleSink } from '../../src/samples/generate.js';

function memorySink(): { sink: SampleSink; files: Map<string, string> } {
  const files = new Map<string, string>();
  const sink: SampleSink = ({ name }) => {
    const parts: string[] = [];
    return { write: (text) => void parts.push(text), close: () => void files.set(name, parts.join('')) };
  };
  return { sink, files };
}

describe('generateSample', () => {
  const first = memorySink();
  const truth = generateSample({ scale: 'buurt', seed: 42 }, first.sink);

  it('makes the same bytes from the same seed, and other bytes from another', () => {
    const again = memorySink();
    generateSample({ scale: 'buurt', seed: 42 }, again.sink);
    expect([...again.files]).toEqual([...first.files]);
    const other = memorySink();
    generateSample({ scale: 'buurt', seed: 43 }, other.sink);
    expect(other.files.get('meldingen.csv')).not.toBe(first.files.get('meldingen.csv'));
  });

  it('makes a buurt of about 1,500 addresses', () => {
    expect(truth.addresses_count).toBeGreaterThan(1300);
    expect(truth.addresses_count).toBeLessThan(1800);
    expect(first.files.get('adressen.csv')!.trim().split('\n')).toHaveLength(truth.addresses_count + 1);
  });

  it('plants nuisance at zorgmijders, not at omklapwoningen', () => {
    const { realised } = truth.effects.nuisance_from_zorgmijders;
    const rate = (group: keyof typeof realised) => realised[group].reports / realised[group].homes;
    expect(rate('zorgmijder') / rate('other')).toBeGreaterThan(3);
    expect(rate('omklapwoning') / rate('other')).toBeLessThan(2);
  });

  it('plants a cluster of isolated over-75s in bovenwoningen without lift', () => {
    const { realised, blocks } = truth.effects.isolated_75plus_cluster;
    expect(blocks).toHaveLength(4);
    expect(realised.cluster.single75 / realised.cluster.homes).toBeGreaterThan(2 * (realised.elsewhere.single75 / realised.elsewhere.homes));
  });

  it('writes no personal identifiers: no names, no birth dates, no BSN column', () => {
    for (const [name, text] of first.files) {
      if (!name.endsWith('.csv')) continue;
      const columns = text.split('\n')[0]!.toLowerCase().split(/[,;\t]/);
      for (const column of columns) expect(column).not.toMatch(/^"?(naam|voornaam|achternaam|geboortedatum|bsn|e-?mail|telefoon)"?$/);
    }
  });

  it('says in the README that everything is synthetic', () => {
    expect(first.files.get('README.md')).toContain('synthetic');
    expect(first.files.get('buurtbalans.yml')).toContain('Synthetic');
  });
});
