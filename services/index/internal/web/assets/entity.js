// entity.js: an entity's page: aliases, kind or category, country, its
// mention timeline, the actors, weapons and places most often named with
// it, and the latest articles naming it.

import { get, ApiError } from './api.js';
import { h, fill, day, num, plural } from './dom.js';
import { renderTimeline } from './timeline.js';
import { renderMap } from './map.js';
import { LABELS, searchURL } from './state.js';

const RELATED = [['actor', 'actors', 'Actors'], ['weapon', 'weapons', 'Weapons'], ['location', 'locations', 'Places'],
  ['category', 'categories', 'Weapon categories'], ['country', 'countries', 'Countries']];

function relatedLink(type, f) {
  const id = f.id || f.value;
  return h('li', {}, h('a', { href: `/entity/${type}/${encodeURIComponent(id)}`, 'data-nav': '' }, f.name || id),
    h('span', { class: 'small' }, num(f.count)));
}

export async function showEntity(root, type, id, nav) {
  root.dataset.view = type + ':' + id;
  fill(root, h('p', {}, 'Loading…'));
  let e;
  try {
    e = await get(`/v1/entities/${encodeURIComponent(type)}/${encodeURIComponent(id)}?facet_size=8`);
  } catch (err) {
    const msg = err instanceof ApiError && err.missing
      ? 'This server does not offer GET /v1/entities/{type}/{id}, so entity pages cannot be shown.'
      : err.message;
    fill(root, h('header', {}, h('h1', {}, id), h('p', { class: 'missing', role: 'alert' }, msg),
      h('p', {}, h('a', { href: searchURL(new URLSearchParams([[type, id]])), 'data-nav': '' }, 'Search articles naming it'))));
    return;
  }
  document.title = e.name + ' · Desk search';
  const filterValue = type === 'category' || type === 'country' ? e.id : e.name;
  const search = new URLSearchParams([[type, filterValue]]);
  const detail = [LABELS[type], e.kind, e.category].filter(Boolean).join(' · ');
  const tl = h('div', { class: 'timeline' });
  const latest = h('ol', { class: 'latest' }, h('li', {}, 'Loading…'));
  const mapEl = h('div', { class: 'map' });
  fill(root,
    h('header', {},
      h('p', { class: 'small' }, h('a', { href: '/', 'data-nav': '' }, '← Search')),
      h('h1', {}, e.name),
      h('p', {}, h('span', { class: 'chip t-' + type }, detail),
        e.in_catalog ? null : h('span', { class: 'small' }, ' found by the classifier\'s rules, not in the catalog')),
      e.aliases && e.aliases.length ? h('p', { class: 'aliases' }, 'Also written: ', e.aliases.join(', ')) : null),
    h('section', { class: 'panel', 'aria-labelledby': 'facts-h' },
      h('h2', { id: 'facts-h' }, 'Facts'),
      h('dl', { class: 'facts' },
        h('dt', {}, 'Articles'), h('dd', {}, h('a', { href: searchURL(search), 'data-nav': '' }, plural(e.article_count, 'article'))),
        e.country ? [h('dt', {}, type === 'weapon' ? 'Origin' : 'Country'), h('dd', {}, e.country_name ? `${e.country_name} (${e.country})` : e.country)] : null,
        e.point ? [h('dt', {}, 'Coordinates'), h('dd', {}, `${e.point.lat.toFixed(3)}, ${e.point.lon.toFixed(3)}`)] : null,
        h('dt', {}, 'First seen'), h('dd', {}, day(e.first_seen) || '—'),
        h('dt', {}, 'Last seen'), h('dd', {}, day(e.last_seen) || '—'),
        h('dt', {}, 'Id'), h('dd', {}, e.id))),
    e.point ? h('section', { class: 'panel', 'aria-labelledby': 'emap-h' },
      h('h2', { id: 'emap-h' }, 'On the map'), mapEl) : null,
    h('section', { class: 'panel', 'aria-labelledby': 'etl-h' },
      h('h2', { id: 'etl-h' }, 'Mentions over time'), tl,
      h('p', { class: 'hint' }, 'Drag across bars to search its articles in that range.')),
    h('section', { class: 'panel', 'aria-labelledby': 'rel-h' },
      h('h2', { id: 'rel-h' }, 'Most often named with it'),
      h('div', { class: 'related' }, RELATED.map(([t, key, title]) => {
        const list = (e.related && e.related[key]) || [];
        return list.length ? h('div', {}, h('h3', { class: 'small' }, title), h('ul', {}, list.map((f) => relatedLink(t, f)))) : null;
      }))),
    h('section', { class: 'panel', 'aria-labelledby': 'latest-h' },
      h('h2', { id: 'latest-h' }, 'Latest articles'), latest));
  if (e.point) {
    renderMap(mapEl, [{ id: e.id, name: e.name, point: e.point, count: e.article_count }], () => searchURL(search), nav);
  }
  renderTimeline(tl, { ...e.timeline, total: e.article_count }, (from, to) => {
    const p = new URLSearchParams(search);
    p.set('from', from);
    p.set('to', to);
    nav(searchURL(p));
  });
  try {
    const p = new URLSearchParams(search);
    p.set('sort', '-date');
    p.set('size', '10');
    p.set('facet_size', '0');
    const res = await get('/v1/search?' + p);
    fill(latest, res.hits.length ? res.hits.map((hit) => h('li', {},
      h('a', { href: '/article/' + encodeURIComponent(hit.id), 'data-nav': '' }, hit.title || hit.id),
      h('div', { class: 'meta' }, [hit.source, day(hit.published_at) || 'undated'].filter(Boolean).join(' · ')))) : h('li', {}, 'No articles.'));
  } catch (err) {
    fill(latest, h('li', { class: 'missing' }, err.message));
  }
}
