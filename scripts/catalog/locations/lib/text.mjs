// Text helpers shared by the locations catalog build: folding, alias
// screening and string distance. Pure functions, no I/O.

const SPECIAL = new Map(Object.entries({
  'ł': 'l', 'Ł': 'L', 'ø': 'o', 'Ø': 'O', 'đ': 'd', 'Đ': 'D', 'ß': 'ss', 'æ': 'ae', 'Æ': 'AE',
  'œ': 'oe', 'Œ': 'OE', 'ı': 'i', 'ħ': 'h', 'Ħ': 'H', 'þ': 'th', 'Þ': 'Th', 'ð': 'd', 'Ð': 'D',
  'ə': 'a', 'Ə': 'A', 'ǝ': 'a',
}));

/** Normalises quote-like marks used in romanisations to a plain apostrophe. */
export function normQuotes(s) {
  return s.replace(/[’‘`´ʼʻʹ′]/g, "'").replace(/[‐‑‒–—]/g, '-');
}

/** Removes diacritics and maps special Latin letters to ASCII; keeps case. */
export function toAscii(s) {
  let out = '';
  for (const ch of normQuotes(s).normalize('NFKD')) {
    if (/\p{M}/u.test(ch)) continue;
    out += SPECIAL.get(ch) ?? ch;
  }
  return out;
}

/** Lowercase ASCII fold with punctuation reduced to single spaces. */
export function fold(s) {
  return toAscii(s).toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
}

/** Letters-only key used for spelling-variant comparison. */
export function letterKey(s) {
  return toAscii(s).toLowerCase().replace(/[^a-z]/g, '');
}

/** True when every character is Latin script, a space or ordinary punctuation. */
export function isLatin(s) {
  return /^[\p{Script=Latin}\p{M}\s'\-.,()’‘`ʼ]+$/u.test(s);
}

/** Classic Levenshtein distance. */
export function levenshtein(a, b) {
  if (a === b) return 0;
  if (!a.length) return b.length;
  if (!b.length) return a.length;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}

/**
 * True when alias looks like a transliteration variant of name. Short names
 * tolerate no change (one letter off "Paris" is "Paras", "Baris", "Parys";
 * off "London", "Londen", "Londyn"), 7-8 letters one edit, longer names two.
 */
export function isSpellingVariant(alias, name) {
  const a = letterKey(alias);
  const n = letterKey(name);
  if (!a || !n) return false;
  const len = Math.min(a.length, n.length);
  let allowed = 0;
  if (len >= 9) allowed = Math.min(2, Math.floor(len / 4));
  else if (len >= 7) allowed = 1;
  return levenshtein(a, n) <= allowed;
}

// Lowercase particles that may appear inside a proper place name.
const PARTICLES = new Set([
  'al', 'el', 'ad', 'ar', 'as', 'ash', 'at', 'az', 'an', 'adh', 'ath', 'ibn', 'bin', 'bint', 'abu',
  'de', 'del', 'della', 'dei', 'di', 'da', 'do', 'dos', 'das', 'du', 'des', 'la', 'le', 'les', 'los',
  'las', 'lo', 'y', 'e', 'et', 'van', 'der', 'den', 'ter', 'von', 'zu', 'am', 'im', 'an', 'on',
  'upon', 'sur', 'sul', 'sous', 'en', 'of', 'the', 'and',
]);

/**
 * Screens a candidate alias for shape: ASCII letters with spaces, hyphens,
 * apostrophes and dots; starts with a capital; not all capitals (airport
 * and other codes); every word capitalised or a known particle; 4+ letters.
 */
export function isAliasShaped(alias) {
  if (!/^[A-Z][A-Za-z' .\-]*[A-Za-z.]$/.test(alias)) return false;
  if (/^[A-Z][A-Z][a-z]/.test(alias)) return false; // Bantu noun-class prefixes: "ILondon", "EBloemfontein"
  if (letterKey(alias).length < 4) return false;
  if (alias === alias.toUpperCase()) return false;
  for (const w of alias.split(/[ \-]+/)) {
    if (!w) return false;
    if (/^[A-Z]/.test(w)) continue;
    if (PARTICLES.has(w.replace(/'.*$/, ''))) continue;
    return false;
  }
  return true;
}

/** Makes a lowercase ASCII slug for place ids. */
export function slug(s) {
  return fold(s).replace(/ /g, '-');
}

/** Formats a coordinate with 4 decimals, or '' when not finite. */
export function coord(x) {
  if (x === null || x === undefined || !Number.isFinite(x)) return '';
  const v = Math.round(x * 10000) / 10000;
  return (Object.is(v, -0) ? 0 : v).toFixed(4);
}

/**
 * Median position of points, longitudes taken relative to the first point so
 * that sets crossing the antimeridian stay together.
 */
export function medianPoint(points) {
  if (!points.length) return null;
  const median = (xs) => {
    const s = [...xs].sort((x, y) => x - y);
    const m = s.length >> 1;
    return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
  };
  const ref = points[0][1];
  const lat = median(points.map((p) => p[0]));
  let lon = ref + median(points.map((p) => ((p[1] - ref + 540) % 360) - 180));
  if (lon > 180) lon -= 360;
  if (lon < -180) lon += 360;
  return [lat, lon];
}

/** Great-circle distance in kilometres. */
export function distanceKm(lat1, lon1, lat2, lon2) {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLon = (lon2 - lon1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLon / 2) ** 2;
  return 12742 * Math.asin(Math.sqrt(a));
}

// Letter groups typical of German, Polish, Czech, Dutch, French or
// Scandinavian romanisations ("Charkiw", "Kijów", "Tchernihiv", "Loehansk").
// Also Greek-style "Nt"/"Nk"/"Mp" for D/G/B, Russian-style "Eh" for E and
// apostrophes for soft signs.
const FOREIGN_ORTHOGRAPHY = [
  /j/, /w/, /sch/, /tsch/, /cz/, /sz/, /tch/, /zj/, /oe/, /ou/, /dsch/, /dj/, /x/, /q/,
  /(^| )nt/, /(^| )nk/, /(^| )mp/, /eh/, /'/,
];

/**
 * True when alias uses a foreign-orthography letter group that the
 * reference spellings (canonical and GeoNames names) do not use, or is a
 * grammatical inflection of the name (name + case ending, as in "Kharkiva").
 */
export function looksForeign(alias, refs) {
  const a = toAscii(alias).toLowerCase();
  const r = refs.map((x) => toAscii(x).toLowerCase()).join(' ');
  for (const re of FOREIGN_ORTHOGRAPHY) {
    if (re.test(a) && !re.test(r)) return true;
  }
  const ak = letterKey(alias);
  for (const ref of refs) {
    const k = letterKey(ref);
    if (k.length > ak.length && k.startsWith(ak)) return true; // truncation ("Odess", "Rafa")
    if (ak !== k && ak.replace(/v/g, 'w') === k) return true; // "Vashington" 
    if (ak.length > k.length && ak.startsWith(k) && /^(a|e|i|o|u|y|as|ae|us|um|is|os|on|om|u|ja|ia|ija|oj|ov|ul|ui)$/.test(ak.slice(k.length))) return true;
  }
  return false;
}
