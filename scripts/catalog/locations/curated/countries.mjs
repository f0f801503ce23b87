// Hand-curated country names. Canonical names follow common English news
// usage; aliases are short forms and official names seen in English text.
// Demonyms are deliberately absent (they are not locations).

/** Canonical name overrides, keyed by ISO 3166-1 alpha-2. */
export const COUNTRY_NAMES = {
  US: 'United States', GB: 'United Kingdom', RU: 'Russia', IR: 'Iran', KR: 'South Korea',
  KP: 'North Korea', CZ: 'Czech Republic', TR: 'Turkey', SY: 'Syria', LA: 'Laos', BN: 'Brunei',
  MD: 'Moldova', TZ: 'Tanzania', VN: 'Vietnam', BO: 'Bolivia', VE: 'Venezuela', TW: 'Taiwan',
  PS: 'Palestine', CN: 'China', CD: 'Democratic Republic of the Congo', CG: 'Republic of the Congo',
  CI: 'Ivory Coast', MK: 'North Macedonia', VA: 'Vatican City', FM: 'Micronesia', BS: 'Bahamas',
  GM: 'Gambia', TL: 'East Timor', IE: 'Ireland', MO: 'Macau', CV: 'Cape Verde', SZ: 'Eswatini',
  FK: 'Falkland Islands', VG: 'British Virgin Islands', VI: 'U.S. Virgin Islands',
  BQ: 'Caribbean Netherlands', MF: 'Saint Martin', SX: 'Sint Maarten', PN: 'Pitcairn Islands',
  HK: 'Hong Kong', KN: 'Saint Kitts and Nevis', ST: 'Sao Tome and Principe', MM: 'Myanmar',
  AE: 'United Arab Emirates', NL: 'Netherlands', XK: 'Kosovo', EH: 'Western Sahara',
  TF: 'French Southern and Antarctic Lands', UM: 'United States Minor Outlying Islands',
  SH: 'Saint Helena, Ascension and Tristan da Cunha', RE: 'Réunion', CW: 'Curaçao',
  BL: 'Saint Barthélemy', AX: 'Åland Islands',
};

/** Extra aliases, keyed by ISO 3166-1 alpha-2. */
export const COUNTRY_ALIASES = {
  US: ['US', 'U.S.', 'USA', 'U.S.A.', 'America', 'United States of America'],
  GB: ['UK', 'U.K.', 'Britain', 'Great Britain', 'United Kingdom of Great Britain and Northern Ireland'],
  RU: ['Russian Federation'],
  IR: ['Islamic Republic of Iran'],
  KR: ['Republic of Korea', 'ROK', 'S. Korea'],
  KP: ['DPRK', "Democratic People's Republic of Korea", 'N. Korea'],
  CN: ["People's Republic of China", 'PRC', 'P.R.C.', 'Mainland China'],
  TW: ['Republic of China'],
  CZ: ['Czechia'],
  TR: ['Türkiye', 'Turkiye', 'Republic of Turkey'],
  SY: ['Syrian Arab Republic'],
  AE: ['UAE', 'U.A.E.', 'Emirates'],
  SA: ['Kingdom of Saudi Arabia', 'KSA'],
  CD: ['DRC', 'DR Congo', 'D.R. Congo', 'Congo-Kinshasa', 'Congo'],
  CG: ['Congo-Brazzaville', 'Congo Republic'],
  CI: ["Côte d'Ivoire", "Cote d'Ivoire"],
  MM: ['Burma'],
  NL: ['The Netherlands', 'Holland'],
  PS: ['State of Palestine', 'Palestinian territories', 'Palestinian Territories', 'occupied Palestinian territories', 'Occupied Palestinian Territories'],
  VA: ['Holy See', 'Vatican'],
  MK: ['Macedonia', 'Republic of North Macedonia'],
  SZ: ['Swaziland'],
  CV: ['Cabo Verde'],
  TL: ['Timor-Leste'],
  MD: ['Republic of Moldova'],
  BA: ['Bosnia', 'Bosnia-Herzegovina'],
  VN: ['Viet Nam'],
  LA: ["Lao People's Democratic Republic"],
  BS: ['The Bahamas'],
  GM: ['The Gambia'],
  IE: ['Republic of Ireland'],
  DE: ['Federal Republic of Germany'],
  FR: ['French Republic'],
  BY: ['Republic of Belarus'],
  VE: ['Bolivarian Republic of Venezuela'],
  BO: ['Plurinational State of Bolivia'],
  TZ: ['United Republic of Tanzania'],
  FM: ['Federated States of Micronesia'],
  MO: ['Macao'],
  HK: ['Hong Kong SAR'],
  VI: ['US Virgin Islands', 'United States Virgin Islands'],
  ST: ['São Tomé and Príncipe'],
  KN: ['St Kitts and Nevis', 'St. Kitts and Nevis'],
  LC: ['St Lucia', 'St. Lucia'],
  VC: ['St Vincent and the Grenadines', 'St. Vincent and the Grenadines'],
  DO: ['Dominican Rep.'],
  EH: ['Sahrawi Arab Democratic Republic'],
  XK: ['Republic of Kosovo'],
};

/** Names that must never become aliases of a country even if a source lists them. */
export const COUNTRY_ALIAS_BLOCK = new Set([
  'Taiwan, Province of China', 'Korea, Republic of', 'Moldova, Republic of', 'Korea',
  'Micronesia, Federated States of', 'Virgin Islands, British', 'Virgin Islands, U.S.',
  'Netherlands (Kingdom of the)', 'Holy See (Vatican City State)', 'Falkland Islands (Malvinas)',
  'Saint Martin (French part)', 'Sint Maarten (Dutch part)', 'Congo', 'Pitcairn',
]);

/** Former states still cited in news, emitted as kind country. */
export const HISTORICAL_COUNTRIES = [
  { cc: 'SU', name: 'Soviet Union', lat: 61.5240, lon: 105.3188, aliases: ['USSR', 'U.S.S.R.', 'Union of Soviet Socialist Republics'] },
  { cc: 'DD', name: 'East Germany', lat: 52.5200, lon: 12.5000, aliases: ['German Democratic Republic', 'GDR'] },
  { cc: 'YU', name: 'Yugoslavia', lat: 44.0000, lon: 19.5000, aliases: ['Socialist Federal Republic of Yugoslavia', 'Federal Republic of Yugoslavia'] },
  { cc: 'CS', name: 'Czechoslovakia', lat: 49.5000, lon: 17.0000, aliases: [] },
  { cc: 'ZR', name: 'Zaire', lat: -2.8800, lon: 23.6560, aliases: [] },
];
