import type { Bilingual } from './builtins.js';
import type { ComparisonResult } from './compare.js';
import type { IndicatorResult } from './compute.js';

/** A number as each language writes it: `1,8` in Dutch, `1.8` in English. */
export function formatNumber(value: number, lang: 'nl' | 'en', digits: number): string {
  const text = value.toFixed(digits);
  return lang === 'nl' ? text.replace('.', ',') : text;
}

/** A whole number with a thousands separator: 1.568 in Dutch, 1,568 in English. */
export function grouped(value: number, lang: 'nl' | 'en'): string {
  return Math.round(value).toLocaleString(lang === 'nl' ? 'nl-NL' : 'en-GB');
}

/** Lower case for the first letter of a word, not for a name or abbreviation (GP, BAG). */
export function lowerFirst(text: string): string {
  return /^[A-Z][a-z]/.test(text) ? text.charAt(0).toLowerCase() + text.slice(1) : text;
}

export interface Finding {
  kind: 'comparison' | 'signal';
  /** For ordering: how far the interval stays from "no difference". */
  strength: number;
  text: Bilingual;
}

/**
 * The findings worth saying first, strongest first: comparisons where an interval excludes 1 (with
 * their other exposures beside them), then blocks that pass both the count and the rate threshold.
 */
export function findings(indicators: readonly IndicatorResult[], comparisons: readonly ComparisonResult[], labels: ReadonlyMap<string, string> = new Map()): Finding[] {
  const list: Finding[] = [];
  // "Blok B03 (Lekstraat / Waalstraat)": the room knows the streets, not the ids.
  const named = (id: string) => (labels.get(id) && labels.get(id) !== id ? `${id} (${labels.get(id)})` : id);
  for (const comparison of comparisons) {
    // Where one exposure shows a difference, the others belong beside it: "not the omklapwoningen" is news too.
    // A comparison disclosure control made impossible is news too: the room should hear it cannot be shared.
    if (!comparison.exposures.some((e) => e.verdict === 'higher' || e.verdict === 'lower' || e.verdict === 'hidden')) continue;
    for (const exposure of comparison.exposures) {
      const { lower, upper } = exposure.rate_ratio;
      const strength = exposure.verdict === 'higher' ? lower! : exposure.verdict === 'lower' && upper ? 1 / upper : 0;
      list.push({ kind: 'comparison', strength, text: exposure.sentence });
    }
  }
  for (const indicator of indicators) {
    for (const block of indicator.blocks) {
      if (!block.signal || block.ratio === null) continue;
      const against = indicator.reference.source === 'project' ? { nl: 'de referentie', en: 'the reference' } : { nl: 'het gemiddelde van het gebied', en: 'the area average' };
      const interval = (lang: 'nl' | 'en') =>
        `${formatNumber(block.ratio_lower ?? 0, lang, 1)} ${lang === 'nl' ? 'tot' : 'to'} ${block.ratio_upper === null ? '–' : formatNumber(block.ratio_upper, lang, 1)}`;
      list.push({
        kind: 'signal',
        strength: block.ratio_lower ?? 0,
        text: {
          nl: `Blok ${named(block.id)}: ${lowerFirst(indicator.label.nl)} ${formatNumber(block.ratio, 'nl', 1)} keer ${against.nl} (${grouped(block.numerator ?? 0, 'nl')} geteld; 95%-interval ${interval('nl')})${block.incomplete ? '; onvolledig, want de afzender hield kleine aantallen achter' : ''}.`,
          en: `Block ${named(block.id)}: ${indicator.label.en} ${formatNumber(block.ratio, 'en', 1)} times ${against.en} (${grouped(block.numerator ?? 0, 'en')} counted; 95% interval ${interval('en')})${block.incomplete ? '; incomplete, as the sender held back small counts' : ''}.`,
        },
      });
    }
  }
  return list.sort((a, b) => (a.kind === b.kind ? b.strength - a.strength : a.kind === 'comparison' ? -1 : 1));
}
