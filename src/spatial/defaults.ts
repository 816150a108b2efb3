/** Defaults that `analyse` (the project file's spatial:) and `hotspots` share. */
export const defaultSnapMetres = 25;
export const maxPermutations = 99999;

/** `auto`: 999 permutations up to 5,000 areas, above that the normal p of z (a city in seconds). */
export function permutationsFor(setting: number | 'auto', areas: number): number {
  return setting === 'auto' ? (areas <= 5000 ? 999 : 0) : setting;
}
