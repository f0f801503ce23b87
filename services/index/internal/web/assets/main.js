// main.js: the page's router. /, /article/{id} and /entity/{type}/{id} are
// views of one page; links marked data-nav and filter changes move through
// history without reloading.

import { forgetToken, token } from './api.js';
import { h, fill } from './dom.js';
import { attachSuggest } from './suggest.js';
import { showSearch, wireSearchControls } from './search.js';
import { showArticle } from './article.js';
import { showEntity } from './entity.js';
import { FILTERS, KEEP, LABELS, TYPES, current, pick, withFilter, withoutFilter, searchURL, typeOf } from './state.js';

const $ = (id) => document.getElementById(id);
const views = ['view-search', 'view-article', 'view-entity'];

function setStatus(msg, error = false) {
  const el = $('status');
  el.textContent = msg || '';
  el.classList.toggle('error', Boolean(msg) && error);
  el.setAttribute('role', error ? 'alert' : 'status');
}

// nav goes to a page address; focus moves to the main region on a new view.
function nav(url, { replace = false } = {}) {
  const from = location.pathname + location.search;
  if (url === from) return render();
  const state = { from: location.pathname === '/' ? from : (history.state && history.state.from) || '/' };
  if (replace) history.replaceState(state, '', url); else history.pushState(state, '', url);
  render(true);
}

function show(id) {
  for (const v of views) $(v).hidden = v !== id;
}

// renderChips shows the active filters as removable chips.
function renderChips(params) {
  const chips = [];
  for (const [k, v] of pick(params, FILTERS)) {
    const type = typeOf(k);
    const neg = k.startsWith('not_');
    const label = (neg ? 'not ' : '') + (LABELS[type] || k);
    chips.push(h('li', { class: `chip t-${TYPES.includes(type) ? type : 'text'}${neg ? ' t-not' : ''}`, 'data-param': k },
      h('span', { class: 'kind' }, label + ':'), h('span', {}, v),
      h('button', { type: 'button', 'aria-label': `Remove ${label} ${v}`, onclick: () => { nav(searchURL(withoutFilter(current(), k, v))); $('q').focus(); } }, '×')));
  }
  fill($('chips'), chips);
}

function render(moved = false) {
  const path = location.pathname;
  const params = current();
  renderChips(path === '/' ? params : new URLSearchParams());
  $('token-forget').hidden = !token();
  let m;
  if ((m = path.match(/^\/article\/(.+)$/))) {
    show('view-article');
    showArticle($('view-article'), decodeURIComponent(m[1]));
  } else if ((m = path.match(/^\/entity\/([^/]+)\/(.+)$/))) {
    show('view-entity');
    showEntity($('view-entity'), decodeURIComponent(m[1]), decodeURIComponent(m[2]), nav);
  } else {
    show('view-search');
    document.title = describe(params) + 'Desk search';
    showSearch(params, nav, setStatus);
  }
  if (moved) {
    setStatus('');
    if (path !== '/') { window.scrollTo(0, 0); $('main').focus({ preventScroll: true }); }
  }
}

function describe(params) {
  const parts = [...pick(params, FILTERS)].map(([, v]) => v);
  return parts.length ? parts.join(', ') + ' · ' : '';
}

function start() {
  const onText = (text) => {
    const base = location.pathname === '/' ? current() : new URLSearchParams();
    nav(searchURL(text ? withFilter(base, 'q', text) : pick(base, KEEP)));
  };
  attachSuggest({
    input: $('q'), list: $('suggestions'), onText,
    onPick: (e) => nav(searchURL(withFilter(location.pathname === '/' ? current() : new URLSearchParams(), e.type,
      e.type === 'category' || e.type === 'country' ? e.id : e.name))),
  });
  $('search-form').addEventListener('submit', (ev) => {
    ev.preventDefault();
    const v = $('q').value.trim();
    $('q').value = '';
    onText(v);
  });
  // Backspace in an empty box removes the last chip.
  $('q').addEventListener('keydown', (ev) => {
    if (ev.key !== 'Backspace' || $('q').value || location.pathname !== '/') return;
    const all = [...pick(current(), FILTERS)];
    if (!all.length) return;
    const [k, v] = all[all.length - 1];
    nav(searchURL(withoutFilter(current(), k, v)));
  });
  wireSearchControls(nav, setStatus);
  $('token-forget').addEventListener('click', () => { forgetToken(); $('token-forget').hidden = true; setStatus('Token forgotten.'); });
  document.addEventListener('token-changed', () => { $('token-forget').hidden = !token(); });
  // Same-origin links marked data-nav stay in the page.
  document.addEventListener('click', (ev) => {
    const a = ev.target.closest && ev.target.closest('a[data-nav]');
    if (!a || ev.defaultPrevented || ev.button !== 0 || ev.metaKey || ev.ctrlKey || ev.shiftKey || ev.altKey) return;
    ev.preventDefault();
    nav(a.getAttribute('href'));
  });
  // "/" anywhere but in a field jumps to the search box.
  document.addEventListener('keydown', (ev) => {
    if (ev.key !== '/' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    if (ev.target.closest && ev.target.closest('input, select, textarea, dialog')) return;
    ev.preventDefault();
    $('q').focus();
  });
  addEventListener('popstate', () => render(true));
  render();
}

start();
