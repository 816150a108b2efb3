import type { AnalysisResult } from '../analysis/result.js';
import { stapelingText } from '../indicators/accumulation.js';
import { measureLabels } from '../indicators/builtins.js';

/** Above this many blocks only the machine table (blocks.csv) is written: a person reads a district, not a country. */
export const workbookBlockLimit = 5000;

type Cell = { value: string | number; type?: typeof String | typeof Number; fontWeight?: 'bold'; format?: string } | null;

const words = {
  nl: {
    blocks: 'Blokken', explanation: 'Toelichting', block: 'Blok', name: 'Bloknaam', addresses: 'Adressen in het adressenbestand',
    secret: 'geheim', unknown: 'onbekend', atLeast: 'minstens', column: 'Kolom', meaning: 'Betekenis',
    count: (key: string) => `Aantal per blok: ${key}. „geheim”: te klein om te delen (of eruit terug te rekenen); „minstens N”: de afzender hield kleine aantallen achter.`,
    indicator: (definition: string, unit: string) => `${definition} Waarde ${unit}, afgerond op twee decimalen; leeg: geen waarde, „geheim”: berekend uit een geheim aantal.`,
    idText: 'De code van het blok, zoals op de kaarten.', nameText: 'De naam van het blok (straten of buurt).', addressesText: 'Aantal adressen van het blok in het adressenbestand.',
    stapeling: 'Opeenstapeling (leefgebieden)',
    stapelingText: (domains: string[]) => `Aantal leefgebieden (${domains.join(', ')}) met een signaal of duidelijk boven de referentie; „2 tot 4”: twee zeker, en twee onbekend (geheim of kleine aantallen) die kunnen meetellen.`,
  },
  en: {
    blocks: 'Blocks', explanation: 'Explanation', block: 'Block', name: 'Block name', addresses: 'Addresses in the register',
    secret: 'hidden', unknown: 'unknown', atLeast: 'at least', column: 'Column', meaning: 'Meaning',
    count: (key: string) => `Count per block: ${key}. "hidden": too small to share (or to recover one); "at least N": the sender held back small counts.`,
    indicator: (definition: string, unit: string) => `${definition} Value ${unit}, rounded to two decimals; empty: no value, "hidden": computed from a hidden count.`,
    idText: 'The block\'s code, as on the maps.', nameText: 'The block\'s name (streets or neighbourhood).', addressesText: 'Number of the block\'s addresses in the register.',
    stapeling: 'Accumulation (domains)',
    stapelingText: (domains: string[]) => `Number of domains (${domains.join(', ')}) with a signal or clearly above the reference; “2 to 4”: two for sure, and two unknown (secret or small numbers) that may count.`,
  },
};

/**
 * blocks.xlsx, the table a person opens in Dutch Excel: one sheet with a row per block, the counts
 * and the indicators' values under headers one reads, "geheim" where disclosure control hid a
 * count, "minstens N" where the sender held cells back; a second sheet says what each column is.
 * blocks.csv stays the machine table.
 */
export async function blocksWorkbook(result: AnalysisResult, lang: 'nl' | 'en'): Promise<Buffer> {
  const w = words[lang];
  const { default: writeExcelFile } = await import('write-excel-file/node');
  const keys = Object.keys(result.blocks[0]?.counts ?? {});
  const acc = result.accumulation;
  const stapeling = acc ? [w.stapeling] : [];
  const header: Cell[] = [w.block, w.name, w.addresses, ...stapeling, ...keys.map((key) => countHeader(key, lang)), ...result.indicators.map((i) => `${i.label[lang]} (${i.unit[lang]})`)].map((value) => ({ value, fontWeight: 'bold' }));
  const rows: Cell[][] = result.blocks.map((block, b) => [
    { value: block.id },
    { value: block.label },
    { value: block.addresses, type: Number },
    // "2 tot 4": a range where unknown domains could add to it, so never a number Excel would sum.
    ...(acc ? [{ value: stapelingText(acc.blocks[b]!, lang) }] : []),
    ...keys.map((key): Cell => {
      const count = block.counts[key];
      if (count === null || count === undefined) return { value: w.secret };
      const unknown = block.unknown_cells[key] ?? 0;
      return unknown > 0 ? { value: `${w.atLeast} ${count}` } : { value: count, type: Number };
    }),
    ...result.indicators.map((indicator): Cell => {
      const shown = indicator.blocks.at(b);
      if (shown.suppressed) return { value: w.secret };
      return shown.value === null ? null : { value: Math.round(shown.value * 100) / 100, type: Number, format: '0.00' };
    }),
  ]);
  const explanation: Cell[][] = [
    [{ value: w.column, fontWeight: 'bold' }, { value: w.meaning, fontWeight: 'bold' }],
    [{ value: w.block }, { value: w.idText }],
    [{ value: w.name }, { value: w.nameText }],
    [{ value: w.addresses }, { value: w.addressesText }],
    ...(acc ? [[{ value: w.stapeling }, { value: w.stapelingText(acc.domains.map((d) => d.label[lang].toLowerCase())) }]] : []),
    ...keys.map((key): Cell[] => [{ value: countHeader(key, lang) }, { value: w.count(key) }]),
    ...result.indicators.map((i): Cell[] => [{ value: `${i.label[lang]} (${i.unit[lang]})` }, { value: w.indicator(i.definition[lang], i.unit[lang]) }]),
  ];
  const widths = header.map((cell) => ({ width: Math.min(40, Math.max(10, String(cell?.value ?? '').length + 2)) }));
  const written: Buffer = await writeExcelFile([
    { data: [header, ...rows], sheet: w.blocks, columns: widths, stickyRowsCount: 1 },
    { data: explanation, sheet: w.explanation, columns: [{ width: 40 }, { width: 100 }] },
  ] as never).toBuffer();
  // The zip stamps each part with the time of writing: zipped again with one fixed time, the same
  // analysis gives the same bytes.
  const { unzipSync, zipSync } = await import('fflate');
  return Buffer.from(zipSync(unzipSync(written), { mtime: new Date('2000-01-01T00:00:00Z') }));
}

/** "meldingen[burenoverlast]" → "overlastmeldingen: burenoverlast"; other keys as they are. */
function countHeader(key: string, lang: 'nl' | 'en'): string {
  const match = /^([^[]+)(?:\[(.+)\])?$/.exec(key);
  const base = match?.[1] ?? key;
  const label = measureLabels[base]?.[lang] ?? base;
  return match?.[2] ? `${label}: ${match[2]}` : label;
}
