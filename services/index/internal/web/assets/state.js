// state.js: the page's state lives in the URL, with the API's own parameter
// names (/?location=Budapest&weapon=Patriot), so a link reproduces a view.

// TYPES are the entity filter parameters, in display order.
export const TYPES = ['actor', 'weapon', 'location', 'category', 'country'];

// FILTERS are the parameters that select articles (search, timeline, export).
export const FILTERS = [...TYPES, ...TYPES.map((t) => 'not_' + t), 'source', 'language', 'q', 'from', 'to', 'near', 'within', 'bbox'];

// KEEP are the parameters a new search keeps: the filters and how the
// list is shown (a new search starts again at page 1).
export const KEEP = [...FILTERS, 'sort', 'size'];

export const LABELS = { actor: 'Actor', weapon: 'Weapon', location: 'Place', category: 'Category', country: 'Country', q: 'Text', source: 'Source', language: 'Language', from: 'From', to: 'To', near: 'Near', within: 'Within', bbox: 'Box' };

// current returns the search state of the address bar.
export function current() {
  return new URLSearchParams(location.search);
}

// pick keeps the named parameters of p.
export function pick(p, names) {
  const out = new URLSearchParams();
  for (const [k, v] of p) if (names.includes(k) && v !== '') out.append(k, v);
  return out;
}

// withFilter adds a filter value (once) and goes back to the first page.
export function withFilter(p, name, value) {
  const out = pick(p, KEEP);
  if (name === 'from' || name === 'to') out.delete(name);
  if (!out.getAll(name).includes(value)) out.append(name, value);
  return out;
}

// withoutFilter removes one filter value.
export function withoutFilter(p, name, value) {
  const out = new URLSearchParams();
  for (const [k, v] of pick(p, KEEP)) if (!(k === name && v === value)) out.append(k, v);
  return out;
}

// has tells whether the filter value is set.
export function has(p, name, value) {
  return p.getAll(name).some((v) => v.toLowerCase() === String(value).toLowerCase());
}

// searchURL is the page address of a state.
export function searchURL(p) {
  const s = p.toString();
  return s ? '/?' + s : '/';
}

// typeOf names the entity type of a filter parameter (not_actor: actor).
export function typeOf(name) {
  return name.replace(/^not_/, '');
}
