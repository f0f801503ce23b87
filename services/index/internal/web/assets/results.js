// results.js: the result list (title, source, date, snippet, entity chips
// that filter) and the facet panels with their counts.

import { h, fill, day, highlighted, num } from './dom.js';
import { LABELS, has } from './state.js';

const MAX_CHIPS = 14;

// entityChips lists an article's entities as buttons that add a filter.
export function entityChips(hit, onFilter) {
  const all = [
    ...hit.actors.map((e) => ['actor', e.name, e]),
    ...hit.weapons.map((e) => ['weapon', e.name, e]),
    ...hit.locations.map((e) => ['location', e.name, e]),
    ...(hit.weapon_categories || []).map((c) => ['category', c, null]),
  ];
  const shown = all.slice(0, MAX_CHIPS);
  return h('ul', { class: 'ents', 'aria-label': 'Entities named' },
    shown.map(([type, name]) => h('li', {}, h('button', {
      type: 'button', class: 't-' + type, 'data-type': type, 'data-value': name,
      'aria-label': `Filter by ${LABELS[type].toLowerCase()} ${name}`,
      onclick: () => onFilter(type, name),
    }, name))),
    all.length > MAX_CHIPS ? h('li', { class: 'small' }, `+${all.length - MAX_CHIPS} more`) : null);
}

// renderHits fills the result list.
export function renderHits(ol, hits, onFilter) {
  fill(ol, hits.map((hit) => h('li', { class: 'hit', 'data-id': hit.id },
    h('h3', {}, h('a', { href: '/article/' + encodeURIComponent(hit.id), 'data-nav': '' },
      hit.title_highlight ? highlighted(hit.title_highlight) : hit.title || hit.id)),
    h('p', { class: 'meta' }, [hit.source, day(hit.published_at) || 'undated'].filter(Boolean).join(' · ')),
    hit.snippet ? h('p', { class: 'snippet' }, highlighted(hit.snippet)) : null,
    entityChips(hit, onFilter))));
}

const FACETS = [
  ['actor', 'actors', 'Actors'], ['weapon', 'weapons', 'Weapons'], ['location', 'locations', 'Places'],
  ['category', 'categories', 'Weapon categories'], ['country', 'countries', 'Countries'],
];

// renderFacets fills the facet panels; a value already filtered on is
// pressed, and pressing it again removes the filter.
export function renderFacets(aside, facets, params, onToggle) {
  fill(aside, FACETS.map(([type, key, title]) => {
    const list = (facets && facets[key]) || [];
    return h('details', { open: true, 'data-facet': type },
      h('summary', {}, title),
      list.length ? h('ul', {}, list.map((f) => {
        const name = f.name || f.value;
        const value = type === 'category' || type === 'country' ? f.value : f.name;
        const on = has(params, type, value) || has(params, type, f.id || f.value);
        const off = has(params, 'not_' + type, value);
        return h('li', {}, h('button', {
          type: 'button', 'aria-pressed': String(on), 'data-type': type, 'data-value': value,
          onclick: () => onToggle(type, value, on),
        }, h('span', {}, name), h('span', { class: 'n' }, num(f.count))),
        h('button', {
          type: 'button', class: 'not', 'aria-pressed': String(off), 'data-type': 'not_' + type, 'data-value': value,
          'aria-label': `Exclude ${name}`, title: `Exclude ${name}`,
          onclick: () => onToggle('not_' + type, value, off),
        }, '−'));
      })) : h('p', { class: 'empty' }, 'none'));
  }));
}

