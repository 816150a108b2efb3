import { rdToLonLat } from '../geo/crs.js';
import { csvLine, decimalComma } from './csv-line.js';
import { Random } from '../stats/random.js';
import { scales, type ScaleName } from './scales.js';
import { buildWorld, planted, pc6Code, type Block, type Dwelling, type Pc6Area } from './world.js';
import { projectYaml, sampleReadme } from './project-text.js';
import { sampleThemes, SoftSignalWriter, type PlantedSignals } from './soft.js';
import { SurveyWriter, surveyQuestionsOfSample } from './survey.js';
import { withRawTwin } from './partners.js';

/** A file the generator writes, line by line; the CLI decides where and how bytes are written. */
export interface SampleFile {
  write(text: string): void;
  close(): void;
}
export interface SampleFileSpec {
  name: string;
  encoding: 'utf-8' | 'windows-1252';
  bom: boolean;
}
export type SampleSink = (spec: SampleFileSpec) => SampleFile;

export interface SampleOptions {
  scale: ScaleName;
  seed: number;
  /** Also the partners' raw exports (with names, BSN, phone numbers) in partners/, for prepare. */
  partners?: boolean;
}

/** What the generator planted and what a correct analysis must find; written to truth.json. */
export interface SampleTruth {
  synthetic: true;
  scale: ScaleName;
  seed: number;
  blocks_count: number;
  addresses_count: number;
  sources: Record<string, { rows: number; placeable: number; unplaceable: Record<string, number> }>;
  pc6_split: number;
  effects: {
    nuisance_from_zorgmijders: {
      description: string;
      report_multiplier: { zorgmijder: number; omklapwoning: number; other: number };
      zorgmijder_hotspot_blocks: string[];
      chance_zorgmijder: { hotspot: number; elsewhere: number };
      realised: Record<'zorgmijder' | 'omklapwoning' | 'other', { homes: number; reports: number }>;
    };
    samenloop: {
      description: string;
      markers: string[];
      planted_blocks: string[];
      /** Domains of the opeenstapeling the planted block stands out in by construction (besides zorg, as a zorgmijder hotspot). */
      planted_domains: string[];
      blocks: Record<string, { markers_1: number; markers_2: number; markers_3plus: number }>;
      combinations: Record<string, number>;
    };
    signals: {
      description: string;
      themes: string[];
      /** Per block the themes planted there, by which kind of source and how many mentions. */
      planted: Record<string, PlantedSignals[]>;
      /** Free texts with personal data written into the soft sources: check must find them, no output may hold them. */
      planted_texts: string[];
    };
    survey: {
      description: string;
      questions: string[];
      low_tevredenheid_blocks: string[];
      low_contact_blocks: string[];
      high_contact_blocks: string[];
      /** Per question, per block id, how many answered 1, 2, 3, 4 and 5. */
      answers: Record<string, Record<string, number[]>>;
    };
    isolated_75plus_cluster: {
      description: string;
      blocks: string[];
      chance_single75: { cluster_bovenwoning_without_lift: number; elsewhere: number };
      realised: Record<'cluster' | 'elsewhere', { homes: number; single75: number }>;
    };
  };
  blocks: Record<string, { counts: Record<string, number>; unknown_cells: Record<string, number> }>;
}

const corporations = [
  { source: 'corporatie_a', file: 'corporatie-a.csv', organisation: 'Woonstichting Amstelhuis' },
  { source: 'corporatie_b', file: 'corporatie-b.csv', organisation: 'Rivierenwonen' },
  { source: 'corporatie_c', file: 'corporatie-c.csv', organisation: 'Stichting De Kade' },
  { source: 'corporatie_d', file: 'corporatie-d.csv', organisation: 'Woonvereniging Zuid' },
  { source: 'corporatie_e', file: 'corporatie-e.csv', organisation: 'Bouwblok Wonen' },
] as const;

export const aggregatedColumns = {
  zorg: ['clienten', 'zorgmijders'],
  bevolking: ['Inwoners', 'Inwoners 75+', 'Alleenstaande 75-plussers', '75-plussers in bovenwoning zonder lift', 'Huishoudens'],
  huisartsen: ['signalen'],
  wijkteam: ['Huishoudens in beeld', 'Signalen zorgmijding'],
} as const;

const gpThemes = ['eenzaamheid', 'zorgmijding', 'verward gedrag', 'mantelzorg', 'schulden'] as const;
const romanFloors = ['', 'I', 'II', 'III', 'IV'];

/**
 * Writes a complete synthetic Buurtbalans project: blocks, an address register, exports of five
 * housing corporations in five dialects, nuisance reports, care counts per PC6 with suppressed
 * cells, population per PC6, GP signals and district-team counts per block, plus truth.json.
 * Streams block by block, so the `land` scale fits in memory.
 */
export function generateSample(options: SampleOptions, sink: SampleSink): SampleTruth {
  const scale = scales[options.scale];
  const random = new Random(options.seed);
  const files = openFiles(sink, options.partners ? new Random(options.seed ^ 0x7a11) : undefined);
  const truth = new TruthCounter();
  const realisedNuisance = { zorgmijder: { homes: 0, reports: 0 }, omklapwoning: { homes: 0, reports: 0 }, other: { homes: 0, reports: 0 } };
  const realisedCluster = { cluster: { homes: 0, single75: 0 }, elsewhere: { homes: 0, single75: 0 } };
  const clusterBlocks: string[] = [];
  const plantRandom = new Random(options.seed ^ 0x5a3c);
  const samenloopTruth = new SamenloopTruth(samenloopMarkers);
  const hotspotsPerTile = new Map<string, number>();
  const samenloopBlocks: string[] = [];
  const hotspotBlocks: string[] = [];
  const blockIds: string[] = [];
  let corporationARows = 0;
  let reportNumber = 0;
  let pc6Split = 0;
  let firstFeature = true;
  const periodStart = Date.UTC(2024, 0, 1);
  const periodDays = 365 * scale.years;

  const soft = new SoftSignalWriter(new Random(options.seed ^ 0x50f7), files.gevoelskaart, files.gesprekken);
  const survey = new SurveyWriter(new Random(options.seed ^ 0x5e7e), files.enquete);
  const world = buildWorld(scale, random, onBlock, onPc6);

  function onBlock(block: Block): void {
    blockIds.push(block.id);
    if (block.inCluster) clusterBlocks.push(block.id);
    if (block.zorgmijderHotspot) hotspotBlocks.push(block.id);
    files.blocks.write(`${firstFeature ? '' : ',\n'}${blockFeature(block)}`);
    firstFeature = false;
    let careClients = 0;
    let zorgmijdersKnown = 0;
    const plants = plantSamenloop(block);
    const doors = frontDoors(block.dwellings);
    // The markers as the analysis should see them: at the door each row resolves to (not always its own).
    const atDoor = new Map<Dwelling, [boolean, boolean, number]>();
    const mark = (door: Dwelling | undefined, marker: 0 | 1) => {
      if (!door) return;
      const markers = atDoor.get(door) ?? [false, false, 0];
      markers[marker] = true;
      atDoor.set(door, markers);
    };
    for (const dwelling of block.dwellings) {
      writeRegister(dwelling);
      const plant = plants.get(dwelling);
      if (dwelling.owner >= 0) {
        const door = writeCorporation(dwelling, plant !== undefined, doors);
        if (dwelling.omklapwoning) mark(door, 0);
        if (dwelling.vulnerable || plant !== undefined) mark(door, 1);
      }
      const reports = writeReports(dwelling, plant === 'pile' ? 3 : 0);
      const door = doors.resolve(dwelling, dwelling.letter, dwelling.suffix);
      if (door && reports > 0) {
        const markers = atDoor.get(door) ?? [false, false, 0];
        markers[2] += reports;
        atDoor.set(door, markers);
      }
      if (dwelling.careClient || dwelling.vulnerable) careClients++;
      if (dwelling.zorgmijder && random.chance(0.8)) zorgmijdersKnown++;
      const group = block.inCluster && dwelling.floor >= 1 && !dwelling.lift ? 'cluster' : 'elsewhere';
      realisedCluster[group].homes++;
      if (dwelling.single75) realisedCluster[group].single75++;
    }
    for (const [omklapwoning, kwetsbaar, reports] of atDoor.values()) samenloopTruth.add(block, [omklapwoning, kwetsbaar, reports >= 3]);
    soft.block(block);
    survey.block(block, { cluster: block.inCluster, hotspot: block.zorgmijderHotspot, helping: soft.planted[block.id]?.some((p) => p.theme === 'burenhulp') ?? false });
    files.wijkteam.write(`${csvLine([block.id, careClients, zorgmijdersKnown], ';')}\n`);
    truth.record('wijkteam', block.index);
    truth.cell('wijkteam.Huishoudens in beeld', block.index, careClients);
    truth.cell('wijkteam.Signalen zorgmijding', block.index, zorgmijdersKnown);
  }

  /**
   * In the second zorgmijder hotspot of each neighbourhood, a pile-up: at the same front doors,
   * eight homes (zorgmijders first, named exactly by corporations A, B or C) let to vulnerable
   * households, each with at least three nuisance reports ('pile'); and eight more homes let to
   * vulnerable households ('tenancy'), so the block stands out in wonen as well as in overlast (and,
   * as a zorgmijder hotspot, in zorg). Not omklapwoningen: the sample keeps their nuisance near the
   * ordinary rate. Only the exports and the reports change, from a stream of their own.
   */
  function plantSamenloop(block: Block): Map<Dwelling, 'pile' | 'tenancy'> {
    const plants = new Map<Dwelling, 'pile' | 'tenancy'>();
    if (!block.zorgmijderHotspot) return plants;
    const seen = (hotspotsPerTile.get(block.tile) ?? 0) + 1;
    hotspotsPerTile.set(block.tile, seen);
    if (seen !== 2) return plants;
    samenloopBlocks.push(block.id);
    // Zorgmijders first: the households behind the nuisance in this sample, now also known to their corporation.
    const candidates = block.dwellings.filter((d) => d.owner >= 0 && d.owner <= 2 && !d.omklapwoning);
    const ordered = [...plantRandom.shuffle(candidates.filter((d) => d.zorgmijder)), ...plantRandom.shuffle(candidates.filter((d) => !d.zorgmijder))];
    for (const d of ordered.slice(0, 8)) plants.set(d, 'pile');
    const others = block.dwellings.filter((d) => d.owner >= 0 && !d.omklapwoning && !d.vulnerable && !plants.has(d));
    for (const d of plantRandom.shuffle(others).slice(0, 8)) plants.set(d, 'tenancy');
    return plants;
  }

  function writeRegister(d: Dwelling): void {
    files.register.write(
      `${csvLine([d.street, d.number, d.letter, d.suffix === 'BIS' ? 'bis' : d.suffix, d.pc6, 'Amsterdam', d.x.toFixed(2), d.y.toFixed(2), d.bagNummeraanduiding, d.bagVerblijfsobject], ',')}\n`,
    );
  }

  /** Writes the home's row in its corporation's export; returns the home whose door the row leads the analysis to (not always its own), if any. */
  function writeCorporation(d: Dwelling, plantedVulnerable: boolean, doors: FrontDoorTruth): Dwelling | undefined {
    const corporation = corporations[d.owner]!;
    const vulnerable = d.vulnerable || plantedVulnerable;
    const type = d.floor === 0 ? (d.suffix === '' && d.letter === '' ? 'Eengezinswoning' : 'Benedenwoning') : d.lift ? 'Flatwoning' : 'Bovenwoning';
    const yesNo = (value: boolean) => (value ? 'Ja' : 'Nee');
    truth.record(corporation.source, d.block);
    switch (d.owner) {
      case 0: {
        const toev = d.suffix === 'H' ? 'hs' : d.suffix === 'BIS' ? 'bis' : d.suffix && random.chance(0.5) ? romanFloors[Number(d.suffix)] ?? d.suffix : d.suffix;
        const label = d.omklapwoning ? 'Omklapwoning' : vulnerable ? 'Kwetsbare doelgroep' : '';
        const description = d.floor >= 1 && !d.lift ? `${type} (geen lift, één trap)` : type;
        files.corporations[0].write(`${csvLine([d.pc6, `${d.number}${d.letter}`, toev, d.street, description, d.floor, yesNo(d.lift), label, decimalComma(d.area, 1)], ';')}\r\n`);
        corporationARows++;
        // Real exports hold a few homes the register does not know, and typos in postcodes.
        if (corporationARows % 60 === 7) {
          files.corporations[0].write(`${csvLine([d.pc6, 9000 + corporationARows, '', d.street, type, 0, 'Nee', '', '55,0'], ';')}\r\n`);
          truth.unplaceable(corporation.source, 'address_not_in_register');
        }
        if (corporationARows % 97 === 11) {
          files.corporations[0].write(`${csvLine([`${d.pc6.slice(0, 4)}5${d.pc6.slice(4)}`, d.number, '', d.street, type, 0, 'Nee', '', '61,5'], ';')}\r\n`);
          truth.unplaceable(corporation.source, 'invalid_postcode');
        }
        return doors.resolve(d, d.letter, d.suffix);
      }
      case 1: {
        const postcode = `${d.pc6.slice(0, 4)} ${d.pc6.slice(4).toLowerCase()}`;
        files.corporations[1].write(`${csvLine([postcode, combinedHouseNumber(d, random), type.toLowerCase(), d.lift ? 'ja' : 'nee', d.omklapwoning ? 'true' : 'false', vulnerable ? 'kwetsbaar' : 'regulier'], ',')}\n`);
        return doors.resolve(d, d.letter, d.suffix);
      }
      case 2: {
        const bag = random.chance(0.3) ? d.bagNummeraanduiding.replace(/^0/, '') : d.bagNummeraanduiding;
        files.corporations[2].write(`${csvLine([bag, d.bagVerblijfsobject, type, d.floor, d.lift ? 'J' : 'N', d.omklapwoning ? 'J' : 'N', vulnerable ? 'Kwetsbaar' : 'Regulier'], '\t')}\n`);
        // A BAG id names one address, even where its postcode and number are shared.
        return d;
      }
      case 3: {
        const suffix = d.suffix && random.chance(0.2) ? '' : d.suffix.toLowerCase();
        const letter = d.letter || (random.chance(0.02) ? 'z' : '');
        const remark = d.single75 && random.chance(0.5) ? 'Trap smal;\nbewoner 80+, wil verhuizen' : vulnerable ? 'Begeleid wonen' : '';
        files.corporations[3].write(`${csvLine([d.pc6, d.number, letter, suffix, type, decimalComma(d.area, 1), d.omklapwoning ? 'ja' : 'nee', vulnerable ? 'Kwetsbaar' : 'Regulier', remark], ';')}\n`);
        // A dropped suffix or a stray letter finds the entrance, the only home at the number, or
        // another home exactly ("12" where "12" and "12-1" both exist): the door the analysis sees.
        return doors.resolve(d, letter, suffix);
      }
      default: {
        const [lon, lat] = rdToLonLat(d.x, d.y);
        files.corporations[4].write(`${csvLine([lat.toFixed(7), lon.toFixed(7), type, d.floor, d.lift ? 'ja' : 'nee', d.omklapwoning ? 'ja' : 'nee', vulnerable ? 'kwetsbaar' : 'regulier'], ',')}\n`);
        // A point finds its address only where no other address stands within 5 m (not the flats of one entrance).
        return doors.alone(d) ? d : undefined;
      }
    }
  }

  /** Writes the home's nuisance reports, and more until at least `atLeast` can be placed; returns how many can. */
  function writeReports(d: Dwelling, atLeast: number): number {
    const multiplier = d.zorgmijder ? planted.reportMultiplierZorgmijder : d.omklapwoning ? planted.reportMultiplierOmklapwoning : 1;
    const reports = random.poisson(scale.reportRate * scale.years * multiplier);
    const group = d.zorgmijder ? 'zorgmijder' : d.omklapwoning ? 'omklapwoning' : 'other';
    realisedNuisance[group].homes++;
    let placed = 0;
    let written = 0;
    for (; written < reports; written++) placed += writeReport(d, random);
    // Planted reports draw from their own stream.
    for (; placed < atLeast; written++) placed += writeReport(d, plantRandom);
    realisedNuisance[group].reports += written;
    return placed;
  }

  /** One report about dwelling `d`; 1 when it can be placed. */
  function writeReport(d: Dwelling, random: Random): number {
    reportNumber++;
    const date = new Date(periodStart + random.integer(0, periodDays - 1) * 86_400_000);
    const category = random.pick(d.zorgmijder ? ['burenoverlast', 'burenoverlast', 'burenoverlast', 'vervuiling', 'schade'] : ['burenoverlast', 'vervuiling', 'vervuiling', 'schade']);
    const roll = random.next();
    let x = '';
    let y = '';
    let placed = 0;
    if (roll < 0.01) {
      truth.unplaceable('meldingen', 'missing_coordinates');
    } else if (roll < 0.025) {
      x = decimalComma(d.streetX, 2);
      y = decimalComma(d.streetY, 2);
      truth.unplaceable('meldingen', 'outside_blocks');
    } else {
      x = decimalComma(d.x + random.between(-1.5, 1.5), 2);
      y = decimalComma(d.y + random.between(-1.5, 1.5), 2);
      truth.record('meldingen', d.block);
      placed = 1;
    }
    const day = `${String(date.getUTCDate()).padStart(2, '0')}-${String(date.getUTCMonth() + 1).padStart(2, '0')}-${date.getUTCFullYear()}`;
    // The address the report is about, as a reporting system records it beside the point.
    files.reports.write(`${csvLine([`M${String(reportNumber).padStart(7, '0')}`, day, category, x, y, d.pc6, `${d.number}${d.letter}`, d.suffix], ';')}\n`);
    return placed;
  }

  function onPc6(area: Pc6Area): void {
    const perBlock = new Map<number, number>();
    for (const d of area.dwellings) perBlock.set(d.block, (perBlock.get(d.block) ?? 0) + 1);
    // The rule the analysis must apply: most addresses, ties to the lowest block id (ids are zero-padded).
    const block = [...perBlock].sort(([a, na], [b, nb]) => nb - na || a - b)[0]![0];
    if (perBlock.size > 1) pc6Split++;
    survey.pc6(area, block);
    const sum = (f: (d: Dwelling) => number) => area.dwellings.reduce((total, d) => total + f(d), 0);

    const clients = sum((d) => (d.careClient ? 1 : 0));
    const zorgmijders = sum((d) => (d.zorgmijder && random.chance(0.7) ? 1 : 0));
    const suppress = (value: number) => (value >= 1 && value <= 4 && random.chance(0.5) ? '<5' : random.chance(0.01) ? '-' : value);
    const zorgRow = [suppress(clients), suppress(zorgmijders)];
    files.zorg.write(`${csvLine([area.code, ...zorgRow], ',')}\n`);
    truth.record('zorg', block);
    aggregatedColumns.zorg.forEach((column, i) => truth.cell(`zorg.${column}`, block, zorgRow[i]!));

    const households = area.dwellings.length;
    const population = [sum((d) => d.residents), sum((d) => d.over75), sum((d) => (d.single75 ? 1 : 0)), sum((d) => (d.floor >= 1 && !d.lift ? d.over75 : 0)), households];
    const shown = households <= 10 ? population.map(() => '.') : population;
    files.population.write(`${csvLine([area.code, ...shown.map((value) => String(value).padStart(6))], ';', true)}\n`);
    truth.record('bevolking', block);
    aggregatedColumns.bevolking.forEach((column, i) => truth.cell(`bevolking.${column}`, block, shown[i]!));

    const expected: Record<(typeof gpThemes)[number], number> = {
      eenzaamheid: 0.5 * sum((d) => (d.single75 ? 1 : 0)),
      zorgmijding: 0.9 * sum((d) => (d.zorgmijder ? 1 : 0)),
      'verward gedrag': 0.4 * sum((d) => (d.zorgmijder ? 1 : 0)) + 0.05,
      mantelzorg: 0.2 * sum((d) => d.over75),
      schulden: 0.15 * sum((d) => (d.vulnerable || d.omklapwoning ? 1 : 0)) + 0.05,
    };
    for (const theme of gpThemes) {
      const signals = random.poisson(expected[theme]);
      if (signals === 0) continue;
      files.gp.write(`${csvLine([`${area.code.slice(0, 4)} ${area.code.slice(4)}`, theme, signals, random.integer(1, 3)], ',')}\n`);
      truth.record('huisartsen', block);
      truth.cell('huisartsen.signalen', block, signals);
    }
  }

  // Rows that cannot be placed, as real exports have them.
  files.zorg.write(`${csvLine([pc6Code(scale.firstPc4 + 900, 0), 7, '<5'], ',')}\n`);
  truth.unplaceable('zorg', 'pc6_not_in_register');
  files.wijkteam.write(`${csvLine(['X99', 3, 0], ';')}\n`);
  truth.unplaceable('wijkteam', 'block_not_found');

  files.blocks.write('\n]}\n');
  soft.close();
  truth.placeableRows('gevoelskaart', soft.rows.gevoelskaart);
  truth.placeableRows('gesprekken_huisartsen', soft.rows.gesprekken);
  truth.placeableRows('bewonersenquete', survey.rows.placeable);
  const summary: SampleTruth = {
    synthetic: true,
    scale: options.scale,
    seed: options.seed,
    blocks_count: world.blocks,
    addresses_count: world.dwellings,
    sources: truth.sourceSummary(),
    pc6_split: pc6Split,
    effects: {
      nuisance_from_zorgmijders: {
        description:
          'Nuisance reports are concentrated at the homes of zorgmijders (8x the ordinary rate), who cluster in a few blocks; omklapwoningen, spread over all corporations, have nearly the ordinary rate (1.15x).',
        report_multiplier: { zorgmijder: planted.reportMultiplierZorgmijder, omklapwoning: planted.reportMultiplierOmklapwoning, other: 1 },
        zorgmijder_hotspot_blocks: hotspotBlocks,
        chance_zorgmijder: { hotspot: planted.zorgmijderHotspot, elsewhere: planted.zorgmijderElsewhere },
        realised: realisedNuisance,
      },
      samenloop: {
        description:
          'At the same front door: an address has a marker when it is an omklapwoning or let to a vulnerable household (by a row that names the address exactly) or has 3 or more placed nuisance reports. In the second zorgmijder hotspot of each neighbourhood 8 homes (zorgmijders first) are let to vulnerable households, each with at least 3 reports (kwetsbare_toewijzing + herhaalde_meldingen), and 8 more let to vulnerable households, so the block stands out in wonen and overlast; other addresses combine markers by chance.',
        markers: [...samenloopMarkers],
        planted_blocks: samenloopBlocks,
        planted_domains: ['wonen', 'overlast'],
        ...samenloopTruth.summary(blockIds),
      },
      signals: {
        description:
          'Soft signals: a gevoelskaart (GeoJSON points, polygons and lines with theme, valence and text) and coded notes of GP interviews per PC6. Per neighbourhood eenzaamheid is heard in the over-75 cluster (notes; the figures agree), overlast at the zorgmijder hotspots (stickers; the figures agree), buren who help each other in one ordinary block (stickers, positive) and an unsafe place drawn as polygons in the next (no figure points there). Elsewhere about one sticker per block (vuil, verkeer, groen) and now and then a street drawn as too fast. Some texts hold a name, a phone number, an e-mail address or an address.',
        themes: Object.keys(sampleThemes),
        planted: soft.planted,
        planted_texts: soft.textsWritten(),
      },
      survey: {
        description:
          'A resident survey: about one household in six answers two questions on five points (the first as numbers, the second as Likert words; 4% "weet niet"). Dissatisfied with the neighbourhood at the zorgmijder hotspots, little contact with the neighbours in the over-75 cluster, much contact where the neighbours help each other. Counted per block where each PC6 goes.',
        questions: surveyQuestionsOfSample.map((q) => q.id),
        low_tevredenheid_blocks: hotspotBlocks,
        low_contact_blocks: clusterBlocks,
        high_contact_blocks: Object.entries(soft.planted).filter(([, planted]) => planted.some((p) => p.theme === 'burenhulp')).map(([id]) => id),
        answers: survey.truth,
      },
      isolated_75plus_cluster: {
        description: 'A 2x2 group of blocks per neighbourhood of bovenwoningen without lift where 30% of homes hold an over-75 living alone, against 6% elsewhere.',
        blocks: clusterBlocks,
        chance_single75: { cluster_bovenwoning_without_lift: planted.single75Cluster, elsewhere: planted.single75Elsewhere },
        realised: realisedCluster,
      },
    },
    blocks: truth.blockTable(blockIds),
  };
  for (const file of Object.values(files).flat()) file.close();
  const truthFile = sink({ name: 'truth.json', encoding: 'utf-8', bom: false });
  truthFile.write(`${JSON.stringify(summary, null, 1)}\n`);
  truthFile.close();
  writeText(sink, 'buurtbalans.yml', projectYaml(projectName(options.scale), corporations));
  writeText(sink, 'README.md', sampleReadme(projectName(options.scale), options, summary, corporations));
  return summary;
}

function projectName(scale: ScaleName): string {
  return { buurt: 'Rijnbuurt West', dorp: 'Synthetisch dorp', stad: 'Synthetische stad', land: 'Synthetisch land' }[scale];
}

/** House number, letter and suffix in one field, in the many ways exports write them. */
function combinedHouseNumber(d: Dwelling, random: Random): string {
  if (d.letter) return random.chance(0.5) ? `${d.number}${d.letter}` : `${d.number} ${d.letter.toLowerCase()}`;
  if (d.suffix === '') return String(d.number);
  if (d.suffix === 'BIS') return `${d.number} bis`;
  if (d.suffix === 'H') return random.chance(0.5) ? `${d.number} hs` : `${d.number}-H`;
  return random.pick([`${d.number}-${romanFloors[Number(d.suffix)]}`, `${d.number}-${d.suffix} hg`, `${d.number}-${d.suffix}`]);
}

function blockFeature(block: Block): string {
  return JSON.stringify({
    type: 'Feature',
    properties: { blok_id: block.id, naam: block.label },
    geometry: { type: 'Polygon', coordinates: [block.ring] },
  });
}

function openFiles(sink: SampleSink, partners: Random | undefined) {
  const utf8 = (name: string, bom = false) => sink({ name, encoding: 'utf-8', bom });
  // A partner's export, and with `partners` its raw twin with the personal columns the partner holds.
  const partner = (spec: SampleFileSpec, delimiter: string) => (partners ? withRawTwin(sink, spec, delimiter, partners) : sink(spec));
  const files = {
    blocks: utf8('blokken.geojson'),
    register: utf8('adressen.csv'),
    corporations: [
      partner({ name: corporations[0].file, encoding: 'windows-1252', bom: false }, ';'),
      partner({ name: corporations[1].file, encoding: 'utf-8', bom: true }, ','),
      partner({ name: corporations[2].file, encoding: 'utf-8', bom: false }, '\t'),
      partner({ name: corporations[3].file, encoding: 'utf-8', bom: false }, ';'),
      partner({ name: corporations[4].file, encoding: 'utf-8', bom: false }, ','),
    ] as const,
    reports: partner({ name: 'meldingen.csv', encoding: 'utf-8', bom: false }, ';'),
    zorg: utf8('zorg.csv'),
    population: utf8('bevolking.csv', true),
    gp: utf8('huisartsen.csv'),
    wijkteam: utf8('wijkteam.csv'),
    gevoelskaart: utf8('gevoelskaart.geojson'),
    gesprekken: utf8('gesprekken-huisartsen.csv'),
    enquete: utf8('bewonersenquete.csv'),
  };
  files.blocks.write('{"type":"FeatureCollection","crs":{"type":"name","properties":{"name":"urn:ogc:def:crs:EPSG::28992"}},"features":[\n');
  files.register.write('straatnaam,huisnummer,huisletter,huisnummertoevoeging,postcode,woonplaats,x,y,nummeraanduiding_id,verblijfsobject_id\n');
  files.corporations[0].write('Postcode;Huisnr;Toev;Straat;Type woning;Verdieping;Lift;Label;Opp m²\r\n');
  files.corporations[1].write('postcode,huisnummer,woningtype,lift,omklap,doelgroep\n');
  files.corporations[2].write('nummeraanduiding_id\tverblijfsobject_id\twoningtype\tverdieping\tlift\tomklapwoning\tdoelgroep\n');
  files.corporations[3].write('PC;HNR;HLTR;HNR_TOEV;Omschrijving;Woonopp;Omklapwoning;Doelgroep;Opmerking\n');
  files.corporations[4].write('lat,lon,woningtype,verdieping,lift,omklap,doelgroep\n');
  files.reports.write('Melding nr;Datum;Categorie;X;Y;Postcode;Huisnummer;Toevoeging\n');
  files.zorg.write('PC6,clienten,zorgmijders\n');
  files.population.write(`${csvLine(['Postcode', ...aggregatedColumns.bevolking], ';', true)}\n`);
  files.gp.write('postcode,thema,signalen,ernst\n');
  files.wijkteam.write(`${csvLine(['Blok', ...aggregatedColumns.wijkteam], ';')}\n`);
  return files;
}

function writeText(sink: SampleSink, name: string, text: string): void {
  const file = sink({ name, encoding: 'utf-8', bom: false });
  file.write(text);
  file.close();
}

/** The door a row leads to, worked out from the generator's own knowledge of the block: an independent take on the register's matching. */
interface FrontDoorTruth {
  /**
   * The home a row with this postcode and number (of home `d`) and this letter and suffix names: the
   * one with the same letter and suffix, else the one with the same letter, else the one at the
   * number; none where the first level that finds any finds several (the stad's PC6s run round a
   * block, so a number can recur in one).
   */
  resolve(d: Dwelling, letter: string, suffix: string): Dwelling | undefined;
  /** No other home stands within 5 m of its point: there a point tells the door (the analysis's default). Neighbouring blocks lie a street away. */
  alone(d: Dwelling): boolean;
}

function frontDoors(dwellings: readonly Dwelling[]): FrontDoorTruth {
  const atNumber = new Map<string, Dwelling[]>();
  for (const d of dwellings) atNumber.set(`${d.pc6}|${d.number}`, [...(atNumber.get(`${d.pc6}|${d.number}`) ?? []), d]);
  const alone = new Set(dwellings.filter((d) => !dwellings.some((other) => other !== d && Math.hypot(other.x - d.x, other.y - d.y) <= 5)));
  return {
    resolve(d, letter, suffix) {
      const candidates = atNumber.get(`${d.pc6}|${d.number}`)!;
      for (const test of [(c: Dwelling) => c.letter.toUpperCase() === letter.toUpperCase() && c.suffix.toUpperCase() === suffix.toUpperCase(), (c: Dwelling) => c.letter.toUpperCase() === letter.toUpperCase(), () => true]) {
        const found = candidates.filter(test);
        if (found.length > 0) return found.length === 1 ? found[0] : undefined;
      }
      return undefined;
    },
    alone: (d) => alone.has(d),
  };
}

/** The markers of the samenloop truth, in the order of its combinations. */
const samenloopMarkers = ['omklapwoning', 'kwetsbare_toewijzing', 'herhaalde_meldingen'] as const;

/** Per block, addresses by number of markers, and the area's combinations of two or more. */
class SamenloopTruth {
  private readonly perBlock = new Map<number, [number, number, number]>();
  private readonly combinations = new Map<string, number>();

  constructor(private readonly names: readonly string[]) {}

  add(block: Block, markers: boolean[]): void {
    const n = markers.filter(Boolean).length;
    if (n === 0) return;
    const row = this.perBlock.get(block.index) ?? [0, 0, 0];
    row[Math.min(n, 3) - 1]!++;
    this.perBlock.set(block.index, row);
    if (n < 2) return;
    const key = this.names.filter((_, m) => markers[m]).join('+');
    this.combinations.set(key, (this.combinations.get(key) ?? 0) + 1);
  }

  summary(blockIds: readonly string[]) {
    return {
      blocks: Object.fromEntries([...this.perBlock].sort(([a], [b]) => a - b).map(([b, [one, two, three]]) => [blockIds[b]!, { markers_1: one, markers_2: two, markers_3plus: three }])),
      combinations: Object.fromEntries([...this.combinations].sort(([a], [b]) => (a < b ? -1 : 1))),
    };
  }
}

/** Per-block truth, accumulated while the world is generated. */
class TruthCounter {
  private readonly counts = new Map<string, number[]>();
  private readonly unknown = new Map<string, number[]>();
  private readonly sources = new Map<string, { rows: number; placeable: number; unplaceable: Record<string, number> }>();
  private source(name: string) {
    let entry = this.sources.get(name);
    if (!entry) this.sources.set(name, (entry = { rows: 0, placeable: 0, unplaceable: {} }));
    return entry;
  }

  /** A placeable row of a source in a block: counts one for a record source. */
  record(source: string, block: number): void {
    const entry = this.source(source);
    entry.rows++;
    entry.placeable++;
    if (!(source in aggregatedColumns)) this.add(this.counts, source, block, 1);
  }

  /** Rows of a source that count in no key of their own (soft signals): placeable, nothing more. */
  placeableRows(source: string, rows: number): void {
    const entry = this.source(source);
    entry.rows += rows;
    entry.placeable += rows;
  }

  unplaceable(source: string, reason: string): void {
    const entry = this.source(source);
    entry.rows++;
    entry.unplaceable[reason] = (entry.unplaceable[reason] ?? 0) + 1;
  }

  /** An aggregated cell: a number is summed, anything else is an unknown cell. */
  cell(key: string, block: number, value: string | number): void {
    if (typeof value === 'number') {
      this.add(this.counts, key, block, value);
      this.add(this.unknown, key, block, 0);
    } else {
      this.add(this.counts, key, block, 0);
      this.add(this.unknown, key, block, 1);
    }
  }

  private add(map: Map<string, number[]>, key: string, block: number, value: number): void {
    let values = map.get(key);
    if (!values) map.set(key, (values = []));
    values[block] = (values[block] ?? 0) + value;
  }

  sourceSummary(): SampleTruth['sources'] {
    return Object.fromEntries([...this.sources].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  blockTable(ids: string[]): SampleTruth['blocks'] {
    const countKeys = [...this.counts.keys()].sort();
    const unknownKeys = [...this.unknown.keys()].sort();
    return Object.fromEntries(
      ids.map((id, b) => [
        id,
        {
          counts: Object.fromEntries(countKeys.map((key) => [key, this.counts.get(key)![b] ?? 0])),
          unknown_cells: Object.fromEntries(unknownKeys.map((key) => [key, this.unknown.get(key)![b] ?? 0])),
        },
      ]),
    );
  }
}

