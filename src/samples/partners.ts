import { csvLine } from './csv-line.js';
import type { SampleFile, SampleFileSpec, SampleSink } from './generate.js';
import { Random } from '../stats/random.js';

/**
 * The partners' raw exports, as they really hold them before `prepare`: the same rows as the
 * project's exports with the tenant's or reporter's name, BSN, phone number, e-mail and date of
 * birth in front (all invented). Written to `partners/`, for the round trip kit → prepare → analyse.
 */
export const partnerFolder = 'partners';

const firstNames = ['Anna', 'Mohamed', 'Sanne', 'Kees', 'Fatima', 'Jan', 'Priya', 'Henk', 'Yasmina', 'Willem', 'Emma', 'Ahmed'];
const surnames = ['de Vries', 'Jansen', 'El Amrani', 'Bakker', 'Visser', 'Yilmaz', 'Smit', 'de Boer', 'Mulder', 'Bouzid', 'van Dijk', 'Kramer'];
const personalHeader = ['Naam', 'BSN', 'Telefoon', 'E-mail', 'Geboortedatum'];

/** A file of the project beside its raw twin in partners/: every record written to both, the twin with personal columns first. */
export function withRawTwin(sink: SampleSink, spec: SampleFileSpec, delimiter: string, random: Random): SampleFile {
  const main = sink(spec);
  const twin = sink({ ...spec, name: `${partnerFolder}/${spec.name}` });
  let header = true;
  return {
    write(text: string) {
      main.write(text);
      twin.write(`${csvLine(header ? personalHeader : personalFields(random), delimiter)}${delimiter}${text}`);
      header = false;
    },
    close() {
      main.close();
      twin.close();
    },
  };
}

function personalFields(random: Random): string[] {
  const first = random.pick(firstNames);
  const last = random.pick(surnames);
  const day = String(random.integer(1, 28)).padStart(2, '0');
  const month = String(random.integer(1, 12)).padStart(2, '0');
  return [`${first} ${last}`, bsn(random), `06-${random.integer(10_000_000, 99_999_999)}`, `${first.toLowerCase()}.${last.replace(/\s/g, '').toLowerCase()}@voorbeeld.nl`, `${day}-${month}-${random.integer(1930, 2004)}`];
}

/** A nine-digit number that passes the 11-proef, as a real BSN does. */
function bsn(random: Random): string {
  for (;;) {
    const digits = Array.from({ length: 9 }, (_, i) => (i === 0 ? random.integer(1, 9) : random.integer(0, 9)));
    const sum = digits.slice(0, 8).reduce((total, digit, i) => total + digit * (9 - i), 0) - digits[8]!;
    if (sum % 11 === 0) return digits.join('');
  }
}
