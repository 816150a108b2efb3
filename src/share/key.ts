import { createHmac, randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';
import { pseudonym } from '../privacy/protect.js';

/**
 * The partners' key for address pseudonyms. One partner makes it (`buurtbalans key`) and hands it to
 * the other partners' data officers, never to the gebiedsmakelaar: who holds the key and the
 * register (public BAG data) could hash every address and so reverse every pseudonym.
 */

const keyLine = /^[0-9a-f]{64}$/;

/** A new key file's text: 256 random bits, with what it is for and who must not get it. */
export function newKeyText(): string {
  return [
    '# Buurtbalans: sleutel voor adrespseudoniemen (HMAC-SHA256).',
    '# Alleen voor de functionarissen gegevensbescherming van de partners die adressen delen.',
    '# Stuur deze sleutel NOOIT naar de gebiedsmakelaar en nooit mee met een deelbestand:',
    '# wie de sleutel en het adressenbestand heeft, kan elk pseudoniem terugrekenen.',
    randomBytes(32).toString('hex'),
    '',
  ].join('\n');
}

export function readKey(text: string, file: string): string {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length !== 1 || !keyLine.test(lines[0]!)) {
    throw new UserError(`${file} holds no buurtbalans key`, {
      file,
      expected: 'one line of 64 hexadecimal characters (comments start with #), as `buurtbalans key` writes it',
      fix: 'ask the partner who made the key for the file itself, or make one with buurtbalans key --out FILE and share it with the other partners only',
    });
  }
  return lines[0]!;
}

/** An address's pseudonym: the same door gives the same name with the same key in the same project, and another in every other project. */
export function addressPseudonym(key: string, projectId: string, canonicalAddress: string): string {
  return pseudonym(`${projectId}\n${canonicalAddress}`, key);
}

/** Tells whether two shares were made with one key, and tells nothing of the key (its HMAC of the project). */
export function keyFingerprint(key: string, projectId: string): string {
  return createHmac('sha256', key).update(`buurtbalans-sleutelcontrole\n${projectId}`).digest('hex').slice(0, 12);
}
