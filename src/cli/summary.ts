import { relative } from 'node:path';
import type { AnalysisResult } from '../analysis/result.js';
import type { Warning } from '../errors.js';
import { countWords, formatNumber, lowerFirst, onlyDescriptive } from '../indicators/sentences.js';
import { byStapeling, stapelingText } from '../indicators/accumulation.js';
import { blocksWithSamenloop } from '../analysis/samenloop.js';
import { valenceWords } from '../analysis/signals.js';
import { describeReasons } from '../join/reason-words.js';
import { listed } from '../text.js';
import { stderrColour } from './colour.js';

type Lang = 'nl' | 'en';

const words = {
  nl: {
    header: ['bron', 'geplaatst via', 'regels', 'geplaatst', '% geplaatst', 'niet geplaatst (redenen)'],
    register: '(adressen)',
    routes: { register: 'adressenbestand', address: 'adres', pc6: 'PC6', block: 'blok', point: 'coördinaten', bag: 'BAG-id', area: 'kaart (punt, lijn, vlak)' } as Record<string, string>,
    hidden: 'geheim',
    totals: (name: string, blocks: number, placed: string, read: string, share: string) => `${name}: ${blocks} blokken, ${placed} van ${read} regels geplaatst (${share})`,
    withoutSoft: (names: string[]) => `; ${names.join(' en ')} ${names.length === 1 ? 'telt' : 'tellen'} hier niet mee (${names.length === 1 ? 'het' : 'hun'} aantal regels is geheim)`,
    heard: (themes: string[]) => `Geluiden (het vaakst genoemd): ${themes.join('; ')}`,
    times: 'keer',
    heardOnly: (blocks: string[]) => `Alleen gehoord, niet in de cijfers: ${blocks.join('; ')}`,
    noFigures: 'geen cijfers over dit thema',
    good: (blocks: string[]) => `Wat goed gaat: ${blocks.join('; ')}`,
    prepared: (sources: string[]) => `Uit deelbestanden die de partners zelf maakten (buurtbalans prepare), gecontroleerd tegen hun manifest: ${sources.join(', ')}`,
    pc6Split: (n: number) => `${n} ${n === 1 ? 'PC6-gebied ligt' : 'PC6-gebieden liggen'} in meer dan één blok; elk gaat helemaal naar het blok met de meeste adressen (zie pc6_split in analysis.json)`,
    strongest: 'Belangrijkste bevindingen',
    onlyDescriptive: (labels: string[]) =>
      `Geen bevindingen: ${listed(labels, 'en')} ${labels.length === 1 ? 'beschrijft' : 'beschrijven'} de blokken, maar ${labels.length === 1 ? 'wijst' : 'wijzen'} geen probleem aan; koppel gegevens van de partners onder measures: in buurtbalans.yml om signalen te krijgen`,
    unmapped: (ids: string[]) =>
      `let op: ${ids.length} ingebouwde Buurtbalans-${ids.length === 1 ? 'indicator staat' : 'indicatoren staan'} uit, want de gegevens ervoor zijn niet gekoppeld: ${ids.join(', ')}; koppel ze onder measures: in buurtbalans.yml (buurtbalans init --dry-run maakt een voorstel)`,
    skipped: (id: string, reason: string) => `let op: indicator ${id} overgeslagen: ${reason}`,
    samenloop: (blocks: string[]) => `Samenloop achter dezelfde voordeur (twee of meer kenmerken op één adres): ${blocks.join('; ')}`,
    samenloopBlock: (id: string, count: string, of: string) => `${id}: ${count} van ${of} adressen`,
    stapeling: (blocks: string[]) => `Opeenstapeling (leefgebieden met een signaal of een verhoogd cijfer): ${blocks.join('; ')}`,
    stapelingBlock: (id: string, range: string) => `${id}: ${range}`,
    outsideDomains: (ids: string[]) =>
      `let op: de opeenstapeling telt alleen indicatoren met een leefgebied; ${ids.length === 1 ? 'deze heeft' : 'deze hebben'} er geen: ${ids.join(', ')}; geef ze een domain: (wonen, zorg, ouderen, overlast, signalen of een eigen naam) onder indicators: of domains: in buurtbalans.yml`,
    warning: 'waarschuwing',
    unplacedFile: (where: string) => `elke regel die niet geplaatst is, staat met regelnummer en reden in ${where}/unplaced.csv`,
    maps: (n: number, big: string[]) => `${n} ${n === 1 ? 'kaart' : 'kaarten'} in maps/${big.length > 0 ? ` (de grote kaart: ${big.join(', ')})` : ''}`,
    report: (files: string[]) => `het rapport: ${files.join(', ')}`,
    and: 'en',
    written: (where: string, files: string) => `geschreven naar ${where}/: ${files}`,
  },
  en: {
    header: ['source', 'placed by', 'rows', 'placed', 'placed %', 'not placed (reasons)'],
    register: '(addresses)',
    routes: { register: 'register', address: 'address', pc6: 'pc6', block: 'block', point: 'point', bag: 'bag', area: 'map (point, line, area)' } as Record<string, string>,
    hidden: 'hidden',
    totals: (name: string, blocks: number, placed: string, read: string, share: string) => `${name}: ${blocks} blocks, ${placed} of ${read} rows placed (${share})`,
    withoutSoft: (names: string[]) => `; ${names.join(' and ')} ${names.length === 1 ? 'is' : 'are'} not counted here (${names.length === 1 ? 'its' : 'their'} number of rows is hidden)`,
    heard: (themes: string[]) => `Mentioned most often: ${themes.join('; ')}`,
    times: 'times',
    heardOnly: (blocks: string[]) => `Only heard, not in the figures: ${blocks.join('; ')}`,
    noFigures: 'no figures on this theme',
    good: (blocks: string[]) => `Good news: ${blocks.join('; ')}`,
    prepared: (sources: string[]) => `From shares the partners prepared themselves (buurtbalans prepare), checked against their manifests: ${sources.join(', ')}`,
    pc6Split: (n: number) => `${n} PC6 areas are split over blocks; each goes wholly to the block with most of its addresses (see analysis.json pc6_split)`,
    strongest: 'Key findings',
    onlyDescriptive: (labels: string[]) =>
      `No findings: ${listed(labels, 'and')} ${labels.length === 1 ? 'describes' : 'describe'} the blocks but ${labels.length === 1 ? 'points' : 'point'} to no problem; link the partners' data under measures: in buurtbalans.yml to get signals`,
    unmapped: (ids: string[]) =>
      `note: ${ids.length} built-in Buurtbalans indicator(s) off, their data are not mapped: ${ids.join(', ')}; map them under measures: in buurtbalans.yml (buurtbalans init --dry-run drafts them)`,
    skipped: (id: string, reason: string) => `note: indicator ${id} skipped: ${reason}`,
    samenloop: (blocks: string[]) => `At the same front door (two or more markers at one address): ${blocks.join('; ')}`,
    samenloopBlock: (id: string, count: string, of: string) => `${id}: ${count} of ${of} addresses`,
    stapeling: (blocks: string[]) => `Accumulation (domains with a signal or elevated): ${blocks.join('; ')}`,
    stapelingBlock: (id: string, range: string) => `${id}: ${range}`,
    outsideDomains: (ids: string[]) =>
      `note: the accumulation counts only indicators in a domain; ${ids.length === 1 ? 'this one has' : 'these have'} none: ${ids.join(', ')}; give them a domain: (wonen, zorg, ouderen, overlast, signalen or a name of your own) under indicators: or domains: in buurtbalans.yml`,
    warning: 'warning',
    unplacedFile: (where: string) => `every row not placed is listed with its line and reason in ${where}/unplaced.csv`,
    maps: (n: number, big: string[]) => `${n} maps in maps/${big.length > 0 ? ` (the big map: ${big.join(', ')})` : ''}`,
    report: (files: string[]) => `the report: ${files.join(', ')}`,
    and: 'and',
    written: (where: string, files: string) => `written to ${where}/: ${files}`,
  },
};

/** The short table `analyse` shows on stderr: per source rows read, placed %, reasons; in the run's language. */
export function formatSummary(result: AnalysisResult, outDir: string, lang: Lang = 'en', writtenFiles: string[] = [], local: readonly Warning[] = []): string {
  const w = words[lang];
  const shown = (count: number | null) => countWords(count, lang);
  const percent = (part: number | null, whole: number | null) => (part === null || whole === null ? w.hidden : whole === 0 ? '–' : `${formatNumber((100 * part) / whole, lang, 1)}%`);
  const rows: string[][] = [w.header];
  const addRow = (name: string, route: string, read: number | null, placed: number | null, reasons: Record<string, number>) =>
    rows.push([name, w.routes[route] ?? route, shown(read), shown(placed), percent(placed, read), describeReasons(reasons, lang)]);
  if (result.register) addRow(w.register, 'register', result.register.rows_read, result.register.rows_placed, result.register.unplaced_reasons);
  for (const source of result.sources) addRow(source.name, source.place_by, source.rows_read, source.rows_placed, source.unplaced_reasons);
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => row[c]!.length)));
  const numeric = new Set([2, 3, 4]);
  const lines = rows.map((row, r) => {
    const text = row.map((cell, c) => (c === row.length - 1 ? cell : numeric.has(c) ? cell.padStart(widths[c]!) : cell.padEnd(widths[c]!))).join('  ');
    return r === 0 ? stderrColour.bold(text) : text;
  });
  const { totals } = result;
  lines.push('');
  const softHidden = result.sources.filter((source) => source.kind === 'signals' && source.rows_placed === null).map((source) => source.name);
  lines.push(w.totals(result.project.name, result.blocks.length, shown(totals.rows_placed), shown(totals.rows_read), percent(totals.rows_placed, totals.rows_read)) + (softHidden.length > 0 && totals.rows_placed !== null ? w.withoutSoft(softHidden) : ''));
  const prepared = result.sources.filter((source) => source.prepared).map((source) => `${source.name}${source.prepared!.prepared_on ? ` (${source.prepared!.prepared_on})` : ''}`);
  if (prepared.length > 0) lines.push(w.prepared(prepared));
  if (result.pc6_split.length > 0) lines.push(w.pc6Split(result.pc6_split.length));
  if (result.findings.length > 0) {
    lines.push('');
    lines.push(stderrColour.bold(w.strongest));
    result.findings.slice(0, 3).forEach((finding, i) => lines.push(`${i + 1}. ${finding.text[lang]}`));
    lines.push('');
  } else if (onlyDescriptive(result.indicators)) {
    lines.push(w.onlyDescriptive(result.indicators.map((indicator) => lowerFirst(indicator.label[lang]))));
  }
  // The blocks where most markers coincide at one address, as shown (a hidden count is not named).
  const samenloop = result.accumulation?.samenloop;
  const piled = (samenloop ? blocksWithSamenloop(samenloop) : []).filter((b) => b.markers_2 !== null && b.markers_3plus !== null).slice(0, 3);
  // Where problems pile up: the blocks known to have two or more domains, most first.
  const stacked = byStapeling(result.accumulation?.blocks ?? []).filter((b) => b.min >= 2).slice(0, 5);
  if (stacked.length > 0) lines.push(w.stapeling(stacked.map((b) => w.stapelingBlock(b.id, stapelingText(b, lang)))));
  if (piled.length > 0) lines.push(w.samenloop(piled.map((b) => w.samenloopBlock(b.id, shown(b.markers_2! + b.markers_3plus!), shown(b.addresses)))));
  const signals = result.signals;
  const loudest = (signals?.themes ?? []).filter((theme) => theme.total !== null && theme.total > 0).slice(0, 4);
  const heardLabel = (theme: NonNullable<typeof signals>['themes'][number]) => `${lowerFirst(theme.label[lang])}${valenceWords(theme, lang) ? ` (${valenceWords(theme, lang)})` : ''}`;
  if (loudest.length > 0) lines.push(w.heard(loudest.map((theme, t) => `${lowerFirst(theme.label[lang])} ${formatNumber(theme.total!, lang, theme.total! % 1 === 0 ? 0 : 1)}${t === 0 ? ` ${w.times}` : ''}${valenceWords(theme, lang) ? ` (${valenceWords(theme, lang)})` : ''}`)));
  const theme = (key: string) => signals!.themes.find((t) => t.key === key)!;
  const heardWhere = (test: (key: string) => boolean) =>
    (signals?.blocks ?? []).flatMap((block) => {
      const keys = block.heard_only.filter(test);
      // Good news is said as good news; a worry no figure measures says so.
      const said = (key: string) => (theme(key).valence === 'positive' ? lowerFirst(theme(key).label[lang]) : `${heardLabel(theme(key))}${theme(key).domain === null ? ` (${w.noFigures})` : ''}`);
      return keys.length > 0 ? [`${block.id}: ${keys.map(said).join(', ')}`] : [];
    }).slice(0, 5);
  const troubles = heardWhere((key) => theme(key).valence !== 'positive');
  const good = heardWhere((key) => theme(key).valence === 'positive');
  if (troubles.length > 0) lines.push(w.heardOnly(troubles));
  if (good.length > 0) lines.push(w.good(good));
  if (stacked.length > 0 || piled.length > 0 || loudest.length > 0) lines.push('');
  // Built-ins whose inputs a project simply has not mapped are one line, not one alarm each.
  const unmapped = result.skipped_indicators.filter((skipped) => skipped.missing);
  if (unmapped.length > 0) lines.push(w.unmapped(unmapped.map((s) => s.id)));
  for (const skipped of result.skipped_indicators.filter((s) => !s.missing)) lines.push(w.skipped(skipped.id, skipped.text[lang]));
  const outside = result.accumulation?.outside_domains ?? [];
  if (outside.length > 0) lines.push(w.outsideDomains(outside));
  // Unplaced rows are in the table above; the other warnings are news.
  for (const warning of [...result.warnings.filter((x) => x.code !== 'rows_unplaced'), ...local]) lines.push(stderrColour.yellow(formatWarning(warning, lang)));
  const where = relative(process.cwd(), outDir) || '.';
  if ((result.totals.rows_unplaced ?? 1) > 0) lines.push(w.unplacedFile(where));
  const maps = writtenFiles.filter((f) => f.startsWith('maps/'));
  const big = maps.filter((f) => f.startsWith('maps/overzicht'));
  const report = writtenFiles.filter((f) => f.startsWith('rapport/'));
  const tables = writtenFiles.filter((f) => !f.includes('/'));
  const extra = [...(maps.length > 0 ? [w.maps(maps.length, big)] : []), ...(report.length > 0 ? [w.report(report)] : [])];
  const files = `${tables.join(', ')}${extra.map((part, i) => `${i === extra.length - 1 ? ` ${w.and}` : ','} ${part}`).join('')}`;
  lines.push(w.written(where, files));
  return `${lines.join('\n')}\n`;
}

/** "waarschuwing: zorg: …": one warning on one line, in the run's language. */
export function formatWarning(warning: Warning, lang: Lang): string {
  return `${words[lang].warning}: ${warning.source ? `${warning.source}: ` : ''}${warning.text[lang]}`;
}
