import { rdToLonLat } from '../geo/crs.js';
import type { Random } from '../stats/random.js';
import { csvLine } from './csv-line.js';
import type { Block } from './world.js';

/** The codebook of the sample's soft signals, as the project file writes it. */
export const sampleThemes = {
  eenzaamheid: { nl: 'Eenzaamheid', en: 'Loneliness', aliases: ['eenzaam', 'alleen'], domain: 'ouderen', valence: 'negative' },
  overlast: { nl: 'Overlast van buren', en: 'Nuisance from neighbours', aliases: ['burenoverlast', 'geluidsoverlast'], domain: 'overlast', valence: 'negative' },
  onveilig: { nl: 'Onveilige plek', en: 'Unsafe place', aliases: ['onveilig gevoel', 'donker'], domain: undefined, valence: 'negative' },
  schulden: { nl: 'Geldzorgen en schulden', en: 'Money worries and debt', aliases: ['geldzorgen'], domain: 'zorg', valence: 'negative' },
  vuil: { nl: 'Vuil op straat', en: 'Litter', aliases: ['afval', 'zwerfvuil'], domain: undefined, valence: 'negative' },
  verkeer: { nl: 'Verkeer', en: 'Traffic', aliases: ['te hard rijden'], domain: undefined, valence: 'negative' },
  burenhulp: { nl: 'Buren helpen elkaar', en: 'Neighbours help each other', aliases: ['contact met buren', 'burencontact'], domain: undefined, valence: 'positive' },
  groen: { nl: 'Groen en spelen', en: 'Green space and play', aliases: ['park', 'speeltuin'], domain: undefined, valence: 'positive' },
} as const;
export type SampleTheme = keyof typeof sampleThemes;

/** What a block was planted with, and by which kind of source: the themes the analysis must hear there. */
export interface PlantedSignals {
  theme: SampleTheme;
  kind: 'gevoelskaart' | 'huisarts';
  /** Mentions planted (stickers, or mentions in interview notes). */
  mentions: number;
  /** Whether the block's figures say the same (an over-75 cluster with eenzaamheid, a zorgmijder hotspot with overlast). */
  figures_agree: boolean;
}

/** Free text with personal data, as people write it on a sticker or in a note: check must find it, no output may hold it. */
export const plantedTexts = [
  'mevrouw De Wit zit altijd alleen thuis',
  'bel Jan Bakker even, 06-12345678',
  'mail naar p.jansen@example.nl voor de sleutel',
  'bij meneer El Amrani staat de tv hard',
  'Lekstraat 14 heeft elke avond ruzie',
] as const;

const stickerTexts: Record<SampleTheme, readonly string[]> = {
  eenzaamheid: ['veel ouderen komen de deur niet uit', 'niemand om mee te praten'],
  overlast: ["'s nachts harde muziek", 'ruzie in het trappenhuis', 'veel lawaai van boven'],
  onveilig: ["'s avonds donker en niemand op straat", 'hier voel ik me niet veilig'],
  schulden: ['veel post van deurwaarders', 'moeite met de huur betalen'],
  vuil: ['vuilniszakken naast de container', 'veel zwerfvuil'],
  verkeer: ['auto’s rijden hier veel te hard', 'gevaarlijk oversteken'],
  burenhulp: ['buren doen boodschappen voor elkaar', 'fijne koffieochtend in de straat'],
  groen: ['fijn speeltuintje', 'mooie bomen'],
};

/**
 * The sample's soft data: a gevoelskaart (GeoJSON points and polygons in WGS84 with theme, valence
 * and a short text) and coded interview notes of GPs and practice nurses per PC6. Planted per
 * neighbourhood: eenzaamheid heard in the over-75 cluster (the figures agree), overlast at
 * the zorgmijder hotspots, buren who help each other in one ordinary block and an
 * unsafe place drawn as polygons where no figure points (heard, not counted). Elsewhere a few
 * stickers of every kind. A stream of its own, so the other files stay as they were.
 */
export class SoftSignalWriter {
  readonly planted: Record<string, PlantedSignals[]> = {};
  readonly rows = { gevoelskaart: 0, gesprekken: 0 };
  private firstFeature = true;
  private textsLeft = [...plantedTexts];
  private readonly plantedPerTile = new Map<string, Set<string>>();

  constructor(
    private readonly random: Random,
    private readonly map: { write(text: string): void },
    private readonly notes: { write(text: string): void },
  ) {
    map.write('{"type":"FeatureCollection","features":[\n');
    notes.write('Datum;Postcode;Thema;Aantal;Notitie\n');
  }

  block(block: Block): void {
    const random = this.random;
    const tile = this.plantedPerTile.get(block.tile) ?? new Set<string>();
    this.plantedPerTile.set(block.tile, tile);
    const plant = (theme: SampleTheme, kind: PlantedSignals['kind'], mentions: number, figuresAgree: boolean) => {
      (this.planted[block.id] ??= []).push({ theme, kind, mentions, figures_agree: figuresAgree });
      tile.add(theme);
    };
    if (block.inCluster) {
      const mentions = random.integer(8, 12);
      this.note(block, 'eenzaam', mentions);
      plant('eenzaamheid', 'huisarts', mentions, true);
    } else if (block.zorgmijderHotspot) {
      const stickers = random.integer(9, 13);
      for (let i = 0; i < stickers; i++) this.sticker(block, random.pick(['overlast', 'burenoverlast', 'Geluidsoverlast']), 'onprettig', 'overlast');
      plant('overlast', 'gevoelskaart', stickers, true);
    } else if (!tile.has('burenhulp') && block.dwellings.length >= 20) {
      const stickers = random.integer(8, 11);
      for (let i = 0; i < stickers; i++) this.sticker(block, random.pick(['burenhulp', 'Contact met buren']), 'prettig', 'burenhulp');
      plant('burenhulp', 'gevoelskaart', stickers, false);
    } else if (!tile.has('onveilig') && tile.has('burenhulp') && block.dwellings.length >= 20) {
      const polygons = random.integer(7, 9);
      for (let i = 0; i < polygons; i++) this.area(block, 'onveilig', 'onprettig');
      plant('onveilig', 'gevoelskaart', polygons, false);
    }
    // Background: a few stickers anywhere, of any theme, and now and then a street drawn as too fast.
    const background = random.poisson(1.2);
    for (let i = 0; i < background; i++) {
      const theme = random.pick(['vuil', 'verkeer', 'groen', 'groen', 'vuil'] as const);
      this.sticker(block, theme === 'groen' ? random.pick(['park', 'speeltuin']) : theme, theme === 'groen' ? 'prettig' : 'onprettig', theme);
    }
    if (random.chance(0.1)) this.street(block);
  }

  close(): void {
    this.map.write('\n]}\n');
  }

  private sticker(block: Block, themeText: string, valence: string, theme: SampleTheme): void {
    const d = this.random.pick(block.dwellings);
    const [cx, cy] = centre(block);
    // Between a home and the block's middle: inside the block, never at the door.
    const t = this.random.between(0.2, 0.6);
    this.feature({ type: 'Point', coordinates: lonLat(d.x + (cx - d.x) * t, d.y + (cy - d.y) * t) }, themeText, valence, theme);
  }

  private area(block: Block, theme: SampleTheme, valence: string): void {
    const [cx, cy] = centre(block);
    const [w, h] = size(block);
    const [dx, dy] = [this.random.between(0.15, 0.3) * w, this.random.between(0.15, 0.3) * h];
    const ring = [
      [cx - dx, cy - dy],
      [cx + dx, cy - dy],
      [cx + dx, cy + dy],
      [cx - dx, cy + dy],
      [cx - dx, cy - dy],
    ].map(([x, y]) => lonLat(x!, y!));
    this.feature({ type: 'Polygon', coordinates: [ring] }, theme, valence, theme);
  }

  private street(block: Block): void {
    // Along one side of the block, a little inside it.
    const [cx, cy] = centre(block);
    const line = [block.ring[0]!, block.ring[1]!].map(([x, y]) => lonLat(x + (cx - x) * 0.2, y + (cy - y) * 0.2));
    this.feature({ type: 'LineString', coordinates: line }, 'te hard rijden', 'onprettig', 'verkeer');
  }

  private feature(geometry: object, themeText: string, valence: string, theme: SampleTheme): void {
    // Now and then a sticker's text holds what people write: a name, a phone number, an address.
    const text = this.textsLeft.length > 0 && this.random.chance(0.15) ? this.textsLeft.shift()! : this.random.pick(stickerTexts[theme]);
    const properties = { thema: themeText, waardering: valence, toelichting: text, datum: `2025-${String(this.random.integer(3, 10)).padStart(2, '0')}-${String(this.random.integer(1, 28)).padStart(2, '0')}` };
    this.map.write(`${this.firstFeature ? '' : ',\n'}${JSON.stringify({ type: 'Feature', properties, geometry })}`);
    this.rows.gevoelskaart++;
    this.firstFeature = false;
  }

  private note(block: Block, themeText: string, mentions: number): void {
    // The block's most common PC6: a PC6 goes to the block holding most of its addresses.
    const perPc6 = new Map<string, number>();
    for (const d of block.dwellings) perPc6.set(d.pc6, (perPc6.get(d.pc6) ?? 0) + 1);
    const pc6 = [...perPc6].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
    const text = this.textsLeft.length > 0 && this.random.chance(0.5) ? this.textsLeft.shift()! : 'meerdere patiënten noemen dit';
    this.rows.gesprekken++;
    this.notes.write(`${csvLine([`2025-${String(this.random.integer(1, 12)).padStart(2, '0')}-15`, pc6, themeText, mentions, text], ';')}\n`);
  }

  /** Whether every planted text was written (a sample too small for them all leaves some out). */
  textsWritten(): string[] {
    return plantedTexts.filter((text) => !this.textsLeft.includes(text));
  }
}

function centre(block: Block): [number, number] {
  const xs = block.ring.map(([x]) => x);
  const ys = block.ring.map(([, y]) => y);
  return [(Math.min(...xs) + Math.max(...xs)) / 2, (Math.min(...ys) + Math.max(...ys)) / 2];
}

function size(block: Block): [number, number] {
  const xs = block.ring.map(([x]) => x);
  const ys = block.ring.map(([, y]) => y);
  return [Math.max(...xs) - Math.min(...xs), Math.max(...ys) - Math.min(...ys)];
}

function lonLat(x: number, y: number): [number, number] {
  const [lon, lat] = rdToLonLat(x, y);
  return [Math.round(lon * 1e7) / 1e7, Math.round(lat * 1e7) / 1e7];
}
