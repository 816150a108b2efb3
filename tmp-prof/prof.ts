import { loadProject } from '../src/ingest/load.js';
import { analyse } from '../src/analysis/analyse.js';
import { countTable, cellModel } from '../src/privacy/disclosure.js';
import { protectionRange, suppressByRelation, strengthen } from '../src/privacy/cells.js';
import { auditCells } from '../src/privacy/audit.js';
import { loadSolver } from '../src/privacy/solver.js';
const t0 = performance.now();
const lap = (s: string) => console.log(s, Math.round(performance.now() - t0));
const input = loadProject(process.argv[2]!, { name: 'b', version: 't' });
const internal = analyse(input).result;
lap('internal');
const highs = await loadSolver();
const table = countTable(internal.blocks, internal.sums);
const model = cellModel(table, input.project.privacy);
const width = model.blockIds.length + 1;
model.keys.forEach((key, k) => { const r = protectionRange(key, input.project.privacy); for (let b = 0; b < width; b++) { const v = model.values[k * width + b]!; if (v >= r.min && v <= r.max) model.hidden[k * width + b] = 1; } });
lap(`primary ${model.hidden.reduce((a, b) => a + b, 0)} cells of ${model.hidden.length}, relations ${model.relations.length}`);
for (let round = 0; round < Number(process.env.ROUNDS ?? 6); round++) {
  const added = suppressByRelation(model);
  lap(`relation pass: ${added.length} added`);
  const audit = auditCells(model, highs);
  lap(`audit: ${audit.cells.length} cells, ${audit.unprotected.length} unprotected, components ${audit.components}, largest ${audit.largest_component}, solves ${audit.solves}`);
  const byKey = new Map<string, number>();
  for (const c of audit.unprotected) byKey.set(c.key, (byKey.get(c.key) ?? 0) + 1);
  console.log([...byKey].slice(0, 12));
  const { Witnesses } = await import('../src/privacy/witness.js');
  const w = new Witnesses(model);
  for (const key of [...byKey.keys()].slice(0, 2)) {
    const bad = audit.unprotected.filter((c) => c.key === key).slice(0, 3);
    for (const c of bad) {
      const k = model.keys.indexOf(c.key); const b = c.block === null ? width - 1 : model.blockIds.indexOf(c.block);
      const cell = k * width + b; const v = model.values[cell]!; const T = model.protection[k]!;
      const src = model.keys.indexOf(key.replace(/\[.*$/, '')) * width + b;
      console.log(key, c.block, 'v', v, 'T', T, 'down', w.canMove(cell, -v), 'up', w.canMove(cell, T - v), 'floor', w.shownFloor(cell));
      const g = model.groups.find((g) => g.parts.includes(k));
      if (g) console.log('  group in block:', [g.total, ...g.parts].map((kk) => `${model.keys[kk]}=${model.values[kk * width + b]}${model.hidden[kk * width + b] ? 'H' : ''}`).join(' '));
      if (g) console.log('  hidden in key:', model.hidden.slice(k * width, k * width + width).reduce((a, x) => a + x, 0), 'total', model.values[k * width + width - 1], model.hidden[k * width + width - 1]);
    }
  }
  if (audit.unprotected.length === 0) break;
  for (const cell of audit.unprotected) strengthen(model, model.keys.indexOf(cell.key), cell.block === null ? width - 1 : model.blockIds.indexOf(cell.block));
  lap('strengthened');
}
