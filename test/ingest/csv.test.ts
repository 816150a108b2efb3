import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { columnIndex, parseCsv } from '../../src/ingest/csv.js';
import { parseCountCell, parseDecimal } from '../../src/ingest/values.js';
import { rowsOf, userError, utf8 } from '../helpers.js';

const withBom = (text: string) => new Uint8Array([0xef, 0xbb, 0xbf, ...utf8(text)]);


describe('parseCsv dialects', () => {
  it('reads ";" with decimal comma in Windows-1252 (Excel NL)', () => {
    const bytes = iconv.encode('Postcode;Opp m²;Omschrijving\r\n1079AB;64,5;één trap\r\n1079AC;1.234,5;café\r\n', 'windows-1252');
    const table = parseCsv(bytes, 'a.csv');
    expect(table.dialect).toEqual({ encoding: 'windows-1252', bom: false, delimiter: ';', decimal: ',' });
    expect(table.header).toEqual(['Postcode', 'Opp m²', 'Omschrijving']);
    expect(table.row(0)).toEqual(['1079AB', '64,5', 'één trap']);
    expect(table.cell(1, 2)).toBe('café');
    expect([...table.lines]).toEqual([2, 3]);
  });

  it('reads "," in UTF-8 with BOM, without the BOM in the first column name', () => {
    const table = parseCsv(withBom('postcode,aantal,x\n1079 ab,3,121000.5\n'), 'b.csv');
    expect(table.dialect).toEqual({ encoding: 'utf-8', bom: true, delimiter: ',', decimal: '.' });
    expect(table.header[0]).toBe('postcode');
  });

  it('reads tab-separated UTF-8', () => {
    const table = parseCsv(utf8('bag\tverdieping\n0363200000000001\t2\n'), 'c.tsv');
    expect(table.dialect.delimiter).toBe('\t');
    expect(rowsOf(table)).toEqual([['0363200000000001', '2']]);
  });

  it('reads quoted fields with delimiters and newlines, and keeps the line each record starts on', () => {
    const text = 'PC;Opmerking;Opp\n1079AB;"Trap smal;\nbewoner 80+";72,3\n\n1079AC;"Zegt ""hallo""";60,1\r\n';
    const table = parseCsv(utf8(text), 'd.csv');
    expect(rowsOf(table)).toEqual([
      ['1079AB', 'Trap smal;\nbewoner 80+', '72,3'],
      ['1079AC', 'Zegt "hallo"', '60,1'],
    ]);
    expect([...table.lines]).toEqual([2, 5]);
    expect(table.emptyLines).toBe(1);
    expect(table.dialect.decimal).toBe(',');
  });

  it('does not take decimal commas for the delimiter', () => {
    const text = 'X;Y;Categorie\n121702,35;483700,12;burenoverlast\n121705,10;483701,50;schade\n';
    expect(parseCsv(utf8(text), 'm.csv').dialect).toMatchObject({ delimiter: ';', decimal: ',' });
  });

  it('reads UTF-16 with its BOM', () => {
    const bytes = new Uint8Array([0xff, 0xfe, ...iconv.encode('a;b\n1;2\n', 'utf-16le')]);
    const table = parseCsv(bytes, 'u.csv');
    expect(table.dialect.encoding).toBe('utf-16le');
    expect(rowsOf(table)).toEqual([['1', '2']]);
  });

  it('follows the "sep=" line Excel writes, and keeps the line numbers of the file', () => {
    const table = parseCsv(utf8('sep=,\r\nPostcode,Opp\r\n1079AB,"64,5"\r\n'), 'sep.csv');
    expect(table.header).toEqual(['Postcode', 'Opp']);
    expect(table.dialect.delimiter).toBe(',');
    expect([...table.lines]).toEqual([3]);
  });

  it('reads the header below title lines with `header_line`, keeping the file\'s line numbers', () => {
    const text = 'Overzicht woningen Rijnbuurt\nPeildatum 1-1-2025\n\nPostcode;Huisnr\n1079AB;12\n1079AC;14\n';
    const error = userError(() => parseCsv(utf8(text), 't.csv'));
    expect(error.message).toBe('the column names seem to be on line 4, below a title');
    expect(error.fix).toContain('header_line: 4');
    const table = parseCsv(utf8(text), 't.csv', { headerLine: 4 });
    expect(table.header).toEqual(['Postcode', 'Huisnr']);
    expect([...table.lines]).toEqual([5, 6]);
  });

  it('honours overrides from the project file', () => {
    const table = parseCsv(utf8('a|b\n1,5|2\n'), 'o.csv', { delimiter: '|', decimal: ',' });
    expect(table.dialect).toMatchObject({ delimiter: '|', decimal: ',' });
  });

  it('skips lines that hold only delimiters and counts them', () => {
    const table = parseCsv(utf8('a;b\n1;2\n;;\n;\n3;4\n'), 'e.csv');
    expect(table.rowCount).toBe(2);
    expect([...table.lines]).toEqual([2, 5]);
    expect(table.emptyLines).toBe(2);
  });
});

describe('parseCsv bad input', () => {
  it('names an Excel workbook and says how to save it as CSV', () => {
    const error = userError(() => parseCsv(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]), 'export.xlsx'));
    expect(error.message).toContain('Excel workbook');
    expect(error.file).toBe('export.xlsx');
    expect(error.fix).toContain('CSV');
  });

  it('refuses a dialect it cannot detect and asks for `delimiter:`', () => {
    const error = userError(() => parseCsv(utf8('a;b;c\n1,2;3\n4;5,6,7;8;9\n1\n'), 'x.csv'));
    expect(error.message).toContain('dialect cannot be detected');
    expect(error.line).toBe(1);
    expect(error.fix).toContain('delimiter:');
  });

  it('names the line of an unclosed quote', () => {
    const error = userError(() => parseCsv(utf8('a,b\n1,2\n3,"open\n'), 'q.csv', { delimiter: ',' }));
    expect(error.file).toBe('q.csv');
    expect(error.message).toContain('cannot be read');
  });

  it('suggests the closest column name for a misspelt one', () => {
    const table = parseCsv(utf8('Postcode;Huisnr\n1079AB;12\n'), 'a.csv');
    expect(columnIndex(table, 'huisnr', 'key')).toBe(1);
    const error = userError(() => columnIndex(table, 'Postcod', 'sources[a].columns.postcode'));
    expect(error.message).toBe('column "Postcod" not found');
    expect(error.column).toBe('Postcod');
    expect(error.fix).toContain('did you mean "Postcode"?');
    expect(error.fix).toContain('sources[a].columns.postcode');
  });
});

describe('count cells', () => {
  it.each(['<5', '< 5', '-', '.', '', '   .', 'x', 'geheim', 'Onbekend'])('%j is suppressed by the sender: unknown, not zero', (raw) => {
    expect(parseCountCell(raw, '.')).toEqual({ kind: 'suppressed' });
  });

  it('reads numbers in either decimal convention', () => {
    expect(parseCountCell('  12', '.')).toEqual({ kind: 'number', value: 12 });
    expect(parseCountCell('12,5', ',')).toEqual({ kind: 'number', value: 12.5 });
    expect(parseDecimal('1.234,5', ',')).toBe(1234.5);
    expect(parseDecimal('1,234.5', '.')).toBe(1234.5);
    expect(parseDecimal('121702,35', ',')).toBe(121702.35);
    expect(parseCountCell('twaalf', '.')).toEqual({ kind: 'invalid' });
  });
});

describe('a column as its distinct texts', () => {
  it('gives every row the text cell() reads, each distinct text once', () => {
    // Quoted and plain spellings of one text, an escaped quote, a short row, a value with a line break, and 3,000 distinct ids (the table grows).
    const lines = ['datum;soort;id', '2025-01-01;"geluid";1', '2025-01-01;geluid;2', '2025-01-02;"ge""luid";3', '2025-01-02', '"2025-01-03";"twee\nregels";4'];
    for (let i = 0; i < 3000; i++) lines.push(`2025-02-0${1 + (i % 9)};${['afval', 'geluid', 'groen'][i % 3]};id-${i}`);
    const table = parseCsv(utf8(`${lines.join('\n')}\n`), 'meldingen.csv');
    for (let column = 0; column < 3; column++) {
      const { texts, codes } = table.distinct(column);
      expect(codes.length).toBe(table.rowCount);
      for (let row = 0; row < table.rowCount; row++) expect(texts[codes[row]!]).toBe(table.cell(row, column));
      // One code per spelling in the file: the plain and quoted "geluid" are two, and read the same.
      if (column === 1) expect(texts.filter((text) => text === 'geluid')).toEqual(['geluid', 'geluid']);
    }
    expect(table.distinct(2).texts.length).toBe(3005);
    expect(table.distinct(0).texts).toEqual(['2025-01-01', '2025-01-02', '2025-01-03', ...Array.from({ length: 9 }, (_, i) => `2025-02-0${i + 1}`)]);
    // A replaced column (dropped or pseudonymised) gives its replaced texts.
    const replaced = table.withReplacedColumns(new Map([[1, (value: string) => value.toUpperCase()]]));
    const { texts, codes } = replaced.distinct(1);
    for (let row = 0; row < replaced.rowCount; row++) expect(texts[codes[row]!]).toBe(replaced.cell(row, 1));
  });
});
