import { findColumn, type DecimalSeparator } from '../ingest/csv.js';
import { parseDecimal } from '../ingest/values.js';

/**
 * A row filter from the project file, in a small grammar that is parsed, never evaluated as code:
 *
 *   Label == "Omklapwoning"
 *   Verdieping >= 1 and Lift == "Nee"
 *   Categorie in ("burenoverlast", "schade") or not `Opp m²` > 100
 *   omklap                        (a yes/no column on its own: ja, j, yes, true, 1, x)
 *
 * Equality ignores case and surrounding spaces and compares numbers as numbers
 * (in the file's decimal convention); <, <=, >, >= compare numbers only.
 */
export type RowFilter = (row: readonly string[]) => boolean;
/** A filter and the columns it reads (to say what they hold when it matches nothing). */
export type CompiledFilter = RowFilter & { columns: number[] };

export class FilterSyntaxError extends Error {
  constructor(message: string, readonly position: number) {
    super(message);
  }
}

/** A column the filter names that the file does not have. */
export class UnknownColumnError extends Error {
  constructor(readonly column: string) {
    super(`unknown column "${column}"`);
  }
}

type Token =
  | { kind: 'column'; text: string; at: number }
  | { kind: 'string'; text: string; at: number }
  | { kind: 'number'; text: string; at: number }
  | { kind: 'op'; text: string; at: number }
  | { kind: 'end'; text: ''; at: number };

type Node =
  | { type: 'or' | 'and'; left: Node; right: Node }
  | { type: 'not'; operand: Node }
  | { type: 'compare'; op: string; left: Node; right: Node }
  | { type: 'in'; left: Node; list: Node[] }
  | { type: 'column'; index: number }
  | { type: 'literal'; text: string };

const keywords = new Set(['and', 'or', 'not', 'in']);
const yes = new Set(['ja', 'j', 'yes', 'y', 'true', 'waar', '1', 'x']);

/** Compiles a filter against a file's header; throws FilterSyntaxError or UnknownColumnError. */
export function compileFilter(text: string, header: readonly string[], decimal: DecimalSeparator): CompiledFilter {
  const tokens = tokenize(text);
  let position = 0;
  const peek = () => tokens[position]!;
  const next = () => tokens[position++]!;
  const isOp = (...ops: string[]) => peek().kind === 'op' && ops.includes(peek().text);
  const expect = (op: string) => {
    if (!isOp(op)) throw new FilterSyntaxError(`expected "${op}" ${describe(peek())}`, peek().at);
    next();
  };

  const used = new Set<number>();
  const columnIndex = (name: string): number => {
    const found = findColumn(header, name);
    if (found < 0) throw new UnknownColumnError(name);
    used.add(found);
    return found;
  };

  // `a or b or c` and `a and b and c`, left to right; `and` binds tighter.
  const leftToRight = (type: 'or' | 'and', ops: [string, string], operand: () => Node) => (): Node => {
    let left = operand();
    while (isOp(...ops)) {
      next();
      left = { type, left, right: operand() };
    }
    return left;
  };
  const parseAnd = leftToRight('and', ['and', '&&'], () => parseNot());
  const parseOr = leftToRight('or', ['or', '||'], parseAnd);
  const parseNot = (): Node => {
    if (isOp('not', '!')) {
      next();
      return { type: 'not', operand: parseNot() };
    }
    return parseComparison();
  };
  const parseComparison = (): Node => {
    const left = parseValue();
    if (isOp('==', '=', '!=', '<>', '<', '<=', '>', '>=')) {
      const op = next().text;
      return { type: 'compare', op: op === '=' ? '==' : op === '<>' ? '!=' : op, left, right: parseValue() };
    }
    if (isOp('in')) {
      next();
      expect('(');
      const list = [parseValue()];
      while (isOp(',')) {
        next();
        list.push(parseValue());
      }
      expect(')');
      return { type: 'in', left, list };
    }
    return left;
  };
  const parseValue = (): Node => {
    const token = next();
    if (token.kind === 'column') return { type: 'column', index: columnIndex(token.text) };
    if (token.kind === 'string' || token.kind === 'number') return { type: 'literal', text: token.text };
    if (token.kind === 'op' && token.text === '(') {
      const inner = parseOr();
      expect(')');
      return inner;
    }
    throw new FilterSyntaxError(`expected a column, a "text" or a number ${describe(token)}`, token.at);
  };

  const tree = parseOr();
  if (peek().kind !== 'end') throw new FilterSyntaxError(`unexpected ${describe(peek())}`, peek().at);
  return Object.assign(evaluator(tree, decimal), { columns: [...used].sort((a, b) => a - b) });
}

function evaluator(tree: Node, decimal: DecimalSeparator): RowFilter {
  const valueOf = (node: Node, row: readonly string[]): string => (node.type === 'column' ? (row[node.index] ?? '').trim() : node.type === 'literal' ? node.text : String(truth(node, row)));
  const equal = (a: string, b: string) => {
    const x = parseDecimal(a, decimal);
    const y = parseDecimal(b, decimal);
    return x !== undefined && y !== undefined ? x === y : a.toLowerCase() === b.toLowerCase();
  };
  const truth = (node: Node, row: readonly string[]): boolean => {
    switch (node.type) {
      case 'or':
        return truth(node.left, row) || truth(node.right, row);
      case 'and':
        return truth(node.left, row) && truth(node.right, row);
      case 'not':
        return !truth(node.operand, row);
      case 'in': {
        const value = valueOf(node.left, row);
        return node.list.some((item) => equal(value, valueOf(item, row)));
      }
      case 'compare': {
        const a = valueOf(node.left, row);
        const b = valueOf(node.right, row);
        if (node.op === '==') return equal(a, b);
        if (node.op === '!=') return !equal(a, b);
        const x = parseDecimal(a, decimal);
        const y = parseDecimal(b, decimal);
        if (x === undefined || y === undefined) return false;
        return node.op === '<' ? x < y : node.op === '<=' ? x <= y : node.op === '>' ? x > y : x >= y;
      }
      case 'column':
        return yes.has((row[node.index] ?? '').trim().toLowerCase());
      case 'literal':
        return yes.has(node.text.toLowerCase());
    }
  };
  return (row) => truth(tree, row);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i++;
      continue;
    }
    const at = i;
    if (char === '"' || char === "'") {
      const end = text.indexOf(char, i + 1);
      if (end < 0) throw new FilterSyntaxError(`the text starting at character ${at + 1} has no closing ${char}`, at);
      tokens.push({ kind: 'string', text: text.slice(i + 1, end), at });
      i = end + 1;
    } else if (char === '`' || char === '[') {
      const close = char === '`' ? '`' : ']';
      const end = text.indexOf(close, i + 1);
      if (end < 0) throw new FilterSyntaxError(`the column name starting at character ${at + 1} has no closing ${close}`, at);
      tokens.push({ kind: 'column', text: text.slice(i + 1, end), at });
      i = end + 1;
    } else if (/[0-9]/.test(char) || (char === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const match = /^-?\d+(\.\d+)?/.exec(text.slice(i))!;
      tokens.push({ kind: 'number', text: match[0], at });
      i += match[0].length;
    } else if (/[\p{L}_]/u.test(char)) {
      const match = /^[\p{L}\p{N}_]+/u.exec(text.slice(i))!;
      const word = match[0];
      tokens.push(keywords.has(word.toLowerCase()) ? { kind: 'op', text: word.toLowerCase(), at } : { kind: 'column', text: word, at });
      i += word.length;
    } else {
      const op = ['==', '!=', '<>', '<=', '>=', '&&', '||'].find((candidate) => text.startsWith(candidate, i)) ?? (/[=<>!(),]/.test(char) ? char : undefined);
      if (!op) throw new FilterSyntaxError(`unexpected character "${char}" at character ${at + 1}`, at);
      tokens.push({ kind: 'op', text: op, at });
      i += op.length;
    }
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

function describe(token: Token): string {
  return token.kind === 'end' ? 'at the end' : `at character ${token.at + 1} ("${token.text}")`;
}
