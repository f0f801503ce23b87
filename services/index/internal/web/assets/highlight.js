// highlight.js: finds every mention of an article's entities in its text
// (title + "\n" + body). The API gives, per entity, the spans of its
// mentions: {field: 'title'|'body', start, end} in UTF-16 code units of that
// field, the unit of a JavaScript string index, so they are used as given.
// An entity with fewer spans than mentions (articles indexed before the
// classifier recorded spans have none; an entity named over 100 times has
// 100) is also found by its name and aliases.

const WORD = /[\p{L}\p{N}]/u;
const ACRONYM = /^[\p{Lu}\p{N}.&-]{2,6}$/u;

// needsNames reports an entity whose recorded spans do not cover every
// mention: the page looks for the rest by name.
export function needsNames(e) {
  const m = e.mentions || {};
  const n = (m.spans || []).length;
  return n === 0 || n < (m.count || 0);
}

function escapeRe(s) { return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'); }

function boundary(text, a, b) {
  return !(a > 0 && WORD.test(text[a - 1])) && !(b < text.length && WORD.test(text[b]));
}

// candidates are the strings an entity may be written as; strict ones
// match with their capitals only.
function candidates(e, aliases) {
  const out = new Set([e.name, ...(aliases || [])].filter((x) => x && x.length >= 2));
  const strict = new Set([...out].filter((n) => ACRONYM.test(n)));
  // People are often named by their surname after the first mention
  // (capitalised: "Young" the person, not "young").
  if (e.kind === 'person') {
    const parts = e.name.split(/\s+/);
    const last = parts[parts.length - 1];
    if (parts.length > 1 && last.length >= 3 && !out.has(last)) { out.add(last); strict.add(last); }
  }
  return { names: [...out], strict };
}

// findMentions returns non-overlapping mentions {start, end, type, id}
// (UTF-16 indices into text = title + "\n" + body; titleLen is the title's
// length), recorded spans first, then the longest where two overlap.
export function findMentions(text, entities, aliases = new Map(), titleLen = text.indexOf('\n')) {
  const found = [];
  for (const e of entities) {
    const written = []; // the recorded mentions as written
    for (const sp of (e.mentions && e.mentions.spans) || []) {
      const base = sp.field === 'body' ? titleLen + 1 : 0;
      const start = base + sp.start;
      const end = base + sp.end;
      if (start < end && end <= text.length) {
        found.push({ start, end, type: e.type, id: e.id, exact: true });
        written.push(text.slice(start, end));
      }
    }
    if (!needsNames(e)) continue;
    const { names, strict } = candidates(e, [...(e.aliases || []), ...(aliases.get(e.type + ':' + e.id) || []), ...written]);
    // Acronyms (US, UK, IDF) match in capitals only: "us" is a pronoun.
    const all = [...new Set(names)].sort((x, y) => y.length - x.length);
    const exact = all.filter((n) => strict.has(n));
    const loose = all.filter((n) => !strict.has(n));
    for (const [list, flags] of [[loose, 'giu'], [exact, 'gu']]) {
      if (!list.length) continue;
      const re = new RegExp(list.map(escapeRe).join('|'), flags);
      for (const m of text.matchAll(re)) {
        if (boundary(text, m.index, m.index + m[0].length)) found.push({ start: m.index, end: m.index + m[0].length, type: e.type, id: e.id });
      }
    }
  }
  // Recorded spans first, then longer, then earlier.
  found.sort((x, y) => (y.exact ? 1 : 0) - (x.exact ? 1 : 0) || (y.end - y.start) - (x.end - x.start) || x.start - y.start);
  const kept = [];
  for (const f of found) {
    if (!kept.some((k) => f.start < k.end && k.start < f.end)) kept.push(f);
  }
  return kept.sort((x, y) => x.start - y.start);
}
