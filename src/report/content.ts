import type { AnalysisResult } from '../analysis/result.js';
import type { IndicatorBlock } from '../indicators/blocks.js';
import type { IndicatorResult } from '../indicators/compute.js';
import { measureLabels } from '../indicators/builtins.js';
import { workbookBlockLimit } from '../output/workbook.js';
import { measureValues } from '../indicators/measures.js';
import { blockName, capitalise, formatNumber, grouped, longDate, lowerFirst, onlyDescriptive, periodWords } from '../indicators/sentences.js';
import { describeReasons } from '../join/reason-words.js';
import { accumulationChart, forestChart, rankedBlocksChart, type VegaLiteSpec } from './charts.js';
import { byStapeling, stapelingText } from '../indicators/accumulation.js';
import { blocksWithSamenloop } from '../analysis/samenloop.js';
import { compareIds, listed } from '../text.js';
import { valenceWords } from '../analysis/signals.js';
import type { SignalKind } from '../project/schema.js';

/** A report as a list of parts that every format (HTML, PDF, Markdown) renders its own way. */
export type Part =
  | { kind: 'cover'; title: string; subtitle: string; lines: string[]; confidentiality: string; internal: boolean }
  | { kind: 'heading'; level: 1 | 2 | 3; text: string; id: string }
  | { kind: 'paragraph'; text: string }
  | { kind: 'list'; items: string[] }
  | { kind: 'table'; columns: string[]; rows: string[][]; numeric: boolean[] }
  // pageShare: at most this part of the page's height, so a figure shares its page (an indicator's map and chart with its standouts).
  | { kind: 'map'; name: string; caption: string; indicator: string | null; landscape?: boolean; pageShare?: number }
  | { kind: 'chart'; name: string; caption: string; spec: VegaLiteSpec; pageShare?: number };

export interface Report {
  lang: 'nl' | 'en';
  title: string;
  parts: Part[];
}

const words = {
  nl: {
    title: (area: string) => `Buurtbalans ${area}`,
    period: 'Periode',
    partners: 'Deelnemende organisaties',
    made: 'Gemaakt op',
    tool: 'met buurtbalans',
    confidential: 'VERTROUWELIJK: interne versie zonder onderdrukking van kleine aantallen; alleen voor de partners van het netwerk, deel dit stuk niet verder.',
    shareable: (t: number) => `Om te delen met de partners: aantallen van 1 tot en met ${t - 1}, en wat daaruit terug te rekenen is, zijn weggelaten („geheim”); er staan geen adressen of personen in.`,
    disclosure: (t: number, hidden: number, values: number, rounding: number, zeros: boolean) =>
      hidden === 0
        ? `Geheimhouding: aantallen van 1 tot en met ${t - 1} worden geheimgehouden, met zo veel andere aantallen als nodig is om ze niet terug te kunnen rekenen. In dit project lag geen enkel aantal in dat bereik, dus er is niets weggelaten${rounding > 0 ? `; de getoonde aantallen zijn afgerond op ${rounding}` : ''}.`
        : `Geheimhouding: aantallen van 1 tot en met ${t - 1} zijn geheim, en daarnaast zo veel andere aantallen dat geen geheim aantal uit de rest terug te rekenen is (${hidden} cellen in totaal). Alle cijfers, kaarten, hotspots en vergelijkingen zijn berekend zonder de geheime aantallen; ${values} blokwaarden zijn daardoor weggelaten${rounding > 0 ? `, en de getoonde aantallen zijn afgerond op ${rounding}` : ''}. Een controle met lineaire programmering bevestigt dat elk geheim aantal, gegeven alles wat gepubliceerd is, nog steeds ergens tussen ${zeros ? '0' : '1'} en ${t} kan liggen${zeros ? '' : ' (nullen worden getoond, dus een geheim aantal is minstens 1; de marge is even breed)'}.`,
    findings: 'Belangrijkste bevindingen',
    accumulation: 'Waar stapelen problemen zich op?',
    accumulationIntro: (domains: string[]) =>
      `Hieronder staat per blok in hoeveel leefgebieden (${domains.join(', ')}) iets aan de hand is: minstens één cijfer ligt er duidelijk boven de referentie („verhoogd”) of sterk en betrouwbaar erboven („signaal”). Is een cijfer geheim of berust het op kleine aantallen, dan weten we niet of dat leefgebied meetelt; daarom staat er dan een marge, bijvoorbeeld „2 tot 4 leefgebieden”.`,
    accumulationCaption: 'Leefgebieden per blok; de blokken met de meeste leefgebieden bovenaan.',
    accumulationNone: 'In geen enkel blok geeft een leefgebied een signaal of ligt het duidelijk boven de referentie.',
    accumulationOnlyDescriptive:
      'De opeenstapeling telt per blok in hoeveel leefgebieden (wonen, zorg, ouderen, overlast, signalen van professionals) er een signaal is. De cijfers van dit project zijn alleen beschrijvend en geven geen signalen, dus er valt hier nog niets op te stapelen. Dat verandert zodra er gegevens van de partners zijn gekoppeld (onder measures: in buurtbalans.yml) of zodra een cijfer een leefgebied krijgt (onder domains: in buurtbalans.yml).',
    accumulationNoDomains: (indicators: string[]) =>
      `De opeenstapeling telt per blok de leefgebieden (wonen, zorg, ouderen, overlast, signalen van professionals) met een signaal. Geen van de indicatoren van dit project hoort bij een leefgebied (${listed(indicators, 'en')}), dus hier is nog niets op te stapelen. Geef ze een leefgebied met domain: of domains: in buurtbalans.yml.`,
    accumulationLine: (label: string, range: string, shown: string[], unknown: string[]) =>
      `${label}: ${range} leefgebieden — ${shown.join(', ')}${unknown.length > 0 ? `; onbekend: ${unknown.join(', ')}` : ''}.`,
    states: { signal: 'signaal', elevated: 'verhoogd', unknown: 'onbekend', none: 'niet verhoogd' },
    heard: 'Cijfers en geluiden',
    heardIntro: (kinds: string[], hiddenNouns: string[] | null, survey: boolean, quotes: boolean) =>
      `Naast de cijfers staat hier wat mensen vertellen, uit ${listed(kinds, 'en')}${hiddenNouns ? ` (hoeveel ${listed(hiddenNouns, 'en')} het zijn, staat er niet bij: dat zou een klein aantal verraden)` : ''}${survey ? ', en wat bewoners antwoordden in de bewonersenquête' : ''}. Geluiden zijn geen metingen: ze laten zien wat mensen opvalt en waar ze zich zorgen over maken, niet hoe vaak iets voorkomt. Per blok staat een thema alleen als het vaak genoeg genoemd is om te delen. Op de kaart staat een thema midden in het blok, nooit op de plek waar iemand een punt zette. ${quotes ? 'Alleen de citaten onderaan zijn iemands eigen woorden, zonder namen, nummers of straten.' : 'Wat mensen letterlijk schreven of zeiden, staat nergens in dit rapport.'}`,
    heardKind: (label: string, rows: string | null, noun: string) => (rows === null ? label : `${label} (${rows} ${noun})`),
    heardNouns: { huisarts: 'gespreksnotities', enquete: 'antwoorden', gevoelskaart: 'reacties', professional: 'waarnemingen', melding: 'verhalen' },
    heardKinds: { huisarts: 'de gesprekken met huisartsen en POH', enquete: 'de bewonersenquête', gevoelskaart: 'de gevoelskaart', professional: 'de waarnemingen van professionals', melding: 'de verhalen achter meldingen' },
    heardFrom: { huisarts: 'van huisartsen en POH', enquete: 'in de enquête', gevoelskaart: 'op de gevoelskaart', professional: 'van professionals', melding: 'uit meldingen' },
    heardTop: (themes: string[], more: boolean) => `Het vaakst genoemd in het hele gebied: ${listed(themes, 'en')}.${more ? ' Andere thema’s zijn te weinig genoemd om apart te tonen.' : ''}`,
    heardTimes: (label: string, count: string, notes: string[]) => `${label} (${count}\u00a0keer${notes.map((note) => `, ${note}`).join('')})`,
    heardColumns: ['Blok', 'Wat de cijfers laten zien', 'Wat mensen noemen', 'Cijfers en geluiden samen'],
    heardNothing: (unknown: number, of: number) => (unknown === 0 ? 'niets opvallends' : `niets opvallends (${unknown} van ${of} leefgebieden onbekend)`),
    heardNoTheme: 'geen thema vaak genoeg genoemd',
    heardAgree: (domains: string[]) => `in beide: ${domains.join(', ')}`,
    heardOnly: 'alleen in de geluiden',
    heardNoFigures: 'alleen gehoord (hierover zijn geen cijfers)',
    heardFiguresOnly: (domains: string[]) => `alleen in de cijfers: ${domains.join(', ')}`,
    heardGood: 'positief geluid',
    heardLeftOut: 'Blokken waar de cijfers niets laten zien en geen thema vaak genoeg genoemd is, staan niet in de tabel.',
    heardReading: 'Waar cijfers en geluiden hetzelfde zeggen, is het beeld steviger. Waar alleen iets gehoord wordt, loont het om samen te bespreken wat erachter zit; waar alleen de cijfers iets laten zien, is de vraag wat mensen daar zelf merken.',
    heardSameSource: 'Komt een geluid van huisartsen of andere professionals, dan is de overeenkomst met hun eigen signalen geen onafhankelijke bevestiging.',
    heardGoodLine: (blocks: string[]) => `Er gaat ook iets goed: ${listed(blocks, 'en')}.`,
    heardGoodBlock: (block: string, themes: string[]) => `in ${block} noemen mensen vooral ${listed(themes.map((theme) => `„${theme}”`), 'en')}`,
    heardCaption: 'Per blok de thema’s die het vaakst genoemd zijn; de kleur van het blok geeft het aantal leefgebieden met een signaal of een verhoogd cijfer.',
    heardMany: (shown: number, total: number) => `De ${shown} blokken met de meeste geluiden van de ${total}; alle blokken staan in blocks.xlsx.`,
    heardQuotes: 'Zo zeggen mensen het zelf (een keuze uit teksten zonder namen, nummers of straten, alleen bij thema’s die in het blok vaak genoeg genoemd zijn):',
    heardQuote: (text: string, block: string, theme: string) => `„${text}” (${block}, ${theme})`,
    surveyTitle: 'Bewonersenquête',
    surveyIntro: (min: number, low: string, high: string, withMean: boolean) =>
      `Wat bewoners zelf antwoordden. „Tevreden” of „eens” zijn de antwoorden ${high}, „ontevreden” of „oneens” de antwoorden ${low}; wie neutraal antwoordde, telt bij geen van beide. Tussen haakjes staat het 95%-interval. Een blok staat erbij als er minstens ${min} antwoorden zijn en ten minste één van de twee percentages gedeeld kan worden; „geheim” betekent minder dan ${min} bewoners, of een aantal waaruit zo’n klein aantal terug te rekenen is.${withMean ? '' : ' Een gemiddelde staat er alleen voor het hele gebied: per blok zijn sommige antwoorden te weinig gegeven om het te delen.'}`,
    surveyGroups: { agree: ['eens', 'oneens'], satisfied: ['tevreden', 'ontevreden'], none: ['tevreden of eens', 'ontevreden of oneens'] } as Record<string, [string, string]>,
    surveyEnds: { agree: ['helemaal oneens', 'helemaal eens'], satisfied: ['zeer ontevreden', 'zeer tevreden'], none: ['', ''] } as Record<string, [string, string]>,
    surveyArea: (n: string, tevreden: string, ontevreden: string, groups: [string, string], mean: string | null, scale: number, ends: [string, string]) =>
      `In het hele gebied antwoordden ${n} bewoners: ${tevreden} ${groups[0]}, ${ontevreden} ${groups[1]}${mean ? `; gemiddeld ${mean} op een schaal van 1${ends[0] ? ` (${ends[0]})` : ''} tot ${scale}${ends[1] ? ` (${ends[1]})` : ''}` : ''}.`,
    surveyTooFew: (n: string | null) => `Te weinig antwoorden om iets over te zeggen${n ? ` (${n})` : ''}.`,
    surveyColumns: (scale: number, groups: [string, string]) => ['Blok', 'Antwoorden', capitalise(groups[0]), capitalise(groups[1]), `Gemiddeld (1–${scale})`],
    surveyHidden: (blocks: string[], more: number) => `Niet in de tabel: ${listed(blocks, 'en')}${more > 0 ? ` en ${more} andere blokken` : ''} (te weinig antwoorden of te kleine aantallen om te delen).`,
    indexLine: (value: string, lower: string, upper: string, parts: string[]) => `Index ${value} (100 = referentie; 95%-interval ${lower} tot ${upper}): ${parts.join(', ')}.`,
    concentrationsIntro: (count: number) =>
      `Concentraties: groepen aangrenzende blokken die elk duidelijk boven de referentie uitkomen, rekening houdend met het aantal bewoners of woningen (de regel van de Regiomonitor). Alleen groepen met samen minstens 10 getelde personen of meldingen staan hier. ${count > 3 ? `Hieronder de 3 grootste van de ${count}:` : count === 1 ? 'Er is er één:' : `Het zijn er ${count}:`}`,
    concentrationLine: (label: string, blocks: string[], value: string, lower: string, upper: string, reference: string, count: string) =>
      `${label}: ${blocks.length === 1 ? `blok ${blocks[0]}:` : `${blocks.length} aangrenzende blokken, ${blocks.join(', ')}, samen`} ${value} (95%-interval ${lower} tot ${upper}; referentie ${reference}; ${count} geteld).`,
    samenloop: 'Samenloop achter dezelfde voordeur',
    samenloopIntro: (markers: string[], leftOut: string[], byPoint: string[], metres: string) =>
      `Meerdere problemen op één adres: per adres is geteld hoeveel van deze kenmerken er tegelijk voorkomen: ${listed(markers, 'en')}. Alleen registraties met een adres tellen mee${leftOut.length > 0 ? ` (niet die van ${listed(leftOut, 'en')}, zonder adres)` : ''}.${byPoint.length > 0 ? ` ${capitalise(listed(byPoint, 'en'))} ${byPoint.length === 1 ? 'levert' : 'leveren'} alleen coördinaten; een registratie telt dan mee als er precies één adres binnen ${metres} meter van dat punt ligt.` : ''} In dit rapport staan geen adressen, alleen aantallen per blok; aantallen onder de drempel zijn geheim.`,
    samenloopArea: (two: string | null, three: string | null) =>
      two === null && three === null
        ? 'Voor het hele gebied blijven deze aantallen geheim: ze zouden een klein aantal in een blok verraden.'
        : two === null
          ? `In het hele gebied is het aantal adressen met twee kenmerken geheim (het precieze totaal zou een klein aantal in een blok verraden); ${three === '0' ? 'geen enkel adres heeft er drie of meer' : `${three} adressen hebben er drie of meer`}.`
          : three === null
            ? `In het hele gebied hebben ${two} adressen twee kenmerken; het aantal met drie of meer is geheim.`
            : `In het hele gebied hebben ${two} adressen twee kenmerken${three === '0' ? '; geen enkel adres heeft er drie of meer' : ` en ${three} drie of meer`}.`,
    samenloopNone: 'Op geen enkel adres komen twee of meer kenmerken samen.',
    samenloopColumns: ['Blok', 'Adressen in blok', 'Geen kenmerk', '1 kenmerk', '2 kenmerken', '3 of meer'],
    allThree: 'alle 3',
    samenloopCombinations: 'Welke kenmerken samenkomen (het hele gebied, elke combinatie apart):',
    samenloopCombination: (markers: string[], count: string) => `${capitalise(listed(markers, 'en'))}: ${count} adressen.`,
    samenloopOther: (count: string) => `Andere combinaties, samengenomen omdat ze elk te klein zijn om te tonen: ${count} adressen.`,
    spread: (label: string, top: string, all: string, share: string, lower: string, upper: string, chance: string, beyond: boolean) =>
      `Komen de ${label} vooral van een paar adressen? De 10% adressen met de meeste ${label} (${top} van de ${all}) zijn samen goed voor ${share} van de ${label} met een adres (95%-interval ${lower} tot ${upper}). Als de ${label} toevallig over de adressen verspreid waren, zou dat ongeveer ${chance} zijn: de meeste adressen hebben er geen, dus ook bij toeval komt een groot deel van een paar adressen. ${beyond ? `De ${label} zijn dus meer op een paar adressen geconcentreerd dan toeval verklaart.` : `Het verschil met toeval is niet groter dan de onzekerheid.`}`,
    findingsIntro: 'De sterkste signalen uit de gedeelde gegevens, met hun onzekerheid. Een 95%-interval geeft aan hoe zeker een getal is; waar de aantallen klein zijn, staat dat erbij.',
    noFindings: 'Geen enkel verschil is groot en zeker genoeg om hier te noemen.',
    onlyDescriptive: (labels: string[]) =>
      `Dit project bevat alleen beschrijvende cijfers: ${listed(labels, 'en')}. Die laten zien hoe de blokken van elkaar verschillen, niet waar een probleem zit. Daarom staan hier nog geen signalen of bevindingen. Die komen er zodra er gegevens van de partners zijn gekoppeld, zoals meldingen, zorgmijders of omklapwoningen (onder measures: in buurtbalans.yml).`,
    bigMap: 'De grote kaart',
    bigMapText: (colour: string, circles: string | undefined, symbols: string[]) =>
      `Alle gegevens op één kaart: ${colour} per blok als kleur${circles ? `, ${circles} als cirkels` : ''}${symbols.length > 0 ? `, ${listed(symbols, 'en')} als symbolen per blok` : ''} (nooit per adres).`,
    noIndicators: 'Geen enkele bron levert een indicator op, dus er is geen kaart en er zijn geen hotspots; koppel de bronnen aan indicatoren onder measures: in buurtbalans.yml.',
    indicators: 'Indicatoren',
    definition: 'Definitie',
    reference: 'Referentie',
    referenceArea: 'het gemiddelde van het gebied',
    referenceProject: 'opgegeven in het projectbestand',
    areaValue: 'Waarde voor het hele gebied',
    chartCaption: (label: string, only?: number) => `${label} ${only === undefined ? 'per blok' : `in de ${only} blokken die het meest opvallen`} met 95%-interval; de stippellijn is de referentie.`,
    rankedCaption: (label: string) => `${label}: de blokken met het hoogste en het laagste cijfer, met 95%-interval; de stippellijn is de referentie.`,
    mapCaption: (label: string) => `${label} per blok.`,
    columnsIndicator: ['Blok', 'Aantal', 'Noemer', 'Waarde', '95%-interval', 't.o.v. referentie', 'Opmerking'],
    small: 'te weinig gegevens',
    secret: 'geheim',
    signal: 'signaal',
    hot: 'hotspot',
    cold: 'coldspot',
    incomplete: 'onvolledig: de afzender hield kleine aantallen achter',
    comparisons: 'Vergelijkingen',
    comparisonsIntro: 'Hangt een uitkomst samen met een kenmerk van de blokken? Per kenmerk de verhouding tussen blokken met veel en de overige blokken, en een Poisson-regressie die voor de andere kenmerken corrigeert.',
    forestCaption: (label: string) => `${label}: verhoudingen met 95%-interval (1 = geen verschil).`,
    hotspots: 'Ruimtelijke clusters',
    hotspotsIntro: "Liggen hoge waarden bij elkaar? Moran's I meet dat voor het hele gebied; Getis-Ord Gi* wijst blokken aan die samen met hun buren opvallend hoog (hotspot) of laag (coldspot) zijn, na correctie voor het aantal toetsen.",
    columnsHotspots: ['Indicator', "Moran's I", 'p (permutaties)', 'Hotspots', 'Coldspots'],
    none: 'geen',
    method: 'Gegevens en methode',
    sources: 'Bronnen',
    columnsSources: ['Bron', 'Organisatie', 'Bestand', 'Rijen', 'Geplaatst', 'Niet geplaatst (redenen)', 'Codering'],
    prepared: (sources: string[]) => `Als deelbestand dat de partner zelf maakte (buurtbalans prepare) kwamen: ${listed(sources, 'en')}. Zo'n bestand bevat per regel alleen het blok en de gevraagde kenmerken en datum; voor de samenloop staat apart per adres met een kenmerk alleen een sleutelpseudoniem van het adres. Namen, adressen en vrije tekst bleven bij de partner. Elk bestand is gecontroleerd tegen zijn manifest en tegen het verzoek van dit project.`,
    register: (rows: number, pc6: number, split: number) => `Adressenbestand: ${grouped(rows, 'nl')} adressen in ${grouped(pc6, 'nl')} postcodes (PC6); ${grouped(split, 'nl')} postcodegebieden liggen in meer dan één blok en tellen helemaal mee bij het blok met de meeste adressen.`,
    suppressedCells: 'Aantallen die de afzender zelf achterhield (bijvoorbeeld „<5”) zijn onbekend, niet nul; waarden waarin zulke aantallen meetellen, staan als onvolledig aangemerkt.',
    statistics: (r: AnalysisResult) =>
      `Intervallen zijn exact (aantallen volgens Garwood, aandelen volgens Clopper-Pearson). Een blok krijgt een signaal bij minstens ${r.thresholds.signal_events} gebeurtenissen, een waarde van minstens ${formatNumber(r.thresholds.signal_ratio, 'nl', 1)} keer de referentie en een interval dat ook na Bonferroni-correctie boven de referentie ligt. Ruimtelijke statistiek: buren volgens ${weightsWords(r.spatial.weights, 'nl')}, ${r.spatial.style === 'W' ? 'rijgestandaardiseerd' : 'binair'}, ${grouped(r.spatial.permutations, 'nl')} permutaties (startgetal ${r.spatial.seed}), correctie voor meervoudig toetsen: ${r.spatial.correction === 'fdr' ? 'Benjamini-Hochberg' : r.spatial.correction === 'bonferroni' ? 'Bonferroni' : 'geen'}, significantieniveau ${formatNumber(r.spatial.alpha, 'nl', 2)}.`,
    conventions: 'Afspraken',
    conventionsText:
      'queen-buren delen minstens één grenspunt, rook-buren minstens twee (hoekpunten binnen de snap-afstand tellen als gedeeld); knn: de k dichtstbijzijnde zwaartepunten; Moran’s I en Gi* zoals R spdep (moran.test, localmoran, localG); de p-waarde per blok komt uit conditionele permutaties; clusters worden gesplitst op het gemiddelde; blokken zonder buren of zonder waarde tellen niet mee in de lokale statistiek.',
    encoding: (s: { format: string; sheet?: string; encoding: string; bom: boolean; delimiter: string; decimal: string }) => s.format === 'xlsx' ? `Excel-werkmap, blad „${s.sheet}”` : `${s.encoding === 'utf-8' ? 'UTF-8' : s.encoding === 'windows-1252' ? 'Windows-1252 (ANSI)' : s.encoding.toUpperCase()}${s.bom ? ' met BOM' : ''}; ${delimiterWords[s.delimiter]?.nl ?? s.delimiter}; decimaal${s.decimal === ',' ? 'komma' : 'punt'}`,
    tooFew: 'Te weinig gegevens',
    tooFewIntro: 'Voor deze indicatoren zijn de aantallen per blok te klein of geheim om iets te laten zien:',
    tooFewLine: (label: string, hidden: number, small: number, blocks: number) => `${label} (${hidden > 0 ? `${hidden} van ${blocks} blokken geheim` : ''}${hidden > 0 && small > 0 ? ', ' : ''}${small > 0 ? `${small} van ${blocks} met te kleine aantallen` : ''})`,
    madeWith: (name: string, version: string) => `Gemaakt met ${name} ${version}; met hetzelfde projectbestand en hetzelfde startgetal geeft de analyse dezelfde uitkomst.`,
    appendix: 'Bijlage: alle blokken',
    appendixIntro: 'Waarde per blok voor elke indicator; * = te weinig gegevens.',
    appendixElsewhere: (blocks: number, table: string) => `De waarden van alle ${grouped(blocks, 'nl')} blokken staan in ${table}, naast dit rapport.`,
    standouts: (shown: number, standing: number, blocks: number, table: string) =>
      standing === 0
        ? `Geen van de ${grouped(blocks, 'nl')} blokken valt op (geen signaal, hotspot of coldspot); alle waarden staan in ${table}.`
        : `Van de ${grouped(blocks, 'nl')} blokken ${standing === 1 ? 'valt er 1' : `vallen er ${grouped(standing, 'nl')}`} op (signaal, hotspot of coldspot)${shown < standing ? `; hieronder de ${shown} sterkste` : standing > 1 ? ', de sterkste bovenaan' : ''}. Alle waarden staan in ${table}.`,
    appendixName: 'de bijlage',
    ranked: (shown: number, eligible: number, spots: number, table: string) =>
      `Dit cijfer beschrijft de blokken en geeft geen signalen. ${shown === eligible ? 'Hieronder de blokken van hoog naar laag' : `Hieronder de ${shown / 2} blokken met het hoogste en de ${shown / 2} met het laagste cijfer`} (blokken met te weinig gegevens niet meegeteld)${spots > 0 ? `; ${spots === 1 ? '1 blok is een hotspot of coldspot' : `${grouped(spots, 'nl')} blokken zijn een hotspot of coldspot`}` : ''}. Alle waarden staan in ${table}.`,
  },
  en: {
    title: (area: string) => `Buurtbalans ${area}`,
    period: 'Period',
    partners: 'Participating organisations',
    made: 'Made on',
    tool: 'with buurtbalans',
    confidential: 'CONFIDENTIAL: internal version without suppression of small numbers; for the partners of the network only, do not pass it on.',
    shareable: (t: number) => `Shareable: counts from 1 to ${t - 1}, and what could be recovered from them, are suppressed; no addresses or persons are in it.`,
    disclosure: (t: number, hidden: number, values: number, rounding: number, zeros: boolean) =>
      hidden === 0
        ? `Disclosure control: counts from 1 to ${t - 1} are suppressed, with as many other counts as it takes that none can be worked out from the rest. No count of this project lies in that range, so nothing is left out${rounding > 0 ? `; the counts shown are rounded to ${rounding}` : ''}.`
        : `Disclosure control: counts from 1 to ${t - 1} are suppressed, and as many other counts as it takes that no suppressed count can be worked out from the rest (${hidden} cells in all). Every figure, map, hot spot and comparison is computed without the suppressed counts; ${values} block values are left out because of them${rounding > 0 ? `, and the counts shown are rounded to ${rounding}` : ''}. An audit by linear programming confirms that, given everything published, every suppressed count could still be anywhere from ${zeros ? '0' : '1'} to ${t}${zeros ? '' : ' (zeros are shown, so a suppressed count is at least 1; the margin is as wide)'}.`,
    findings: 'Key findings',
    accumulation: 'Where do problems pile up?',
    accumulationIntro: (domains: string[]) =>
      `Below, per block, in how many domains (${domains.join(', ')}) something is going on: at least one figure lies clearly above the reference (“elevated”) or strongly and reliably above it (“signal”). Where a figure is suppressed or rests on small numbers, we do not know whether that domain counts, so a range is given, for example “2 to 4 domains”.`,
    accumulationCaption: 'Domains per block; the blocks with the most domains at the top.',
    accumulationNone: 'In no block does a domain give a signal or lie clearly above its reference.',
    accumulationOnlyDescriptive:
      "The accumulation counts per block in how many domains (housing, care, older people, nuisance, professionals' signals) there is a signal. This project's figures are descriptive only and give no signals, so there is nothing to accumulate yet. That changes once the partners' data are linked (under measures: in buurtbalans.yml) or once a figure gets a domain (under domains: in buurtbalans.yml).",
    accumulationNoDomains: (indicators: string[]) =>
      `The accumulation counts per block the domains (housing, care, older residents, nuisance, signals from professionals) with a signal. None of this project's indicators belongs to a domain (${listed(indicators, 'and')}), so there is nothing to pile up yet. Give them a domain with domain: or domains: in buurtbalans.yml.`,
    accumulationLine: (label: string, range: string, shown: string[], unknown: string[]) =>
      `${label}: ${range} domains — ${shown.join(', ')}${unknown.length > 0 ? `; unknown: ${unknown.join(', ')}` : ''}.`,
    states: { signal: 'signal', elevated: 'elevated', unknown: 'unknown', none: 'not elevated' },
    heard: 'Figures and what people say',
    heardIntro: (kinds: string[], hiddenNouns: string[] | null, survey: boolean, quotes: boolean) =>
      `Alongside the figures, this chapter shows what people say, from ${listed(kinds, 'and')}${hiddenNouns ? ` (the number of ${listed(hiddenNouns, 'and')} is not shown: it could reveal a small count)` : ''}${survey ? ', and what residents answered in the resident survey' : ''}. What people say is not a measurement: it shows what people notice and worry about, not how often something happens. A theme is shown for a block only when it was mentioned often enough to share. On the map a theme stands in the middle of its block, never at the spot where someone placed a pin. ${quotes ? 'Only the quotes at the end are someone\'s own words, without names, numbers or streets.' : 'What people wrote or said in their own words is nowhere in this report.'}`,
    heardKind: (label: string, rows: string | null, noun: string) => (rows === null ? label : `${label} (${rows} ${noun})`),
    heardNouns: { huisarts: 'interview notes', enquete: 'answers', gevoelskaart: 'reactions', professional: 'observations', melding: 'stories' },
    heardKinds: { huisarts: 'the interviews with GPs and practice nurses', enquete: 'the resident survey', gevoelskaart: 'the gevoelskaart (a map of how places feel)', professional: 'the observations of professionals', melding: 'the stories behind reports' },
    heardFrom: { huisarts: 'from GPs and practice nurses', enquete: 'in the survey', gevoelskaart: 'on the gevoelskaart', professional: 'from professionals', melding: 'from reports' },
    heardTop: (themes: string[], more: boolean) => `Mentioned most often in the whole area: ${listed(themes, 'and')}.${more ? ' Other themes were mentioned too rarely to show on their own.' : ''}`,
    heardTimes: (label: string, count: string, notes: string[]) => `${label} (${count}\u00a0times${notes.map((note) => `, ${note}`).join('')})`,
    heardColumns: ['Block', 'What the figures show', 'What people mention', 'Figures and voices'],
    heardNothing: (unknown: number, of: number) => (unknown === 0 ? 'nothing that stands out' : `nothing that stands out (${unknown} of ${of} domains unknown)`),
    heardNoTheme: 'no theme mentioned often enough',
    heardAgree: (domains: string[]) => `both: ${domains.join(', ')}`,
    heardOnly: 'only in what people say',
    heardNoFigures: 'only heard (there are no figures on this)',
    heardFiguresOnly: (domains: string[]) => `only in the figures: ${domains.join(', ')}`,
    heardGood: 'good news',
    heardLeftOut: 'Blocks where the figures show nothing and no theme was mentioned often enough are not in the table.',
    heardReading: 'Where figures and what people say agree, the picture is firmer. Where something is only heard, it pays to discuss together what lies behind it; where only the figures show something, the question is what people there notice themselves.',
    heardSameSource: 'Where what is heard comes from GPs or other professionals, its agreement with their own signals is no independent confirmation.',
    heardGoodLine: (blocks: string[]) => `Good news too: ${listed(blocks, 'and')}.`,
    heardGoodBlock: (block: string, themes: string[]) => `in ${block} people mostly mention ${listed(themes.map((theme) => `“${theme}”`), 'and')}`,
    heardCaption: 'Per block the themes mentioned most often; the block colour shows how many domains have a signal or an elevated figure.',
    heardMany: (shown: number, total: number) => `The ${shown} blocks with the most heard of ${total}; every block is in blocks.xlsx.`,
    heardQuotes: 'In people’s own words (a choice of texts without names, numbers or streets, only for themes mentioned often enough in the block):',
    heardQuote: (text: string, block: string, theme: string) => `“${text}” (${block}, ${theme})`,
    surveyTitle: 'Resident survey',
    surveyIntro: (min: number, low: string, high: string, withMean: boolean) =>
      `What residents answered themselves. “Satisfied” or “agree” are the answers ${high}, “dissatisfied” or “disagree” the answers ${low}; a neutral answer counts in neither. In brackets the 95% interval. A block is listed with at least ${min} answers where at least one of the two percentages can be shared; “suppressed” means fewer than ${min} residents, or a count from which such a small count could be worked out.${withMean ? '' : ' A mean is given for the whole area only: per block some answers were given too rarely to share it.'}`,
    surveyGroups: { agree: ['agree', 'disagree'], satisfied: ['satisfied', 'dissatisfied'], none: ['satisfied or agree', 'dissatisfied or disagree'] } as Record<string, [string, string]>,
    surveyEnds: { agree: ['strongly disagree', 'strongly agree'], satisfied: ['very dissatisfied', 'very satisfied'], none: ['', ''] } as Record<string, [string, string]>,
    surveyArea: (n: string, tevreden: string, ontevreden: string, groups: [string, string], mean: string | null, scale: number, ends: [string, string]) =>
      `In the whole area ${n} residents answered: ${tevreden} ${groups[0]}, ${ontevreden} ${groups[1]}${mean ? `; on average ${mean} on a scale from 1${ends[0] ? ` (${ends[0]})` : ''} to ${scale}${ends[1] ? ` (${ends[1]})` : ''}` : ''}.`,
    surveyTooFew: (n: string | null) => `Too few answers to say anything${n ? ` (${n})` : ''}.`,
    surveyColumns: (scale: number, groups: [string, string]) => ['Block', 'Answers', capitalise(groups[0]), capitalise(groups[1]), `Mean (1–${scale})`],
    surveyHidden: (blocks: string[], more: number) => `Not in the table: ${listed(blocks, 'and')}${more > 0 ? ` and ${more} other blocks` : ''} (too few answers, or counts too small to share).`,
    indexLine: (value: string, lower: string, upper: string, parts: string[]) => `Index ${value} (100 = reference; 95% interval ${lower} to ${upper}): ${parts.join(', ')}.`,
    concentrationsIntro: (count: number) =>
      `Concentrations: groups of neighbouring blocks that each lie clearly above the reference, given their number of residents or homes (the Regiomonitor's rule). Only groups with together at least 10 people or reports counted are listed. ${count > 3 ? `The 3 largest of ${count}:` : count === 1 ? 'There is one:' : `There are ${count}:`}`,
    concentrationLine: (label: string, blocks: string[], value: string, lower: string, upper: string, reference: string, count: string) =>
      `${label}: ${blocks.length === 1 ? `block ${blocks[0]}:` : `${blocks.length} neighbouring blocks, ${blocks.join(', ')}, together`} ${value} (95% interval ${lower} to ${upper}; reference ${reference}; ${count} counted).`,
    samenloop: 'At the same front door',
    samenloopIntro: (markers: string[], leftOut: string[], byPoint: string[], metres: string) =>
      `Several problems at one address: per address we counted how many of these markers occur together: ${listed(markers, 'and')}. Only records with an address count${leftOut.length > 0 ? ` (not those of ${listed(leftOut, 'and')}, which have none)` : ''}.${byPoint.length > 0 ? ` ${capitalise(listed(byPoint, 'and'))} ${byPoint.length === 1 ? 'gives' : 'give'} only coordinates; a record then counts where exactly one address lies within ${metres} metres of its point.` : ''} This report holds no addresses, only counts per block; counts under the threshold are suppressed.`,
    samenloopArea: (two: string | null, three: string | null) =>
      two === null && three === null
        ? 'For the whole area these counts stay suppressed: they would give away a small count in a block.'
        : two === null
          ? `In the whole area the number of addresses with two markers is suppressed (the exact total would give away a small count in a block); ${three === '0' ? 'no address has three or more' : `${three} addresses have three or more`}.`
          : three === null
            ? `In the whole area ${two} addresses have two markers; the number with three or more is suppressed.`
            : `In the whole area ${two} addresses have two markers${three === '0' ? '; no address has three or more' : ` and ${three} three or more`}.`,
    samenloopNone: 'At no address do two or more markers coincide.',
    samenloopColumns: ['Block', 'Addresses in block', 'No marker', '1 marker', '2 markers', '3 or more'],
    allThree: 'all 3',
    samenloopCombinations: 'Which markers coincide (the whole area, each combination on its own):',
    samenloopCombination: (markers: string[], count: string) => `${capitalise(listed(markers, 'and'))}: ${count} addresses.`,
    samenloopOther: (count: string) => `Other combinations, pooled because each is too small to show: ${count} addresses.`,
    spread: (label: string, top: string, all: string, share: string, lower: string, upper: string, chance: string, beyond: boolean) =>
      `Do the ${label} come mostly from a few addresses? The 10% of addresses with the most ${label} (${top} of ${all}) together account for ${share} of the ${label} with an address (95% interval ${lower} to ${upper}). Had the ${label} fallen on the addresses by chance, that would be about ${chance}: most addresses have none, so even by chance a large part comes from a few. ${beyond ? `So the ${label} are more concentrated at a few addresses than chance explains.` : 'The difference from chance is no larger than the uncertainty.'}`,
    findingsIntro: 'The strongest signals in the shared data, with their uncertainty. A 95% interval shows how sure a figure is; where numbers are small, this is said.',
    noFindings: 'No difference is large and certain enough to mention here.',
    onlyDescriptive: (labels: string[]) =>
      `This project holds descriptive figures only: ${listed(labels, 'and')}. They show how the blocks differ from each other, not where a problem lies. So there are no signals or findings here yet. They come once the partners' data are linked, such as reports, care avoiders or omklapwoningen (under measures: in buurtbalans.yml).`,
    bigMap: 'The big map',
    bigMapText: (colour: string, circles: string | undefined, symbols: string[]) =>
      `All data on one map: ${colour} per block as colour${circles ? `, ${circles} as circles` : ''}${symbols.length > 0 ? `, ${listed(symbols, 'and')} as symbols per block` : ''} (never per address).`,
    noIndicators: 'No source yields an indicator, so there is no map and there are no hot spots; map the sources to indicators under measures: in buurtbalans.yml.',
    indicators: 'Indicators',
    definition: 'Definition',
    reference: 'Reference',
    referenceArea: 'the area average',
    referenceProject: 'given in the project file',
    areaValue: 'Value for the whole area',
    chartCaption: (label: string, only?: number) => `${label} ${only === undefined ? 'per block' : `in the ${only} blocks that stand out most`} with 95% interval; the dashed line is the reference.`,
    rankedCaption: (label: string) => `${label}: the blocks with the highest and the lowest value, with 95% interval; the dashed line is the reference.`,
    mapCaption: (label: string) => `${label} per block.`,
    columnsIndicator: ['Block', 'Count', 'Denominator', 'Value', '95% interval', '× reference', 'Note'],
    small: 'too few data',
    secret: 'suppressed',
    signal: 'signal',
    hot: 'hot spot',
    cold: 'cold spot',
    incomplete: 'not all cells known',
    comparisons: 'Comparisons',
    comparisonsIntro: 'Does an outcome go with a characteristic of the blocks? Per characteristic the ratio between blocks with many and the other blocks, and a Poisson regression that adjusts for the other characteristics.',
    forestCaption: (label: string) => `${label}: ratios with 95% intervals (1 = no difference).`,
    hotspots: 'Hot spots',
    hotspotsIntro: "Do high values lie together? Moran's I measures this for the whole area; Getis-Ord Gi* points out blocks that together with their neighbours are remarkably high (hot spot) or low (cold spot), after correction for the number of tests.",
    columnsHotspots: ['Indicator', "Moran's I", 'p (permutations)', 'Hot spots', 'Cold spots'],
    none: 'none',
    method: 'Data and method',
    sources: 'Sources',
    columnsSources: ['Source', 'Organisation', 'File', 'Rows', 'Placed', 'Not placed (reasons)', 'Encoding'],
    prepared: (sources: string[]) => `These came as a share the partner prepared itself (buurtbalans prepare): ${listed(sources, 'and')}. Such a file holds per row only the block and the flags and date asked for; for the samenloop, a separate table holds per marked address only a keyed pseudonym of it. Names, addresses and free text stayed with the partner. Each file was checked against its manifest and this project's request.`,
    register: (rows: number, pc6: number, split: number) => `Address register: ${rows} addresses in ${pc6} postcodes (PC6); ${split} PC6 areas lie in more than one block and go wholly to the block with most addresses.`,
    suppressedCells: 'Cells the sender suppressed (for example "<5") are unknown, not zero; values with such cells are marked as incomplete.',
    statistics: (r: AnalysisResult) =>
      `Intervals: exact (Poisson after Garwood, shares after Clopper-Pearson). Signal: at least ${r.thresholds.signal_events} events, at least ${r.thresholds.signal_ratio} times the reference and an interval above the reference after Bonferroni correction. Spatial statistics: ${r.spatial.weights} weights (${r.spatial.style}), ${r.spatial.permutations} permutations with seed ${r.spatial.seed}, correction ${r.spatial.correction}, alpha ${r.spatial.alpha}.`,
    conventions: 'Conventions',
    conventionsText:
      'queen neighbours share at least one boundary point, rook neighbours at least two (vertices within the snap distance count as shared); knn: the k nearest centroids; Moran’s I and Gi* as in R spdep (moran.test, localmoran, localG); the p-value per block comes from conditional permutations; clusters are split at the mean; blocks without neighbours or without a value are left out of the local statistics.',
    encoding: (s: { format: string; sheet?: string; encoding: string; bom: boolean; delimiter: string; decimal: string }) => s.format === 'xlsx' ? `Excel workbook, sheet “${s.sheet}”` : `${s.encoding === 'utf-8' ? 'UTF-8' : s.encoding === 'windows-1252' ? 'Windows-1252 (ANSI)' : s.encoding.toUpperCase()}${s.bom ? ' with BOM' : ''}; ${delimiterWords[s.delimiter]?.en ?? s.delimiter}; decimal ${s.decimal === ',' ? 'comma' : 'point'}`,
    tooFew: 'Too few data',
    tooFewIntro: 'For these indicators the counts per block are too small or hidden to show anything:',
    tooFewLine: (label: string, hidden: number, small: number, blocks: number) => `${label} (${hidden > 0 ? `${hidden} of ${blocks} blocks hidden` : ''}${hidden > 0 && small > 0 ? ', ' : ''}${small > 0 ? `${small} of ${blocks} with too small numbers` : ''})`,
    madeWith: (name: string, version: string) => `Made with ${name} ${version}; the same project file and seed give the same analysis.`,
    appendix: 'Appendix: all blocks',
    appendixIntro: 'Value per block for every indicator; * = too few data.',
    appendixElsewhere: (blocks: number, table: string) => `The values of all ${grouped(blocks, 'en')} blocks are in ${table}, beside this report.`,
    standouts: (shown: number, standing: number, blocks: number, table: string) =>
      standing === 0
        ? `None of the ${grouped(blocks, 'en')} blocks stands out (no signal, hot or cold spot); all values are in ${table}.`
        : `Of the ${grouped(blocks, 'en')} blocks, ${grouped(standing, 'en')} ${standing === 1 ? 'stands' : 'stand'} out (signal, hot or cold spot)${shown < standing ? `; below the ${shown} strongest` : standing > 1 ? ', the strongest first' : ''}. All values are in ${table}.`,
    appendixName: 'the appendix',
    ranked: (shown: number, eligible: number, spots: number, table: string) =>
      `This figure describes the blocks and gives no signals. ${shown === eligible ? 'Below, the blocks from high to low' : `Below, the ${shown / 2} blocks with the highest and the ${shown / 2} with the lowest value`} (blocks with too few data left out)${spots > 0 ? `; ${grouped(spots, 'en')} ${spots === 1 ? 'block is a hot or cold spot' : 'blocks are hot or cold spots'}` : ''}. All values are in ${table}.`,
  },
};

/**
 * What the big map shows: the nuisance reports (or the first indicator) as colour, clients of care
 * providers as circles, omklapwoningen and signals of care avoidance as symbols, each where the
 * analysis has it. Undefined without any indicator: then there is no map to show.
 */
export function bigMapLayers(result: AnalysisResult): { indicator: string; symbols: string | undefined; presence: string[] } | undefined {
  if (result.indicators.length === 0) return undefined;
  const has = (key: string) => measureValues(key, result.blocks, result.measures) !== null;
  return {
    indicator: result.indicators.some((i) => i.id === 'meldingen') ? 'meldingen' : result.indicators[0]!.id,
    symbols: has('clienten') ? 'clienten' : undefined,
    presence: ['omklapwoningen', 'zorgmijder_signalen'].filter(has),
  };
}


/**
 * An indicator shows something when half its blocks have a value that is not hidden, or when a
 * block stands out (a signal or a hot or cold spot, which the findings may name): otherwise its
 * map is mostly grey and its table mostly "geheim".
 */
function hasContent(indicator: IndicatorResult): boolean {
  const shown = indicator.blocks.filter((b) => b.value !== null).length;
  return shown >= Math.max(1, indicator.blocks.length / 2) || indicator.blocks.some((b) => b.signal || (b.spatial?.hotspot ?? null) !== null);
}


const delimiterWords: Record<string, { nl: string; en: string }> = {
  ';': { nl: 'puntkomma', en: 'semicolon' },
  ',': { nl: 'komma', en: 'comma' },
  '\t': { nl: 'tab', en: 'tab' },
  '|': { nl: 'verticale streep', en: 'vertical bar' },
};

function weightsWords(spec: string, lang: 'nl' | 'en'): string {
  const knn = /^knn:(\d+)$/.exec(spec);
  if (knn) return lang === 'nl' ? `de ${knn[1]} dichtstbijzijnde blokken` : `the ${knn[1]} nearest blocks`;
  const distance = /^distance:(.+)$/.exec(spec);
  if (distance) return lang === 'nl' ? `afstand tot ${distance[1]} m` : `distance up to ${distance[1]} m`;
  return lang === 'nl' ? (spec === 'rook' ? 'gedeelde grens (rook)' : 'gedeelde grens of hoek (queen)') : spec === 'rook' ? 'a shared border (rook)' : 'a shared border or corner (queen)';
}

/** "a, b en c" */
/** A descriptive figure's table: this many blocks with the highest value and as many with the lowest. */
const rankedEnds = 5;

/** Above this many blocks the report lists only the blocks that stand out; the rest are in blocks.xlsx. */
const manyBlocks = 40;

/** Where a person finds every block's values: the Excel table analyse writes up to its limit, else the CSV. */
const blockTableFile = (blocks: number) => (blocks <= workbookBlockLimit ? 'blocks.xlsx' : 'blocks.csv');

/** The report of an analysis: cover, findings, the big map, indicators, comparisons, hot spots, method, appendix. */
export function buildReport(result: AnalysisResult, lang: 'nl' | 'en', date: string): Report {
  const w = words[lang];
  const n = (x: number | null, digits = 2) => (x === null ? '–' : formatNumber(x, lang, digits));
  const parts: Part[] = [];
  const organisations = [...new Set(result.sources.map((s) => s.organisation))];
  parts.push({
    kind: 'cover',
    title: w.title(result.project.name),
    subtitle: result.project.period ? `${w.period}: ${periodWords(result.project.period, lang)}` : '',
    lines: [`${w.partners}: ${organisations.join(', ')}`, `${w.made} ${longDate(date, lang)} ${w.tool} ${result.tool.version}`],
    confidentiality: result.disclosure ? w.shareable(result.disclosure.threshold) : w.confidential,
    internal: !result.disclosure,
  });

  // The order of the meeting: what stands out, how outcomes go together, the big map, then the indicators that show something.
  parts.push({ kind: 'heading', level: 1, text: w.findings, id: 'findings' });
  const top = result.findings.slice(0, 8).map((finding) => finding.text[lang]);
  // Figures that only describe the blocks have no strongest signals to introduce.
  const describing = top.length === 0 && onlyDescriptive(result.indicators);
  if (describing) parts.push({ kind: 'paragraph', text: w.onlyDescriptive(result.indicators.map((indicator) => lowerFirst(indicator.label[lang]))) });
  else parts.push({ kind: 'paragraph', text: w.findingsIntro }, top.length > 0 ? { kind: 'list', items: top } : { kind: 'paragraph', text: w.noFindings });

  parts.push(...accumulationSection(result, lang));
  parts.push(...heardSection(result, lang));

  if (result.comparisons.length > 0) {
    parts.push({ kind: 'heading', level: 1, text: w.comparisons, id: 'comparisons' });
    parts.push({ kind: 'paragraph', text: w.comparisonsIntro });
    for (const comparison of result.comparisons) {
      parts.push({ kind: 'heading', level: 2, text: comparison.label[lang], id: `comparison-${comparison.id}` });
      parts.push({ kind: 'list', items: comparison.exposures.map((e) => e.sentence[lang]) });
      parts.push({ kind: 'chart', name: `vergelijking-${comparison.id}`, caption: w.forestCaption(comparison.label[lang]), spec: forestChart(comparison, lang) });
      const remarks = comparison.remarks ?? []; // folders written before the remarks existed
      if (remarks.length > 0) parts.push({ kind: 'paragraph', text: remarks.map((remark) => remark[lang]).join(' ') });
    }
  }

  const big = bigMapLayers(result);
  if (big) {
    const label = (key: string) => lowerFirst((measureLabels[key] ?? { nl: key, en: key })[lang]);
    const colour = lowerFirst(result.indicators.find((i) => i.id === big.indicator)!.label[lang]);
    parts.push({ kind: 'heading', level: 1, text: w.bigMap, id: 'big-map' });
    parts.push({ kind: 'paragraph', text: w.bigMapText(colour, big.symbols && label(big.symbols), big.presence.map(label)) });
    parts.push({ kind: 'map', name: 'overzicht', caption: w.bigMap, indicator: null, landscape: true });
  }

  parts.push({ kind: 'heading', level: 1, text: w.indicators, id: 'indicators' });
  if (result.indicators.length === 0) parts.push({ kind: 'paragraph', text: w.noIndicators });
  const shown = result.indicators.filter(hasContent);
  const labels = new Map(result.blocks.map((block) => [block.id, block.label]));
  for (const indicator of shown) parts.push(...indicatorSection(indicator, lang, n, labels));
  const empty = result.indicators.filter((indicator) => !hasContent(indicator));
  if (empty.length > 0) {
    parts.push({ kind: 'heading', level: 2, text: w.tooFew, id: 'too-few' });
    parts.push({ kind: 'paragraph', text: w.tooFewIntro });
    parts.push({
      kind: 'list',
      items: empty.map((indicator) => {
        const blocks = indicator.blocks.length;
        const hidden = indicator.blocks.filter((b) => b.suppressed === true).length;
        const small = indicator.blocks.filter((b) => !b.suppressed && b.small_numbers).length;
        return w.tooFewLine(indicator.label[lang], hidden, small, blocks);
      }),
    });
  }

  if (shown.length > 0) {
    parts.push({ kind: 'heading', level: 1, text: w.hotspots, id: 'hotspots' }, { kind: 'paragraph', text: w.hotspotsIntro });
    parts.push({
      kind: 'table',
      columns: w.columnsHotspots,
      numeric: [false, true, true, false, false],
      rows: result.spatial.indicators
        .filter((s) => shown.some((i) => i.id === s.id))
        .map((s) => {
          const indicator = result.indicators.find((i) => i.id === s.id)!;
          return [indicator.label[lang], n(s.global_moran?.I ?? null, 3), n(s.global_moran?.p_sim ?? null, 3), s.hot.join(', ') || w.none, s.cold.join(', ') || w.none];
        }),
    });
  }

  parts.push({ kind: 'heading', level: 1, text: w.method, id: 'method' });
  parts.push({ kind: 'heading', level: 2, text: w.sources, id: 'sources' });
  parts.push({
    kind: 'table',
    columns: w.columnsSources,
    numeric: [false, false, false, true, true, false, false],
    rows: result.sources.map((s) => [
      s.name,
      s.organisation,
      s.file,
      s.rows_read === null ? w.secret : grouped(s.rows_read, lang),
      s.rows_placed === null ? w.secret : grouped(s.rows_placed, lang),
      s.rows_unplaced === 0 ? '0' : `${grouped(s.rows_unplaced, lang)} (${describeReasons(s.unplaced_reasons, lang)})`,
      w.encoding(s),
    ]),
  });
  const prepared = result.sources.filter((s) => s.prepared).map((s) => `${s.organisation} (${s.name}${s.prepared!.prepared_on ? `, ${longDate(s.prepared!.prepared_on, lang)}` : ''})`);
  if (prepared.length > 0) parts.push({ kind: 'paragraph', text: w.prepared(prepared) });
  if (result.register) parts.push({ kind: 'paragraph', text: w.register(result.register.rows_read, result.register.pc6_count, result.pc6_split.length) });
  parts.push({ kind: 'paragraph', text: w.suppressedCells });
  if (result.disclosure) {
    const log = result.disclosure;
    parts.push({ kind: 'paragraph', text: w.disclosure(log.threshold, log.suppressed.length, log.suppressed_values, log.rounding, log.suppress_zero) });
  }
  parts.push({ kind: 'paragraph', text: w.statistics(result) });
  parts.push({ kind: 'paragraph', text: `${w.conventions}: ${w.conventionsText}` });
  parts.push({ kind: 'paragraph', text: w.madeWith(result.tool.name, result.tool.version) });

  parts.push({ kind: 'heading', level: 1, text: w.appendix, id: 'appendix' });
  // Hundreds of blocks make pages of numbers nobody reads at a meeting: those go to blocks.xlsx.
  if (result.blocks.length > manyBlocks) {
    parts.push({ kind: 'paragraph', text: w.appendixElsewhere(result.blocks.length, blockTableFile(result.blocks.length)) });
    return { lang, title: w.title(result.project.name), parts };
  }
  parts.push({ kind: 'paragraph', text: w.appendixIntro });
  const main = result.indicators.filter((i) => !i.id.includes('.'));
  parts.push({
    kind: 'table',
    columns: [lang === 'nl' ? 'Blok' : 'Block', ...main.map((i) => i.label[lang])],
    numeric: [false, ...main.map(() => true)],
    rows: result.blocks.map((block, b) => [block.id, ...main.map((i) => i.blocks.at(b)).map((shown) => `${n(shown.value)}${shown.small_numbers ? '*' : ''}`)]),
  });
  return { lang, title: w.title(result.project.name), parts };
}

/**
 * "Waar stapelen problemen zich op?": the block × domain tiles, and a line for every block where at
 * least two domains are known to be signalled or elevated (else the blocks with one).
 */
function accumulationSection(result: AnalysisResult, lang: 'nl' | 'en'): Part[] {
  const w = words[lang];
  const acc = result.accumulation;
  if (!acc) return [];
  if (acc.domains.length === 0) {
    // Said, not left out: the room expects this chapter, and the project file can give it.
    if (acc.outside_domains.length === 0 && !onlyDescriptive(result.indicators)) return [];
    return [
      { kind: 'heading', level: 1, text: w.accumulation, id: 'accumulation' },
      { kind: 'paragraph', text: acc.outside_domains.length > 0 ? w.accumulationNoDomains(acc.outside_domains.map((id) => result.indicators.find((i) => i.id === id)?.label[lang] ?? id)) : w.accumulationOnlyDescriptive },
      ...samenloopSection(result, lang),
    ];
  }
  const domainLabel = (id: string) => lowerFirst(acc.domains.find((d) => d.id === id)!.label[lang]);
  const ranked = byStapeling(acc.blocks);
  const most = ranked[0]?.min ?? 0;
  const lines = ranked
    .filter((block) => block.min >= Math.min(2, most) && block.min > 0)
    .slice(0, 10)
    .map((block) => {
      const known = Object.entries(block.domains).filter(([, state]) => state === 'signal' || state === 'elevated');
      const unknown = Object.entries(block.domains).filter(([, state]) => state === 'unknown').map(([id]) => domainLabel(id));
      const label = blockName(block.id, block.label);
      const line = w.accumulationLine(label, stapelingText(block, lang), known.map(([id, state]) => `${domainLabel(id)} (${w.states[state]})`), unknown);
      // The index, when the project asks for it, never without its parts.
      const index = block.index;
      return index ? `${line} ${w.indexLine(formatNumber(index.value, lang, 0), formatNumber(index.lower, lang, 0), formatNumber(index.upper, lang, 0), Object.entries(index.domains).map(([id, value]) => `${domainLabel(id)} ${value === null ? w.states.unknown : formatNumber(value, lang, 0)}`))}` : line;
    });
  return [
    { kind: 'heading', level: 1, text: w.accumulation, id: 'accumulation' },
    { kind: 'paragraph', text: w.accumulationIntro(acc.domains.map((d) => lowerFirst(d.label[lang]))) },
    lines.length > 0 ? { kind: 'list', items: lines } : { kind: 'paragraph', text: w.accumulationNone },
    { kind: 'chart', name: 'stapeling', caption: w.accumulationCaption, spec: accumulationChart(acc, ranked.slice(0, 40), lang, w.states), pageShare: 0.5 },
    ...concentrationParts(result, lang),
    ...samenloopSection(result, lang),
  ];
}

/** Cijfers en geluiden: from which sources, the area's top themes, and per block the figures beside what is heard. */
function heardSection(result: AnalysisResult, lang: 'nl' | 'en'): Part[] {
  const signals = result.signals;
  const w = words[lang];
  if (!signals) return result.surveys ? [{ kind: 'heading', level: 1, text: w.heard, id: 'geluiden' }, ...surveyParts(result, lang)] : [];
  const theme = (key: string) => signals.themes.find((t) => t.key === key)!;
  const label = (key: string) => lowerFirst(theme(key).label[lang]);
  const count = (value: number) => formatNumber(value, lang, value % 1 === 0 ? 0 : 1);
  const domainLabel = (id: string) => lowerFirst(result.accumulation?.domains.find((d) => d.id === id)?.label[lang] ?? id);
  const compared = (result.accumulation?.domains.length ?? 0) > 0;
  const kinds = signals.kinds.map((kind) => w.heardKind(w.heardKinds[kind.kind], kind.rows === null ? null : grouped(kind.rows, lang), w.heardNouns[kind.kind]));
  const hiddenNouns = signals.kinds.some((kind) => kind.rows === null) ? [...new Set(signals.kinds.map((kind) => w.heardNouns[kind.kind]))] : null;
  const shownThemes = signals.themes.filter((t) => t.total !== null && t.total > 0);
  // Where it was heard and, where needed, whether it is good news: beside the count.
  const notes = (key: string, from: readonly SignalKind[]) => [...from.map((kind) => w.heardFrom[kind]), ...(valenceWords(theme(key), lang) ? [valenceWords(theme(key), lang)!] : [])];
  const parts: Part[] = [
    { kind: 'heading', level: 1, text: w.heard, id: 'geluiden' },
    { kind: 'paragraph', text: w.heardIntro(kinds, hiddenNouns, (result.surveys ?? []).length > 0, (signals.quotes ?? []).length > 0) },
  ];
  if (shownThemes.length > 0) parts.push({ kind: 'paragraph', text: w.heardTop(shownThemes.slice(0, 6).map((t) => w.heardTimes(lowerFirst(t.label[lang]), count(t.total!), notes(t.key, t.kinds))), shownThemes.length < signals.themes.length) });
  const ranked = [...signals.blocks].sort((a, b) => b.heard.reduce((sum, h) => sum + h.count, 0) - a.heard.reduce((sum, h) => sum + h.count, 0) || compareIds(a.id, b.id));
  const domainCount = result.accumulation?.domains.length ?? 0;
  const rows = (ranked.length > manyBlocks ? ranked.slice(0, 25) : [...signals.blocks]).map((block) => {
    const states = result.accumulation?.blocks.find((b) => b.id === block.id)?.domains ?? {};
    const raised = Object.entries(states).filter(([, state]) => state === 'signal' || state === 'elevated').map(([id, state]) => `${domainLabel(id)} (${w.states[state]})`);
    const unknown = Object.values(states).filter((state) => state === 'unknown').length;
    // A worry heard where its domain is not raised, or one no figure measures (a theme without a domain).
    const worries = block.heard_only.filter((key) => theme(key).valence !== 'positive');
    const together = [
      ...(block.agree.length > 0 ? [w.heardAgree(block.agree.map(domainLabel))] : []),
      ...(worries.some((key) => theme(key).domain !== null) ? [w.heardOnly] : []),
      ...(worries.some((key) => theme(key).domain === null) ? [w.heardNoFigures] : []),
      ...(block.heard.some(({ key }) => theme(key).valence === 'positive') ? [w.heardGood] : []),
      ...(block.figures_only.length > 0 ? [w.heardFiguresOnly(block.figures_only.map(domainLabel))] : []),
    ];
    const heard = block.heard.length > 0 ? block.heard.map(({ key, count: n, kinds: from }) => w.heardTimes(label(key), count(n), notes(key, from))).join('; ') : w.heardNoTheme;
    return compared ? [blockName(block.id, block.label), raised.length > 0 ? raised.join(', ') : w.heardNothing(unknown, domainCount), heard, together.join('; ') || '–'] : [blockName(block.id, block.label), heard];
  });
  if (rows.length > 0) {
    if (ranked.length > manyBlocks) parts.push({ kind: 'paragraph', text: w.heardMany(rows.length, ranked.length) });
    // Without domains there is nothing to hold what is heard against: the blocks and their themes only.
    parts.push({ kind: 'table', columns: compared ? w.heardColumns : [w.heardColumns[0]!, w.heardColumns[2]!], rows, numeric: rows[0]!.map(() => false) });
    if (signals.blocks.length < result.blocks.length) parts.push({ kind: 'paragraph', text: w.heardLeftOut });
    // The professionals' own voice agreeing with their own signals confirms nothing new.
    const sameSource = signals.blocks.some((block) => block.agree.length > 0 && block.heard.some(({ kinds: from }) => from.some((kind) => kind === 'huisarts' || kind === 'professional')));
    if (compared) parts.push({ kind: 'paragraph', text: `${w.heardReading}${sameSource ? ` ${w.heardSameSource}` : ''}` });
  }
  const good = signals.blocks.flatMap((block) => {
    const keys = block.heard.filter(({ key }) => theme(key).valence === 'positive').map(({ key }) => label(key));
    return keys.length > 0 ? [w.heardGoodBlock(blockName(block.id, block.label), keys)] : [];
  });
  if (good.length > 0) parts.push({ kind: 'paragraph', text: w.heardGoodLine(good.slice(0, 5)) });
  const quotes = (signals.quotes ?? []).slice(0, 12);
  if (quotes.length > 0) {
    parts.push({ kind: 'paragraph', text: w.heardQuotes });
    parts.push({ kind: 'list', items: quotes.map((quote) => w.heardQuote(quote.text, blockName(quote.block, result.blocks.find((b) => b.id === quote.block)?.label ?? quote.block), label(quote.key))) });
  }
  if (signals.blocks.some((block) => block.heard.length > 0)) parts.push({ kind: 'map', name: 'geluiden', caption: w.heardCaption, indicator: null, landscape: true });
  return [...parts, ...surveyParts(result, lang)];
}

/** A resident survey: per question the area's shares and mean with their intervals, and the blocks where the answers allow them. */
function surveyParts(result: AnalysisResult, lang: 'nl' | 'en'): Part[] {
  const surveys = result.surveys ?? [];
  if (surveys.length === 0) return [];
  const w = words[lang];
  const percent = (share: { value: number; lower: number; upper: number } | null) => (share === null ? '–' : `${formatNumber(100 * share.value, lang, 0)}% (${formatNumber(100 * share.lower, lang, 0)}–${formatNumber(100 * share.upper, lang, 0)}%)`);
  const mean = (m: { value: number; lower: number; upper: number } | null) => (m === null ? '–' : `${formatNumber(m.value, lang, 1)} (${formatNumber(m.lower, lang, 1)}–${formatNumber(m.upper, lang, 1)})`);
  const points = (from: number, to: number) => listed(Array.from({ length: to - from + 1 }, (_, i) => String(from + i)), lang === 'nl' ? 'en' : 'and');
  // The points of the usual scale, else of the first question's (a project mixes scales rarely).
  const scale = surveys[0]!.scale;
  const middle = (scale + 1) / 2;
  const withMean = surveys.some((survey) => survey.blocks.some((block) => block.mean !== null));
  const parts: Part[] = [
    { kind: 'heading', level: 2, text: w.surveyTitle, id: 'enquete' },
    { kind: 'paragraph', text: w.surveyIntro(surveys[0]!.min_respondents, points(1, Math.ceil(middle) - 1), points(Math.floor(middle) + 1, scale), withMean) },
  ];
  for (const survey of surveys) {
    const { area } = survey;
    const groups = w.surveyGroups[survey.words ?? 'none']!;
    parts.push({ kind: 'heading', level: 3, text: survey.label[lang], id: `enquete-${survey.source}-${survey.question}` });
    parts.push({
      kind: 'paragraph',
      text: area.tevreden === null ? w.surveyTooFew(area.respondents === null ? null : grouped(area.respondents, lang)) : w.surveyArea(grouped(area.respondents!, lang), percent(area.tevreden), percent(area.ontevreden), groups, area.mean === null ? null : mean(area.mean), survey.scale, w.surveyEnds[survey.words ?? 'none']!),
    });
    const shown = survey.blocks.filter((block) => block.tevreden !== null || block.ontevreden !== null || block.mean !== null);
    // A share left out among shown ones is secret; the mean's column only where some block has one.
    const share = (value: Parameters<typeof percent>[0]) => (value === null ? w.secret : percent(value));
    const blockMeans = shown.some((block) => block.mean !== null);
    const rows = (shown.length > manyBlocks ? [...shown].sort((a, b) => (b.respondents ?? 0) - (a.respondents ?? 0) || compareIds(a.id, b.id)).slice(0, 25) : shown).map((block) => {
      const label = result.blocks.find((b) => b.id === block.id)?.label ?? block.id;
      return [blockName(block.id, label), block.respondents === null ? w.secret : grouped(block.respondents, lang), share(block.tevreden), share(block.ontevreden), ...(blockMeans ? [mean(block.mean)] : [])];
    });
    const columns = w.surveyColumns(survey.scale, groups);
    if (rows.length > 0) parts.push({ kind: 'table', columns: blockMeans ? columns : columns.slice(0, 4), rows, numeric: rows[0]!.map((_, c) => c > 0) });
    const missing = survey.blocks.filter((block) => !shown.includes(block)).map((block) => block.id);
    if (missing.length > 0) parts.push({ kind: 'paragraph', text: w.surveyHidden(missing.slice(0, 10), missing.length - Math.min(10, missing.length)) });
  }
  return parts;
}

/** Samenloop: the blocks where markers coincide at one address (counts only), the combinations, and how the reports spread over the addresses. */
function samenloopSection(result: AnalysisResult, lang: 'nl' | 'en'): Part[] {
  const w = words[lang];
  const samenloop = result.accumulation?.samenloop;
  if (!samenloop) return [];
  const count = (value: number | null) => (value === null ? w.secret : grouped(value, lang));
  const percent = (value: number) => `${formatNumber(value * 100, lang, 0)}%`;
  const markerLabel = (name: string) => samenloop.markers.find((m) => m.name === name)!.label[lang];
  const organisation = (name: string) => result.sources.find((source) => source.name === name)?.organisation ?? name;
  const leftOut = [...new Set(samenloop.markers.flatMap((m) => m.sources_left_out))].map(organisation);
  const rows = blocksWithSamenloop(samenloop);
  const other = [samenloop.other_combinations.markers_2, samenloop.other_combinations.markers_3plus].reduce<number | null>((sum, value) => (sum === null || value === null ? null : sum + value), 0);
  const parts: Part[] = [
    { kind: 'heading', level: 2, text: w.samenloop, id: 'samenloop' },
    { kind: 'paragraph', text: `${w.samenloopIntro(samenloop.markers.map((m) => m.label[lang]), leftOut, [...new Set(samenloop.markers.flatMap((m) => m.sources_by_point))].map(organisation), formatNumber(samenloop.snap_m, lang, 0))} ${w.samenloopArea(samenloop.area.markers_2 === null ? null : grouped(samenloop.area.markers_2, lang), samenloop.area.markers_3plus === null ? null : grouped(samenloop.area.markers_3plus, lang))}` },
  ];
  if (rows.length === 0) parts.push({ kind: 'paragraph', text: w.samenloopNone });
  else {
    // A shareable report has no addresses with one marker (nor, so, with none): see samenloopKeys.
    const withOne = samenloop.blocks.some((b) => b.markers_1 !== null);
    const shown = withOne ? [0, 1, 2, 3, 4, 5] : [0, 1, 4, 5];
    parts.push({
      kind: 'table',
      columns: shown.map((c) => (c === 5 && samenloop.markers.length === 3 ? w.allThree : w.samenloopColumns[c]!)),
      numeric: shown.map((c) => c > 0),
      rows: rows.slice(0, 12).map((b) => {
        const cells = [blockName(b.id, b.label), grouped(b.addresses, lang), count(b.markers_0), count(b.markers_1), count(b.markers_2), count(b.markers_3plus)];
        return shown.map((c) => cells[c]!);
      }),
    });
  }
  if (samenloop.combinations.length > 0 || (other !== null && other > 0)) {
    parts.push({ kind: 'paragraph', text: w.samenloopCombinations });
    parts.push({ kind: 'list', items: [...samenloop.combinations.map((c) => w.samenloopCombination(c.markers.map(markerLabel), grouped(c.addresses, lang))), ...(other !== null && other > 0 ? [w.samenloopOther(grouped(other, lang))] : [])] });
  }
  const spread = samenloop.spread;
  if (spread) {
    const label = spread.label[lang];
    parts.push({ kind: 'paragraph', text: w.spread(label, grouped(spread.top_tenth.addresses, lang), grouped(spread.addresses, lang), percent(spread.top_tenth.share), percent(spread.top_tenth.lower), percent(spread.top_tenth.upper), percent(spread.by_chance.top_share), spread.top_tenth.lower > spread.by_chance.top_share) });
  }
  return parts;
}

/** The Regiomonitor's concentrations, the largest three, in sentences with their intervals (all in analysis.json). */
function concentrationParts(result: AnalysisResult, lang: 'nl' | 'en'): Part[] {
  const w = words[lang];
  const concentrations = result.accumulation?.concentrations ?? [];
  if (concentrations.length === 0) return [];
  const n = (x: number | null) => (x === null ? '–' : formatNumber(x, lang, x >= 100 ? 0 : 1));
  const items = concentrations.slice(0, 3).map((c) => {
    const indicator = result.indicators.find((i) => i.id === c.indicator)!;
    const names = c.blocks.map((id) => blockName(id, result.blocks.find((block) => block.id === id)?.label));
    return w.concentrationLine(indicator.label[lang], names, `${n(c.value)} ${indicator.unit[lang]}`, n(c.lower), n(c.upper), n(indicator.reference.value), grouped(c.numerator, lang));
  });
  return [
    { kind: 'paragraph', text: w.concentrationsIntro(concentrations.length) },
    { kind: 'list', items },
  ];
}

function indicatorSection(indicator: IndicatorResult, lang: 'nl' | 'en', n: (x: number | null, digits?: number) => string, labels: ReadonlyMap<string, string | undefined>): Part[] {
  const w = words[lang];
  const reference = indicator.reference.value === null ? '–' : `${n(indicator.reference.value)} (${indicator.reference.source === 'project' ? w.referenceProject : w.referenceArea})`;
  const notes = (b: IndicatorBlock) =>
    [b.suppressed ? w.secret : '', b.small_numbers && !b.suppressed ? w.small : '', b.signal ? w.signal : '', b.spatial?.hotspot === 'hot' ? w.hot : b.spatial?.hotspot === 'cold' ? w.cold : '', b.incomplete ? w.incomplete : ''].filter(Boolean).join(', ');
  const all = indicator.blocks.map((b) => b);
  // The table keeps the blocks that stand out, strongest first, so the section stays on one page;
  // the chart shows every block where they fit on it (else the listed ones), the appendix (or,
  // with many blocks, the workbook) every value.
  const standing = all.filter((b) => b.signal || (b.spatial?.hotspot ?? null) !== null).sort((a, b) => (b.ratio ?? 0) - (a.ratio ?? 0));
  // A descriptive figure gives no signals: what a reader asks of it is where it is highest and lowest.
  const eligible = all.filter((b) => b.value !== null && !b.small_numbers).sort((a, b) => b.value! - a.value! || (a.id < b.id ? -1 : 1));
  const ranked = indicator.descriptive ? (eligible.length <= 2 * rankedEnds ? eligible : [...eligible.slice(0, rankedEnds), ...eligible.slice(-rankedEnds)]) : undefined;
  const listed = ranked ?? standing.slice(0, 12);
  const charted = all.length > manyBlocks ? new Set(listed.map((b) => b.id)) : undefined;
  const allValues = all.length > manyBlocks ? blockTableFile(all.length) : w.appendixName;
  return [
    { kind: 'heading', level: 2, text: indicator.label[lang], id: `indicator-${indicator.id}` },
    { kind: 'paragraph', text: `${w.definition}: ${indicator.definition[lang]} ${w.reference}: ${reference}. ${w.areaValue}: ${n(indicator.area.value)} ${indicator.unit[lang]} (95%: ${n(indicator.area.lower)} – ${n(indicator.area.upper)}).` },
    { kind: 'map', name: indicator.id, caption: w.mapCaption(indicator.label[lang]), indicator: indicator.id, pageShare: 0.44 },
    ...(charted?.size === 0
      ? []
      : [{ kind: 'chart' as const, name: `grafiek-${indicator.id}`, caption: ranked && charted ? w.rankedCaption(indicator.label[lang]) : w.chartCaption(indicator.label[lang], charted?.size), spec: rankedBlocksChart(indicator, lang, charted, labels), pageShare: 0.2 }]),
    { kind: 'paragraph', text: ranked ? w.ranked(ranked.length, eligible.length, standing.length, allValues) : w.standouts(listed.length, standing.length, all.length, allValues) },
    ...(listed.length > 0
      ? [
          {
            kind: 'table' as const,
            columns: w.columnsIndicator,
            numeric: [false, true, true, true, false, true, false],
            // A descriptive figure's blocks by name too: its table is where a reader looks them up (BU0363AD01 says nothing).
            rows: listed.map((b) => [ranked ? blockName(b.id, labels.get(b.id)) : b.id, b.suppressed ? w.secret : n(b.numerator, 0), b.suppressed ? w.secret : n(b.denominator, 0), n(b.value), b.value === null ? '–' : `${n(b.lower)} – ${n(b.upper)}`, n(b.ratio), notes(b)]),
          },
        ]
      : []),
  ];
}
