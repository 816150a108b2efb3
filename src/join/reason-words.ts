import type { Bilingual } from '../indicators/builtins.js';
import { countWords } from '../indicators/sentences.js';

/** Why a record could not be placed, in words a partner reads (the codes stay in unplaced.csv and analysis.json). */
const reasonWords: Record<string, Bilingual> = {
  address_not_in_register: { nl: 'adres niet in het adressenbestand', en: 'address not in the register' },
  address_ambiguous: { nl: 'adres niet eenduidig', en: 'ambiguous address' },
  bag_not_in_register: { nl: 'BAG-id niet in het adressenbestand', en: 'BAG id not in the register' },
  bag_ambiguous: { nl: 'BAG-id niet eenduidig', en: 'ambiguous BAG id' },
  block_not_found: { nl: 'onbekend blok', en: 'unknown block' },
  missing_block: { nl: 'geen blok', en: 'no block' },
  in_overlapping_blocks: { nl: 'in overlappende blokken', en: 'in overlapping blocks' },
  invalid_coordinates: { nl: 'ongeldige coördinaten', en: 'invalid coordinates' },
  missing_coordinates: { nl: 'geen coördinaten', en: 'no coordinates' },
  outside_netherlands: { nl: 'buiten Nederland', en: 'outside the Netherlands' },
  outside_blocks: { nl: 'buiten de blokken', en: 'outside the blocks' },
  register_address_unplaced: { nl: 'adres ligt in geen blok', en: 'address lies in no block' },
  invalid_bag: { nl: 'ongeldig BAG-id', en: 'invalid BAG id' },
  missing_bag: { nl: 'geen BAG-id', en: 'no BAG id' },
  invalid_huisnummer: { nl: 'ongeldig huisnummer', en: 'invalid house number' },
  missing_huisnummer: { nl: 'geen huisnummer', en: 'no house number' },
  invalid_postcode: { nl: 'ongeldige postcode', en: 'invalid postcode' },
  missing_postcode: { nl: 'geen postcode', en: 'no postcode' },
  pc6_not_in_register: { nl: 'postcode niet in het adressenbestand', en: 'postcode not in the register' },
  pc6_not_in_blocks: { nl: 'postcode ligt in geen blok', en: 'postcode lies in no block' },
  malformed_row: { nl: 'onleesbare regel', en: 'unreadable line' },
  number_letter: { nl: 'huisletter onbekend', en: 'unknown house letter' },
};

export function reasonWord(reason: string, lang: 'nl' | 'en'): string {
  return reasonWords[reason]?.[lang] ?? reason.replace(/_/g, ' ');
}

/** "adres niet in het adressenbestand: 4, ongeldige postcode: 2": the reasons with their counts. */
export function describeReasons(reasons: Record<string, number | null>, lang: 'nl' | 'en'): string {
  return Object.entries(reasons)
    .map(([reason, count]) => `${reasonWord(reason, lang)}: ${countWords(count, lang)}`)
    .join(', ');
}
