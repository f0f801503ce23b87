// The catalog row model and its TSV serialisation.

import { coord } from './text.mjs';

/** Column order of locations.tsv; the header comment line lists these. */
export const COLUMNS = ['id', 'name', 'kind', 'cc', 'lat', 'lon', 'population', 'aliases', 'admin1'];

/** Allowed values of the kind column. */
export const KINDS = new Set(['country', 'region', 'city', 'place']);

/**
 * Adds aliases to a record, skipping blanks, the canonical name itself and
 * duplicates; insertion order is kept (curated aliases come first).
 */
export function addAliases(rec, aliases) {
  rec.aliases ??= [];
  for (const raw of aliases) {
    // Okinas, ayns and backticks become plain apostrophes (’ is kept: news text uses it).
    const a = (raw ?? '').trim().replace(/\s+/g, ' ').replace(/[‘`ʻʽ´]/g, "'");
    if (!a || a === rec.name || rec.aliases.includes(a)) continue;
    if (/[\t|\n]/.test(a)) throw new Error(`${rec.id}: alias ${JSON.stringify(a)} contains a separator`);
    rec.aliases.push(a);
  }
}

/** Serialises one record as a TSV line (no trailing newline). */
export function toLine(rec) {
  const fields = [
    rec.id, rec.name, rec.kind, rec.cc || '-', coord(rec.lat), coord(rec.lon),
    String(Math.max(0, Math.round(rec.pop || 0))), (rec.aliases || []).join('|'), rec.admin1 || '',
  ];
  for (const f of fields) {
    if (/[\t\n\r]/.test(f)) throw new Error(`${rec.id}: field ${JSON.stringify(f)} contains a tab or newline`);
  }
  if (!KINDS.has(rec.kind)) throw new Error(`${rec.id}: bad kind ${rec.kind}`);
  if (!rec.name) throw new Error(`${rec.id}: empty name`);
  return fields.join('\t');
}

/** The header comment line. */
export function headerLine() {
  return `# ${COLUMNS.join('\t')}`;
}
