import { identifierFrom } from '../text.js';
import { warning, type Warning } from '../errors.js';
import type { Bilingual } from '../indicators/builtins.js';
import { grouped } from '../indicators/sentences.js';
import { columnIndex, type CsvTable } from '../ingest/csv.js';
import { parseDecimal } from '../ingest/values.js';
import type { SourcePlacement } from '../join/place.js';
import type { ProjectConfig, SourceConfig } from '../project/schema.js';
import { shareInterval, type Estimate } from '../stats/intervals.js';
import { Random } from '../stats/random.js';
import { percentileInterval, resampleHistogram } from '../stats/resample.js';
import type { BlockTable } from './count.js';
import type { BlockRow } from './result.js';

/** Answers below the middle of the scale, on it, above it. A scale of even length has no neutral answer. */
export const answerGroups = ['ontevreden', 'neutraal', 'tevreden'] as const;
export type AnswerGroup = (typeof answerGroups)[number];

/** Likert words on five points, as Dutch (and English) surveys write them. */
const fivePoints: Record<string, number> = Object.fromEntries([
  ...['helemaal oneens', 'zeer oneens', 'zeer ontevreden', 'heel ontevreden', 'zeer slecht', 'heel slecht', 'strongly disagree', 'very dissatisfied'].map((w) => [w, 1]),
  ...['oneens', 'ontevreden', 'niet tevreden', 'slecht', 'disagree', 'dissatisfied'].map((w) => [w, 2]),
  ...['neutraal', 'niet eens, niet oneens', 'niet eens niet oneens', 'niet eens/niet oneens', 'niet tevreden, niet ontevreden', 'gaat wel', 'neutral', 'neither agree nor disagree'].map((w) => [w, 3]),
  ...['eens', 'tevreden', 'goed', 'agree', 'satisfied'].map((w) => [w, 4]),
  ...['helemaal eens', 'zeer eens', 'zeer tevreden', 'heel tevreden', 'zeer goed', 'heel goed', 'strongly agree', 'very satisfied'].map((w) => [w, 5]),
]);
/** What respondents answer when they give no answer on the scale: not counted, never an error. */
const noAnswer = new Set(['', 'weet niet', 'weet ik niet', 'geen mening', 'nvt', 'n.v.t.', 'n.v.t', 'geen antwoord', 'wil ik niet zeggen', 'wil niet zeggen', "don't know", 'dont know', 'n/a', '-', '.']);

/** One question of one survey source, with its per-block histogram of answers 1..scale. */
export interface SurveyQuestion {
  source: string;
  id: string;
  key: string;
  label: Bilingual;
  scale: number;
  /** Agreeing or satisfied: from the question's words (set once its answers are read). */
  words: 'agree' | 'satisfied' | null;
}

/** The group of an answer point. */
function groupOf(point: number, scale: number): AnswerGroup {
  const middle = (scale + 1) / 2;
  return point < middle ? 'ontevreden' : point > middle ? 'tevreden' : 'neutraal';
}

/** The groups a scale has (no neutraal on an even scale). */
export function groupsOf(scale: number): AnswerGroup[] {
  return scale % 2 === 1 ? [...answerGroups] : ['ontevreden', 'tevreden'];
}

/** The questions of every survey source in the project. */
export function surveyQuestions(project: ProjectConfig): SurveyQuestion[] {
  return project.sources.flatMap((source) =>
    (source.survey?.questions ?? []).map((question) => {
      const id = question.id ?? identifierFrom(question.column, 'vraag');
      const label = question.label === undefined ? question.column : question.label;
      const text = `${question.column} ${typeof label === 'string' ? label : label.nl}`.toLowerCase();
      const words = /tevreden|satisf/.test(text) ? 'satisfied' : /\beens\b|\bagree/.test(text) ? 'agree' : null;
      return { source: source.name, id, key: `${source.name}.${id}`, label: typeof label === 'string' ? { nl: label, en: label } : label, scale: question.scale, words };
    }),
  );
}

/**
 * The answers of every survey source per block: per question a histogram of answer points per
 * block (internal: the mean score and its bootstrap need it), and in the block table the
 * respondents (`<source>.<question>`) and the groups (`[ontevreden]`, `[neutraal]`, `[tevreden]`),
 * which add up to them in every block.
 */
export class SurveyAnswers {
  readonly histograms = new Map<string, Int32Array>();

  constructor(private readonly questions: readonly SurveyQuestion[], private readonly blockCount: number) {}

  add(config: SourceConfig, csv: CsvTable, placement: SourcePlacement, kept: Uint8Array, warnings: Warning[]): void {
    for (const [q, question] of config.survey!.questions.entries()) {
      const plan = this.questions.filter((item) => item.source === config.name)[q]!;
      const column = columnIndex(csv, question.column, `sources[${config.name}].survey.questions[${q}].column`);
      const histogram = new Int32Array(this.blockCount * plan.scale);
      let unreadable = 0;
      let firstLine: number | undefined;
      for (let i = 0; i < csv.rowCount; i++) {
        if (!kept[i]) continue;
        const cell = csv.cell(i, column);
        const point = readAnswer(cell, plan.scale, csv);
        plan.words ??= /(^|\s)(on)?eens$/i.test(cell.trim()) ? 'agree' : /tevreden$/i.test(cell.trim()) ? 'satisfied' : null;
        if (point === null) continue;
        if (point === undefined) {
          unreadable++;
          firstLine ??= csv.lines[i];
          continue;
        }
        histogram[placement.blockOfRow[i]! * plan.scale + point - 1]!++;
      }
      this.histograms.set(plan.key, histogram);
      if (unreadable > 0) {
        warnings.push(warning('unreadable_answers', {
          en: `${grouped(unreadable, 'en')} answers in column "${question.column}" are no point from 1 to ${plan.scale}${plan.scale === 5 ? ' and no Likert word (helemaal oneens … helemaal eens, zeer ontevreden … zeer tevreden)' : ''} (first on line ${firstLine}); they are not counted. Recode them, or mark them "weet niet"`,
          nl: `${grouped(unreadable, 'nl')} antwoorden in kolom "${question.column}" zijn geen punt van 1 tot en met ${plan.scale}${plan.scale === 5 ? ' en geen antwoord als helemaal oneens … helemaal eens of zeer ontevreden … zeer tevreden' : ''} (de eerste op regel ${firstLine}); ze tellen niet mee. Codeer ze opnieuw, of zet er „weet niet” bij`,
        }, config.name));
      }
    }
  }

  addTo(table: BlockTable): void {
    for (const question of this.questions) {
      const histogram = this.histograms.get(question.key);
      if (!histogram) continue;
      const groups = groupsOf(question.scale);
      const total = table.addKey(question.key, false).counts;
      const parts = groups.map((group) => table.addKey(`${question.key}[${group}]`, false).counts);
      for (let b = 0; b < this.blockCount; b++) {
        for (let point = 1; point <= question.scale; point++) {
          const n = histogram[b * question.scale + point - 1]!;
          total[b]! += n;
          parts[groups.indexOf(groupOf(point, question.scale))]![b]! += n;
        }
      }
      table.sums.push({ total: question.key, parts: groups.map((group) => `${question.key}[${group}]`) });
    }
  }
}

/** An answer as a point on the scale; null: no answer ("weet niet", empty); undefined: unreadable. */
function readAnswer(cell: string, scale: number, csv: CsvTable): number | null | undefined {
  const text = cell.trim().toLowerCase().replace(/\s+/g, ' ');
  if (noAnswer.has(text)) return null;
  const number = parseDecimal(text, csv.dialect.decimal);
  if (number !== undefined && Number.isInteger(number) && number >= 1 && number <= scale) return number;
  // "4 - tevreden", "(5) zeer tevreden": the number an export writes before its word.
  const leading = /^\(?([1-9])\)?[\s.:-]/.exec(text);
  if (leading && Number(leading[1]) <= scale) return Number(leading[1]);
  return scale === 5 ? fivePoints[text] : undefined;
}

/** A share with its exact interval, on 0..1. */
export interface Share {
  value: number;
  lower: number;
  upper: number;
}

/** The survey's figures for one block (or the area): respondents, the shares (dis)satisfied, the mean score. */
export interface SurveyFigures {
  respondents: number | null;
  tevreden: Share | null;
  ontevreden: Share | null;
  /** The mean answer (1..scale) with a 95% bootstrap interval. */
  mean: Share | null;
}

export interface SurveyResult {
  source: string;
  question: string;
  label: Bilingual;
  scale: number;
  /** The answers' words, as read or as the question says: agreeing (eens), satisfied (tevreden), or not known. */
  words: 'agree' | 'satisfied' | null;
  /** Blocks and the area are shown from this many respondents. */
  min_respondents: number;
  area: SurveyFigures;
  blocks: ({ id: string } & SurveyFigures)[];
}

/**
 * Per question, per block and for the area: the shares (dis)satisfied with Clopper-Pearson
 * intervals from the (protected) group counts, and the mean score with a bootstrap interval, never
 * for fewer respondents than `minRespondents`. A shareable result gives the mean for the area only,
 * where every group count is shown, every answer point holds 0 or at least `minRespondents` answers
 * and counts are not rounded: a block's mean beside the area's gave a hidden block's sum of
 * answers by subtraction, a missing one said that a point was small, and a mean of unrounded
 * answers undid the rounding of its count (an attacker's pass found all three).
 */
export function surveyResults(questions: readonly SurveyQuestion[], histograms: ReadonlyMap<string, Int32Array>, blocks: readonly BlockRow[], totals: Readonly<Record<string, number | null>>, minRespondents: number, shareable: false | { rounding: number }, seed: number): SurveyResult[] {
  return questions.flatMap((question, q) => {
    const histogram = histograms.get(question.key);
    if (!histogram) return [];
    const groups = groupsOf(question.scale);
    // The bootstrap is seeded by the answers themselves: the same histogram gets the same interval,
    // made once. A country's 460,000 blocks hold far fewer distinct histograms (a bootstrap each took 96 s).
    const means = new Map<string, Share>();
    const meanOf = (points: number[]) => {
      const key = points.join(',');
      let found = means.get(key);
      if (!found) means.set(key, (found = meanWithInterval(points, new Random(seed + 7919 * (q + 1) + textHash(key)))));
      return found;
    };
    const pointsOf = (b: number | null) => Array.from({ length: question.scale }, (_, p) => (b === null ? blocks.reduce((sum, _block, i) => sum + histogram[i * question.scale + p]!, 0) : histogram[b * question.scale + p]!));
    const figures = (counts: (key: string) => number | null, b: number | null): SurveyFigures => {
      const n = counts(question.key);
      const group = (name: AnswerGroup) => (groups.includes(name) ? counts(`${question.key}[${name}]`) : 0);
      const enough = n !== null && n >= minRespondents;
      const share = (k: number | null): Share | null => (enough && k !== null ? fraction(shareInterval(k, n!)) : null);
      const points = pointsOf(b);
      const mayShowMean = enough && (!shareable || (b === null && shareable.rounding === 0 && groups.every((name) => group(name) !== null) && points.every((count) => count === 0 || count >= minRespondents)));
      return { respondents: n, tevreden: share(group('tevreden')), ontevreden: share(group('ontevreden')), mean: mayShowMean ? meanOf(points) : null };
    };
    return [{
      source: question.source,
      question: question.id,
      label: question.label,
      scale: question.scale,
      words: question.words,
      min_respondents: minRespondents,
      area: figures((key) => totals[key] ?? null, null),
      blocks: blocks.map((block, b) => ({ id: block.id, ...figures((key) => block.counts[key] ?? null, b) })),
    }];
  });
}

function fraction(estimate: Estimate): Share {
  return { value: round(estimate.value!), lower: round(estimate.lower!), upper: round(estimate.upper!) };
}

/** The mean answer with the 2.5th and 97.5th percentiles of 999 bootstrap means (resampled histograms). */
function meanWithInterval(points: readonly number[], random: Random): Share {
  const mean = (counts: readonly number[]) => {
    let points = 0;
    let answers = 0;
    for (let p = 0; p < counts.length; p++) points += counts[p]! * (p + 1);
    for (let p = 0; p < counts.length; p++) answers += counts[p]!;
    return points / answers;
  };
  const replicates = new Float64Array(999);
  for (let r = 0; r < replicates.length; r++) replicates[r] = mean(resampleHistogram(random, points));
  const { lower, upper } = percentileInterval(replicates);
  return { value: round(mean(points)), lower: round(lower), upper: round(upper) };
}

function round(value: number): number {
  return Math.round(value * 10000) / 10000;
}

/** A 31-bit hash of a short text (FNV-1a), for a seed. */
function textHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return (hash >>> 1) % 1_000_003;
}
