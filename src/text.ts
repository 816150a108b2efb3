/** Edit distance between two strings (Levenshtein), case-insensitive. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[t.length] ?? 0;
}

/**
 * The candidates closest to `name`, best first: what a user probably meant.
 * @example closestNames('Postcod', ['Postcode', 'Huisnr']) // ['Postcode']
 */
export function closestNames(name: string, candidates: readonly string[], max = 3): string[] {
  const limit = Math.max(2, Math.ceil(name.length / 3));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(name, candidate) }))
    .filter(({ candidate, distance }) => distance <= limit || candidate.toLowerCase().includes(name.toLowerCase()))
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, max)
    .map(({ candidate }) => candidate);
}

/** "did you mean "X"?" or, without a close candidate, the list of what exists. */
export function suggestion(name: string, candidates: readonly string[]): string {
  const shown = (c: string) => `"${c.length > 40 ? `${c.slice(0, 40)}…` : c}"`;
  const close = closestNames(name, candidates.filter((c) => c.length < 200));
  if (close.length > 0) return `did you mean ${close.map(shown).join(' or ')}?`;
  return `the file has: ${candidates.slice(0, 20).map(shown).join(', ')}${candidates.length > 20 ? `, ... (${candidates.length} columns)` : ''}`;
}

/** A name as a project-file identifier ([a-z0-9_]+, starting with a letter): "Hoe tevreden bent u?" → hoe_tevreden_bent_u. */
export function identifierFrom(text: string, prefix: string): string {
  const id = text.toLowerCase().normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  return /^[a-z]/.test(id) ? id : `${prefix}_${id}`;
}

/**
 * Compares ids the way people read them: numerically when both are numbers, else by text.
 * Used wherever the issue says "lowest block id".
 */
export function compareIds(a: string, b: string): number {
  const na = Number(a);
  const nb = Number(b);
  if (a.trim() !== '' && b.trim() !== '' && Number.isFinite(na) && Number.isFinite(nb)) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Only the digits 0–9 (and at least one): the cheap check before a regular expression is needed. */
export function isDigits(text: string): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return false;
  }
  return true;
}

/** The value of a run of ASCII digits in bytes [start, end); -1 when it is empty or holds anything else. */
export function digitsValue(bytes: Uint8Array, start: number, end: number): number {
  if (end <= start) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = bytes[i]!;
    if (digit < 48 || digit > 57) return -1;
    value = value * 10 + digit - 48;
  }
  return value;
}

/** "a, b and c": a list as a sentence says it, with the language's word for "and". */
export function listed(items: readonly string[], and: string): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} ${and} ${items[items.length - 1]}`;
}
