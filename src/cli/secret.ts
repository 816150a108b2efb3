import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AnalysisInput } from '../analysis/analyse.js';
import { writeFileAtomic } from './io.js';

/**
 * The per-project secret for pseudonymised columns: BUURTBALANS_SECRET, else `.buurtbalans-secret`
 * beside the project file, created (random, 32 bytes) the first time a project pseudonymises.
 * It stays on this machine: no output contains it.
 */
export function projectSecret(projectFile: string, input: AnalysisInput, note: (text: string) => void, lang: 'nl' | 'en'): string | undefined {
  if (process.env.BUURTBALANS_SECRET) return process.env.BUURTBALANS_SECRET;
  const file = join(dirname(projectFile), '.buurtbalans-secret');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  if (!input.sources.some(({ config }) => (config.pseudonymise ?? []).length > 0)) return undefined;
  const secret = randomBytes(32).toString('hex');
  writeFileAtomic(file, `${secret}\n`);
  note(
    lang === 'nl'
      ? `${file} gemaakt: de sleutel voor gepseudonimiseerde kolommen. Houd die op deze computer; deel hem nooit met de gegevens.\n`
      : `created ${file}: the secret for pseudonymised columns. Keep it on this machine; never share it with the data.\n`,
  );
  return secret;
}
