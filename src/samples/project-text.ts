import { sampleThemes } from './soft.js';
import { surveyQuestionsOfSample } from './survey.js';
import type { SampleOptions, SampleTruth } from './generate.js';

interface CorporationText {
  source: string;
  file: string;
  organisation: string;
}

/** The buurtbalans.yml of a generated project: every key the tool reads, with comments. */
export function projectYaml(name: string, corporations: readonly CorporationText[]): string {
  const [a, b, c, d, e] = corporations as [CorporationText, CorporationText, CorporationText, CorporationText, CorporationText];
  return `# Synthetic Buurtbalans project made by \`buurtbalans samples\`. No real person is in it.
name: ${name}
period: 2024-01-01..2025-12-31
blocks: { file: blokken.geojson, id: blok_id, label: naam }

# The address register (BAG-like): places address-keyed records in blocks by their point.
addresses:
  file: adressen.csv
  postcode: postcode
  huisnummer: huisnummer
  huisletter: huisletter
  toevoeging: huisnummertoevoeging
  x: x
  y: y
  crs: EPSG:28992
  bag: [nummeraanduiding_id, verblijfsobject_id]
  street: straatnaam

sources:
  - name: ${a.source}            # Windows-1252, ";" and decimal comma, suffix in its own column
    organisation: ${a.organisation}
    file: ${a.file}
    place_by: address
    columns: { postcode: Postcode, huisnummer: Huisnr, toevoeging: Toev }
    flags: { omklapwoning: 'Label == "Omklapwoning"', kwetsbaar: 'Label == "Kwetsbare doelgroep"' }
  - name: ${b.source}            # UTF-8 with BOM, ",", number + letter + suffix in one field ("12-II", "12 hs")
    organisation: ${b.organisation}
    file: ${b.file}
    place_by: address
    columns: { postcode: postcode, huisnummer: huisnummer }
    flags: { omklapwoning: omklap, kwetsbaar: 'doelgroep == "kwetsbaar"' }
  - name: ${c.source}            # tab separated, BAG nummeraanduiding ids (some lost their leading zero in Excel)
    organisation: ${c.organisation}
    file: ${c.file}
    place_by: bag
    columns: { bag: nummeraanduiding_id }
    flags: { omklapwoning: omklapwoning, kwetsbaar: 'doelgroep == "Kwetsbaar"' }
  - name: ${d.source}            # ";" with quoted remarks over several lines, separate letter and suffix columns
    organisation: ${d.organisation}
    file: ${d.file}
    place_by: address
    columns: { postcode: PC, huisnummer: HNR, huisletter: HLTR, toevoeging: HNR_TOEV }
    flags: { omklapwoning: Omklapwoning, kwetsbaar: 'Doelgroep == "Kwetsbaar"' }
  - name: ${e.source}            # WGS84 coordinates
    organisation: ${e.organisation}
    file: ${e.file}
    place_by: point
    columns: { x: lon, y: lat }
    crs: EPSG:4326
    flags: { omklapwoning: omklap, kwetsbaar: 'doelgroep == "kwetsbaar"' }
  - name: meldingen               # nuisance reports with RD coordinates (decimal comma) and the address they are about
    organisation: Meldingensysteem gemeente
    file: meldingen.csv
    place_by: point                # placed by the point; the address finds the front door for the samenloop
    columns: { x: X, y: Y, postcode: Postcode, huisnummer: Huisnummer, toevoeging: Toevoeging }
    crs: EPSG:28992
    date: Datum                   # only reports in the period count
    category: Categorie           # burenoverlast, vervuiling, schade counted separately
  - name: zorg                    # care provider: clients per PC6, small cells suppressed by the sender ("<5")
    organisation: Zorgaanbieder Zuid
    file: zorg.csv
    place_by: pc6
    columns: { pc6: PC6 }
    counts: [clienten, zorgmijders]
    share_suppression: { min: 1, max: 4 }   # the care provider's own rule: counts 1 to 4 leave its machine as "geheim" (buurtbalans prepare)
  - name: bevolking               # municipality: population per PC6, StatLine style ("." is suppressed)
    organisation: Gemeente, Onderzoek en Statistiek
    file: bevolking.csv
    place_by: pc6
    columns: { pc6: Postcode }
    counts: [Inwoners, Inwoners 75+, Alleenstaande 75-plussers, 75-plussers in bovenwoning zonder lift, Huishoudens]
  - name: huisartsen              # GP interviews: coded signals per PC6 and theme
    organisation: Huisartsen en POH
    file: huisartsen.csv
    place_by: pc6
    columns: { pc6: postcode }
    counts: [signalen]
    category: thema
  - name: wijkteam                # district team: households in view per block
    organisation: Buurtteam Zuid
    file: wijkteam.csv
    place_by: block
    columns: { block: Blok }
    counts: [Huishoudens in beeld, Signalen zorgmijding]
  - name: gevoelskaart            # soft signals: stickers (points), areas (polygons) and streets (lines) from a participatory map
    organisation: Bewoners (gevoelskaart)
    file: gevoelskaart.geojson
    place_by: area                # a point in its block; a polygon or line over the blocks it covers, by share
    date: datum
    signals: { kind: gevoelskaart, theme: thema, valence: waardering, text: toelichting }
  - name: gesprekken_huisartsen   # soft signals: coded notes of GP and practice-nurse interviews per PC6
    organisation: Huisartsen en POH
    file: gesprekken-huisartsen.csv
    place_by: pc6
    columns: { pc6: Postcode }
    signals: { kind: huisarts, theme: Thema, weight: Aantal, text: Notitie }
  - name: bewonersenquete         # resident survey: one row per respondent, answers on five points
    organisation: Bewonersenquête gemeente
    file: bewonersenquete.csv
    place_by: pc6
    columns: { pc6: Postcode }
    survey:
      questions:
${surveyQuestionsOfSample.map((q) => `        - { column: "${q.column}", id: ${q.id}, label: { nl: ${q.label.nl}, en: ${q.label.en} } }`).join('\n')}

# What the built-in indicators read: a count key, or a list of keys that is summed.
measures:
  inwoners: bevolking.Inwoners
  inwoners_75plus: bevolking.Inwoners 75+
  alleenstaande_75plus: bevolking.Alleenstaande 75-plussers
  75plus_bovenwoning_zonder_lift: bevolking.75-plussers in bovenwoning zonder lift
  clienten: zorg.clienten
  zorgmijder_signalen: wijkteam.Signalen zorgmijding
  omklapwoningen: [${corporations.map((x) => `"${x.source}[omklapwoning]"`).join(", ")}]
  kwetsbare_toewijzingen: [${corporations.map((x) => `"${x.source}[kwetsbaar]"`).join(", ")}]
  meldingen: meldingen
  huisarts_signalen: huisartsen.signalen

# What the data requests (buurtbalans request) say beyond the data itself.
request:
  contact: gebiedsmakelaar Rijnbuurt West, buurtbalans@voorbeeld.nl
  route: de beveiligde bestandsoverdracht van de gemeente
  keep_until: 31 december 2026
  basis: het convenant Buurtbalans Rijnbuurt West (synthetisch voorbeeld)

# City averages to compare with, in each indicator's unit (synthetic values).
references:
  alleenstaande_75plus: 2.7

compare:
  - id: overlast
    label: { nl: Overlastmeldingen, en: Nuisance reports }
    outcome: meldingen
    exposures: { zorgmijders: zorgmijder_signalen, omklapwoningen: omklapwoningen }
    per: woningen

# The codebook of the soft signals: what each theme is called, other words for it, its domain and valence.
themes:
${Object.entries(sampleThemes).map(([id, t]) => `  ${id}: { label: { nl: ${t.nl}, en: ${t.en} }, aliases: [${t.aliases.join(', ')}]${t.domain ? `, domain: ${t.domain}` : ''}, valence: ${t.valence} }`).join('\n')}
`;
}

/** The README of a generated project: what each file is, and that all of it is synthetic. */
export function sampleReadme(name: string, options: SampleOptions, truth: SampleTruth, corporations: readonly CorporationText[]): string {
  const rows = (name: string) => truth.sources[name]?.rows ?? 0;
  return `# Sample project: ${name} (synthetic)

Everything in this folder is **synthetic**, made by \`buurtbalans samples --scale ${options.scale} --seed ${options.seed}\`.
No real person, household or address record is in it. The block geometry is invented along
streets named after the Rivierenbuurt in Amsterdam; postcodes and BAG ids are made up.

Run it: \`buurtbalans analyse ${options.scale === 'buurt' ? 'data-samples/rijnbuurt-west' : '.'}\`.${options.partners ? ' The partners\' side of sharing (kit, key, prepare, analyse on the shares) is in the main README under "Sharing".' : ''}

| file | what it is | rows |
| --- | --- | --- |
| \`buurtbalans.yml\` | the project file: blocks, address register, sources and how each is placed | |
| \`blokken.geojson\` | ${truth.blocks_count} address blocks (polygons, RD New with a \`crs\` member) | ${truth.blocks_count} |
| \`adressen.csv\` | address register (BAG-like): postcode, number, letter, suffix, RD x/y, BAG ids | ${truth.addresses_count} |
${corporations.map((c) => `| \`${c.file}\` | homes of housing corporation "${c.organisation}" (omklapwoningen, vulnerable groups, floor, lift) | ${rows(c.source)} |`).join('\n')}
| \`meldingen.csv\` | nuisance reports (burenoverlast, vervuiling, schade) with date, RD point and the address they are about | ${rows('meldingen')} |
| \`zorg.csv\` | care provider: clients and zorgmijders per PC6, cells 1–4 often suppressed as \`<5\` | ${rows('zorg')} |
| \`bevolking.csv\` | municipality: residents, over-75s, over-75s living alone, households per PC6 | ${rows('bevolking')} |
| \`huisartsen.csv\` | GP interviews: coded signals per PC6 and theme | ${rows('huisartsen')} |
| \`wijkteam.csv\` | district team: households in view and zorgmijding signals per block | ${rows('wijkteam')} |
| \`gevoelskaart.geojson\` | a gevoelskaart (WGS84): stickers, areas and streets with a theme, prettig/onprettig and a short text | ${rows('gevoelskaart')} |
| \`bewonersenquete.csv\` | a resident survey: per respondent the PC6 and two questions on five points (numbers, and Likert words) | ${rows('bewonersenquete')} |
| \`gesprekken-huisartsen.csv\` | coded notes of interviews with GPs and practice nurses: per PC6 a theme, the number of mentions and a note | ${rows('gesprekken_huisartsen')} |
${options.partners ? `| \`partners/\` | the partners' raw exports as they hold them before \`buurtbalans prepare\`: the five corporations' and the nuisance reports, the same rows with an invented name, BSN, phone number, e-mail and date of birth in front | |
` : ''}| \`truth.json\` | not an input: what the generator planted and the per-block counts a correct analysis finds | |

Each corporation export has its own dialect, as real ones do: Windows-1252 with \`;\` and decimal
comma; UTF-8 with BOM and \`,\` with number, letter and suffix in one field (\`12-II\`, \`12 hs\`,
\`12-3 hg\`, \`12 bis\`); tab-separated BAG ids, some without their leading zero; \`;\` with remarks
spanning several lines; WGS84 coordinates.

Planted on purpose, and recorded in \`truth.json\`:
- nuisance reports concentrate at homes of zorgmijders (6x the ordinary rate), not at
  omklapwoningen (1.15x);
- a cluster of blocks (${truth.effects.isolated_75plus_cluster.blocks.slice(0, 8).join(', ')}${truth.effects.isolated_75plus_cluster.blocks.length > 8 ? ', ...' : ''}) of bovenwoningen without lift with many
  over-75s living alone;
- soft signals: eenzaamheid heard in that cluster, overlast at the zorgmijder hotspots, buren who
  help each other in one ordinary block and an unsafe place drawn where no figure points; some
  free texts hold a name, a phone number, an e-mail address or an address (never in an output);
- records that cannot be placed, as in real exports: homes missing from the register, a
  mistyped postcode, reports without coordinates or geocoded to the street, a PC6 outside
  the area, a block id that does not exist.
`;
}
