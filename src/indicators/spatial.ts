import type { SpatialConfig } from '../project/schema.js';
import { permutationsFor } from '../spatial/defaults.js';
import { conventions, hotspots, localAt, neighbourLists, parseWeightsSpec, type HotspotOptions, type WeightsCache } from '../spatial/hotspots.js';
import { Scratch } from '../spatial/scratch.js';
import type { Rings } from '../spatial/weights.js';
import type { PermutationRunner } from '../spatial/statistics.js';
import { round, type IndicatorResult } from './compute.js';
import type { Progress } from '../progress.js';
import type { NeighbourSource, NeighbourSpec } from '../spatial/neighbour-thread.js';

export interface IndicatorSpatial {
  id: string;
  global_moran: { I: number; expected: number; z: number; p_norm: number; p_sim: number | null } | null;
  hot: string[];
  cold: string[];
  notes: string[];
}

export interface SpatialSummary {
  weights: string;
  style: string;
  links: number;
  islands: string[];
  permutations: number;
  seed: number;
  alpha: number;
  correction: string;
  snap: number;
  conventions: string;
  indicators: IndicatorSpatial[];
}

/** The weights the project asks for, in the blocks' RD New metres: what the neighbour lists depend on. */
export function neighbourSpec(config: SpatialConfig): NeighbourSpec {
  return { weights: parseWeightsSpec(config.weights)!, metric: 'planar', snap: config.snap };
}

/**
 * Gi* and local Moran for every indicator over the blocks (RD New), with one set of neighbours.
 * Each indicator block gets `spatial`; a hot spot needs significance after correction and enough numbers.
 */
/** Also returns the neighbour lists, for the stages that join neighbouring blocks (concentrations). */
export function addSpatialStatistics(
  indicators: IndicatorResult[],
  ids: string[],
  shapes: Rings[],
  config: SpatialConfig,
  progress?: Progress,
  permutationRunner?: PermutationRunner,
  neighbourSource?: NeighbourSource,
): { summary: SpatialSummary; neighbours: number[][] } {
  const permutations = permutationsFor(config.permutations, ids.length);
  const options: HotspotOptions = {
    ...neighbourSpec(config),
    style: config.style,
    permutations,
    seed: config.seed,
    alpha: config.alpha,
    correction: config.correction,
    featureList: false,
    permutationRunner,
  };
  const lists = neighbourSource?.take(neighbourSpec(config)) ?? neighbourLists(shapes, options);
  const summaries: IndicatorSpatial[] = [];
  const weightsCache: WeightsCache = [];
  // Each indicator's arrays are read into its blocks before the next indicator lends them again.
  const scratch = new Scratch();
  for (const [done, indicator] of indicators.entries()) {
    progress?.('spatial statistics', done, indicators.length);
    const blocks = indicator.blocks;
    const values = blocks.ids.map((_, b) => blocks.figure(b, 'value'));
    const result = hotspots({ variable: indicator.id, ids, values, shapes }, options, lists, weightsCache, scratch);
    const { position, computed } = result.local;
    const hot: string[] = [];
    const cold: string[] = [];
    for (let b = 0; b < blocks.length; b++) {
      const at = computed && position[b]! >= 0 ? localAt(computed, position[b]!) : undefined;
      const enough = !blocks.smallNumbers(b);
      const hotspot = at?.gi_star.significant && enough ? at.gi_star.spot : null;
      if (hotspot) (hotspot === 'hot' ? hot : cold).push(ids[b]!);
      // Six decimals, as every other figure in analysis.json: a city's result stays a readable size.
      blocks.setSpatial(b, {
        local_moran_I: round(at?.I ?? null),
        local_moran_z: round(at?.z ?? null),
        local_moran_p_sim: round(at?.p_sim ?? null),
        cluster: at?.significant && enough ? at.cluster : null,
        gi_star_z: round(at?.gi_star.z ?? null),
        gi_star_p_sim: round(at?.gi_star.p_sim ?? null),
        hotspot,
      });
    }
    const moran = result.global.moran;
    summaries.push({
      id: indicator.id,
      // Few blocks left with a value (the others hidden) can leave z and p undefined: null, never NaN.
      global_moran: moran && Number.isFinite(moran.z) && Number.isFinite(moran.p_norm) ? { I: round(moran.I)!, expected: round(moran.expected)!, z: round(moran.z)!, p_norm: Number(moran.p_norm.toPrecision(6)), p_sim: round(moran.p_sim) } : null,
      hot,
      cold,
      notes: result.notes,
    });
  }
  const islands = lists.flatMap((list, i) => (list.length === 0 ? [ids[i]!] : []));
  const summary: SpatialSummary = {
    weights: config.weights,
    style: config.style,
    links: lists.reduce((sum, list) => sum + list.length, 0),
    islands,
    permutations,
    seed: config.seed,
    alpha: config.alpha,
    correction: config.correction,
    snap: config.snap,
    conventions,
    indicators: summaries,
  };
  return { summary, neighbours: lists };
}
