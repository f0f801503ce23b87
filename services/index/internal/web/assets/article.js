// article.js: one article with every entity mention highlighted by type and
// the entity list beside it.

import { get, ApiError } from './api.js';
import { h, fill, day, plural } from './dom.js';
import { findMentions, needsNames } from './highlight.js';
import { searchURL } from './state.js';

const GROUPS = [['actor', 'actors', 'Actors'], ['weapon', 'weapons', 'Weapons'], ['location', 'locations', 'Places']];

// aliasesOf reads the entity pages of the article's catalog entities for
// their aliases; a missing endpoint or entity just gives none.
async function aliasesOf(entities) {
  const out = new Map();
  await Promise.all(entities.slice(0, 40).map(async (e) => {
    if (e.id.startsWith('gen:')) return;
    try {
      const p = await get(`/v1/entities/${e.type}/${encodeURIComponent(e.id)}?facet_size=0&interval=month`);
      out.set(e.type + ':' + e.id, p.aliases || []);
    } catch { /* no aliases */ }
  }));
  return out;
}

// paragraphs renders text[from, to) split on newlines, with marks.
function paragraphs(text, from, to, marks, tag) {
  const out = [];
  let para = [];
  let pos = from;
  const flush = () => { out.push(h(tag, {}, para)); para = []; };
  const push = (a, b) => {
    const parts = text.slice(a, b).split('\n');
    parts.forEach((p, i) => { if (i > 0) flush(); if (p) para.push(p); });
  };
  for (const m of marks) {
    if (m.end <= from || m.start >= to) continue;
    push(pos, m.start);
    para.push(h('mark', { class: 't-' + m.type, 'data-type': m.type, 'data-id': m.id }, text.slice(m.start, m.end)));
    pos = m.end;
  }
  push(pos, to);
  flush();
  return tag === 'h1' ? out[0] : out.filter((p) => p.childNodes.length);
}

export async function showArticle(root, id) {
  root.dataset.view = id;
  delete root.dataset.marked;
  fill(root, h('p', {}, 'Loading the article…'));
  let a;
  try {
    a = await get('/v1/articles/' + encodeURIComponent(id));
  } catch (e) {
    const msg = e instanceof ApiError && e.missing
      ? 'This server does not offer GET /v1/articles/{id}, so articles cannot be shown here.'
      : e.message;
    fill(root, h('h1', {}, 'Article ' + id), h('p', { class: 'missing', role: 'alert' }, msg), h('p', {}, h('a', { href: '/', 'data-nav': '' }, 'Back to search')));
    return;
  }
  document.title = a.title + ' · Desk search';
  const ents = GROUPS.flatMap(([type, key]) => (a[key] || []).map((e) => ({ ...e, type })));
  const text = (a.title || '') + '\n' + (a.body || '');
  const titleLen = (a.title || '').length;
  const draw = (aliases) => {
    const marks = findMentions(text, ents, aliases, titleLen);
    const counts = new Map();
    for (const m of marks) counts.set(m.type + ':' + m.id, (counts.get(m.type + ':' + m.id) || 0) + 1);
    fill(root,
      h('div', { class: 'article-main' },
        h('p', { class: 'small' }, h('a', { href: history.state && history.state.from ? history.state.from : '/', 'data-nav': '' }, '← Back to results')),
        paragraphs(text, 0, titleLen, marks, 'h1'),
        h('p', { class: 'meta small' }, [a.source, day(a.published_at) || 'undated'].filter(Boolean).join(' · '), ' ',
          a.url && /^https?:/.test(a.url) ? h('a', { href: a.url, rel: 'noopener noreferrer' }, 'original') : null),
        h('div', { class: 'legend', 'aria-label': 'Highlight colours' },
          GROUPS.map(([type, , title]) => h('span', { class: 't-' + type }, title))),
        h('div', { class: 'article-body', 'data-marks': marks.length }, paragraphs(text, titleLen + 1, text.length, marks, 'p'))),
      h('aside', { class: 'panel ent-list', 'aria-label': 'Entities in this article' },
        h('h2', {}, 'Entities'),
        GROUPS.map(([type, key, title]) => (a[key] || []).length ? [
          h('h3', {}, title),
          h('ul', {}, a[key].map((e) => {
            const n = counts.get(type + ':' + e.id) || 0;
            const recorded = e.mentions && e.mentions.count;
            return h('li', {},
              h('div', {},
                h('a', { href: `/entity/${type}/${encodeURIComponent(e.id)}`, 'data-nav': '', class: 't-' + type }, e.name),
                h('div', { class: 'n' }, [e.kind || e.category, plural(Math.max(recorded, n), 'mention')].filter(Boolean).join(' · '))),
              h('div', { class: 'acts' },
                n ? h('button', { type: 'button', class: 'go', 'aria-label': `Show the first mention of ${e.name}`, onclick: () => flash(root, type, e.id) }, 'show') : null,
                h('a', { class: 'go', href: searchURL(new URLSearchParams([[type, e.name]])), 'data-nav': '', 'aria-label': `Search articles naming ${e.name}` }, 'search')));
          }))] : null),
        (a.weapon_categories || []).length ? [h('h3', {}, 'Weapon categories'), h('ul', {}, a.weapon_categories.map((c) =>
          h('li', {}, h('a', { href: `/entity/category/${encodeURIComponent(c)}`, 'data-nav': '', class: 't-category' }, c))))] : null,
        (a.countries || []).length ? [h('h3', {}, 'Countries'), h('ul', {}, a.countries.map((c) =>
          h('li', {}, h('a', { href: `/entity/country/${encodeURIComponent(c.value)}`, 'data-nav': '', class: 't-country' }, c.name || c.value))))] : null,
        h('h3', {}, 'Record'),
        h('dl', { class: 'facts small' },
          h('dt', {}, 'id'), h('dd', {}, a.id),
          a.classifier_version ? [h('dt', {}, 'classifier'), h('dd', {}, a.classifier_version)] : null,
          a.trace_id ? [h('dt', {}, 'trace'), h('dd', {}, a.trace_id)] : null,
          a.ingested_at ? [h('dt', {}, 'ingested'), h('dd', {}, day(a.ingested_at))] : null)));
  };
  draw(new Map());
  // Catalog aliases are only needed to find mentions the spans do not
  // cover (articles indexed before spans were recorded).
  const aliases = await aliasesOf(ents.filter(needsNames));
  if (root.dataset.view !== id || root.hidden) return;
  draw(aliases);
  // Tests and readers of the DOM know the marks are final.
  root.dataset.marked = 'aliases';
}

function flash(root, type, id) {
  const m = root.querySelector(`mark[data-type="${type}"][data-id="${CSS.escape(id)}"]`);
  if (!m) return;
  m.scrollIntoView({ block: 'center' });
  m.classList.add('flash');
  m.setAttribute('tabindex', '-1');
  m.focus();
  setTimeout(() => m.classList.remove('flash'), 1500);
}

