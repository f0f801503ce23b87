// Which GeoNames populated places enter the catalog, and how they are named.

/** Feature codes never taken: historical, abandoned, destroyed, religious, sections. */
export const DROP_FCODES = new Set(['PPLH', 'PPLQ', 'PPLW', 'PPLR', 'PPLCH', 'PPLX', '']);

/** Conflict and tension countries: every populated place the data has. */
export const ALL_PLACES = new Set([
  'UA', 'BY', 'MD', 'GE', 'AM', 'AZ', 'IL', 'PS', 'LB', 'SY', 'IQ', 'IR', 'YE', 'SD', 'SS', 'SO',
  'LY', 'ML', 'BF', 'NE', 'TW', 'KP', 'KR', 'AF', 'MM', 'ET', 'CD', 'XK',
  'NG', 'CM', 'TD', 'CF', 'MZ', 'ER', 'HT', 'JO',
]);

/** Countries taken down to 1,000 inhabitants (US for local news, NATO's eastern flank). */
export const POP_1000 = new Set(['US', 'PL', 'LT', 'LV', 'EE', 'FI']);

/** Default minimum population worldwide. */
export const WORLD_MIN = 5000;

/** Minimum population for European countries not listed above. */
export const EUROPE_MIN = 5000;

/**
 * Minimum population for a GeoNames row to be taken; capitals (PPLC) and
 * first-level seats (PPLA) are always taken by the caller.
 */
export function minPopulation(r) {
  if (ALL_PLACES.has(r.cc)) return 0;
  if (POP_1000.has(r.cc)) return 1000;
  switch (r.cc) {
    case 'RU': return r.lon < 60 ? 1000 : 5000; // European Russia and the Urals in detail
    case 'PH': return 5000; // below this, barangays with repeated saint names dominate
    case 'IN': return ['12', '41'].includes(r.a1) ? 1000 : WORLD_MIN; // Jammu and Kashmir, Ladakh
    case 'PK': return ['03', '06', '07'].includes(r.a1) ? 1000 : WORLD_MIN; // KP, Azad Kashmir, Gilgit-Baltistan
    case 'RO': return 5000;
    default: break;
  }
  if (r.tz.startsWith('Europe/')) return EUROPE_MIN;
  return WORLD_MIN;
}

/** Countries whose GeoNames names are BGN romanisations of Arabic or Persian. */
export const ARABIC_ROMANISED = new Set([
  'DZ', 'BH', 'EG', 'IQ', 'JO', 'KW', 'LB', 'LY', 'MA', 'OM', 'PS', 'QA', 'SA', 'SD', 'SY', 'TN',
  'AE', 'YE', 'IR', 'AF', 'MR', 'EH',
]);

/** US places at or above this population keep their bare name as canonical. */
export const US_BARE_MIN = 300000;

/** Leading Arabic articles in romanised names ("Ar Raqqah", "Al Fashir"). */
export const ARTICLE_RE = /^(Al|Ad|Adh|Ar|As|Ash|At|Ath|Az|An|El|Ed|Er|Es|Et|Ez|En)[ -](.+)$/;

/** Countries whose GeoNames names keep Slavic soft-sign apostrophes and BGN "yy". */
export const SOFT_SIGN = new Set(['RU', 'UA', 'BY', 'KZ', 'KG', 'TJ', 'UZ', 'TM', 'MD', 'GE', 'AM', 'AZ']);
