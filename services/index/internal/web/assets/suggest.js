// suggest.js: the search box, an ARIA combobox suggesting actors, weapons,
// places, categories and countries (name, kind, article count) as one types.
// Picking a suggestion adds a filter; Enter on free text searches q.

import { get } from './api.js';
import { h, fill, num } from './dom.js';
import { LABELS } from './state.js';

export function attachSuggest({ input, list, onPick, onText }) {
  let items = [];
  let active = -1;
  let seq = 0;
  let timer = 0;
  let ctrl = null;

  const close = () => {
    list.hidden = true;
    input.setAttribute('aria-expanded', 'false');
    input.removeAttribute('aria-activedescendant');
    active = -1;
  };

  const mark = (i) => {
    active = i;
    [...list.children].forEach((li, j) => li.setAttribute('aria-selected', String(j === i)));
    if (i >= 0) {
      input.setAttribute('aria-activedescendant', list.children[i].id);
      list.children[i].scrollIntoView({ block: 'nearest' });
    } else input.removeAttribute('aria-activedescendant');
  };

  const pick = (i) => {
    const e = items[i];
    close();
    input.value = '';
    onPick(e);
  };

  const render = () => {
    if (!items.length) return close();
    fill(list, items.map((e, i) => h('li', {
      id: 'sugg-' + i, role: 'option', 'aria-selected': 'false',
      onmousedown: (ev) => ev.preventDefault(), // keep the focus in the box
      onclick: () => pick(i),
    },
    h('span', { class: 'name' }, e.name),
    h('span', { class: 'tag t-' + e.type }, kindOf(e)),
    h('span', { class: 'n' }, num(e.article_count) + (e.article_count === 1 ? ' article' : ' articles')))));
    list.hidden = false;
    input.setAttribute('aria-expanded', 'true');
    mark(-1);
  };

  const load = async () => {
    const prefix = input.value.trim();
    const mine = ++seq;
    if (ctrl) ctrl.abort();
    if (prefix.length < 2) { items = []; return close(); }
    ctrl = new AbortController();
    try {
      const res = await get('/v1/entities?' + new URLSearchParams({ prefix, limit: '8' }), { signal: ctrl.signal });
      if (mine !== seq) return;
      items = res.entities || [];
      render();
    } catch (e) {
      if (e.name !== 'AbortError' && mine === seq) { items = []; close(); }
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(load, 120);
  });
  input.addEventListener('keydown', (ev) => {
    const open = !list.hidden && items.length > 0;
    if (ev.key === 'ArrowDown' && open) { ev.preventDefault(); mark((active + 1) % items.length); }
    else if (ev.key === 'ArrowUp' && open) { ev.preventDefault(); mark(active <= 0 ? items.length - 1 : active - 1); }
    else if (ev.key === 'Escape' && open) { ev.preventDefault(); close(); }
    else if (ev.key === 'Enter') {
      ev.preventDefault();
      if (open && active >= 0) pick(active);
      else { const v = input.value.trim(); close(); input.value = ''; onText(v); }
    }
  });
  input.addEventListener('blur', () => setTimeout(close, 150));
}

// kindOf says what a suggestion is: "Actor · person", "Weapon · missile".
export function kindOf(e) {
  const detail = e.kind || e.category || '';
  return LABELS[e.type] + (detail ? ' · ' + detail : '');
}
