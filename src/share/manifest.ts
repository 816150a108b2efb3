import { UserError } from '../errors.js';
import type { PreparedShare } from '../analysis/result.js';
import { grouped } from '../indicators/sentences.js';
import { describeReasons } from '../join/reason-words.js';
import type { Manifest } from './prepare.js';
import { sha256 } from './layout.js';

/** A share file's manifest beside it: `corporatie_a.deel.csv` → `corporatie_a.manifest.json` (and `.manifest.md` and `.pdf`, the page to sign). */
export function manifestPath(sharePath: string, extension: 'json' | 'md' | 'pdf'): string {
  return `${sharePath.replace(/(\.deel)?\.csv$/i, '')}.manifest.${extension}`;
}

/** The door table beside a share: `corporatie_a.deel.csv` → `corporatie_a.deuren.csv`. */
export function doorsFileName(shareFile: string): string {
  return `${shareFile.replace(/(\.deel)?\.csv$/i, '')}.deuren.csv`;
}

/** The file name a share of this source gets by default, and that `analyse` looks for in the shares folder. */
export function shareFileName(source: string): string {
  return `${source}.deel.csv`;
}

/** What `analyse` expects of a share: this project, and the request as the project asks it now. */
export interface ExpectedShare {
  source: string;
  projectName: string;
  projectId: string;
  request: string;
}

/**
 * Checks a share against its manifest and the project, and says exactly what is wrong: altered
 * after it was made, made for another project, for another source, or with an older kit.
 */
export function verifyShare(manifestText: string, manifestFile: string, shareBytes: Uint8Array, shareFile: string, expected: ExpectedShare, doorsBytes?: Uint8Array): { prepared: PreparedShare; fingerprint: string | undefined; doors: Manifest['doors'] } {
  let manifest: Manifest;
  try {
    manifest = JSON.parse(manifestText) as Manifest;
  } catch {
    manifest = {} as Manifest;
  }
  const refuse = (what: string, fix: string, file = shareFile) => new UserError(`${shareFile}: ${what}`, { file, expected: `a share of ${expected.source} made with this project's current kit, unchanged, with its manifest beside it`, fix });
  if (manifest.format !== 'buurtbalans-deel' || manifest.version !== 1) throw refuse(`${manifestFile} is no buurtbalans manifest`, 'keep the manifest prepare wrote beside the share (same name, .manifest.json)', manifestFile);
  if (sha256(shareBytes) !== manifest.share?.sha256) {
    throw refuse('the share was changed after it was made: its bytes do not match the hash in its manifest', `ask ${manifest.organisation ?? 'the partner'} to run prepare again and send the share and manifest unchanged; never edit a share by hand`);
  }
  if (doorsBytes && sha256(doorsBytes) !== manifest.doors?.sha256) {
    throw refuse(`its door table ${doorsFileName(shareFile.split(/[\\/]/).pop()!)} was changed after it was made, or belongs to another share`, `ask ${manifest.organisation ?? 'the partner'} to run prepare again and send the share, door table and manifest unchanged`);
  }
  if (manifest.source !== expected.source) throw refuse(`this is a share of ${manifest.source}, not of ${expected.source}`, `name it ${shareFileName(manifest.source)}, or ask for the share of ${expected.source}`);
  if (manifest.project?.id !== expected.projectId) {
    throw refuse(`the share was made for ${manifest.project?.name === expected.projectName ? 'another version of this project (other blocks or address register)' : `another project ("${manifest.project?.name}")`}`, `send the partner this project's kit (buurtbalans kit) and ask for a new share`);
  }
  if (manifest.request !== expected.request) {
    throw refuse(`the share was made with an older kit (of ${manifest.prepared_on}): the project asks other columns, flags, filters, period or rules of ${expected.source} now`, `send ${manifest.organisation} the new kit (buurtbalans kit) and the new request (buurtbalans request), and ask for a new share`);
  }
  return {
    prepared: { manifest: manifestFile, sha256: manifest.share.sha256, prepared_on: manifest.prepared_on, request: manifest.request },
    fingerprint: manifest.key?.fingerprint,
    doors: manifest.doors ?? null,
  };
}

/** The manifest as a page the partner's data officer reads and signs before the share leaves. */
export function manifestPage(manifest: Manifest): string {
  const nl = (n: number) => grouped(n, 'nl');
  const unplaced = Object.values(manifest.rows.unplaced).reduce((sum, n) => sum + n, 0);
  const lines = [
    `# Deelbestand ${manifest.source}: verantwoording`,
    '',
    `**${manifest.organisation}** voor het Buurtbalans-project **${manifest.project.name}** (projectcode ${manifest.project.id}), gemaakt op ${manifest.prepared_on} met ${manifest.tool.name} ${manifest.tool.version}.`,
    '',
    '## Wat is gelezen',
    '',
    `- Export: ${manifest.export.file}${manifest.export.sheet ? ` (werkblad ${manifest.export.sheet})` : ''}, ${nl(manifest.export.rows)} regels, ${manifest.export.columns} kolommen.`,
    `- Geplaatst in een blok van het projectgebied: ${nl(manifest.rows.placed)} regels; niet geplaatst: ${nl(unplaced)}${unplaced > 0 ? ` (${describeReasons(manifest.rows.unplaced, 'nl')})` : ''}.`,
    ...(manifest.rules.period ? [`- Buiten de periode ${manifest.rules.period.replace('..', ' t/m ')}: ${nl(manifest.rows.outside_period)} regels; zonder leesbare datum: ${nl(manifest.rows.without_date)}. Die gaan niet mee.`] : []),
    '',
    '## Wat gaat mee',
    '',
    `- Bestand: ${manifest.share.file}, ${nl(manifest.share.rows)} regels.`,
    `- Kolommen: ${manifest.share.columns.join(', ')}.`,
    ...(manifest.rules.suppressed ? [`- Aantallen van ${manifest.rules.suppressed.min} tot en met ${manifest.rules.suppressed.max} staan er als "geheim" in (${nl(manifest.rules.suppressed.cells)} cellen).`] : []),
    ...(manifest.rules.rare_categories_as ? [`- Een categorie die in minder regels voorkomt dan de privacydrempel, heet "${manifest.rules.rare_categories_as}".`] : []),
    ...(manifest.doors
      ? [`- Voor de samenloop apart: ${manifest.doors.file}, ${nl(manifest.doors.rows)} regels met alleen ${manifest.doors.columns.join(', ')}. adres_pseudoniem is een pseudoniem van het adres (HMAC-SHA256 met de sleutel van de partners); zonder die sleutel is het adres er niet uit af te leiden, en de gebiedsmakelaar heeft hem niet. Sleutelcontrole: ${manifest.key!.fingerprint}. Controlegetal: \`${manifest.doors.sha256}\`.`]
      : []),
    `- Controlegetal (SHA-256) van het deelbestand: \`${manifest.share.sha256}\`. De analyse weigert het bestand als één teken anders is.`,
    '',
    '## Wat blijft hier',
    '',
    ...manifest.kept_out.columns.map((c) => `- ${c.column}: ${keptOutReason(c.reason)}`),
    ...(manifest.kept_out.identifiers.length > 0
      ? ['', 'De controle op persoonsgegevens vond (aantallen, nooit de waarden):', '', ...manifest.kept_out.identifiers.map((f) => `- ${f.column.replace(/\blocation\b/, 'locatie')}: ${ruleWords[f.rule] ?? f.rule} (${nl(f.values)} ${f.values === 1 ? 'waarde' : 'waarden'}, ${f.kind === 'direct' ? 'direct herleidbaar' : 'indirect herleidbaar'}); ${f.shared.length === 0 ? 'gaat niet mee' : `alleen ${f.shared.join(' en ')} gaat mee, los van ${f.column.split(' + ').filter((c) => !f.shared.includes(c)).join(' en ').replace(/\blocation\b/, 'de locatie')}`}`)]
      : []),
    '',
    '## Akkoord',
    '',
    `Ik verklaar dat ik heb gecontroleerd dat ${manifest.doors ? 'de bestanden' : 'het deelbestand'} alleen bevat${manifest.doors ? 'ten' : ''} wat hierboven staat.`,
    '',
    'Naam functionaris gegevensbescherming: ______________________________',
    '',
    'Datum: ______________    Handtekening: ______________________________',
    '',
  ];
  return lines.join('\n');
}

/** The identifier rules as the page names them. */
const ruleWords: Record<string, string> = {
  name_column: 'namen',
  name_in_text: 'namen in vrije tekst',
  bsn: 'BSN',
  iban: 'IBAN',
  email: 'e-mailadressen',
  phone: 'telefoonnummers',
  date_of_birth: 'geboortedata',
  full_address: 'volledige adressen',
  address_in_text: 'adressen in vrije tekst',
  bag_id: 'BAG-id\'s',
  exact_location: 'exacte locaties',
  dated_address_events: 'gebeurtenissen met datum op een adres',
};

function keptOutReason(reason: string): string {
  if (reason.startsWith('personal')) return 'persoonsgegevens (gevonden door de controle)';
  if (reason.startsWith('read')) return 'gebruikt om te plaatsen of de kenmerken te bepalen, gaat zelf niet mee';
  return 'niet gevraagd door het project';
}
