import { warning, type Warning } from '../errors.js';
import { countWords, grouped } from '../indicators/sentences.js';
import { describeReasons } from '../join/reason-words.js';

/** Rows of a source that could not be placed; a tally disclosure control hid is said as hidden. */
export function unplacedRowsWarning(source: string, unplaced: number | null, read: number | null, reasons: Record<string, number | null>): Warning {
  return warning(
    'rows_unplaced',
    {
      en: `${countWords(unplaced, 'en')} of ${read === null ? 'the (hidden) number of' : grouped(read, 'en')} rows not placed (${describeReasons(reasons, 'en')}); see unplaced.csv`,
      nl: `${countWords(unplaced, 'nl')} van de ${read === null ? '(geheime) aantal' : grouped(read, 'nl')} regels niet geplaatst (${describeReasons(reasons, 'nl')}); zie unplaced.csv`,
    },
    source,
  );
}

/** Placed rows left out for the period; null counts are hidden because they would give one away. */
export function periodWarning(source: string, period: string, outside: number | null, undated: number | null, dateColumn?: string): Warning {
  if (outside === null || undated === null) {
    return warning(
      'period',
      {
        en: `placed rows outside the period ${period} or without a readable date are not counted (how many is not shown: it would give away a hidden count)`,
        nl: `geplaatste regels buiten de periode ${period} of zonder leesbare datum tellen niet mee (hoeveel staat er niet: dat zou een geheim aantal verraden)`,
      },
      source,
    );
  }
  const column = (words: string) => (dateColumn ? ` (${words} "${dateColumn}")` : '');
  return warning(
    'period',
    {
      en: `${grouped(outside, 'en')} placed rows fall outside the period ${period} and ${grouped(undated, 'en')} have no readable date${column('column')}; they are not counted`,
      nl: `${grouped(outside, 'nl')} geplaatste regels vallen buiten de periode ${period} en ${grouped(undated, 'nl')} hebben geen leesbare datum${column('kolom')}; ze tellen niet mee`,
    },
    source,
  );
}
