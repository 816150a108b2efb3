import type { BlockRow } from '../analysis/result.js';
import type { Period } from '../filter/period.js';
import type { ComparisonConfig, Thresholds } from '../project/schema.js';
import { rateInterval, rateRatioInterval } from '../stats/intervals.js';
import { fitPoisson, type PoissonFit } from '../stats/poisson-regression.js';
import { measureLabels, type Bilingual } from './builtins.js';
import { round, skippedFor, type SkippedIndicator } from './compute.js';
import { resolveMeasure, type Measure } from './measures.js';
import { capitalise, formatNumber } from './sentences.js';

export interface GroupRate {
  /** An exposure name, or `neither` for blocks above the area average on no exposure. */
  group: string;
  blocks: string[];
  events: number;
  homes: number;
  /** Outcome per 100 homes (per year with a period), with its exact interval. */
  rate: number | null;
  lower: number | null;
  upper: number | null;
}

/**
 * Decided by the regression (adjusted for the other exposures, widened for overdispersion) where
 * it could be fitted, else by the group rate ratio. `explained_by_other`: the groups differ, but
 * not once the other exposures are taken into account (confounding). `hidden`: too few blocks are
 * left once those with a count hidden by disclosure control are left out; the shareable result
 * says so instead of concluding from what is left.
 */
export type Verdict = 'higher' | 'lower' | 'no_difference' | 'explained_by_other' | 'too_few' | 'hidden';

export interface ExposureResult {
  exposure: string;
  keys: string[];
  /** Blocks whose exposure per 100 homes is above the area's, against all other blocks. */
  rate_ratio: { value: number | null; lower: number | null; upper: number | null; exposed: GroupRate; others: GroupRate };
  /** From the block-level Poisson regression: per 1 more per 100 homes, adjusted for the other exposures. */
  irr: { value: number; lower: number; upper: number; p_value: number } | null;
  /**
   * The regression's ratio between the two groups of `rate_ratio`, on its scale: irr to the power
   * of how much higher the exposure per 100 homes is in the exposed group (`difference`) than in the others.
   */
  adjusted_ratio: { value: number; lower: number; upper: number; difference: number } | null;
  small_numbers: boolean;
  /** The exposure itself: how many in the compared blocks and at most per block; small when no block reaches min_events. */
  exposure_total: number;
  exposure_max_per_block: number;
  exposure_small_numbers: boolean;
  verdict: Verdict;
  sentence: Bilingual;
}

export interface ComparisonResult {
  id: string;
  label: Bilingual;
  outcome: { keys: string[]; events: number };
  per: { keys: string[]; homes: number };
  years: number;
  groups: GroupRate[];
  exposures: ExposureResult[];
  regression: PoissonFit | null;
  notes: string[];
  /** The notes in words for the report, in both languages. */
  remarks: Bilingual[];
}

/**
 * Compares an outcome (for example nuisance reports) between exposures (for example zorgmijders,
 * omklapwoningen) across blocks: rates per exposure group with exact intervals, rate ratios, and
 * a Poisson regression with offset log(homes) and an overdispersion correction.
 * The sentences are shareable text: counts below `disclosureThreshold` (privacy.threshold) are never
 * written as a number in them.
 */
export function compareExposures(
  config: ComparisonConfig,
  blocks: readonly BlockRow[],
  measures: Readonly<Record<string, string | string[]>>,
  thresholds: Thresholds,
  period: Period | undefined,
  disclosureThreshold = 5,
): ComparisonResult | SkippedIndicator {
  const resolve = (reference: string | string[]) => resolveMeasure(reference, blocks, measures);
  const outcome = resolve(config.outcome);
  const per = resolve(config.per);
  const exposures = Object.entries(config.exposures).map(([name, reference]) => ({ name, measure: resolve(reference) }));
  const missing = [outcome, per, ...exposures.map((e) => e.measure)].flatMap((m) => ('missing' in m ? m.missing : []));
  if (missing.length > 0) return skippedFor(config.id, missing);
  const y = outcome as Measure;
  const homes = per as Measure;
  const exposureMeasures = exposures.map((e) => ({ name: e.name, measure: e.measure as Measure }));
  const years = period?.years ?? 1;
  const label = labelOf(config);
  const remarks: (Bilingual & { note: string })[] = [];

  // Blocks without homes carry no rate; blocks with suppressed outcome cells have no exact count.
  // A block with a count hidden by disclosure control is left out wherever that count would be
  // used: an exposure's groups need the outcome and that exposure, the regression needs them all.
  // So nothing here (groups, their blocks, the regression) rests on a hidden value.
  const base = blocks.map((_, b) => !y.hidden[b]! && !homes.hidden[b]! && homes.values[b]! > 0 && y.unknown[b]! === 0);
  const usableWith = (measures: Measure[]) => base.map((ok, b) => ok && measures.every((measure) => !measure.hidden[b]!));
  const usable = usableWith(exposureMeasures.map(({ measure }) => measure));
  const hiddenIn = (measures: Measure[]) => blocks.filter((_, b) => [y, homes, ...measures].some((measure) => measure.hidden[b]!)).length;
  const unusable = blocks.filter((_, b) => !usable[b]).map((block) => block.id);
  if (unusable.length > 0 && blocks.length - unusable.length > exposureMeasures.length + 1) {
    remarks.push({
      note: `left out of the regression (no homes, a suppressed outcome or a hidden count): ${unusable.join(', ')}`,
      nl: unusable.length === blocks.length ? 'Geen enkel blok kan in de regressie mee (geen woningen, een achtergehouden uitkomst of een geheim aantal).' : `Niet in de regressie: ${unusable.join(', ')} (geen woningen, een achtergehouden uitkomst of een geheim aantal).`,
      en: unusable.length === blocks.length ? 'No block can enter the regression (no homes, a held-back outcome or a hidden count).' : `Not in the regression: ${unusable.join(', ')} (no homes, a held-back outcome or a hidden count).`,
    });
  }

  const group = (name: string, member: (b: number) => boolean, included: boolean[]): GroupRate => {
    const members = blocks.map((_, b) => b).filter((b) => included[b] && member(b));
    const events = members.reduce((total, b) => total + y.values[b]!, 0);
    const units = members.reduce((total, b) => total + homes.values[b]!, 0);
    const rate = rateInterval(events, units * years, 100);
    return { group: name, blocks: members.map((b) => blocks[b]!.id), events, homes: units, rate: round(rate.value), lower: round(rate.lower), upper: round(rate.upper) };
  };
  const areaRate = (measure: Measure, included: boolean[]) => {
    let exposed = 0;
    let units = 0;
    blocks.forEach((_, b) => {
      if (!included[b]) return;
      exposed += measure.values[b]!;
      units += homes.values[b]!;
    });
    return units > 0 ? exposed / units : 0;
  };
  const high = exposureMeasures.map(({ name, measure }) => {
    const included = usableWith([measure]);
    const threshold = areaRate(measure, included);
    return { name, measure, included, hiddenBlocks: hiddenIn([measure]), isHigh: (b: number) => measure.values[b]! / homes.values[b]! > threshold };
  });
  const groups = [...high.map(({ name, isHigh, included }) => group(name, isHigh, included)), group('neither', (b) => high.every(({ isHigh }) => !isHigh(b)), usable)];

  const rows = blocks.map((_, b) => b).filter((b) => usable[b]);
  const fit =
    rows.length > exposureMeasures.length + 1
      ? fitPoisson({
          y: rows.map((b) => y.values[b]!),
          covariates: Object.fromEntries(exposureMeasures.map(({ name, measure }) => [name, rows.map((b) => (100 * measure.values[b]!) / homes.values[b]!)])),
          offset: rows.map((b) => Math.log(homes.values[b]! * years)),
        })
      : undefined;
  if (!fit) {
    remarks.push({
      note: `too few blocks or no events for a regression${unusable.length > 0 ? ` (left out: ${unusable.join(', ')})` : ''}`,
      nl: `Een vergelijking die ook rekening houdt met de andere kenmerken (regressie) was niet mogelijk: daarvoor ${unusable.length > 0 ? `bleven te weinig blokken over (${blocks.length - unusable.length} van de ${blocks.length}; in de andere is een aantal geheim, achtergehouden of zijn er geen woningen)` : 'zijn er te weinig blokken of meldingen'}.`,
      en: `A comparison that also takes the other characteristics into account (regression) was not possible: ${unusable.length > 0 ? `too few blocks were left (${blocks.length - unusable.length} of ${blocks.length}; in the others a count is secret, held back, or there are no homes)` : 'there are too few blocks or events'}.`,
    });
  }
  else {
    if (fit.correction === 'quasi-poisson') {
      remarks.push({
        note: `overdispersion (dispersion ${fit.dispersion.toFixed(2)}): intervals widened (quasi-Poisson)`,
        nl: `De blokken verschillen meer dan toeval verklaart (spreiding ${formatNumber(fit.dispersion, 'nl', 2)}): de intervallen zijn daarom breder gemaakt (quasi-Poisson).`,
        en: `The blocks differ more than chance explains (dispersion ${formatNumber(fit.dispersion, 'en', 2)}): the intervals are widened (quasi-Poisson).`,
      });
    }
    if (fit.dropped.length > 0) {
      remarks.push({
        note: `left out of the regression (no variation or collinear): ${fit.dropped.join(', ')}`,
        nl: `Niet in de regressie, omdat ze niet variëren of samenvallen met een ander kenmerk: ${fit.dropped.join(', ')}.`,
        en: `Left out of the regression, as they do not vary or coincide with another characteristic: ${fit.dropped.join(', ')}.`,
      });
    }
  }

  const exposureResults = high.map(({ name, measure, isHigh, included, hiddenBlocks }): ExposureResult => {
    const exposed = group(name, isHigh, included);
    const others = group('others', (b) => !isHigh(b), included);
    const ratio = rateRatioInterval(exposed.events, exposed.homes, others.events, others.homes);
    const coefficient = fit?.coefficients.find((c) => c.name === name);
    const smallNumbers = exposed.events < thresholds.min_events || others.events < thresholds.min_events || exposed.blocks.length < 2 || exposed.homes < thresholds.min_homes;
    const verdict = hiddenBlocks > 0 && smallNumbers ? 'hidden' : decide(smallNumbers, ratio, coefficient ? { lower: coefficient.irr_lower, upper: coefficient.irr_upper } : undefined);
    const perBlock = blocks.map((_, b) => b).filter((b) => included[b]).map((b) => measure.values[b]!);
    const exposedPer100 = exposurePer100(measure, homes, included, isHigh);
    const othersPer100 = exposurePer100(measure, homes, included, (b) => !isHigh(b));
    const difference = exposedPer100 !== null && othersPer100 !== null ? exposedPer100 - othersPer100 : null;
    const maxPerBlock = perBlock.reduce((a, b) => Math.max(a, b), 0);
    const result: ExposureResult = {
      exposure: name,
      keys: measure.keys,
      exposure_total: perBlock.reduce((total, value) => total + value, 0),
      exposure_max_per_block: maxPerBlock,
      exposure_small_numbers: maxPerBlock < thresholds.min_events,
      rate_ratio: { value: round(ratio.value), lower: round(ratio.lower), upper: round(ratio.upper), exposed, others },
      irr: coefficient ? { value: round(coefficient.irr)!, lower: round(coefficient.irr_lower)!, upper: round(coefficient.irr_upper)!, p_value: significant(coefficient.p_value) } : null,
      adjusted_ratio:
        coefficient && difference !== null
          ? { value: round(coefficient.irr ** difference)!, lower: round(coefficient.irr_lower ** difference)!, upper: round(coefficient.irr_upper ** difference)!, difference: round(difference)! }
          : null,
      small_numbers: smallNumbers,
      verdict,
      sentence: { nl: '', en: '' },
    };
    const otherNames = high.filter((other) => other.name !== name).map((other) => exposureLabel(other.name));
    const othersLabel = otherNames.length > 0 ? { nl: otherNames.map((o) => o.nl).join(' en '), en: otherNames.map((o) => o.en).join(' and ') } : { nl: 'de andere factoren', en: 'the other factors' };
    result.sentence = sentence(label, exposureLabel(name), othersLabel, result, disclosureThreshold, perWord(config.per));
    // The groups could be compared, the correction for the other exposures not: say so, never hide it.
    if (!coefficient && result.verdict !== 'hidden' && result.verdict !== 'too_few' && hiddenIn(exposureMeasures.map(({ measure }) => measure)) > hiddenBlocks) {
      result.sentence = {
        nl: `${result.sentence.nl} Niet gecorrigeerd voor ${othersLabel.nl}: die aantallen per blok zijn te klein om te delen.`,
        en: `${result.sentence.en} Not adjusted for ${othersLabel.en}: those counts per block are too small to share.`,
      };
    }
    return result;
  });

  return {
    id: config.id,
    label,
    outcome: { keys: y.keys, events: sumUsable(y, usable) },
    per: { keys: homes.keys, homes: sumUsable(homes, usable) },
    years: round(years)!,
    groups,
    exposures: exposureResults,
    regression: fit ? roundFit(fit) : null,
    notes: remarks.map(({ note }) => note),
    remarks: remarks.map(({ nl, en }) => ({ nl, en })),
  };
}

/** Stable, readable numbers in analysis.json: six decimals, p-values to six significant digits. */
function roundFit(fit: PoissonFit): PoissonFit {
  return {
    ...fit,
    coefficients: fit.coefficients.map((c) => ({
      ...c,
      estimate: round(c.estimate)!,
      se: round(c.se)!,
      se_quasi: round(c.se_quasi)!,
      irr: round(c.irr)!,
      irr_lower: round(c.irr_lower)!,
      irr_upper: round(c.irr_upper)!,
      p_value: significant(c.p_value),
    })),
    deviance: round(fit.deviance)!,
    pearson_chi2: round(fit.pearson_chi2)!,
    dispersion: round(fit.dispersion)!,
    overdispersion_p: significant(fit.overdispersion_p),
  };
}

function significant(value: number): number {
  return Number(value.toPrecision(6));
}

function decide(smallNumbers: boolean, ratio: { lower: number | null; upper: number | null }, irr: { lower: number; upper: number } | undefined): Verdict {
  if (smallNumbers || ratio.lower === null) return 'too_few';
  const groupsDiffer = ratio.lower > 1 || (ratio.upper !== null && ratio.upper < 1);
  if (!irr) return ratio.lower > 1 ? 'higher' : groupsDiffer ? 'lower' : 'no_difference';
  if (irr.lower > 1) return 'higher';
  if (irr.upper < 1) return 'lower';
  return groupsDiffer ? 'explained_by_other' : 'no_difference';
}

/** A group's exposure per 100 homes: its blocks' exposures over their homes. */
function exposurePer100(measure: Measure, homes: Measure, included: boolean[], member: (b: number) => boolean): number | null {
  let exposure = 0;
  let units = 0;
  for (let b = 0; b < included.length; b++) {
    if (!included[b] || !member(b)) continue;
    exposure += measure.values[b]!;
    units += homes.values[b]!;
  }
  return units > 0 ? (100 * exposure) / units : null;
}

function sumUsable(measure: Measure, usable: boolean[]): number {
  return measure.values.reduce((total, value, b) => total + (usable[b] ? value : 0), 0);
}

function labelOf(config: ComparisonConfig): Bilingual {
  if (config.label) return typeof config.label === 'string' ? { nl: config.label, en: config.label } : config.label;
  const outcome = Array.isArray(config.outcome) ? config.outcome[0]! : config.outcome;
  const base = measureLabels[outcome.replace(/\[.*$/, '')] ?? { nl: outcome, en: outcome };
  return { nl: capitalise(base.nl), en: capitalise(base.en) };
}

/** One of what an exposure counts: a zorgmijder, an omklapwoning; otherwise the plural label stays. */
function singular(exposure: Bilingual): Bilingual {
  const one: Record<string, Bilingual> = {
    zorgmijders: { nl: 'zorgmijder', en: 'zorgmijder' },
    'zorgmijders (care avoiders)': { nl: 'zorgmijder', en: 'zorgmijder (care avoider)' },
    omklapwoningen: { nl: 'omklapwoning', en: 'omklapwoning' },
    'toewijzingen aan kwetsbare groepen': { nl: 'toewijzing aan een kwetsbare groep', en: 'allocation to a vulnerable group' },
    'allocations to vulnerable groups': { nl: 'toewijzing aan een kwetsbare groep', en: 'allocation to a vulnerable group' },
  };
  return { nl: one[exposure.nl]?.nl ?? exposure.nl, en: one[exposure.en]?.en ?? exposure.en };
}

export function exposureLabel(name: string): Bilingual {
  return measureLabels[name] ?? { nl: name.replace(/_/g, ' '), en: name.replace(/_/g, ' ') };
}

/** A count from 1 up to the disclosure threshold is never written as a number. */
function shareableCount(count: number, lang: 'nl' | 'en', disclosureThreshold: number): string {
  if (count > 0 && count < disclosureThreshold) return lang === 'nl' ? `minder dan ${disclosureThreshold}` : `fewer than ${disclosureThreshold}`;
  return String(count);
}

/** One plain sentence per exposure: direction, size and uncertainty, or that the data are too few. */
function sentence(outcome: Bilingual, exposure: Bilingual, others: Bilingual, result: ExposureResult, disclosureThreshold: number, per: Bilingual): Bilingual {
  const shareable = (count: number, lang: 'nl' | 'en') => shareableCount(count, lang, disclosureThreshold);
  const main = mainSentence(outcome, exposure, others, result, shareable, per);
  if (!result.exposure_small_numbers || result.verdict === 'hidden') return main;
  const total = { nl: shareable(result.exposure_total, 'nl'), en: shareable(result.exposure_total, 'en') };
  const max = result.exposure_max_per_block;
  const perBlock = max > 0 && max < disclosureThreshold ? { nl: `minder dan ${disclosureThreshold}`, en: `fewer than ${disclosureThreshold}` } : { nl: `hoogstens ${max}`, en: `at most ${max}` };
  return {
    nl: `${main.nl} Let op: kleine aantallen (${total.nl} ${exposure.nl} in het gebied, ${perBlock.nl} per blok); één blok zegt op zichzelf weinig.`,
    en: `${main.en} Note: small numbers (${total.en} ${exposure.en} in the area, ${perBlock.en} per block); a single block says little on its own.`,
  };
}

/** What the exposures are counted per: homes (the default) or the measure the comparison names in `per:`. */
function perWord(per: string | string[]): Bilingual {
  const name = Array.isArray(per) ? per[0]! : per;
  if (name === 'woningen' || name === 'addresses') return { nl: 'woningen', en: 'homes' };
  const label = measureLabels[name] ?? { nl: name, en: name };
  return { nl: label.nl.toLowerCase(), en: label.en.toLowerCase() };
}

function mainSentence(outcome: Bilingual, exposure: Bilingual, others: Bilingual, result: ExposureResult, shareable: (count: number, lang: 'nl' | 'en') => string, per: Bilingual): Bilingual {
  const { value, lower, upper, exposed } = result.rate_ratio;
  // Enough decimals that the interval's two ends differ and an estimate near 1 does not read as 1.
  const digitsFor = (estimate: number | null, low: number | null, high: number | null, least: number) => {
    let digits = least;
    const same = (a: number | null, b: number | null) => a !== null && b !== null && a.toFixed(digits) === b.toFixed(digits);
    while (digits < 4 && (same(low, high) || (estimate !== null && estimate !== 1 && estimate.toFixed(digits) === (1).toFixed(digits)))) digits++;
    return digits;
  };
  const number = (lang: 'nl' | 'en', x: number | null, digits: number) => (x === null ? (lang === 'nl' ? 'onbegrensd' : 'unbounded') : formatNumber(x, lang, digits));
  const g = digitsFor(value, lower, upper, 1);
  const groups = {
    nl: `${number('nl', value, g)} keer zo vaak als elders (95%-interval ${number('nl', lower, g)} tot ${number('nl', upper, g)})`,
    en: `${number('en', value, g)} times as frequent as elsewhere (95% interval ${number('en', lower, g)} to ${number('en', upper, g)})`,
  };
  const irr = result.irr;
  // The regression's rate ratio per unit, said as the percentage a partner can picture.
  const percent = (lang: 'nl' | 'en', x: number | null) => (x === null ? (lang === 'nl' ? 'onbegrensd' : 'unbounded') : `${formatNumber(Math.abs(x - 1) * 100, lang, Math.abs(x - 1) < 0.1 ? 1 : 0)}%`);
  const more = (lang: 'nl' | 'en', x: number) => (x >= 1 ? (lang === 'nl' ? 'meer' : 'more') : lang === 'nl' ? 'minder' : 'fewer');
  const bound = (lang: 'nl' | 'en', x: number | null) => (x === null ? percent(lang, x) : `${x < 1 ? '−' : ''}${percent(lang, x)}`);
  const unit = singular(exposure);
  // Adjusted, said on the groups' own scale (many against few), with the per-unit effect beside it.
  const ratio = result.adjusted_ratio;
  const a = ratio ? digitsFor(ratio.value, ratio.lower, ratio.upper, 1) : 1;
  const adjusted = irr
    ? {
        nl: ratio
          ? `${number('nl', ratio.value, a)} keer zo vaak (95%-interval ${number('nl', ratio.lower, a)} tot ${number('nl', ratio.upper, a)}; ${percent('nl', irr.value)} ${more('nl', irr.value)} per extra ${unit.nl} per 100 ${per.nl})`
          : `${percent('nl', irr.value)} ${more('nl', irr.value)} ${outcome.nl.toLowerCase()} per extra ${unit.nl} per 100 ${per.nl} (95%-interval ${bound('nl', irr.lower)} tot ${bound('nl', irr.upper)})`,
        en: ratio
          ? `${number('en', ratio.value, a)} times as frequent (95% interval ${number('en', ratio.lower, a)} to ${number('en', ratio.upper, a)}; ${percent('en', irr.value)} ${more('en', irr.value)} for every extra ${unit.en} per 100 ${per.en})`
          : `${percent('en', irr.value)} ${more('en', irr.value)} ${outcome.en.toLowerCase()} for every extra ${unit.en} per 100 ${per.en} (95% interval ${bound('en', irr.lower)} to ${bound('en', irr.upper)})`,
      }
    : undefined;
  // Large areas make tiny effects significant: under 1% per unit is said to be small.
  const tiny = irr !== null && Math.abs(irr.value - 1) < 0.01;
  const inBlocks = {
    nl: `In blokken met veel ${exposure.nl} komen ${outcome.nl.toLowerCase()} ${groups.nl.replace(' als elders', ' voor als elders')}`,
    en: `In blocks with many ${exposure.en}, ${outcome.en.toLowerCase()} are ${groups.en}`,
  };
  switch (result.verdict) {
    case 'hidden':
      return {
        nl: `Niet te delen: de vergelijking van ${outcome.nl.toLowerCase()} met ${exposure.nl} vraagt aantallen per blok die te klein zijn om te delen. Zonder die blokken blijft te weinig over om iets te concluderen.`,
        en: `Cannot be shared: comparing ${outcome.en.toLowerCase()} with ${exposure.en} needs counts per block that are too small to share. Without those blocks too little is left to conclude anything.`,
      };
    case 'too_few':
      return {
        nl: `Te weinig gegevens om iets te concluderen over ${outcome.nl.toLowerCase()} bij ${exposure.nl}: ${shareable(exposed.events, 'nl')} in ${exposed.blocks.length} ${exposed.blocks.length === 1 ? 'blok' : 'blokken'} met veel ${exposure.nl}.`,
        en: `Too few to conclude about ${outcome.en.toLowerCase()} and ${exposure.en}: ${shareable(exposed.events, 'en')} in ${exposed.blocks.length} ${exposed.blocks.length === 1 ? 'block' : 'blocks'} with many ${exposure.en}.`,
      };
    case 'higher':
    case 'lower':
      return {
        nl: `${inBlocks.nl}.${adjusted ? ` Rekening houdend met ${others.nl}: ${adjusted.nl}, ${tiny ? 'statistisch duidelijk, maar heel klein' : 'een duidelijk verschil'}.` : ''}`,
        en: `${inBlocks.en}.${adjusted ? ` Taking ${others.en} into account: ${adjusted.en}, ${tiny ? 'statistically clear, but very small' : 'a clear difference'}.` : ''}`,
      };
    case 'explained_by_other':
      return {
        nl: `${inBlocks.nl}, maar dat komt door ${others.nl}: rekening houdend daarmee is er geen verband (${adjusted!.nl}).`,
        en: `${inBlocks.en}, but that is due to ${others.en}: taking them into account there is no link (${adjusted!.en}).`,
      };
    default:
      return {
        nl: `Bij ${exposure.nl} is geen verschil in ${outcome.nl.toLowerCase()} aangetoond: ${groups.nl}${adjusted ? `; rekening houdend met ${others.nl}: ${adjusted.nl}` : ''}.`,
        en: `No difference in ${outcome.en.toLowerCase()} shown for ${exposure.en}: ${groups.en}${adjusted ? `; taking ${others.en} into account: ${adjusted.en}` : ''}.`,
      };
  }
}
