// highlight.js: finds every mention of an article's entities in its text.
// The API gives, per entity, spans as code-point offsets into
// title + "\n" + body, with a length when known (documents indexed before
// the classifier recorded every mention carry the first offset only). The
// page uses the spans it gets and finds the other mentions by the entity's
// name, aliases and the words seen at its recorded offsets.

const WORD = /[\p{L}\p{N}]/u;
const ACRONYM = /^[\p{Lu}\p{N}.&-]{2,6}$/u;

// utf16 maps code-point offsets of text to UTF-16 indices.
export function utf16Index(text) {
  const idx = [];
  let i = 0;
  for (const ch of text) { idx.push(i); i += ch.length; }
  idx.push(i);
  return (cp) => idx[Math.max(0, Math.min(cp, idx.length - 1))];
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

// find returns non-overlapping mentions {start, end, type, id} (UTF-16
// indices into text), longest first where two overlap.
export function findMentions(text, entities, aliases = new Map()) {
  const at = utf16Index(text);
  const found = [];
  for (const e of entities) {
    const { names, strict } = candidates(e, aliases.get(e.type + ':' + e.id));
    const spans = (e.mentions && e.mentions.spans) || [];
    for (const sp of spans) {
      const a = at(sp.offset);
      if (sp.length) { found.push({ start: a, end: at(sp.offset + sp.length), type: e.type, id: e.id, exact: true }); continue; }
      // No length: the longest candidate written at the offset, else the word there.
      let best = 0;
      for (const n of names) {
        if (text.substr(a, n.length).toLowerCase() === n.toLowerCase() && n.length > best) best = n.length;
      }
      if (!best) {
        let b = a;
        while (b < text.length && WORD.test(text[b])) b++;
        best = b - a;
      }
      if (best > 0) {
        names.push(text.substr(a, best));
        found.push({ start: a, end: a + best, type: e.type, id: e.id, exact: true });
      }
    }
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
