// map.js: the places named in the matching articles on an offline world
// outline (world.svg, equirectangular, 1000 x 500), circles sized by count;
// each circle is a link that filters by the place.

import { s, h, fill, plural } from './dom.js';

const W = 1000, HT = 500;

export function project(lat, lon) {
  return [((lon + 180) / 360) * W, ((90 - lat) / 180) * HT];
}

// places merges the API's location facet (counts) with the coordinates
// found on the hits; places without coordinates are left out.
export function places(hits, facet) {
  const byId = new Map();
  for (const hit of hits) {
    for (const e of hit.locations || []) {
      if (!e.point) continue;
      const p = byId.get(e.id) || { id: e.id, name: e.name, kind: e.kind, point: e.point, count: 0, seen: 0 };
      p.seen++;
      byId.set(e.id, p);
    }
  }
  const counts = new Map((facet || []).map((f) => [f.id, f.count]));
  for (const p of byId.values()) p.count = counts.get(p.id) || p.seen;
  return [...byId.values()].sort((a, b) => b.count - a.count);
}

// viewBox fits the places with a margin, never narrower than a region.
function viewBox(list) {
  if (!list.length) return [0, 20, W, 400];
  const xs = list.map((p) => project(p.point.lat, p.point.lon));
  let x0 = Math.min(...xs.map((q) => q[0])), x1 = Math.max(...xs.map((q) => q[0]));
  let y0 = Math.min(...xs.map((q) => q[1])), y1 = Math.max(...xs.map((q) => q[1]));
  let w = Math.max(220, (x1 - x0) * 1.3), hgt = Math.max(110, (y1 - y0) * 1.3);
  if (w / hgt > 2) hgt = w / 2; else w = hgt * 2;
  w = Math.min(W, w); hgt = Math.min(420, hgt);
  const cx = (x0 + x1) / 2, cy = (y0 + y1) / 2;
  const x = Math.max(0, Math.min(W - w, cx - w / 2));
  const y = Math.max(0, Math.min(HT - hgt, cy - hgt / 2));
  return [x, y, w, hgt];
}

// labels picks up to six of the largest places whose names do not
// overlap (boxes estimated in screen pixels).
function labels(list, scale) {
  const boxes = [];
  const out = [];
  for (const p of list) {
    if (out.length === 6) break;
    const [x, y] = project(p.point.lat, p.point.lon).map((v) => v / scale);
    const box = [x, y - 12, x + 20 + 6.5 * p.name.length, y + 6];
    if (boxes.some((b) => box[0] < b[2] && b[0] < box[2] && box[1] < b[3] && b[1] < box[3])) continue;
    boxes.push(box);
    out.push(p);
  }
  return out;
}

// renderMap draws the places; href(p) is the link that filters by one.
export function renderMap(el, list, href, onNav) {
  const vb = viewBox(list);
  // Sizes are given in screen pixels: units per pixel at the panel's width.
  const scale = vb[2] / (el.clientWidth || 360);
  const max = Math.max(1, ...list.map((p) => p.count));
  const shown = list.slice(0, 60);
  const svg = s('svg', {
    viewBox: vb.map((v) => v.toFixed(1)).join(' '), role: 'group',
    'aria-label': list.length ? `Map of ${plural(list.length, 'place')} named in the matching articles` : 'Map: no places with coordinates',
  },
  s('rect', { class: 'ocean', x: 0, y: 0, width: W, height: HT }),
  s('image', { href: '/assets/world.svg', x: 0, y: 0, width: W, height: HT }),
  shown.slice().reverse().map((p) => {
    const [x, y] = project(p.point.lat, p.point.lon);
    const r = (3 + 9 * Math.sqrt(p.count / max)) * scale;
    const a = s('a', { href: href(p), 'aria-label': `${p.name}: ${plural(p.count, 'article')}`, 'data-place': p.id },
      s('circle', { cx: x.toFixed(1), cy: y.toFixed(1), r: r.toFixed(2), 'stroke-width': (1 * scale).toFixed(2) },
        s('title', {}, `${p.name}: ${plural(p.count, 'article')}`)));
    a.addEventListener('click', (ev) => { ev.preventDefault(); onNav(href(p)); });
    return a;
  }),
  labels(shown, scale).map((p) => {
    const [x, y] = project(p.point.lat, p.point.lon);
    const r = (3 + 9 * Math.sqrt(p.count / max)) * scale;
    return s('text', { class: 'label', x: (x + r + 2 * scale).toFixed(1), y: (y + 4 * scale).toFixed(1), 'font-size': (11 * scale).toFixed(1), 'stroke-width': (3 * scale).toFixed(2), 'aria-hidden': 'true' }, p.name);
  }));
  fill(el, svg, list.length ? null : h('p', { class: 'missing' }, 'No places with coordinates in these articles.'));
}
