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

const months = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

/** 2026-11-30 → 30 november 2026 (nl) or 30 November 2026 (en). */
export function longDate(iso: string, lang: 'nl' | 'en'): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return match ? `${Number(match[3])} ${months[lang][Number(match[2]) - 1]} ${match[1]}` : iso;
}

/** 2024-01-01..2025-12-31 → 1 januari 2024 tot en met 31 december 2025. */
export function periodWords(period: string, lang: 'nl' | 'en'): string {
  const [from, to] = period.split('..');
  return `${longDate(from!, lang)} ${lang === 'nl' ? 'tot en met' : 'to'} ${longDate(to!, lang)}`;
}

/** A count as shareable text: grouped digits, or "geheim" / "hidden" where disclosure control hid it. */
export function countWords(count: number | null, lang: 'nl' | 'en'): string {
  return count === null ? (lang === 'nl' ? 'geheim' : 'hidden') : grouped(count, lang);
}

/** Upper case for the first letter. */
export function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
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

/** Whether every indicator only describes the blocks (CBS figures alone): then there is no finding to look for, and the outputs say why. */
export function onlyDescriptive(indicators: readonly { descriptive?: true }[]): boolean {
  return indicators.length > 0 && indicators.every((indicator) => indicator.descriptive);
}

/** "B03 (Lekstraat / Waalstraat)", one form everywhere: the room knows the streets, not the ids. */
export function blockName(id: string, label: string | undefined): string {
  return label && label !== id ? `${id} (${label})` : id;
}

/**
 * The findings worth saying first, strongest first: comparisons where an interval excludes 1 (with
 * their other exposures beside them), then blocks that pass both the count and the rate threshold.
 */
export function findings(indicators: readonly IndicatorResult[], comparisons: readonly ComparisonResult[], labels: ReadonlyMap<string, string> = new Map()): Finding[] {
  const list: Finding[] = [];
  const named = (id: string) => blockName(id, labels.get(id));
  for (const comparison of comparisons) {
    // Where one exposure shows a difference, the others belong beside it: "not the omklapwoningen" is news too.
    // A comparison disclosure control made impossible is news too: the room should hear it cannot be shared.
    if (!comparison.exposures.some((e) => e.verdict === 'higher' || e.verdict === 'lower' || e.verdict === 'hidden')) continue;
    const decided = comparison.exposures.some((e) => e.verdict === 'higher' || e.verdict === 'lower');
    for (const exposure of comparison.exposures) {
      // Beside a decided exposure, whose sentence already says it could not be adjusted, "cannot be shared" only repeats it.
      if (decided && exposure.verdict === 'hidden') continue;
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
