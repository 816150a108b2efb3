import { projectKeys } from '../project/references.js';
import type { ProjectConfig } from '../project/schema.js';
import { builtinIndicators, type IndicatorDefinition } from './builtins.js';
import { expandMeasure, perBlock } from './measures.js';

const population = /^(aantal[_ ]?)?(inwoners|bewoners|bevolking|residents|population)( totaal)?$/i;

/**
 * Indicators for the sources the project file does not use yet, so a first project (blocks, a
 * register, the partners' exports and nothing more) gets maps and a report straight away: a record
 * source as rows per 100 homes (without a register per 100 residents, or per block), a count column per 100 residents
 * where a population column is recognisable (which is then no indicator itself), else per block,
 * descriptive (no signal: which way is a problem is not in a column name). The built-in Buurtbalans indicators
 * come on as soon as `measures:` maps their inputs; a source any reference names gets no default.
 */
export function defaultIndicators(project: ProjectConfig): IndicatorDefinition[] {
  const referenced = referencedSources(project);
  const taken = new Set([...builtinIndicators.map((indicator) => indicator.id), ...(project.indicators ?? []).map((indicator) => indicator.id)]);
  // A figure the project file puts in a domain has a direction: it counts in the stapeling and can signal.
  const inDomain = new Set(Object.values(project.domains ?? {}).flat());
  const populationKey = project.sources.flatMap((source) => (source.counts ?? []).filter((column) => population.test(column.trim())).map((column) => `${source.name}.${column}`))[0];
  const definitions: IndicatorDefinition[] = [];
  for (const source of project.sources) {
    // Soft signals are heard, not measured: they stand beside the indicators (Cijfers en geluiden).
    if (referenced.has(source.name) || source.signals || source.survey) continue;
    const organisation = source.organisation ?? source.name;
    const byCategory = source.category !== undefined;
    if (!source.counts) {
      const homes = project.addresses !== undefined;
      const per = homes ? { key: 'addresses', nl: 'per 100 woningen', en: 'per 100 homes', scale: 100 } : populationKey ? { key: populationKey, nl: 'per 100 inwoners', en: 'per 100 residents', scale: 100 } : { key: perBlock, nl: 'per blok', en: 'per block', scale: 1 };
      definitions.push({
        id: source.name,
        label: { nl: `Registraties van ${organisation}`, en: `Records from ${organisation}` },
        definition: { nl: `Registraties van ${organisation} ${per.nl}${homes ? ' (adressen in het adressenbestand)' : ''}.`, en: `Records from ${organisation} ${per.en}${homes ? ' (addresses in the register)' : ''}.` },
        unit: { nl: per.nl, en: per.en },
        numerator: source.name,
        denominator: per.key,
        kind: 'rate',
        scale: per.scale,
        per_year: false,
        by_category: byCategory,
      });
      continue;
    }
    for (const column of source.counts) {
      const key = `${source.name}.${column}`;
      // The population is what the others are divided by: a buurt with many residents is no finding.
      if (key === populationKey) continue;
      const perResident = populationKey !== undefined && key !== populationKey;
      const name = readableColumn(column);
      // Which way is a problem is not in a column name: many over-65s or households are no signal.
      const describing = inDomain.has(key) ? { nl: '', en: '' } : { nl: ' Dit is een beschrijvend cijfer: het laat zien hoe de blokken van elkaar verschillen, niet waar een probleem zit.', en: ' This is a descriptive figure: it shows how the blocks differ from each other, not where a problem lies.' };
      definitions.push({
        id: key,
        label: { nl: `${name} (${organisation})`, en: `${name} (${organisation})` },
        definition: perResident
          ? { nl: `${name} volgens ${organisation}, per 100 inwoners.${describing.nl}`, en: `${name} according to ${organisation}, per 100 residents.${describing.en}` }
          : { nl: `${name} volgens ${organisation}, per blok.${describing.nl}`, en: `${name} according to ${organisation}, per block.${describing.en}` },
        unit: perResident ? { nl: 'per 100 inwoners', en: 'per 100 residents' } : { nl: 'per blok', en: 'per block' },
        numerator: key,
        denominator: perResident ? populationKey : perBlock,
        kind: 'rate',
        scale: perResident ? 100 : 1,
        per_year: false,
        by_category: byCategory,
        descriptive: !inDomain.has(key),
      });
    }
  }
  // A source named like a built-in whose inputs are missing (meldingen without a register) keeps its own indicator under another id.
  return definitions.map((definition) => (taken.has(definition.id) ? { ...definition, id: `${definition.id}_${definition.denominator === perBlock ? 'per_blok' : 'per_100'}` } : definition));
}

/**
 * A column name as a label a reader takes in: "inwoners65plus" → "Inwoners 65+", "aantal_huishoudens"
 * → "Aantal huishoudens", "inkomenPerInwoner" → "Inkomen per inwoner". Exports name columns for machines; maps and reports are read by people.
 */
export function readableColumn(column: string): string {
  const words = column
    .trim()
    .replace(/[_]+/g, ' ')
    .replace(/([a-zà-ÿ])([A-Z])/g, (_, last: string, next: string) => `${last} ${next.toLowerCase()}`)
    .replace(/([a-zà-ÿ])(\d)/gi, '$1 $2')
    .replace(/(\d)(plus)\b/gi, '$1+')
    .replace(/(\d)([a-zà-ÿ]{2,})/gi, '$1 $2')
    .replace(/\s+/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * The sources that an indicator or comparison of this run will use: the project's own, its
 * comparisons, and the built-ins whose every input exists (through measures: or as a key itself,
 * as meldingen). A measure no indicator uses leaves its source to the defaults.
 */
function referencedSources(project: ProjectConfig): Set<string> {
  const { exists } = projectKeys(project);
  const measures = project.measures ?? {};
  const expand = (reference: string | string[]) => expandMeasure(reference, measures);
  const builtins = builtinIndicators.map((indicator) => [...expand(indicator.numerator), ...expand(indicator.denominator === 'woningen' && project.addresses ? 'addresses' : indicator.denominator)]).filter((keys) => keys.every(exists));
  const references = [
    ...builtins.flat(),
    ...(project.indicators ?? []).flatMap((indicator) => [...expand(indicator.numerator), ...expand(indicator.denominator)]),
    ...(project.compare ?? []).flatMap((comparison) => [comparison.outcome, comparison.per, ...Object.values(comparison.exposures)].flatMap(expand)),
  ];
  return new Set(references.map((reference) => /^[^.[]+/.exec(reference)?.[0] ?? reference));
}
