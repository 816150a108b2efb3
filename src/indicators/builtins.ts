/** Text in both report languages. */
export interface Bilingual {
  nl: string;
  en: string;
}

/** An indicator: numerator and denominator are measure names or count keys. */
export interface IndicatorDefinition {
  id: string;
  label: Bilingual;
  definition: Bilingual;
  unit: Bilingual;
  numerator: string | string[];
  denominator: string | string[];
  kind: 'rate' | 'share';
  scale: number;
  per_year: boolean;
  /** One indicator more per category of the numerator (`meldingen[burenoverlast]`, ...). */
  by_category: boolean;
  /** Reference from the project file; without one the area's own value is the reference. */
  reference?: number | undefined;
  /**
   * A figure that describes the blocks (over-65s, households) without saying which way is a problem:
   * mapped and in the tables, never a signal or a finding. The defaults made from count columns
   * nobody gave a meaning are such figures.
   */
  descriptive?: boolean | undefined;
}

type Defaults = 'kind' | 'scale' | 'per_year' | 'by_category';

/** Most indicators are rates per 100, not per year, not split by category. */
function builtin(definition: Omit<IndicatorDefinition, Defaults> & Partial<Pick<IndicatorDefinition, Defaults>>): IndicatorDefinition {
  return { kind: 'rate', scale: 100, per_year: false, by_category: false, ...definition };
}

/**
 * The built-in Buurtbalans indicators. Their inputs are named measures that the project file maps
 * to its own sources (`measures:`); `woningen` defaults to the register's addresses.
 */
export const builtinIndicators: IndicatorDefinition[] = [
  builtin({
    id: 'alleenstaande_75plus',
    label: { nl: 'Alleenstaande 75-plussers', en: 'Over-75s living alone' },
    definition: {
      nl: 'Inwoners van 75 jaar en ouder die alleen wonen, per 100 inwoners, vergeleken met het stedelijk gemiddelde.',
      en: 'Residents aged 75 or over who live alone, per 100 residents, compared with the city average.',
    },
    unit: { nl: 'per 100 inwoners', en: 'per 100 residents' },
    numerator: 'alleenstaande_75plus',
    denominator: 'inwoners',
    kind: 'share',
  }),
  builtin({
    id: 'zorgmijders',
    label: { nl: 'Zorgmijders', en: 'Care avoiders (zorgmijders)' },
    definition: { nl: 'Signalen van zorgmijding per 100 woningen.', en: 'Signals of care avoidance per 100 homes.' },
    unit: { nl: 'per 100 woningen', en: 'per 100 homes' },
    numerator: 'zorgmijder_signalen',
    denominator: 'woningen',
  }),
  builtin({
    id: 'omklapwoningen',
    label: { nl: 'Omklapwoningen', en: 'Omklapwoningen (supported tenancies)' },
    definition: {
      nl: 'Woningen die een zorgorganisatie huurt voor een cliënt met ambulante begeleiding, per 100 woningen, per corporatie opgeteld.',
      en: 'Homes rented by a care organisation for a client with ambulant support, per 100 homes, summed over the corporations.',
    },
    unit: { nl: 'per 100 woningen', en: 'per 100 homes' },
    numerator: 'omklapwoningen',
    denominator: 'woningen',
  }),
  builtin({
    id: 'kwetsbare_toewijzingen',
    label: { nl: 'Toewijzingen aan kwetsbare groepen', en: 'Homes allocated to vulnerable groups' },
    definition: { nl: 'Woningen toegewezen aan kwetsbare doelgroepen, per 100 woningen, per corporatie opgeteld.', en: 'Homes allocated to vulnerable groups, per 100 homes, summed over the corporations.' },
    unit: { nl: 'per 100 woningen', en: 'per 100 homes' },
    numerator: 'kwetsbare_toewijzingen',
    denominator: 'woningen',
  }),
  builtin({
    id: 'meldingen',
    label: { nl: 'Overlastmeldingen', en: 'Nuisance reports' },
    definition: { nl: 'Meldingen van overlast per 100 woningen per jaar in de periode.', en: 'Nuisance reports per 100 homes per year in the period.' },
    unit: { nl: 'per 100 woningen per jaar', en: 'per 100 homes per year' },
    numerator: 'meldingen',
    denominator: 'woningen',
    per_year: true,
    by_category: true,
  }),
  builtin({
    id: '75plus_bovenwoning_zonder_lift',
    label: { nl: '75-plussers in bovenwoningen zonder lift', en: 'Over-75s in upstairs homes without a lift' },
    definition: {
      nl: 'Inwoners van 75 jaar en ouder in een bovenwoning zonder lift, per 100 inwoners van 75 jaar en ouder.',
      en: 'Residents aged 75 or over in an upstairs home without a lift, per 100 residents aged 75 or over.',
    },
    unit: { nl: 'per 100 inwoners van 75 jaar en ouder', en: 'per 100 residents aged 75 or over' },
    numerator: '75plus_bovenwoning_zonder_lift',
    denominator: 'inwoners_75plus',
    kind: 'share',
  }),
  builtin({
    id: 'huisarts_signalen',
    label: { nl: 'Signalen van huisartsen', en: 'GP signals' },
    definition: { nl: 'Gecodeerde signalen uit gesprekken met huisartsen en POH, per thema, per 1.000 inwoners.', en: 'Coded signals from interviews with GPs and practice nurses, per theme, per 1,000 residents.' },
    unit: { nl: 'per 1.000 inwoners', en: 'per 1,000 residents' },
    numerator: 'huisarts_signalen',
    denominator: 'inwoners',
    scale: 1000,
    by_category: true,
  }),
  builtin({
    id: 'zorgdruk',
    label: { nl: 'Zorgdruk', en: 'Care pressure' },
    definition: { nl: 'Cliënten van zorgaanbieders per 100 inwoners.', en: 'Clients of care providers per 100 residents.' },
    unit: { nl: 'per 100 inwoners', en: 'per 100 residents' },
    numerator: 'clienten',
    denominator: 'inwoners',
  }),
];

/** How measures read in a sentence, where the project gives no label of its own. */
export const measureLabels: Record<string, Bilingual> = {
  zorgmijder_signalen: { nl: 'zorgmijders', en: 'zorgmijders (care avoiders)' },
  zorgmijders: { nl: 'zorgmijders', en: 'zorgmijders (care avoiders)' },
  omklapwoningen: { nl: 'omklapwoningen', en: 'omklapwoningen' },
  kwetsbare_toewijzingen: { nl: 'toewijzingen aan kwetsbare groepen', en: 'allocations to vulnerable groups' },
  meldingen: { nl: 'overlastmeldingen', en: 'nuisance reports' },
  clienten: { nl: 'cliënten van zorgaanbieders', en: 'clients of care providers' },
};
