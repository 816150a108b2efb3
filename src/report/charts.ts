import { exposureLabel, type ComparisonResult } from '../indicators/compare.js';
import { stapelingText, type Accumulation, type BlockAccumulation, type DomainState } from '../indicators/accumulation.js';
import type { IndicatorResult } from '../indicators/compute.js';
import { blockName } from '../indicators/sentences.js';

/** A Vega-Lite specification (kept loose: it is data for vega, checked by vega itself). */
export type VegaLiteSpec = Record<string, unknown>;

const locale = {
  nl: { decimal: ',', thousands: '.', grouping: [3], currency: ['€ ', ''] },
  en: { decimal: '.', thousands: ',', grouping: [3], currency: ['€', ''] },
};

const base = (lang: 'nl' | 'en') => ({
  $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
  config: { font: 'DejaVu Sans', view: { stroke: null }, axis: { labelFontSize: 10, titleFontSize: 10 }, legend: { labelLimit: 320, orient: 'bottom', direction: 'vertical' }, locale: { number: locale[lang] } },
});

/**
 * Blocks ranked by their value, with 95% intervals and the reference as a line; `only` the given
 * blocks, where all would not fit a page. A block is named by its label where it has one (a buurt's
 * code says a reader nothing), with its id where two drawn blocks share a label.
 */
export function rankedBlocksChart(indicator: IndicatorResult, lang: 'nl' | 'en', only?: ReadonlySet<string>, labels: ReadonlyMap<string, string | undefined> = new Map()): VegaLiteSpec {
  // A descriptive figure gives no signals: its blocks are not "not notable", they have a value.
  const plain = indicator.descriptive ? (lang === 'nl' ? 'waarde van het blok' : "the block's value") : lang === 'nl' ? 'niet opvallend' : 'not notable';
  const notes = lang === 'nl' ? ['signaal', plain, 'te weinig gegevens'] : ['signal', plain, 'too few data'];
  const drawn = indicator.blocks.filter((b) => b.value !== null && (only === undefined || only.has(b.id)));
  const named = drawn.map((b) => labels.get(b.id) || b.id);
  const shared = new Set(named.filter((name, i) => named.indexOf(name) !== i));
  const rows = drawn
    .map((b, i) => ({
      block: shared.has(named[i]!) ? blockName(b.id, labels.get(b.id)) : named[i]!,
      value: b.value,
      lower: b.lower,
      upper: b.upper,
      note: b.small_numbers ? notes[2] : b.signal ? notes[0] : notes[1],
    }))
    .sort((a, b) => (b.value ?? 0) - (a.value ?? 0) || (a.block < b.block ? -1 : 1));
  const unit = indicator.unit[lang];
  const reference = indicator.reference.value;
  // The legend lists only the kinds of block the chart draws.
  const kinds = notes.map((note, k) => ({ note, colour: ['#b2182b', '#2166ac', '#9a9a9a'][k]! })).filter(({ note }) => rows.some((row) => row.note === note));
  const colour = { field: 'note', type: 'nominal', title: null, scale: { domain: kinds.map((kind) => kind.note), range: kinds.map((kind) => kind.colour) } };
  return {
    ...base(lang),
    width: 420,
    height: Math.max(120, rows.length * 16),
    data: { values: rows },
    layer: [
      { mark: { type: 'rule', strokeWidth: 1.5 }, encoding: { y: { field: 'block', type: 'nominal', sort: null, title: null, axis: { labelLimit: 220 } }, x: { field: 'lower', type: 'quantitative', title: unit }, x2: { field: 'upper' }, color: colour } },
      {
        mark: { type: 'point', filled: true, size: 50 },
        encoding: {
          y: { field: 'block', type: 'nominal', sort: null },
          x: { field: 'value', type: 'quantitative' },
          color: colour,
          tooltip: [
            { field: 'block', title: lang === 'nl' ? 'blok' : 'block' },
            { field: 'value', title: unit, format: '.2f' },
            { field: 'lower', title: lang === 'nl' ? 'ondergrens' : 'lower', format: '.2f' },
            { field: 'upper', title: lang === 'nl' ? 'bovengrens' : 'upper', format: '.2f' },
          ],
        },
      },
      ...(reference !== null ? [{ mark: { type: 'rule', strokeDash: [4, 3], color: '#333333' }, data: { values: [{ reference }] }, encoding: { x: { field: 'reference', type: 'quantitative' } } }] : []),
    ],
  };
}

/** Forest plot: per exposure the ratio between blocks with many and the others, as counted and adjusted, with 95% intervals, on a log scale. */
export function forestChart(comparison: ComparisonResult, lang: 'nl' | 'en'): VegaLiteSpec {
  // Like with like: both rows are the ratio between blocks with many and the other blocks, once as
  // counted and once adjusted for the other exposures (the regression's ratio over the same gap).
  const label = (name: string) => exposureLabel(name)[lang];
  const kinds = { raw: lang === 'nl' ? 'zoals geteld' : 'as counted', adjusted: lang === 'nl' ? 'gecorrigeerd voor de andere factoren' : 'adjusted for the other factors' };
  const rows = comparison.exposures.flatMap((exposure) => [
    ...(exposure.rate_ratio.value !== null && exposure.rate_ratio.lower !== null && exposure.rate_ratio.upper !== null
      ? [{ exposure: label(exposure.exposure), kind: kinds.raw, value: exposure.rate_ratio.value, lower: exposure.rate_ratio.lower, upper: exposure.rate_ratio.upper }]
      : []),
    ...(exposure.adjusted_ratio && comparison.exposures.length > 1
      ? [{ exposure: label(exposure.exposure), kind: kinds.adjusted, value: exposure.adjusted_ratio.value, lower: exposure.adjusted_ratio.lower, upper: exposure.adjusted_ratio.upper }]
      : []),
  ]);
  const title = lang === 'nl' ? 'blokken met veel ÷ overige blokken (keer zo vaak, logaritmische schaal)' : 'blocks with many ÷ other blocks (times as frequent, log scale)';
  // Rows and colours for the intervals and points; the line at 1 spans the whole plot.
  // Only the kinds drawn are in the legend: without a regression there is no adjusted row.
  const order = [kinds.raw, kinds.adjusted].filter((kind) => rows.some((row) => row.kind === kind));
  const rowEncoding = {
    y: { field: 'exposure', type: 'nominal', title: null, sort: null },
    yOffset: { field: 'kind', sort: order },
    color: { field: 'kind', type: 'nominal', title: null, sort: order, scale: { domain: order, range: ['#2166ac', '#b2182b'] } },
  };
  return {
    ...base(lang),
    width: 380,
    height: { step: 22 },
    data: { values: rows },
    layer: [
      { mark: 'rule', encoding: { ...rowEncoding, x: { field: 'lower', type: 'quantitative', scale: { type: 'log' }, title }, x2: { field: 'upper' } } },
      {
        mark: { type: 'point', filled: true, size: 60 },
        encoding: {
          ...rowEncoding,
          x: { field: 'value', type: 'quantitative' },
          tooltip: [{ field: 'exposure' }, { field: 'kind' }, { field: 'value', format: '.2f' }, { field: 'lower', format: '.2f' }, { field: 'upper', format: '.2f' }],
        },
      },
      { mark: { type: 'rule', strokeDash: [4, 3], color: '#333333' }, data: { values: [{ one: 1 }] }, encoding: { x: { field: 'one', type: 'quantitative' } } },
    ],
  };
}

/** Renders a Vega-Lite specification to SVG in Node (no browser), for the PDF and Markdown reports. */
export async function chartSvg(spec: VegaLiteSpec): Promise<string> {
  const vega = await import('vega');
  const { compile } = await import('vega-lite');
  const view = new vega.View(vega.parse(compile(spec as never).spec), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

/** Tiles: a row per block (most accumulation first), a column per domain, coloured by the domain's state. */
export function accumulationChart(acc: Accumulation, blocks: readonly BlockAccumulation[], lang: 'nl' | 'en', words: Record<DomainState, string>): VegaLiteSpec {
  const states: DomainState[] = ['signal', 'elevated', 'unknown', 'none'];
  const rows = blocks.flatMap((block) =>
    acc.domains.map((domain) => ({
      block: `${blockName(block.id, block.label)} · ${stapelingText(block, lang)}`,
      domain: domain.label[lang],
      state: words[block.domains[domain.id]!],
    })),
  );
  return {
    ...base(lang),
    width: { step: 60 },
    height: { step: 19 },
    data: { values: rows },
    mark: { type: 'rect', stroke: '#ffffff', strokeWidth: 1.5 },
    encoding: {
      x: { field: 'domain', type: 'nominal', sort: acc.domains.map((d) => d.label[lang]), title: null, axis: { orient: 'top', labelAngle: -35, labelAlign: 'left', labelLimit: 0, labelFontSize: 11 } },
      y: { field: 'block', type: 'nominal', sort: null, title: null, axis: { labelLimit: 0, labelFontSize: 11 } },
      // Signal and elevated in the reds of the maps; unknown hatched-grey's light grey; none nearly white.
      color: { field: 'state', type: 'nominal', title: null, scale: { domain: states.map((s) => words[s]), range: ['#b2182b', '#f4a582', '#bdbdbd', '#f7f7f7'] }, legend: { orient: 'bottom', direction: 'horizontal', labelFontSize: 11, symbolSize: 160 } },
      tooltip: [{ field: 'block' }, { field: 'domain' }, { field: 'state' }],
    },
  };
}
