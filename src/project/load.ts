import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';
import type { z } from 'zod';
import { UserError } from '../errors.js';
import { closestNames } from '../text.js';
import { checkReferences, formatPath } from './references.js';
import { isFeatureFile } from '../ingest/features.js';
import { signalsKey } from '../analysis/signals.js';
import { projectSchema, type ProjectConfig } from './schema.js';

type Path = readonly (string | number)[];

/**
 * Parses and validates the text of a `buurtbalans.yml`.
 * Every problem becomes a UserError naming the file, the line, the key and what is allowed.
 *
 * @example parseProject('name: x\nblocks: {file: b.geojson, id: id}\nsources: [...]', 'buurtbalans.yml')
 */
export function parseProject(text: string, file: string): ProjectConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false });
  const syntaxError = document.errors[0];
  if (syntaxError) {
    const line = lineCounter.linePos(syntaxError.pos[0]).line;
    throw new UserError(`the file is not valid YAML: ${syntaxError.message.split('\n')[0]}`, {
      file,
      line,
      expected: 'YAML like the example in the README (key: value, lists with "- ")',
      fix: 'check indentation and quotes on this line; a value with ":" or "#" needs quotes',
    });
  }
  const lineOf = (path: Path): number | undefined => {
    const node = nodeAt(document.contents, path);
    return node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  };

  let plain: unknown;
  try {
    // yaml stops an alias bomb (billions of copies of one anchor) at 100 aliases.
    plain = document.toJS({ maxAliasCount: 100 });
  } catch (error) {
    throw new UserError(`the file cannot be read as a project: ${(error as Error).message.split('\n')[0]}`, {
      file,
      expected: 'a project file without repeated YAML aliases (*name)',
      fix: 'write the values out instead of referring to anchors (&name) many times',
    });
  }
  const parsed = projectSchema.safeParse(plain ?? {});
  if (!parsed.success) {
    // A misspelt key also makes the intended key "missing": the misspelling is the useful message.
    const issues = parsed.error.issues;
    const issue = issues.find((i) => i.code === 'unrecognized_keys') ?? issues[0]!;
    throw issueToError(issue, file, lineOf, plain);
  }
  const project = parsed.data;
  checkConsistency(project, file, lineOf);
  checkReferences(project, file, lineOf);
  return project;
}

function issueToError(issue: z.core.$ZodIssue, file: string, lineOf: (path: Path) => number | undefined, plain: unknown): UserError {
  const path = issue.path.filter((part): part is string | number => typeof part !== 'symbol');
  const key = path.length > 0 ? formatPath(path) : '(top level)';
  if (issue.code === 'unrecognized_keys') {
    const unknown = issue.keys[0]!;
    const allowed = allowedKeys(path);
    const close = closestNames(unknown, allowed);
    // `date:` or `category:` under `columns:` belongs one level up, beside `columns:`.
    const parent = path.length > 0 ? formatPath(path.slice(0, -1)) : undefined;
    const oneUp = parent !== undefined && allowedKeys(path.slice(0, -1)).includes(unknown);
    return new UserError(`unknown key "${unknown}" in ${key}`, {
      file,
      line: lineOf([...path, unknown]) ?? lineOf(path),
      expected: `one of: ${allowed.join(', ')}`,
      fix: oneUp ? `"${unknown}" belongs directly under ${parent}, not under ${path.at(-1)}: move it to ${parent}.${unknown}` : close.length > 0 ? `did you mean "${close[0]}"?` : 'remove the key or correct its name',
    });
  }
  const given = path.reduce<unknown>((value, part) => (value !== null && typeof value === 'object' ? (value as Record<string | number, unknown>)[part] : undefined), plain);
  const missing = issue.code === 'invalid_type' && given === undefined;
  const wrongType = issue.code === 'invalid_type' && !missing;
  return new UserError(missing ? `missing key ${key}` : wrongType ? `${key} is ${kindOf(given)}, not ${describeExpected(issue)}` : `invalid value for ${key}: ${issue.message}`, {
    file,
    line: lineOf(path) ?? lineOf(path.slice(0, -1)),
    expected: describeExpected(issue),
    fix: missing ? `add ${key} (see the project file section of the README)` : wrongType ? `write ${key} as ${describeExpected(issue)} (see the project file section of the README)` : `correct ${key}`,
  });
}

/** What a YAML value is, in the words of the messages. */
function kindOf(value: unknown): string {
  if (value === null) return 'empty';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a set of keys';
  if (typeof value === 'string') return `the text "${value.length > 40 ? `${value.slice(0, 40)}…` : value}"`;
  if (typeof value === 'number') return `the number ${value}`;
  if (typeof value === 'boolean') return `${value}`;
  return `a ${typeof value}`;
}

const typeWords: Record<string, string> = {
  object: 'a set of keys ({ key: value, … } or indented lines)',
  record: 'a set of keys ({ key: value, … } or indented lines)',
  array: 'a list ([a, b] or lines starting with "- ")',
  string: 'a text',
  number: 'a number',
  boolean: 'true or false',
};

function describeExpected(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value') return `one of: ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
  if (issue.code === 'invalid_type') return typeWords[issue.expected] ?? `${/^[aeiou]/.test(issue.expected) ? 'an' : 'a'} ${issue.expected}`;
  return issue.message;
}

/** The keys the schema allows at a path, for "did you mean" hints. */
function allowedKeys(path: Path): string[] {
  let schema: unknown = projectSchema;
  for (const part of path) {
    schema = unwrap(schema);
    const def = (schema as { def?: { type?: string; shape?: Record<string, unknown>; element?: unknown } }).def;
    if (def?.type === 'array') schema = def.element;
    else if (def?.shape && typeof part === 'string') schema = def.shape[part];
  }
  const shape = (unwrap(schema) as { def?: { shape?: Record<string, unknown> } }).def?.shape;
  return shape ? Object.keys(shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema as { def?: { type?: string; innerType?: unknown } };
  // `columns:` has a default ({}), and others are optional: the keys are those of the schema inside.
  while (['optional', 'default', 'prefault', 'nullable'].includes(current?.def?.type ?? '') && current.def!.innerType) current = current.def!.innerType as typeof current;
  return current;
}

function nodeAt(root: unknown, path: Path): Node | undefined {
  let node = root as Node | undefined;
  for (const part of path) {
    if (isMap(node)) {
      const pair = node.items.find((item) => isScalar(item.key) && item.key.value === part);
      if (!pair) return undefined;
      node = (typeof part === 'string' && pair.value == null ? pair.key : pair.value) as Node | undefined;
    } else if (isSeq(node) && typeof part === 'number') {
      node = node.items[part] as Node | undefined;
    } else {
      return undefined;
    }
  }
  return node ?? undefined;
}


const requiredColumns: Record<string, readonly string[]> = {
  address: ['postcode', 'huisnummer'],
  pc6: ['pc6'],
  block: ['block'],
  point: ['x', 'y'],
  bag: ['bag'],
};

function checkConsistency(project: ProjectConfig, file: string, lineOf: (path: Path) => number | undefined): void {
  const seen = new Map<string, number>();
  project.sources.forEach((source, index) => {
    const where = (key: string) => ({ file, line: lineOf(['sources', index, key]) ?? lineOf(['sources', index]) });
    const previous = seen.get(source.name);
    if (previous !== undefined) {
      throw new UserError(`source name "${source.name}" is used twice (sources[${previous}] and sources[${index}])`, {
        ...where('name'),
        expected: 'a unique name per source',
        fix: 'rename one of them, for example by adding the organisation',
      });
    }
    seen.set(source.name, index);
    if (source.name === signalsKey && project.sources.some((other) => other.signals)) {
      throw new UserError(`source name "${signalsKey}" is the count key of the soft signals`, {
        ...where('name'),
        expected: `another name for this source: ${signalsKey}[<theme>] counts the signals of every signals: source`,
        fix: `rename the source, for example to ${signalsKey}_${source.place_by}`,
      });
    }
    for (const column of requiredColumns[source.place_by] ?? []) {
      if (!source.columns[column as keyof typeof source.columns]) {
        throw new UserError(`sources[${index}] (${source.name}) is placed by ${source.place_by} but has no columns.${column}`, {
          ...where('columns'),
          expected: `columns: { ${requiredColumns[source.place_by]!.map((c) => `${c}: <column in ${source.file}>`).join(', ')} }`,
          fix: `name the column of ${source.file} that holds the ${column}; \`buurtbalans inspect ${source.file}\` lists its columns`,
        });
      }
    }
    // One column for two roles (postcode and huisnummer, x and y) reads one value as both.
    const roles = Object.entries(source.columns).filter(([, column]) => typeof column === 'string');
    const twice = roles.find(([role, column], i) => roles.some(([other, again], j) => j > i && other !== role && String(again).trim().toLowerCase() === String(column).trim().toLowerCase()));
    if (twice) {
      const others = roles.filter(([role, column]) => role !== twice[0] && String(column).trim().toLowerCase() === String(twice[1]).trim().toLowerCase()).map(([role]) => role);
      throw new UserError(`sources[${index}] (${source.name}) names column "${twice[1]}" for both ${twice[0]} and ${others.join(' and ')}`, {
        ...where('columns'),
        expected: 'a different column for each role',
        fix: `name the column of ${source.file} that holds the ${others[0]}; \`buurtbalans inspect ${source.file}\` lists its columns`,
      });
    }
    if (source.place_by === 'area' && !isFeatureFile(source.file)) {
      throw new UserError(`sources[${index}] (${source.name}) is placed by area, but ${source.file} is no GeoJSON file`, {
        ...where('place_by'),
        expected: 'a .geojson file whose features are points, lines or polygons (a gevoelskaart export)',
        fix: 'export the map layer as GeoJSON, or place this source by address, pc6, block or point',
      });
    }
    if (source.survey && (source.counts || source.category || source.signals)) {
      throw new UserError(`sources[${index}] (${source.name}) has survey: and ${source.counts ? 'counts:' : source.category ? 'category:' : 'signals:'}`, {
        ...where('survey'),
        expected: 'a survey counts its respondents\' answers per question; it has no count columns, category or signals',
        fix: 'make the other part a separate source',
      });
    }
    if (source.signals && (source.counts || source.category)) {
      throw new UserError(`sources[${index}] (${source.name}) has signals: and ${source.counts ? 'counts:' : 'category:'}`, {
        ...where('signals'),
        expected: 'a source of soft signals counts its rows per theme (signals.theme); it has no count columns or category',
        fix: `leave ${source.counts ? 'counts:' : 'category:'} out of this source, or make it a separate source`,
      });
    }
    const needsRegister = source.place_by === 'address' || source.place_by === 'pc6' || source.place_by === 'bag';
    if (needsRegister && !project.addresses) {
      throw new UserError(`sources[${index}] (${source.name}) is placed by ${source.place_by}, which needs an address register`, {
        ...where('place_by'),
        expected: 'an `addresses:` section (register of addresses with coordinates or block ids)',
        fix: 'add `addresses:` to the project file, or place this source by point or block',
      });
    }
    if (source.place_by === 'bag' && project.addresses && !project.addresses.bag) {
      throw new UserError(`sources[${index}] (${source.name}) is placed by bag, but the address register has no bag column`, {
        ...where('place_by'),
        expected: 'addresses.bag: the register column(s) with 16-digit BAG ids',
        fix: 'add `bag: <column>` under `addresses:`',
      });
    }
  });
  const register = project.addresses;
  if (register && !register.block && !(register.x && register.y)) {
    throw new UserError('the address register needs either x and y, or block', {
      file,
      line: lineOf(['addresses']),
      expected: '`x: <column>` and `y: <column>` (with crs), or `block: <column>`',
      fix: 'name the register columns that place each address in a block',
    });
  }
}
