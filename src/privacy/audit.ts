import type { Highs } from 'highs';
import { isProtected, type CellModel } from './cells.js';
import { certifyAll, oneThread, type CertificateSharing } from './certificate-thread.js';

/** What an attacker with every published file can say about one hidden cell. */
export interface CellInterval {
  key: string;
  /** The block, or null for the key's area total. */
  block: string | null;
  lower: number;
  /** null: no upper bound. */
  upper: number | null;
  /** The cell must be able to be anywhere from its floor to this (or be provably at least this). */
  protection: number;
  /** The least a hidden cell can be as an attacker knows it: 1 for whole counts where zeros are shown, else 0. */
  floor: number;
  protected: boolean;
  /** `program`: the exact bounds by linear (integer) programming; `certificate`: two tables found with the cell at 0 (or its shown floor) and at its protection, the bounds themselves not sought; `none`: too large to solve and no certificate found. */
  method: 'program' | 'certificate' | 'none';
}

export interface AuditResult {
  cells: CellInterval[];
  unprotected: CellInterval[];
  /** Independent groups of hidden cells (linked by a relation) and the largest, in cells. */
  components: number;
  largest_component: number;
  /** Linear (and, where a bound was fractional, integer) programs solved. */
  solves: number;
}

/** The range an attacker knows a published cell's true value in: one value, or a range when counts are rounded. */
export type ShownRange = (cell: number, value: number) => readonly [number, number];
export const exactly: ShownRange = (_, value) => [value, value];

/** Components with more hidden cells than this are not solved cell by cell in a check: their cells need certificates. */
const SOLVER_LIMIT = 3000;
/** From an output folder, components up to this size get exact intervals; larger ones certificates. */
const EXACT_LIMIT = 300;

/** Above this a hidden cell counts as unbounded (no count in a block comes near it). */
const UNBOUNDED = 1e9;

/**
 * The τ-ARGUS audit: for every hidden cell the smallest and largest value it can take given every
 * published cell and relation, non-negativity and integrality, by linear programming (HiGHS).
 * Hidden cells fall apart into components that share no relation; each is solved on its own, so a
 * city's table is many small programs instead of one large one. Bounds are exact for integer
 * counts: where the linear optimum is fractional, the component is solved again as an integer program.
 */
export function auditCells(model: CellModel, highs: Highs, mode: 'check' | 'intervals' = 'check', shown: ShownRange = exactly, settled?: Uint8Array, sharing: CertificateSharing = oneThread()): AuditResult {
  const { values, hidden, relations } = model;
  const width = model.blockIds.length + 1;
  const hiddenCells: number[] = [];
  for (let cell = 0; cell < hidden.length; cell++) if (hidden[cell]) hiddenCells.push(cell);
  // Union-find over the hidden cells: two cells in one relation are in one component.
  const parent = new Int32Array(hidden.length).fill(-1);
  for (const cell of hiddenCells) parent[cell] = cell;
  const root = (cell: number): number => {
    let r = cell;
    while (parent[r] !== r) r = parent[r]!;
    for (let c = cell; parent[c] !== r; ) {
      const next = parent[c]!;
      parent[c] = r;
      c = next;
    }
    return r;
  };
  const componentRelations = new Map<number, (typeof relations)[number][]>();
  const firstHidden = (relation: (typeof relations)[number]) => {
    if (hidden[relation.total]) return relation.total;
    for (const cell of relation.parts) if (hidden[cell]) return cell;
    return -1;
  };
  for (const relation of relations) {
    const first = firstHidden(relation);
    if (first < 0) continue;
    for (const cell of relation.parts) if (hidden[cell] && cell !== first) parent[root(cell)] = root(first);
  }
  for (const relation of relations) {
    const first = firstHidden(relation);
    if (first < 0) continue;
    const r = root(first);
    if (!componentRelations.has(r)) componentRelations.set(r, []);
    componentRelations.get(r)!.push(relation);
  }
  const members = new Map<number, number[]>();
  for (const cell of hiddenCells) {
    const r = root(cell);
    if (!members.has(r)) members.set(r, []);
    members.get(r)!.push(cell);
  }
  const intervals = new Map<number, { lower: number; upper: number; method?: CellInterval['method'] }>();
  // Hiding more never helps an attacker: a cell protected in an earlier round of the same table stays protected.
  if (settled) for (const cell of hiddenCells) if (settled[cell]) intervals.set(cell, { lower: model.floors[Math.floor(cell / width)]!, upper: model.protection[Math.floor(cell / width)]!, method: 'certificate' });
  let solves = 0;
  // Certificates (witness.ts) start from a table that agrees with everything published: the true one
  // in a check, else, for components too large to solve cell by cell, one the solver finds.
  let start: CellModel | undefined = mode === 'check' ? model : undefined;
  const large = [...members].filter(([, cells]) => cells.length > (mode === 'check' ? SOLVER_LIMIT : EXACT_LIMIT));
  if (!start && large.length > 0 && shown === exactly) {
    const table = Float64Array.from(values);
    for (const [r, cells] of large) {
      const found = feasibleTable(cells, componentRelations.get(r) ?? [], values, hidden, highs, cells.map((cell) => model.floors[Math.floor(cell / width)]!));
      solves++;
      cells.forEach((cell, j) => (table[cell] = found[j]!));
    }
    start = { ...model, values: table };
  }
  if (start) {
    const cells = (mode === 'check' ? hiddenCells : large.flatMap(([, members]) => members)).filter((cell) => !intervals.has(cell));
    certifyAll(model, start, cells, sharing).forEach((found, i) => {
      if (found) intervals.set(cells[i]!, { ...found, method: 'certificate' });
    });
  }
  let largest = 0;
  for (const [r, cells] of members) {
    largest = Math.max(largest, cells.length);
    const open = new Set(cells.filter((cell) => !intervals.has(cell)));
    if (open.size === 0) continue;
    if (cells.length > (mode === 'check' ? SOLVER_LIMIT : EXACT_LIMIT) && (mode === 'check' || shown === exactly)) {
      // Too large for a program per cell: without a certificate the cell counts as unprotected (in
      // analyse, more is hidden); its interval is unknown, shown as the value it was found at.
      for (const cell of open) intervals.set(cell, { lower: (start ?? model).values[cell]!, upper: (start ?? model).values[cell]!, method: 'none' });
      continue;
    }
    const protection = cells.map((cell) => model.protection[Math.floor(cell / width)]!);
    const floors = cells.map((cell) => model.floors[Math.floor(cell / width)]!);
    const bounds = solveComponent(cells, componentRelations.get(r) ?? [], values, hidden, highs, mode === 'check' ? protection : undefined, shown, open, floors);
    solves += bounds.solves;
    for (const [cell, interval] of bounds.intervals) intervals.set(cell, interval);
  }
  const result: CellInterval[] = [];
  for (const [cell, { lower, upper, method }] of [...intervals].sort(([a], [b]) => a - b)) {
    const k = Math.floor(cell / width);
    const b = cell % width;
    const protection = model.protection[k]!;
    result.push({
      key: model.keys[k]!,
      block: b === width - 1 ? null : model.blockIds[b]!,
      lower: round(lower),
      upper: upper >= UNBOUNDED ? null : round(upper),
      protection,
      floor: model.floors[k]!,
      protected: method !== 'none' && isProtected(lower, upper, protection, model.floors[k]!),
      method: method ?? 'program',
    });
  }
  return { cells: result, unprotected: result.filter((cell) => !cell.protected), components: members.size, largest_component: largest, solves };
}

/**
 * Bounds of every hidden cell of one component. With `check` (the protection per cell), a bound is
 * solved only where no solution found so far already shows the cell can be 0 and its protection:
 * every solution is a feasible table, so it certifies all its cells at once. Then `lower` and
 * `upper` are those witnesses, not the extremes, unless solved.
 */
/** One table (the hidden cells' values) that agrees with every published cell and relation: a linear program without objective. */
function feasibleTable(cells: number[], relations: CellModel['relations'], values: Float64Array, hidden: Uint8Array, highs: Highs, floors: readonly number[]): Float64Array {
  const { data } = componentProgram(cells, relations, values, hidden, highs, exactly, floors);
  // The linear program's vertex is integral for these tables almost always; else the integer program.
  for (const integrality of [undefined, new Int32Array(cells.length).fill(highs.constants.variableType.integer)]) {
    const model = highs.createModel(integrality ? { ...data, integrality } : data);
    try {
      model.options.set({ output_flag: false });
      model.run();
      if (model.getModelStatus() !== highs.constants.modelStatus.optimal) throw new Error(`no table agrees with what is published (status ${model.getModelStatus()}): the files are inconsistent`);
      const solution = model.getSolution().colValue;
      if (solution.every((x) => Math.abs(x - Math.round(x)) < 1e-9)) return Float64Array.from(solution, Math.round);
    } finally {
      model.dispose();
    }
  }
  throw new Error('the integer program found no integral table');
}

/** The linear program of one component: its hidden cells as columns, its relations as rows. */
function componentProgram(cells: number[], relations: CellModel['relations'], values: Float64Array, hidden: Uint8Array, highs: Highs, shown: ShownRange, floors: readonly number[]) {
  const column = new Map(cells.map((cell, j) => [cell, j]));
  const starts = [0];
  const indices: number[] = [];
  const coefficients: number[] = [];
  const rowLower: number[] = [];
  const rowUpper: number[] = [];
  for (const relation of relations) {
    // total − Σ parts = 0 (sum) or ≥ 0 (within); published cells move to the right-hand side, as
    // the range the attacker knows them in (one value, unless they are rounded).
    let least = 0;
    let most = 0;
    const terms = new Map<number, number>();
    const add = (cell: number, sign: number) => {
      if (hidden[cell]) {
        terms.set(column.get(cell)!, (terms.get(column.get(cell)!) ?? 0) + sign);
        return;
      }
      const [low, high] = shown(cell, values[cell]!);
      least += sign > 0 ? low : -high;
      most += sign > 0 ? high : -low;
    };
    add(relation.total, 1);
    for (const cell of relation.parts) add(cell, -1);
    for (const [j, coefficient] of [...terms].sort(([a], [b]) => a - b)) {
      if (coefficient === 0) continue;
      indices.push(j);
      coefficients.push(coefficient);
    }
    starts.push(indices.length);
    rowLower.push(-most);
    rowUpper.push(relation.kind === 'sum' ? -least : highs.infinity);
  }
  const integral = cells.every((cell) => Number.isInteger(values[cell]));
  const data = {
    numCols: cells.length,
    numRows: rowLower.length,
    colCost: new Float64Array(cells.length),
    colLower: Float64Array.from(floors),
    colUpper: new Float64Array(cells.length).fill(UNBOUNDED),
    rowLower,
    rowUpper,
    matrix: { format: 'csr' as const, numRows: rowLower.length, numCols: cells.length, starts, indices, values: coefficients },
  };
  return { data, integral };
}

function solveComponent(cells: number[], relations: CellModel['relations'], values: Float64Array, hidden: Uint8Array, highs: Highs, check: number[] | undefined, shown: ShownRange, wanted: Set<number>, floors: readonly number[]) {
  const { data, integral } = componentProgram(cells, relations, values, hidden, highs, shown, floors);
  const intervals = new Map<number, { lower: number; upper: number; method?: CellInterval['method'] }>();
  let solves = 0;
  const lowestSeen = new Float64Array(cells.length).fill(Infinity);
  const highestSeen = new Float64Array(cells.length).fill(-Infinity);
  const lp = highs.createModel(data);
  let mip: ReturnType<Highs['createModel']> | undefined;
  try {
    lp.options.set({ output_flag: false });
    const optimum = (model: ReturnType<Highs['createModel']>, j: number, sense: 'max' | 'min'): { value: number; integral: boolean } => {
      model.changeObjectiveSense(sense === 'max' ? highs.constants.objectiveSense.maximize : highs.constants.objectiveSense.minimize);
      model.changeColCost(j, 1);
      model.run();
      solves++;
      const status = model.getModelStatus();
      if (status !== highs.constants.modelStatus.optimal) throw new Error(`the audit's program for ${cells.length} hidden cells ended with status ${status}`);
      const solution = model.getSolution().colValue;
      const value = model.getObjectiveValue();
      // Changing the model clears its solution: read first, then reset the objective.
      model.changeColCost(j, 0);
      const integralSolution = solution.every((x) => Math.abs(x - Math.round(x)) < 1e-6);
      if (integralSolution || !integral) {
        solution.forEach((x, i) => {
          lowestSeen[i] = Math.min(lowestSeen[i]!, x);
          highestSeen[i] = Math.max(highestSeen[i]!, x);
        });
      }
      return { value, integral: integralSolution };
    };
    const bound = (j: number, sense: 'max' | 'min') => {
      const relaxed = optimum(lp, j, sense);
      if (!integral || relaxed.integral) return relaxed.value;
      if (!mip) {
        mip = highs.createModel({ ...data, integrality: new Int32Array(cells.length).fill(highs.constants.variableType.integer) });
        mip.options.set({ output_flag: false });
      }
      return optimum(mip, j, sense).value;
    };
    cells.forEach((cell, j) => {
      if (!wanted.has(cell)) return;
      if (!check) {
        intervals.set(cell, { lower: bound(j, 'min'), upper: bound(j, 'max') });
        return;
      }
      const protection = check[j]!;
      const lower = lowestSeen[j]! <= floors[j]! + 1e-9 ? lowestSeen[j]! : bound(j, 'min');
      // Protected when it reaches the protection and spans from its floor's distance below it.
      const reach = Math.max(protection, lower + protection - floors[j]!);
      const upper = lower >= protection - 1e-9 || highestSeen[j]! >= reach - 1e-9 ? highestSeen[j]! : bound(j, 'max');
      intervals.set(cell, { lower, upper: Math.max(upper, lower) });
    });
  } finally {
    lp.dispose();
    (mip as ReturnType<Highs['createModel']> | undefined)?.dispose();
  }
  return { intervals, solves };
}

function round(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}
