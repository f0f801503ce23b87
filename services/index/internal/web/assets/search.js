// search.js: the search view: results, facets, timeline, map, export and
// the copyable API query, all from the state in the address bar.

import { get, download, ApiError } from './api.js';
import { h, fill, num, plural } from './dom.js';
import { FILTERS, KEEP, pick, withFilter, withoutFilter, searchURL } from './state.js';
import { renderHits, renderFacets } from './results.js';
import { renderTimeline, pickInterval } from './timeline.js';
import { renderMap, places } from './map.js';

const $ = (id) => document.getElementById(id);
const PAGE_SIZE = 10;
const SIZES = [10, 25, 50, 100];
let seq = 0;

// missingPanel replaces a panel's content when the API lacks its endpoint.
function missingPanel(el, what, err) {
  const hint = el.parentElement.querySelector('.hint');
  if (hint) hint.hidden = true;
  const msg = err instanceof ApiError && err.missing
    ? `This server does not offer ${what}, so this panel is empty.`
    : `Could not load: ${err.message}`;
  fill(el, h('p', { class: 'missing' }, msg));
}

// focusedPart says where the keyboard focus was before a new search, so
// that it can come back to the same control once the view is redrawn.
function focusedPart() {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  if (a.closest('#facets') && a.dataset.type) return { part: 'facets', type: a.dataset.type, value: a.dataset.value };
  if (a.closest('#timeline')) return { part: 'timeline' };
  if (a.closest('#map')) return { part: 'map' };
  if (a.closest('#results') || a.closest('#pager')) return { part: 'results' };
  return null;
}

function refocus(was, part) {
  if (!was || was.part !== part) return;
  let el = null;
  if (part === 'facets') {
    el = [...document.querySelectorAll('#facets button')].find((b) => b.dataset.type === was.type && b.dataset.value === was.value)
      || document.querySelector(`#facets [data-facet="${was.type}"] summary`);
  } else if (part === 'timeline') el = document.querySelector('#timeline svg');
  else if (part === 'map') el = document.querySelector('#map svg a') || document.getElementById('map-h');
  else el = document.getElementById('result-count');
  if (el) el.focus({ preventScroll: part !== 'results' });
}

export function showSearch(params, nav, setStatus) {
  const mine = ++seq;
  const was = focusedPart();
  const filters = pick(params, FILTERS);
  for (const hint of document.querySelectorAll('#view-search .side .hint')) hint.hidden = false;
  // Controls read the address when used, not when drawn: a panel may still
  // show the previous search for a moment.
  const live = () => new URLSearchParams(location.search);
  const onFilter = (type, value) => nav(searchURL(withFilter(live(), type, value)));

  // The result page.
  const size = pageSize(params);
  const q = pick(params, [...KEEP, 'page']);
  q.set('size', String(size));
  $('sort').value = params.get('sort') || '';
  $('size').value = String(size);
  $('from').value = params.get('from') || '';
  $('to').value = params.get('to') || '';
  $('api-query').value = location.origin + '/v1/search?' + pick(params, [...KEEP, 'page']);
  $('result-count').textContent = 'Searching…';
  // aria-busy tells assistive technology (and the page tests) that the
  // results and facets are about to be replaced.
  $('results').setAttribute('aria-busy', 'true');
  get('/v1/search?' + q).then((res) => {
    if (mine !== seq) return;
    $('results').removeAttribute('aria-busy');
    setStatus(unresolved(res.resolved));
    $('result-count').textContent = res.total === 0 ? 'No articles match' : plural(res.total, 'article') + (res.total >= 10000 ? ' or more' : '');
    renderHits($('results'), res.hits, onFilter);
    renderFacets($('facets'), res.facets, params, (type, value, on) =>
      nav(searchURL(on ? withoutFilter(live(), type, value) : withFilter(live(), type, value))));
    renderPager(res, params, nav);
    refocus(was, 'facets');
    refocus(was, 'results');
  }).catch((e) => {
    if (mine !== seq) return;
    $('results').removeAttribute('aria-busy');
    $('result-count').textContent = 'Search failed';
    fill($('results'));
    fill($('pager'));
    setStatus(e.message, true);
  });

  // The map: up to 100 matching articles give the coordinates, the
  // location facet the counts.
  const m = new URLSearchParams(filters);
  m.set('size', '100');
  m.set('facet_size', '50');
  // A server with a lower SEARCH_MAX_SIZE refuses 100: ask for its default.
  const mapSearch = () => get('/v1/search?' + m).catch((e) => {
    if (!(e instanceof ApiError) || e.status !== 400) throw e;
    m.delete('size');
    return get('/v1/search?' + m);
  });
  mapSearch().then((res) => {
    if (mine !== seq) return;
    renderMap($('map'), places(res.hits, res.facets.locations), (p) => searchURL(withFilter(live(), 'location', p.name)), nav);
    refocus(was, 'map');
  }).catch((e) => { if (mine === seq) missingPanel($('map'), 'GET /v1/search', e); });

  loadTimeline(filters, mine).then((t) => {
    if (mine !== seq) return;
    renderTimeline($('timeline'), t, (from, to) => {
      const p = withFilter(withFilter(live(), 'from', from), 'to', to);
      nav(searchURL(p));
    });
    refocus(was, 'timeline');
  }).catch((e) => { if (mine === seq) missingPanel($('timeline'), 'GET /v1/timeline', e); });
}

// loadTimeline asks by month, then finer when the span is short.
async function loadTimeline(filters, mine) {
  const ask = (interval) => get('/v1/timeline?' + new URLSearchParams([...filters, ['interval', interval]]));
  let t = await ask('month');
  const b = t.buckets || [];
  if (b.length < 2 || mine !== seq) return t;
  const days = (new Date(b[b.length - 1].start) - new Date(b[0].start)) / 864e5 + 30;
  const want = pickInterval(days);
  if (want !== 'month') t = await ask(want);
  return t;
}

// unresolved says which filter values the catalog does not know.
function unresolved(resolved) {
  const missing = (resolved || []).filter((f) => f.unresolved && f.unresolved.length && f.param !== 'q');
  if (!missing.length) return '';
  return 'Not in the catalog (matched only as written): ' + missing.map((f) => `${f.param} ${f.unresolved.join(', ')}`).join('; ');
}

// pageSize is size= when it is one the page offers, else the default.
function pageSize(params) {
  const n = Number(params.get('size'));
  return SIZES.includes(n) ? n : PAGE_SIZE;
}

function renderPager(res, params, nav) {
  const page = res.page || 1;
  const size = pageSize(params);
  const pages = Math.min(Math.ceil(res.total / size), Math.floor(10000 / size));
  const go = (n) => {
    const p = pick(params, KEEP);
    if (n > 1) p.set('page', String(n));
    nav(searchURL(p));
  };
  fill($('pager'), pages > 1 ? [
    h('button', { type: 'button', disabled: page <= 1, onclick: () => go(page - 1) }, '← Previous'),
    h('span', {}, `Page ${num(page)} of ${num(pages)}`),
    h('button', { type: 'button', disabled: page >= pages, onclick: () => go(page + 1) }, 'Next →'),
  ] : null);
}

// wireSearchControls attaches the toolbar, export and copy controls once.
export function wireSearchControls(nav, setStatus) {
  const cur = () => new URLSearchParams(location.search);
  $('sort').addEventListener('change', () => {
    const p = pick(cur(), KEEP);
    if ($('sort').value) p.set('sort', $('sort').value); else p.delete('sort');
    nav(searchURL(p));
  });
  $('size').addEventListener('change', () => {
    const p = pick(cur(), KEEP);
    if ($('size').value !== String(PAGE_SIZE)) p.set('size', $('size').value); else p.delete('size');
    nav(searchURL(p));
  });
  for (const name of ['from', 'to']) {
    $(name).addEventListener('change', () => {
      const p = pick(cur(), KEEP);
      if ($(name).value) p.set(name, $(name).value); else p.delete(name);
      nav(searchURL(p));
    });
  }
  for (const format of ['csv', 'ndjson']) {
    $('export-' + format).addEventListener('click', async () => {
      const p = pick(cur(), [...FILTERS, 'sort']);
      p.set('format', format);
      setStatus(`Preparing the ${format.toUpperCase()} export…`);
      try {
        await download('/v1/export?' + p, 'articles.' + format);
        setStatus('');
      } catch (e) {
        setStatus(e instanceof ApiError && e.missing ? 'This server does not offer GET /v1/export.' : 'Export failed: ' + e.message, true);
      }
    });
  }
  $('copy-query').addEventListener('click', async () => {
    const input = $('api-query');
    try {
      await navigator.clipboard.writeText(input.value);
    } catch {
      input.select();
      document.execCommand('copy');
    }
    setStatus('API query copied.');
  });
}
