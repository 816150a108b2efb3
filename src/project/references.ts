import { UserError } from '../errors.js';
import { closestNames, suggestion } from '../text.js';
import { perBlock } from '../indicators/measures.js';
import type { ProjectConfig } from './schema.js';
import { signalsKey } from '../analysis/signals.js';
import { surveyQuestions } from '../analysis/survey.js';

type Path = readonly (string | number)[];

/**
 * Every name a measure, indicator or comparison refers to must exist in this project: a source
 * renamed in one place and not in another would otherwise drop an indicator without a word.
 * Category values are data, not names, so `<source>[<value>]` of a source with a category passes.
 */
export function checkReferences(project: ProjectConfig, file: string, lineOf: (path: Path) => number | undefined): void {
  const { known, exists } = projectKeys(project);
  const check = (reference: string | string[], path: Path) => {
    const items = Array.isArray(reference) ? reference : [reference];
    for (const [i, item] of items.entries()) {
      if (exists(item)) continue;
      const at = Array.isArray(reference) ? [...path, i] : path;
      throw new UserError(`${formatPath(path)} names "${item}", which is no source, count key or measure of this project`, {
        file,
        line: lineOf(at) ?? lineOf(path),
        expected: `addresses${project.addresses ? ', woningen' : ''}, ${perBlock}, a name from measures:, <source>, <source>.<count column> or <source>[<flag or category>]`,
        fix: nearest(item, items, [...known]),
      });
    }
  };
  for (const [name, reference] of Object.entries(project.measures ?? {})) check(reference, ['measures', name]);
  (project.indicators ?? []).forEach((indicator, index) => {
    check(indicator.numerator, ['indicators', index, 'numerator']);
    check(indicator.denominator, ['indicators', index, 'denominator']);
  });
  (project.compare ?? []).forEach((comparison, index) => {
    check(comparison.outcome, ['compare', index, 'outcome']);
    for (const [name, reference] of Object.entries(comparison.exposures)) check(reference, ['compare', index, 'exposures', name]);
    check(comparison.per, ['compare', index, 'per']);
  });
}

/**
 * The names a reference may use in this project, known before any data is read: addresses, blocks,
 * woningen (with a register), the measures, each source's rows or count columns and flags, and any
 * `[value]` of a source with a category.
 */
export function projectKeys(project: ProjectConfig): { known: Set<string>; exists: (name: string) => boolean } {
  const known = new Set(['addresses', perBlock, ...(project.addresses ? ['woningen'] : []), ...Object.keys(project.measures ?? {})]);
  const categorised = new Set<string>();
  if (project.sources.some((source) => source.signals)) categorised.add(signalsKey);
  for (const question of surveyQuestions(project)) {
    known.add(question.key);
    categorised.add(question.key);
  }
  for (const source of project.sources) {
    if (source.signals || source.survey) continue;
    const bases = source.counts ? source.counts.map((column) => `${source.name}.${column}`) : [source.name];
    for (const base of bases) {
      known.add(base);
      if (source.category) categorised.add(base);
    }
    if (!source.counts) for (const flag of Object.keys(source.flags ?? {})) known.add(`${source.name}[${flag}]`);
  }
  const exists = (name: string) => {
    if (known.has(name)) return true;
    const category = /^(.*)\[[^\]]+\]$/.exec(name);
    return category !== null && categorised.has(category[1]!);
  };
  return { known, exists };
}

/** A key as the messages write it: sources[1].columns. */
export function formatPath(path: Path): string {
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`)).join('');
}

/**
 * A source renamed in `sources:` but not in a list of references: the same flag or column of a
 * source the list does not name yet is what the user meant ("corporatie_b[omklapwoning]" →
 * "rivierenwonen[omklapwoning]"). Otherwise the closest name.
 */
function nearest(item: string, siblings: readonly string[], known: readonly string[]): string {
  const rest = /^[^.[]+(.*)$/.exec(item)?.[1] ?? '';
  if (rest !== '') {
    const named = new Set(siblings.map((sibling) => /^[^.[]+/.exec(sibling)?.[0]));
    const renamed = known.filter((key) => key.endsWith(rest) && key !== item && !named.has(/^[^.[]+/.exec(key)?.[0]));
    if (renamed.length > 0 && renamed.length <= 3) return `did you mean ${renamed.map((key) => `"${key}"`).join(' or ')}? (check the source names under sources:)`;
  }
  return closestNames(item, known).length > 0 ? suggestion(item, known) : `the project has: ${known.slice(0, 25).map((key) => `"${key}"`).join(', ')}`;
}
