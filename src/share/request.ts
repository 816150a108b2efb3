import { builtinIndicators } from '../indicators/builtins.js';
import { defaultIndicators } from '../indicators/defaults.js';
import { expandMeasure } from '../indicators/measures.js';
import { sourceOfKey } from '../privacy/cells.js';
import type { ProjectConfig } from '../project/schema.js';
import { kitFileName, type Kit, type KitRequest } from './kit.js';
import { samenloopPlan } from '../analysis/samenloop.js';
import { blockColumn, doorBlockColumn, doorMarkers, pc6Column, pseudonymColumn, whereFilters } from './layout.js';
import { doorsFileName, shareFileName } from './manifest.js';
import { listed } from '../text.js';

type Lang = 'nl' | 'en';

/** What the area holds, for the request: its blocks and PC6s (from the kit's register). */
export interface RequestArea {
  blocks: number;
  pc6s: string[];
}

/**
 * The one-page data request for one partner (source), as Markdown: what is asked, in which form,
 * for which period and area, what never leaves the partner, what the tool does with it, and the
 * exact commands to prepare the share. The handout of the first Buurtbalans meeting.
 */
export function requestPage(kit: Kit, request: KitRequest, area: RequestArea, tool: { name: string; version: string }, date: string, lang: Lang): string {
  const t = (nl: string, en: string) => (lang === 'nl' ? nl : en);
  const project = kit.settings;
  const source = project.sources.find((s) => s.name === request.source)!;
  const layout = request.layout;
  const exportName = source.file.split(/[\\/]/).pop()!;
  const keyed = kit.requests.filter((r) => r.layout.pseudonym);
  const keyMaker = keyed[0];
  const uses = usedBy(project, source.name, lang);
  const list = (items: string[]) => listed(items, t('en', 'and'));
  const markerNames = list(doorMarkers(samenloopPlan(project, kitFileName), source.name).markers.map((marker) => marker.name.replaceAll('_', ' ')));
  const period = project.period ? project.period.replace('..', t(' tot en met ', ' to ')) : undefined;
  const pc6s = area.pc6s.length <= 40 ? `${t('de postcodes', 'the postcodes')} ${area.pc6s.join(', ')}` : t(`${area.pc6s.length} postcodes (de lijst staat in de kit, adressen.csv)`, `${area.pc6s.length} postcodes (listed in the kit, adressen.csv)`);
  const shareColumns = [
    layout.route === 'pc6' ? `\`${pc6Column}\`: ${t('de postcode (PC6) van de regel', 'the row\'s postcode (PC6)')}` : `\`${blockColumn}\`: ${t('het adresblok van de regel, niet het adres', 'the row\'s address block, not its address')}`,
    ...Object.entries(layout.flags).map(([name, column]) => {
      const text = source.flags?.[name] ?? whereFilters(project, source.name).find((f) => f.flag === name)?.where ?? '';
      return `\`${column}\`: ${t('ja of nee', 'ja or nee')}, ${t('volgens de regel', 'by the rule')} \`${text}\``;
    }),
    ...layout.kept.map((column) => `\`${column}\`: ${describeKept(source, column, lang)}`),
  ];
  const command = `buurtbalans prepare ${exportName} --for kit --source ${source.name}${layout.pseudonym ? ' --key sleutel.txt' : ''}`;
  const threshold = project.privacy.threshold;
  const asks = project.request ?? {};
  const route = asks.route ?? t('de beveiligde route die in het project is afgesproken', 'the secure route the project agreed');
  const rule = project.privacy.rules[source.name];
  const lines = [
    `# ${t('Gegevensverzoek', 'Data request')}: ${request.organisation}`,
    '',
    `${t('Buurtbalans', 'Buurtbalans')} ${kit.project.name} · ${t('projectcode', 'project code')} ${kit.project.id} · ${t('bron', 'source')} \`${source.name}\` · ${t('verzoek', 'request')} ${request.request} · ${date}`,
    ...(asks.contact ? ['', `${t('Contact', 'Contact')}: ${asks.contact}`] : []),
    '',
    `## ${t('Waarom we dit vragen', 'Why we ask')}`,
    '',
    t(
      `De partners brengen per adresblok in beeld waar problemen zich opstapelen, zodat zij daar gezamenlijk op kunnen sturen. In de eerste bijeenkomst is afgesproken: "zo geanonimiseerd mogelijk, maar je moet wel conclusies kunnen trekken". Uw gegevens worden gebruikt voor ${source.signals ? 'de geluiden: welke thema\'s per blok genoemd worden, naast de cijfers' : source.survey ? 'de uitkomsten van de bewonersenquête per blok' : `${uses.length > 1 ? 'de indicatoren' : uses.length === 1 ? 'de indicator' : 'een eigen indicator per blok'}${uses.length > 0 ? ` ${list(uses.map((use) => `‘${use}’`))}` : ''}`}.`,
      `The partners map, per address block, where problems pile up, to act on them together: "as anonymous as possible, but you must be able to draw conclusions". Your data are used for ${source.signals ? 'the soft signals: which themes are heard per block, beside the figures' : source.survey ? 'the resident survey\'s results per block' : uses.length > 0 ? `the indicator${uses.length > 1 ? 's' : ''} ${list(uses.map((use) => `‘${use}’`))}` : 'an indicator of its own per block'}.`,
    ),
    ...(layout.pseudonym
      ? ['', t(
          `Ze tellen ook mee in de samenloop: het aantal adressen waar meerdere kenmerken samenkomen (bijvoorbeeld een omklapwoning en herhaalde overlast), met de gegevens van ${list(keyed.map((r) => r.organisation).filter((o, i, all) => all.indexOf(o) === i))}. Daarvoor gaat voor elk adres met zo\'n kenmerk een pseudoniem van het adres mee, nooit het adres zelf.`,
          `Also in the samenloop: at how many addresses several markers meet (for example an omklapwoning and repeated nuisance), with the data of ${list(keyed.map((r) => r.organisation).filter((o, i, all) => all.indexOf(o) === i))}. For that a pseudonym goes along for each address with such a marker, never the address itself.`,
        )]
      : []),
    '',
    `## ${t('Wat we vragen', 'What we ask')}`,
    '',
    `- ${t('Periode', 'Period')}: ${period && source.date ? `${period}${t(` (regels daarbuiten gaan niet mee; datum uit \`${source.date}\`)`, ` (rows outside it stay with you; date from \`${source.date}\`)`)}` : t('de stand op de dag van uw export', 'as your export stands on the day you make it')}.`,
    `- ${t('Gebied', 'Area')}: ${area.blocks} ${t('adresblokken', 'address blocks')} ${t('met samen', 'with')} ${pc6s}. ${t('Regels buiten het gebied gaan niet mee.', 'Rows outside the area stay with you.')}`,
    `- ${t('Uit uw export', 'From your export')} (${exportName}) ${t('leest de tool de kolommen', 'the tool reads the columns')} ${request.reads.map((c) => `\`${c}\``).join(', ')}${t('. Hebben ze bij u een andere naam, meld dat dan aan de gebiedsmakelaar; u krijgt dan een aangepaste kit.', '. If yours are named otherwise, tell the gebiedsmakelaar: you then get an adapted kit.')}`,
    `- ${layout.route === 'pc6' && source.counts ? t('Per postcode gaan mee', 'Per postcode goes') : t('Per regel gaan mee', 'Per row goes')}:`,
    ...shareColumns.map((c) => `  - ${c}`),
    ...(layout.pseudonym
      ? [
          `- ${t(`Voor de samenloop, in een apart bestand (\`${doorsFileName(shareFileName(source.name))}\`), per adres alleen:`, `For the samenloop, in a separate file (\`${doorsFileName(shareFileName(source.name))}\`), per address only:`)}`,
          `  - \`${pseudonymColumn}\`: ${t('een pseudoniem van het adres (HMAC-SHA256 met de sleutel van de partners); zonder die sleutel is het adres er niet uit af te leiden', 'a pseudonym of the address (HMAC-SHA256 with the partners\' key); without that key the address cannot be derived from it')}`,
          `  - \`${doorBlockColumn}\`: ${t('het adresblok van dat adres', 'the address block of that address')}`,
          `  - ${t(`per samenloopkenmerk (${markerNames}) of het adres het heeft; alleen adressen met zo'n kenmerk, zonder datum, categorie of regel`, `per samenloop marker (${markerNames}) whether the address has it; only addresses with such a marker, without a date, category or row`)}`,
        ]
      : []),
    ...(layout.suppress ? [`- ${t(`Volgens uw eigen afschermingsregel gaan aantallen van ${layout.suppress.min} tot en met ${layout.suppress.max} niet als getal mee, maar als "geheim".`, `Your own rule: counts from ${layout.suppress.min} to ${layout.suppress.max} leave as "geheim".`)}`] : []),
    '',
    `## ${t('Wat uw organisatie nooit verlaat', 'What never leaves your organisation')}`,
    '',
    t(
      `Namen, BSN, geboortedata, telefoonnummers, e-mailadressen, vrije tekst, adressen en coördinaten. Laat ze bij voorkeur al weg uit de export. De tool zoekt eerst in de hele export naar zulke gegevens en vermeldt in de verantwoording (het manifest) welke kolommen buiten het deelbestand blijven en hoeveel treffers de controle per kolom vond, zonder de waarden.${layout.pseudonym ? ' De sleutel voor de pseudoniemen blijft bij de partners: de gebiedsmakelaar krijgt hem nooit.' : ''}`,
      `Names, BSN, dates of birth, phone numbers, e-mail addresses, free text, addresses and coordinates. The tool first searches the whole export for such data and lists in the manifest which columns it kept out of the share, with counts, never the values.${layout.pseudonym ? ' The key for the pseudonyms stays with the partners: the gebiedsmakelaar never gets it.' : ''}`,
    ),
    '',
    `## ${t('Zo maakt u het deelbestand', 'How to prepare the share')}`,
    '',
    `1. ${t(`Zet de kit (de map \`kit\` van de gebiedsmakelaar) en uw export in één map, op een computer van uw organisatie met ${tool.name} ${tool.version} (Node.js 20).`, `Put the kit (the gebiedsmakelaar's \`kit\` folder) and your export in one folder, on a computer of your organisation with ${tool.name} ${tool.version} (Node.js 20).`)}`,
    ...(layout.pseudonym
      ? [`2. ${keyMaker?.source === source.name
          ? t(`U maakt de sleutel met \`buurtbalans key --out sleutel.txt\` en geeft hem via een veilige weg aan de functionarissen gegevensbescherming van ${list(keyed.filter((r) => r.source !== source.name).map((r) => r.organisation).filter((o, i, all) => all.indexOf(o) === i && o !== request.organisation))}, nooit aan de gebiedsmakelaar.`, `You make the key: \`buurtbalans key --out sleutel.txt\`. Give it by a safe route to the data officers of ${list(keyed.filter((r) => r.source !== source.name).map((r) => r.organisation).filter((o, i, all) => all.indexOf(o) === i && o !== request.organisation))}, never to the gebiedsmakelaar.`)
          : t(`De sleutel (\`sleutel.txt\`) krijgt u van de functionaris gegevensbescherming van ${keyMaker!.organisation}, niet van de gebiedsmakelaar.`, `You get the key (\`sleutel.txt\`) from the data officer of ${keyMaker!.organisation}, not from the gebiedsmakelaar.`)}`]
      : []),
    `${layout.pseudonym ? 3 : 2}. ${t('Maak het deelbestand:', 'Prepare the share:')}`,
    '',
    `    ${command}`,
    '',
    `${layout.pseudonym ? 4 : 3}. ${t(`Lees \`${source.name}.manifest.pdf\` (of .md): wat er is gelezen, wat meegaat en wat hier blijft. Onderteken het als het klopt.`, `Read \`${source.name}.manifest.pdf\` (or .md): what was read, what goes and what stays. Sign it when it is right.`)}`,
    `${layout.pseudonym ? 5 : 4}. ${t(`Stuur ${list([shareFileName(source.name), ...(layout.pseudonym ? [doorsFileName(shareFileName(source.name))] : []), `${source.name}.manifest.json`].map((f) => `\`${f}\``))} met de ondertekende manifestpagina via ${route} naar de gebiedsmakelaar. Verander niets aan het deelbestand: de analyse weigert een bestand dat niet meer bij zijn manifest past.`, `Send ${list([shareFileName(source.name), ...(layout.pseudonym ? [doorsFileName(shareFileName(source.name))] : []), `${source.name}.manifest.json`].map((f) => `\`${f}\``))} with the signed manifest page by ${route} to the gebiedsmakelaar. Change nothing in the share: the analysis refuses a file that no longer matches its manifest.`)}`,
    '',
    `## ${t('Wat er met de gegevens gebeurt', 'What happens to the data')}`,
    '',
    `- ${t(`De gebiedsmakelaar telt ${layout.route === 'pc6' ? 'de aantallen per postcode op bij het adresblok waarin die postcode grotendeels ligt' : 'de regels per adresblok'}${layout.pseudonym ? ' en legt de adrespseudoniemen van de partners naast elkaar (samenloop)' : ''}. De analyse controleert eerst dat het deelbestand ongewijzigd is en bij dit verzoek en dit project hoort.`, 'The gebiedsmakelaar counts the rows per address block. The analysis first checks that the share is unchanged and belongs to this request and project.')}`,
    `- ${t(`Wat met de partners gedeeld wordt (kaarten, rapport, tabellen) bevat geen aantal van 1 tot en met ${threshold - 1} ("geheim")${rule ? `, voor uw gegevens van ${rule.min} tot en met ${rule.max}` : ''}${project.privacy.rounding ? `, en aantallen afgerond op ${project.privacy.rounding}` : ''}. Ook via optellen en aftrekken is zo'n aantal niet terug te rekenen: de tool houdt zo nodig meer cellen geheim en controleert dat door zelf te proberen ze terug te rekenen (audit).`, `What is shared with the partners (maps, report, tables) holds no count from 1 to ${threshold - 1} ("geheim")${rule ? `, for your data from ${rule.min} to ${rule.max}` : ''}${project.privacy.rounding ? `, and counts rounded to ${project.privacy.rounding}` : ''}. Nor can such a count be worked out by adding and subtracting: the tool hides more cells where needed and checks that with an arithmetic attack (audit).`)}`,
    `- ${t('Een adres, pseudoniem, datum of regel van één persoon komt nooit in wat gedeeld wordt.', 'An address, pseudonym, date or row of one person never appears in a shared output.')}`,
    ...(asks.keep_until ? [`- ${t(`De gebiedsmakelaar bewaart de bestanden tot ${asks.keep_until} en verwijdert ze daarna.`, `The gebiedsmakelaar keeps the files until ${asks.keep_until} and deletes them then.`)}`] : []),
    ...(asks.basis ? [`- ${t('Grondslag', 'Basis')}: ${asks.basis}.`] : []),
    '',
  ];
  return lines.join('\n');
}

/** The indicators that read a source (built-in, the project's own, and the defaults for sources nothing else uses), by label. */
function usedBy(project: ProjectConfig, source: string, lang: Lang): string[] {
  const measures = project.measures ?? {};
  const reads = (keys: string | string[]) => expandMeasure(keys, measures).some((key) => sourceOfKey(key) === source);
  const indicators = [...builtinIndicators.filter((indicator) => [indicator.numerator].flat().every((name) => name in measures)), ...(project.indicators ?? []), ...defaultIndicators(project)];
  const labels = indicators.filter((i) => reads(i.numerator) || reads(i.denominator)).map((i) => (typeof i.label === 'string' ? i.label : i.label[lang]));
  return [...new Set(labels)];
}

function describeKept(source: ProjectConfig['sources'][number], column: string, lang: Lang): string {
  const t = (nl: string, en: string) => (lang === 'nl' ? nl : en);
  if (column === source.category) return t('de categorie (een categorie die in minder regels voorkomt dan de privacydrempel, heet "overig")', 'the category (a value fewer rows than the privacy threshold share becomes "overig")');
  if (column === source.date) return t('de datum (jjjj-mm-dd)', 'the date (yyyy-mm-dd)');
  if (source.counts?.includes(column)) return t('het aantal', 'the count');
  if (column === source.signals?.theme) return t('het thema', 'the theme');
  if (column === source.signals?.valence) return t('positief of negatief', 'positive or negative');
  if (column === source.signals?.weight) return t('het aantal keer genoemd', 'the number of mentions');
  return t('het antwoord', 'the answer');
}
