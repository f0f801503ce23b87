// Tests of the generated services/pipeline/catalog/data/locations.tsv.gz:
// format invariants, spot checks of canonical names and aliases, and that
// the committed file equals a fresh build. Run: node --test test/

import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkgDir = path.resolve(here, '..');
const dataDir = path.resolve(pkgDir, '../../../services/pipeline/catalog/data');
const gzPath = path.join(dataDir, 'locations.tsv.gz');

const gz = fs.readFileSync(gzPath);
const text = zlib.gunzipSync(gz).toString('utf8');
const lines = text.split('\n');
const rows = lines.slice(1).filter(Boolean).map((l) => l.split('\t'));
const byId = new Map(rows.map((r) => [r[0], r]));

/** Records whose canonical name or an alias equals s. */
function lookup(s) {
  return rows.filter((r) => r[1] === s || (r[7] && r[7].split('|').includes(s)));
}

/** The most populous record (countries and regions first) answering to s. */
function best(s) {
  const rank = { country: 0, region: 1, place: 2, city: 3 };
  return lookup(s).sort((a, b) => Number(b[6]) - Number(a[6]) || rank[a[2]] - rank[b[2]])[0];
}

test('header and column layout', () => {
  assert.equal(lines[0], '# id\tname\tkind\tcc\tlat\tlon\tpopulation\taliases\tadmin1');
  assert.equal(lines.at(-1), '', 'file ends with a newline');
  for (const r of rows) assert.equal(r.length, 9, `row ${r[0]} has ${r.length} columns`);
});

test('gzip header has no timestamp and no file name', () => {
  assert.equal(gz[0], 0x1f);
  assert.equal(gz[1], 0x8b);
  assert.equal(gz[3] & 0x08, 0, 'FNAME flag set');
  assert.equal(gz.readUInt32LE(4), 0, 'MTIME is not zero');
});

test('ids are unique, well formed and sorted', () => {
  const ids = rows.map((r) => r[0]);
  assert.equal(new Set(ids).size, ids.length);
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  assert.deepEqual(ids, sorted);
  for (const id of ids) assert.match(id, /^(iso:[A-Z]{2}|geo:\d+|adm:[A-Z]{2}-[A-Za-z0-9]+|place:[a-z0-9-]+)$/);
});

test('field values are valid', () => {
  const kinds = new Set(['country', 'region', 'city', 'place']);
  for (const [id, name, kind, cc, lat, lon, pop, aliases] of rows) {
    assert.ok(name.trim() === name && name, `${id}: name`);
    assert.ok(kinds.has(kind), `${id}: kind ${kind}`);
    assert.match(cc, /^([A-Z]{2}|-)$/, `${id}: cc`);
    if (lat || lon) {
      assert.match(lat, /^-?\d{1,2}\.\d{4}$/, `${id}: lat ${lat}`);
      assert.match(lon, /^-?\d{1,3}\.\d{4}$/, `${id}: lon ${lon}`);
      assert.ok(Math.abs(Number(lat)) <= 90 && Math.abs(Number(lon)) <= 180, `${id}: range`);
    }
    assert.match(pop, /^\d+$/, `${id}: population`);
    if (aliases) {
      const list = aliases.split('|');
      assert.equal(new Set(list).size, list.length, `${id}: duplicate alias`);
      for (const a of list) {
        assert.ok(a && a.trim() === a, `${id}: blank alias`);
        assert.notEqual(a, name, `${id}: alias repeats the name`);
        // English-usage aliases only: Latin script, no Cyrillic, Arabic, CJK...
        assert.match(a, /^[\p{Script=Latin}\p{M}0-9 '’.,&()\-]+$/u, `${id}: non-Latin alias ${a}`);
      }
    }
    if (id.startsWith('iso:')) assert.equal(kind, 'country');
    if (id.startsWith('geo:')) assert.equal(kind, 'city');
  }
});

test('sizes per kind', () => {
  const count = (k) => rows.filter((r) => r[2] === k).length;
  assert.ok(count('country') >= 250, `countries ${count('country')}`);
  assert.ok(count('region') >= 3000, `regions ${count('region')}`);
  assert.ok(count('city') >= 50000, `cities ${count('city')}`);
  const places = rows.filter((r) => r[0].startsWith('place:'));
  assert.ok(places.length >= 250, `curated places ${places.length}`);
  for (const p of places) assert.ok(p[4] && p[5], `${p[0]} lacks coordinates`);
  assert.ok(gz.length < 8 * 1024 * 1024, `compressed size ${gz.length}`);
});

test('canonical names and aliases (spot checks)', () => {
  const cases = [
    // [text as it appears, expected canonical name, expected kind, expected cc]
    ['Kyiv', 'Kyiv', 'city', 'UA'], ['Kiev', 'Kyiv', 'city', 'UA'],
    ['Kharkov', 'Kharkiv', 'city', 'UA'], ['Odessa', 'Odesa', 'city', 'UA'],
    ['Nikolaev', 'Mykolaiv', 'city', 'UA'], ['Mykolayiv', 'Mykolaiv', 'city', 'UA'],
    ['Soledar', 'Soledar', 'city', 'UA'], ['Artemivsk', 'Bakhmut', 'city', 'UA'],
    ['Novaya Kakhovka', 'Nova Kakhovka', 'city', 'UA'], ['Dnipropetrovsk', 'Dnipro', 'city', 'UA'],
    ['Zaporizhzhia', 'Zaporizhzhia', 'city', 'UA'],
    ['Jenin', 'Jenin', 'city', 'PS'], ['Khan Yunis', 'Khan Younis', 'city', 'PS'],
    ['Rafah', 'Rafah', 'city', 'PS'], ["Sana'a", 'Sanaa', 'city', 'YE'], ['Hodeidah', 'Hodeidah', 'city', 'YE'],
    ['Khartoum', 'Khartoum', 'city', 'SD'], ['El Fasher', 'El Fasher', 'city', 'SD'],
    ['Khankendi', 'Stepanakert', 'city', 'AZ'], ['Stepanakert', 'Stepanakert', 'city', 'AZ'],
    ['Tomahawk, Wisconsin', 'Tomahawk, Wisconsin', 'city', 'US'],
    ['Washington, D.C.', 'Washington, D.C.', 'city', 'US'], ['Washington', 'Washington, D.C.', 'city', 'US'],
    ['Moscow', 'Moscow', 'city', 'RU'], ['Tehran', 'Tehran', 'city', 'IR'],
    ['United States', 'United States', 'country', 'US'], ['U.S.', 'United States', 'country', 'US'],
    ['Britain', 'United Kingdom', 'country', 'GB'], ['Russian Federation', 'Russia', 'country', 'RU'],
    ['DPRK', 'North Korea', 'country', 'KP'], ['ROK', 'South Korea', 'country', 'KR'],
    ['PRC', 'China', 'country', 'CN'], ['Czechia', 'Czech Republic', 'country', 'CZ'],
    ['Türkiye', 'Turkey', 'country', 'TR'], ['UAE', 'United Arab Emirates', 'country', 'AE'],
    ['Soviet Union', 'Soviet Union', 'country', 'SU'], ['GDR', 'East Germany', 'country', 'DD'],
    ['Kherson region', 'Kherson Oblast', 'region', 'UA'], ['Kherson province', 'Kherson Oblast', 'region', 'UA'],
    ['Donetsk region', 'Donetsk Oblast', 'region', 'UA'], ['Crimea', 'Crimea', 'region', 'UA'],
    ['Belgorod Oblast', 'Belgorod Oblast', 'region', 'RU'], ['Kursk region', 'Kursk Oblast', 'region', 'RU'],
    ['Alaska', 'Alaska', 'region', 'US'], ['Wisconsin', 'Wisconsin', 'region', 'US'],
    ['Georgia (U.S. state)', 'Georgia (U.S. state)', 'region', 'US'],
    ['Gaza Strip', 'Gaza Strip', 'region', 'PS'], ['West Bank', 'West Bank', 'region', 'PS'],
    ['Black Sea', 'Black Sea', 'place', '-'], ['Bab el-Mandeb', 'Bab el-Mandeb', 'place', '-'],
    ['Spratlys', 'Spratly Islands', 'place', '-'], ['Ayungin Shoal', 'Second Thomas Shoal', 'place', '-'],
    ['ZNPP', 'Zaporizhzhia Nuclear Power Plant', 'place', 'UA'], ['Kerch Bridge', 'Crimean Bridge', 'place', '-'],
    ['Donbas', 'Donbas', 'region', 'UA'], ['Nagorno-Karabakh', 'Nagorno-Karabakh', 'region', 'AZ'],
    ['Darfur', 'Darfur', 'region', 'SD'], ['White House', 'White House', 'place', 'US'],
  ];
  for (const [text, name, kind, cc] of cases) {
    const r = best(text);
    assert.ok(r, `${text}: not found`);
    assert.deepEqual([r[1], r[2], r[3]], [name, kind, cc], `${text}`);
  }
});

test('the country Georgia and the US state are distinct records', () => {
  const georgia = lookup('Georgia').map((r) => r[0]).sort();
  assert.deepEqual(georgia, ['adm:US-GA', 'iso:GE']);
  assert.equal(byId.get('iso:GE')[1], 'Georgia');
});

test('Kherson city and Kherson Oblast are separate', () => {
  const city = best('Kherson');
  assert.equal(city[2], 'city');
  assert.equal(city[8], 'Kherson Oblast');
  assert.ok(!byId.get('adm:UA-65')[7].split('|').includes('Kherson'), 'the region must not answer to the bare city name');
});

test('US towns below the threshold are "Town, State" with the bare alias', () => {
  const r = best('Tomahawk');
  assert.equal(r[1], 'Tomahawk, Wisconsin');
  assert.equal(r[8], 'Wisconsin');
  assert.ok(r[7].split('|').includes('Tomahawk'));
  // A very common word is not a bare alias of a small town.
  for (const row of lookup('Hope')) assert.notEqual(row[3], 'US', `${row[0]} answers to "Hope"`);
});

test('capitals are present everywhere', () => {
  for (const c of ['Kabul', 'Mogadishu', 'Naypyidaw', 'Pyongyang', 'Tripoli', 'Damascus', 'Baghdad', 'Minsk', 'Chisinau', 'Tbilisi', 'Yerevan', 'Baku']) {
    const r = best(c);
    assert.ok(r && r[2] === 'city', `${c} missing`);
  }
});

test('derived aliases do not carry foreign-language forms', () => {
  const kyiv = byId.get('geo:703448')[7].split('|');
  for (const bad of ['Kiew', 'Kijów', 'Kijev', 'Kaenugardur']) assert.ok(!kyiv.includes(bad), `Kyiv alias ${bad}`);
  const paris = byId.get('geo:2988507');
  assert.equal(paris[1], 'Paris');
  for (const bad of ['Paras', 'Baris', 'Parys']) assert.ok(!paris[7].split('|').includes(bad), `Paris alias ${bad}`);
});

test('committed file equals a fresh build', { skip: !fs.existsSync(path.join(pkgDir, 'node_modules')) && 'node_modules missing: run build.sh' }, () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'locations-'));
  try {
    const out = path.join(tmp, 'locations.tsv');
    execFileSync(process.execPath, [path.join(pkgDir, 'build.mjs'), out], { stdio: ['ignore', 'ignore', 'pipe'] });
    assert.ok(fs.readFileSync(out, 'utf8') === text, 'locations.tsv.gz is stale: run scripts/catalog/locations/build.sh');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});
