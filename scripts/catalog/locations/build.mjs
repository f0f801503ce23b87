#!/usr/bin/env node
// Builds the locations catalog TSV (uncompressed) from npm-shipped GeoNames
// data, iso3166-2-db, i18n-iso-countries and the hand-curated files.
//
//   node build.mjs <out.tsv> [--places ../../../services/pipeline/catalog/data/places.tsv]
//
// build.sh wraps this and gzips the result deterministically.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { loadGeoNames, loadIsoDb, loadCountryNames, loadWords, readTsv } from './lib/sources.mjs';
import {
  fold, letterKey, toAscii, normQuotes, isLatin, isAliasShaped, isSpellingVariant, medianPoint,
  distanceKm, looksForeign,
} from './lib/text.mjs';
import { addAliases, toLine, headerLine, KINDS } from './lib/record.mjs';
import {
  DROP_FCODES, minPopulation, ARABIC_ROMANISED, US_BARE_MIN, ARTICLE_RE, SOFT_SIGN, WORLD_MIN,
} from './lib/select.mjs';
import {
  COUNTRY_NAMES, COUNTRY_ALIASES, COUNTRY_ALIAS_BLOCK, HISTORICAL_COUNTRIES,
} from './curated/countries.mjs';
import { REGION_OVERRIDES, REGION_EXTRA } from './curated/regions.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '../../..');

function parseArgs(argv) {
  const args = {
    out: null,
    places: path.join(repoRoot, 'services/pipeline/catalog/data/places.tsv'),
    cityOverrides: path.join(here, 'curated/cities.tsv'),
    report: null,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--places') args.places = argv[++i];
    else if (a === '--report') args.report = argv[++i];
    else if (!args.out) args.out = a;
    else throw new Error(`unexpected argument ${a}`);
  }
  if (!args.out) throw new Error('usage: node build.mjs <out.tsv> [--places FILE] [--report FILE]');
  return args;
}

const warnings = [];
const warn = (msg) => warnings.push(msg);

// ---------------------------------------------------------------- sources

const geo = loadGeoNames();
const isoDb = loadIsoDb();
const i18nNames = loadCountryNames();
const words = loadWords();

/** GeoNames points per country and per (country, admin1), for coordinates. */
const pointsByCc = new Map();
const pointsByAdmin = new Map();
for (const r of geo) {
  if (DROP_FCODES.has(r.fcode)) continue;
  if (!pointsByCc.has(r.cc)) pointsByCc.set(r.cc, []);
  pointsByCc.get(r.cc).push([r.lat, r.lon]);
  const k = `${r.cc}.${r.a1}`;
  if (!pointsByAdmin.has(k)) pointsByAdmin.set(k, []);
  pointsByAdmin.get(k).push([r.lat, r.lon]);
}

// -------------------------------------------------------------- countries

/** @returns {Map<string, object>} country records by alpha-2 code */
function buildCountries() {
  const out = new Map();
  const codes = new Set([...Object.keys(i18nNames), ...Object.keys(isoDb)]);
  for (const cc of [...codes].sort()) {
    const i18n = [].concat(i18nNames[cc] ?? []);
    const dbName = isoDb[cc]?.names?.en;
    const name = COUNTRY_NAMES[cc] ?? dbName ?? i18n[0];
    if (!name) { warn(`country ${cc}: no English name`); continue; }
    const rec = { id: `iso:${cc}`, name, kind: 'country', cc, pop: 0, aliases: [], admin1: '' };
    const pt = medianPoint(pointsByCc.get(cc) ?? []);
    if (pt) [rec.lat, rec.lon] = pt;
    addAliases(rec, COUNTRY_ALIASES[cc] ?? []);
    const sourceNames = [...i18n, dbName].filter((n) => n && !COUNTRY_ALIAS_BLOCK.has(n) && !/[(),]/.test(n));
    addAliases(rec, sourceNames);
    if (toAscii(name) !== name) addAliases(rec, [toAscii(name)]);
    out.set(cc, rec);
  }
  for (const h of HISTORICAL_COUNTRIES) {
    const rec = { id: `iso:${h.cc}`, name: h.name, kind: 'country', cc: h.cc, lat: h.lat, lon: h.lon, pop: 0, aliases: [], admin1: '' };
    addAliases(rec, h.aliases);
    out.set(h.cc, rec);
  }
  return out;
}

const countries = buildCountries();

/** Folded names that city aliases must not take (countries and US states). */
const reserved = new Set();
for (const c of countries.values()) {
  reserved.add(fold(c.name));
  for (const a of c.aliases) reserved.add(fold(a));
}
for (const r of isoDb.US?.regions ?? []) reserved.add(fold(r.names.en || r.name));

// ---------------------------------------------------------------- regions (draft)

/**
 * Draft region records from iso3166-2-db, keyed by "CC.admin1" for the city
 * admin1 column. Final naming and collision checks happen after cities.
 */
function draftRegions() {
  const drafts = [];
  const seenIds = new Set();
  for (const cc of Object.keys(isoDb).sort()) {
    for (const r of isoDb[cc].regions) {
      const rawName = normQuotes((r.names.en || r.name || '').trim());
      if (!rawName) continue;
      let id = /^[A-Za-z0-9]+$/.test(r.iso ?? '') ? `adm:${cc}-${r.iso}` : '';
      if (!id || seenIds.has(id)) id = r.admin ? `adm:${cc}-G${r.admin}` : `adm:${cc}-N${letterKey(rawName)}`;
      if (seenIds.has(id)) { warn(`region ${id} (${rawName}) duplicates an id; skipped`); continue; }
      seenIds.add(id);
      drafts.push({ id, cc, admin: r.admin || '', rawName, geonamesName: r.names.geonames || '' });
    }
  }
  for (const x of REGION_EXTRA) {
    drafts.push({ id: x.id, cc: x.cc, admin: x.admin, rawName: x.name, geonamesName: '', extraAliases: x.aliases });
    seenIds.add(x.id);
  }
  for (const id of Object.keys(REGION_OVERRIDES)) {
    if (!seenIds.has(id)) warn(`region override ${id} matches no region`);
  }
  for (const d of drafts) {
    const o = REGION_OVERRIDES[d.id] ?? {};
    d.override = o;
    d.name = o.name ?? d.rawName;
    if (!o.name && words.common.has(fold(d.name))) {
      // "Northern", "Central", "Bay", "Acre": qualify with the country.
      d.name = `${d.name} (${countries.get(d.cc)?.name ?? d.cc})`;
    }
  }
  return drafts;
}

const regionDrafts = draftRegions();

/** Folded curated names and aliases of regions: no other region takes them as a short form. */
const curatedRegionNames = new Map();
for (const d of regionDrafts) {
  for (const n of [d.override.name, ...(d.override.aliases ?? []), ...(d.extraAliases ?? [])]) {
    if (n) curatedRegionNames.set(fold(n), d.id);
  }
}
const takenByOtherRegion = (f, id) => curatedRegionNames.has(f) && curatedRegionNames.get(f) !== id;
const regionByAdmin = new Map();
for (const d of regionDrafts) {
  if (!d.admin || d.override.noAdmin) continue;
  const k = `${d.cc}.${d.admin}`;
  if (regionByAdmin.has(k)) {
    // Prefer the one that is not dropped.
    if (regionByAdmin.get(k).override.drop && !d.override.drop) regionByAdmin.set(k, d);
    continue;
  }
  regionByAdmin.set(k, d);
}

/** Plain US state name for "Town, State" naming. */
function usStateName(a1) {
  const d = regionByAdmin.get(`US.${a1}`);
  if (!d) return '';
  if (a1 === 'DC') return 'D.C.';
  return d.rawName;
}

// ---------------------------------------------------------------- places

const ARGS = parseArgs(process.argv.slice(2));
const places = buildPlaces(ARGS.places);

/**
 * Folded names and aliases of curated places: derived city aliases and region
 * short forms must not take them ("White House" is not White House, Tennessee).
 */
const placeNames = new Set();
for (const p of places) for (const n of [p.name, ...p.aliases]) placeNames.add(fold(n));

// ---------------------------------------------------------------- cities

function readCityOverrides(file) {
  const map = new Map();
  if (!fs.existsSync(file)) return map;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim() || line.startsWith('#')) continue;
    const f = line.split('\t');
    const id = Number(f[0]);
    if (!Number.isInteger(id) || id <= 0) throw new Error(`cities.tsv: bad id in ${JSON.stringify(line)}`);
    if (map.has(id)) throw new Error(`cities.tsv: duplicate id ${id}`);
    map.set(id, {
      name: (f[1] ?? '').trim(),
      aliases: (f[2] ?? '').split('|').map((s) => s.trim()).filter(Boolean),
      flags: new Set((f[3] ?? '').split(',').map((s) => s.trim()).filter(Boolean)),
    });
  }
  return map;
}

const cityOverrides = readCityOverrides(parseArgs(process.argv.slice(2)).cityOverrides);

/** Default canonical name of a GeoNames row (before curated overrides). */
function defaultCityName(r) {
  if (ARABIC_ROMANISED.has(r.cc)) {
    const base = (r.ascii || toAscii(r.name)).replace(/['`]/g, '').replace(/\s+/g, ' ').trim();
    if (base) return base;
  }
  if (r.cc === 'IL') {
    // BGN Hebrew romanisation marks (Ḥ, ‘) are not used in English text.
    return toAscii(r.name).replace(/\s+/g, ' ').trim();
  }
  if (SOFT_SIGN.has(r.cc)) {
    // "Tver'" -> "Tver", "Groznyy" -> "Grozny" (RU), "Kryvyy Rih" -> "Kryvyi Rih" (UA).
    let n = normQuotes(r.name).replace(/(\p{L})'(?=\p{L}|\b)/gu, '$1').replace(/'/g, '');
    n = n.replace(/yy\b/g, r.cc === 'UA' ? 'yi' : 'y');
    if (n.trim()) return n.trim();
  }
  return r.name;
}

/** Aliases derived from GeoNames alternate names, screened for English-like spelling variants. */
function derivedAliases(r, canonical, bare, curated = []) {
  const out = [];
  const keep = (a, { fromAlt }) => {
    a = normQuotes(a).replace(/\s+/g, ' ').trim();
    if (!a || a === canonical) return;
    if (!isAliasShaped(a)) return;
    const f = fold(a);
    if (reserved.has(f) && f !== fold(bare)) return;
    if (placeNames.has(f)) return;
    if (words.common.has(f) && f !== fold(bare)) return;
    if (fromAlt) {
      const variant = isSpellingVariant(a, bare) || isSpellingVariant(a, r.name)
        || a === `${bare} City` || a === `City of ${bare}`;
      if (!variant) return;
      if (looksForeign(a, [bare, r.name, r.ascii, ...curated])) return;
    }
    out.push(a);
  };
  keep(r.ascii, { fromAlt: false });
  if (r.name !== canonical && isLatin(r.name) && !ARABIC_ROMANISED.has(r.cc)) {
    // The GeoNames name itself, if it is Latin script (diacritics allowed).
    const n = normQuotes(r.name);
    const f = fold(n);
    const blocked = (reserved.has(f) || placeNames.has(f) || words.common.has(f)) && f !== fold(bare);
    if (/^\p{Lu}/u.test(n) && !blocked && !(r.cc === 'US' && (words.veryCommon.has(f) || placeNames.has(f)))) out.push(n);
  }
  for (const alt of r.alts) keep(alt, { fromAlt: true });
  return out;
}

/** Aliases for romanised Arabic names: "Al-X" and bare "X" forms. */
function articleAliases(name) {
  const m = ARTICLE_RE.exec(name);
  if (!m) return [];
  const [, art, rest] = m;
  const out = [`${art}-${rest}`];
  if (letterKey(rest).length >= 5 && !words.common.has(fold(rest)) && !reserved.has(fold(rest))) out.push(rest);
  return out;
}

const FCODE_RANK = { PPLC: 0, PPLG: 1, PPLA: 2, PPLA2: 3, PPLA3: 4, PPLA4: 5, PPLA5: 6, PPL: 7 };

let commonWordDropped = 0;

function buildCities() {
  const selected = [];
  for (const r of geo) {
    const o = cityOverrides.get(r.id);
    const forced = Boolean(o);
    if (r.fclass !== 'P') continue;
    if (DROP_FCODES.has(r.fcode) && !forced) continue;
    const always = r.fcode === 'PPLC' || r.fcode === 'PPLA';
    if (!forced && !always && r.pop < minPopulation(r)) continue;
    if (o?.flags.has('drop')) continue;
    // A place whose name is a common English word ("Sir", "Man", "Sale",
    // "Reading") would match prose rather than the place, unless it is big
    // or a capital. US towns are named "Town, State" and are exempt.
    if (!forced && r.cc !== 'US') {
      const f = fold(defaultCityName(r));
      const veryCommon = words.veryCommon.has(f) && r.fcode !== 'PPLC' && r.pop < 1000000;
      const common = words.common.has(f) && !always && r.pop < 100000;
      if (veryCommon || common) {
        commonWordDropped++;
        continue;
      }
    }
    selected.push(r);
  }

  // Deduplicate: same country, same folded name, within 5 km -> keep the
  // better-ranked, then more populous record.
  const groups = new Map();
  for (const r of selected) {
    const k = `${r.cc}|${fold(r.name)}`;
    if (!groups.has(k)) groups.set(k, []);
    groups.get(k).push(r);
  }
  const dropped = new Set();
  for (const g of groups.values()) {
    if (g.length < 2) continue;
    g.sort((a, b) => (FCODE_RANK[a.fcode] ?? 9) - (FCODE_RANK[b.fcode] ?? 9) || b.pop - a.pop || a.id - b.id);
    for (let i = 0; i < g.length; i++) {
      if (dropped.has(g[i].id)) continue;
      for (let j = i + 1; j < g.length; j++) {
        if (dropped.has(g[j].id) || cityOverrides.has(g[j].id)) continue;
        if (distanceKm(g[i].lat, g[i].lon, g[j].lat, g[j].lon) < 5) dropped.add(g[j].id);
      }
    }
  }

  const recs = [];
  for (const r of selected) {
    if (dropped.has(r.id)) continue;
    const o = cityOverrides.get(r.id);
    const region = regionByAdmin.get(`${r.cc}.${r.a1}`);
    let bare = o?.name || defaultCityName(r);
    let name = bare;
    const aliases = [...(o?.aliases ?? [])];
    if (r.cc === 'US' && !o?.name) {
      const state = usStateName(r.a1);
      if (state && r.pop < US_BARE_MIN) {
        name = `${bare}, ${state}`;
        const f = fold(bare);
        if (!words.veryCommon.has(f) && !reserved.has(f) && !placeNames.has(f)) aliases.push(bare);
      } else if (state) {
        aliases.push(`${bare}, ${state}`);
      }
    }
    if (r.cc !== 'US' && !o?.name && r.fcode !== 'PPLC' && reserved.has(fold(bare))) {
      // A town named like a country or US state ("Armenia", Colombia;
      // "Jordan", Philippines) is qualified so the bare name stays the country's.
      name = `${bare} (${countries.get(r.cc)?.name ?? r.cc})`;
    }
    const rec = {
      id: `geo:${r.id}`, name, kind: 'city', cc: r.cc, lat: r.lat, lon: r.lon, pop: r.pop,
      aliases: [], admin1: region ? region.name : '', geo: r, bare,
      townState: r.cc === 'US' && name !== bare && !o?.name,
    };
    addAliases(rec, aliases);
    if (!o?.flags.has('noderived')) {
      let derived = derivedAliases(r, name, bare, o?.aliases ?? []);
      if (ARABIC_ROMANISED.has(r.cc)) derived.push(...articleAliases(bare));
      if (r.cc === 'US' && name !== bare) derived = derived.filter((a) => !words.veryCommon.has(fold(a)));
      const before = new Set(rec.aliases);
      addAliases(rec, derived);
      rec.derived = new Set(rec.aliases.filter((a) => !before.has(a)));
    }
    recs.push(rec);
  }
  for (const id of cityOverrides.keys()) {
    if (!geo.some((r) => r.id === id)) warn(`city override geo:${id} matches no GeoNames row`);
  }
  // A derived alias must not take the name of a more populous place
  // ("Sakai" for Saki, Crimea, is the name of a large Japanese city).
  const biggest = new Map();
  for (const c of recs) {
    const curated = cityOverrides.get(c.geo.id)?.aliases ?? [];
    for (const n of [c.name, c.bare, ...curated]) {
      const f = fold(n);
      if ((biggest.get(f) ?? -1) < c.pop) biggest.set(f, c.pop);
    }
  }
  let stolen = 0;
  for (const c of recs) {
    // The bare name of a small US town yields to a place ten times larger
    // ("Moscow" is not Moscow, Idaho; "Washington" is not Washington, Georgia).
    const bareTaken = reserved.has(fold(c.bare)) || words.veryCommon.has(fold(c.bare)) || placeNames.has(fold(c.bare));
    if (c.townState && (bareTaken || (biggest.get(fold(c.bare)) ?? -1) >= 10 * Math.max(c.pop, 1))) {
      c.aliases = c.aliases.filter((a) => fold(a) !== fold(c.bare));
      stolen++;
    }
    if (!c.derived?.size) continue;
    const keep = c.aliases.filter((a) => !c.derived.has(a) || fold(a) === fold(c.bare) || (biggest.get(fold(a)) ?? -1) <= c.pop);
    stolen += c.aliases.length - keep.length;
    c.aliases = keep;
  }
  return { recs, dedupDropped: dropped.size, stolen };
}

const { recs: cities, dedupDropped, stolen } = buildCities();

/** Folded names of seats (capitals, first-level seats) by "CC.admin1"; all city names. */
const seatNames = new Map();
const cityNamesAll = new Set();
for (const c of cities) {
  for (const n of [c.name, c.bare, ...c.aliases]) cityNamesAll.add(fold(n));
  if (!['PPLC', 'PPLA', 'PPLG'].includes(c.geo.fcode)) continue;
  const k = `${c.cc}.${c.geo.a1}`;
  if (!seatNames.has(k)) seatNames.set(k, new Set());
  seatNames.get(k).add(fold(c.bare));
}

// ---------------------------------------------------------------- regions (final)

const SUFFIX_RE = /^(.+?) (Oblast|Krai|Governorate|Province|Region|State|District|Prefecture|Voivodeship|County|Department|Autonomous Okrug|Autonomous Oblast|Republic)$/;

function buildRegions() {
  const out = [];
  for (const d of regionDrafts) {
    if (d.override.drop) continue;
    const rec = { id: d.id, name: d.name, kind: 'region', cc: d.cc, pop: 0, aliases: [], admin1: '' };
    const pts = d.admin && !d.override.noAdmin ? pointsByAdmin.get(`${d.cc}.${d.admin}`) ?? [] : [];
    const pt = d.override.coords ?? medianPoint(pts);
    if (pt) [rec.lat, rec.lon] = pt;
    else if (!d.override.name && !d.override.aliases) {
      // No GeoNames place carries this admin1 code: an obsolete or
      // mis-keyed unit (South Sudan's 2015-2020 states, for one).
      warn(`region ${d.id} "${d.name}" dropped: no coordinates`);
      continue;
    }
    const seats = d.override.noAdmin ? new Set() : seatNames.get(`${d.cc}.${d.admin}`) ?? new Set();
    // A suffix-less region named like its own seat duplicates that city
    // (city-states, capital districts, municipalities) unless curated; skip
    // it and leave the city.
    if (!SUFFIX_RE.test(d.name) && seats.has(fold(d.name)) && !d.override.name && !d.override.aliases) {
      warn(`region ${d.id} "${d.name}" dropped: same name as a city in ${d.cc}`);
      d.dropped = true;
      continue;
    }
    addAliases(rec, d.override.aliases ?? []);
    addAliases(rec, d.extraAliases ?? []);
    const m = SUFFIX_RE.exec(d.name);
    if (m) {
      const [, stem, suffix] = m;
      const lower = suffix.toLowerCase();
      const forms = [`${stem} ${lower}`];
      if (['Oblast', 'Krai'].includes(suffix)) forms.push(`${stem} region`, `${stem} Region`, `${stem} province`);
      if (suffix === 'Governorate') forms.push(`${stem} province`, `${stem} Province`);
      if (suffix === 'Voivodeship') forms.push(`${stem} Province`, `${stem} province`);
      addAliases(rec, forms);
      const f = fold(stem);
      const clash = cityNamesAll.has(f) || reserved.has(f) || placeNames.has(f) || words.common.has(f)
        || takenByOtherRegion(f, d.id) || letterKey(stem).length < 4;
      if (!clash) addAliases(rec, [stem]);
    }
    if (toAscii(rec.name) !== rec.name && !rec.name.includes('/')) addAliases(rec, [toAscii(rec.name)]);
    // The GeoNames spelling when it is a plain English-looking name.
    const g = normQuotes(d.geonamesName);
    if (g && isAliasShaped(g) && isLatin(g) && !takenByOtherRegion(fold(g), d.id)
      && ![cityNamesAll, reserved, placeNames, words.common].some((set) => set.has(fold(g)))) {
      addAliases(rec, [g]);
    }
    out.push(rec);
  }
  return out;
}

const regions = buildRegions();

// ---------------------------------------------------------------- places

function buildPlaces(file) {
  const out = [];
  for (const { line, f } of readTsv(file)) {
    const [id, name, kind, cc, lat, lon, pop, aliases, admin1] = f.map((s) => s.trim());
    const where = `${path.basename(file)}:${line}`;
    if (!/^place:[a-z0-9]+(-[a-z0-9]+)*$/.test(id)) throw new Error(`${where}: bad id ${id}`);
    if (!KINDS.has(kind) || kind === 'country') throw new Error(`${where}: bad kind ${kind}`);
    if (!(cc === '-' || /^[A-Z]{2}$/.test(cc))) throw new Error(`${where}: bad cc ${cc}`);
    const la = Number(lat);
    const lo = Number(lon);
    if (!lat || !lon || !Number.isFinite(la) || !Number.isFinite(lo) || Math.abs(la) > 90 || Math.abs(lo) > 180) {
      throw new Error(`${where}: bad coordinates ${lat},${lon}`);
    }
    if (!/^\d+$/.test(pop)) throw new Error(`${where}: bad population ${pop}`);
    const rec = { id, name, kind, cc: cc === '-' ? '-' : cc, lat: la, lon: lo, pop: Number(pop), aliases: [], admin1 };
    addAliases(rec, aliases ? aliases.split('|') : []);
    out.push(rec);
  }
  return out;
}

/**
 * Warns about curated places whose coordinates lie far from every GeoNames
 * populated place of their country (a likely typo in lat/lon).
 */
function checkPlaceCoordinates(list) {
  for (const p of list) {
    if (p.cc === '-') continue;
    const pts = pointsByCc.get(p.cc) ?? [];
    if (!pts.length) continue;
    let best = Infinity;
    for (const [la, lo] of pts) best = Math.min(best, distanceKm(p.lat, p.lon, la, lo));
    if (best > 150) warn(`place ${p.id} lies ${Math.round(best)} km from any populated place in ${p.cc}`);
  }
}

// ---------------------------------------------------------------- assemble

function main() {
  const args = ARGS;
  checkPlaceCoordinates(places);
  const all = [...countries.values(), ...regions, ...cities, ...places];

  const ids = new Set();
  for (const r of all) {
    if (ids.has(r.id)) throw new Error(`duplicate id ${r.id}`);
    ids.add(r.id);
  }
  // A curated place must not repeat a country's or region's canonical name.
  const bigNames = new Map();
  for (const r of all) if (r.kind === 'country' || (r.kind === 'region' && r.id.startsWith('adm:'))) bigNames.set(fold(r.name), r.id);
  for (const p of places) {
    const other = bigNames.get(fold(p.name));
    if (other) throw new Error(`place ${p.id} "${p.name}" repeats the canonical name of ${other}`);
  }

  all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const lines = [headerLine(), ...all.map(toLine)];
  fs.writeFileSync(args.out, `${lines.join('\n')}\n`);

  const kinds = {};
  for (const r of all) kinds[r.kind] = (kinds[r.kind] ?? 0) + 1;
  const summary = { rows: all.length, kinds, cityDuplicatesMerged: dedupDropped, aliasesDroppedForBiggerPlace: stolen, commonWordPlacesDropped: commonWordDropped, warnings: warnings.length };
  process.stderr.write(`${JSON.stringify(summary)}\n`);
  if (args.report) fs.writeFileSync(args.report, `${warnings.join('\n')}\n`);
}

main();
