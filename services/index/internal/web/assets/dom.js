// dom.js: builds elements without innerHTML (text stays text) and formats
// dates and counts.

const SVG = 'http://www.w3.org/2000/svg';

// h creates an element: h('a', {href: '/'}, 'text', child…). Attributes
// starting with "on" become listeners; class, dataset and aria pass through.
export function h(tag, attrs = {}, ...children) {
  return build(document.createElement(tag), attrs, children);
}

// s creates an SVG element the same way.
export function s(tag, attrs = {}, ...children) {
  return build(document.createElementNS(SVG, tag), attrs, children);
}

function build(el, attrs, children) {
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.setAttribute('class', v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : String(c));
  }
  return el;
}

// clear empties el and appends children.
export function fill(el, ...children) {
  el.replaceChildren();
  for (const c of children.flat(Infinity)) if (c !== undefined && c !== null && c !== false) el.append(c);
  return el;
}

// highlighted turns the API's HTML-escaped text with <em> marks into nodes,
// keeping only the text and the marks.
export function highlighted(html) {
  const doc = new DOMParser().parseFromString('<body>' + (html || '') + '</body>', 'text/html');
  const out = [];
  for (const n of doc.body.childNodes) {
    if (n.nodeType === Node.TEXT_NODE) out.push(n.textContent);
    else if (n.nodeName === 'EM') out.push(h('em', {}, n.textContent));
    else out.push(n.textContent);
  }
  return out;
}

const dateFmt = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });

// day formats an RFC 3339 time as "16 May 2023".
export function day(t) {
  if (!t) return '';
  const d = new Date(t);
  return Number.isNaN(d.getTime()) ? '' : dateFmt.format(d);
}

// iso formats a Date as YYYY-MM-DD (UTC).
export function iso(d) {
  return d.toISOString().slice(0, 10);
}

const numFmt = new Intl.NumberFormat('en-GB');
export function num(n) { return numFmt.format(n || 0); }

// plural says "1 article" or "3 articles".
export function plural(n, word) { return num(n) + ' ' + word + (n === 1 ? '' : 's'); }
