import type { Random } from '../stats/random.js';
import { csvLine } from './csv-line.js';
import type { Block, Pc6Area } from './world.js';

/** The sample survey's questions: the first answered with numbers, the second with Likert words. */
export const surveyQuestionsOfSample = [
  { column: 'Hoe tevreden bent u met uw buurt?', id: 'tevredenheid', label: { nl: 'Tevreden met de buurt', en: 'Satisfied with the neighbourhood' } },
  { column: 'Ik heb genoeg contact met mijn buren', id: 'contact', label: { nl: 'Genoeg contact met de buren', en: 'Enough contact with the neighbours' } },
] as const;

const likertWords = ['helemaal oneens', 'oneens', 'neutraal', 'eens', 'helemaal eens'];

/** Chances of the answers 1..5: ordinary, low (a planted worry), high (a planted strength). */
const answerChances = {
  ordinary: [0.05, 0.15, 0.3, 0.35, 0.15],
  low: [0.25, 0.35, 0.25, 0.1, 0.05],
  high: [0.02, 0.05, 0.13, 0.4, 0.4],
};

/** What kind of block a respondent lives in, for the planted answers. */
export interface SurveyBlockKind {
  /** Over-75s living alone in bovenwoningen: little contact with the neighbours. */
  cluster: boolean;
  /** Zorgmijders and nuisance: not satisfied with the neighbourhood. */
  hotspot: boolean;
  /** Neighbours who help each other: much contact. */
  helping: boolean;
}

/**
 * A resident survey: about one household in six answers, per respondent the PC6 and two questions.
 * Planted: little contact in the over-75 cluster, dissatisfaction at the zorgmijder hotspots, much
 * contact where neighbours help each other. Truth per block is counted where the PC6 goes (the
 * block holding most of its addresses), as the analysis places it; a few answer "weet niet".
 */
export class SurveyWriter {
  readonly rows = { placeable: 0 };
  /** Per question, per block id, the answers 1..5 counted. */
  readonly truth: Record<string, Record<string, number[]>> = Object.fromEntries(surveyQuestionsOfSample.map((q) => [q.id, {}]));
  private readonly kinds = new Map<number, SurveyBlockKind & { id: string }>();

  constructor(private readonly random: Random, private readonly file: { write(text: string): void }) {
    file.write(`${csvLine(['Respondent', 'Postcode', ...surveyQuestionsOfSample.map((q) => q.column)], ';')}\n`);
  }

  block(block: Block, kind: SurveyBlockKind): void {
    this.kinds.set(block.index, { ...kind, id: block.id });
  }

  pc6(area: Pc6Area, placedIn: number): void {
    const target = this.kinds.get(placedIn)!.id;
    for (const d of area.dwellings) {
      if (!this.random.chance(1 / 6)) continue;
      const kind = this.kinds.get(d.block)!;
      const satisfaction = this.answer(kind.hotspot ? 'low' : 'ordinary');
      const contact = this.answer(kind.cluster ? 'low' : kind.helping ? 'high' : 'ordinary');
      const shown = [satisfaction, contact].map((point, q) => (point === null ? 'weet niet' : q === 0 ? String(point) : likertWords[point - 1]!));
      this.rows.placeable++;
      this.file.write(`${csvLine([`R${String(this.rows.placeable).padStart(5, '0')}`, `${area.code.slice(0, 4)} ${area.code.slice(4)}`, ...shown], ';')}\n`);
      [satisfaction, contact].forEach((point, q) => {
        if (point === null) return;
        const perBlock = (this.truth[surveyQuestionsOfSample[q]!.id]![target] ??= [0, 0, 0, 0, 0]);
        perBlock[point - 1]!++;
      });
    }
  }

  private answer(kind: keyof typeof answerChances): number | null {
    if (this.random.chance(0.04)) return null;
    let u = this.random.next();
    for (const [p, chance] of answerChances[kind].entries()) {
      if (u < chance) return p + 1;
      u -= chance;
    }
    return 5;
  }
}
