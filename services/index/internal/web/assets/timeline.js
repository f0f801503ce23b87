// timeline.js: a bar chart of articles per interval. Dragging across bars,
// or arrow keys and Enter on the focused chart, chooses a date range.

import { s, h, fill, iso, num, plural } from './dom.js';

const W = 360, H = 120, PAD = 16;

// rangeOf is the from/to (YYYY-MM-DD, both included) of buckets i..j.
export function rangeOf(buckets, interval, i, j) {
  const a = Math.min(i, j), b = Math.max(i, j);
  const start = new Date(buckets[a].start);
  const end = new Date(buckets[b].start);
  const last = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth(), end.getUTCDate()));
  if (interval === 'month') last.setUTCMonth(last.getUTCMonth() + 1, 0);
  else if (interval === 'week') last.setUTCDate(last.getUTCDate() + 6);
  return { from: iso(new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate()))), to: iso(last) };
}

function label(b, interval) {
  const d = new Date(b.start);
  if (interval === 'month') return d.toLocaleDateString('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });
  return (interval === 'week' ? 'week of ' : '') + d.toLocaleDateString('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
}

// renderTimeline draws t (the API's timeline) into el; onRange(from, to)
// is called when a range is chosen (none: the chart only shows).
export function renderTimeline(el, t, onRange) {
  const buckets = (t && t.buckets) || [];
  if (!buckets.length) {
    fill(el, h('p', { class: 'missing' }, t && t.total ? `${plural(t.total, 'article')}, none dated.` : 'No dated articles match.'));
    return;
  }
  const max = Math.max(1, ...buckets.map((b) => b.count));
  const bw = (W - 2 * PAD) / buckets.length;
  const y = (c) => H - 22 - (c / max) * (H - 40); // the top 18 units hold the scale
  const sel = s('rect', { class: 'sel', x: 0, y: 16, width: 0, height: H - 38, visibility: 'hidden' });
  const bars = buckets.map((b, i) => s('rect', {
    class: 'bar', x: (PAD + i * bw + bw * 0.1).toFixed(1), y: y(b.count).toFixed(1),
    width: Math.max(0.8, bw * 0.8).toFixed(1), height: (H - 22 - y(b.count)).toFixed(1), 'data-count': b.count,
  }, s('title', {}, `${label(b, t.interval)}: ${plural(b.count, 'article')}`)));
  const total = buckets.reduce((n, b) => n + b.count, 0);
  const svg = s('svg', {
    viewBox: `0 0 ${W} ${H}`, role: onRange ? 'application' : 'img', tabindex: onRange ? 0 : null,
    'aria-label': `Articles per ${t.interval}, ${label(buckets[0], t.interval)} to ${label(buckets[buckets.length - 1], t.interval)}: ${num(total)} in all` +
      (onRange ? '. Arrow keys choose an interval, Shift extends, Enter filters by it.' : ''),
    'aria-roledescription': onRange ? 'timeline' : null,
  },
  s('line', { x1: PAD, x2: W - PAD, y1: H - 22, y2: H - 22, stroke: '#8c95a1' }),
  sel, bars,
  s('text', { class: 'axis', x: PAD, y: H - 6 }, label(buckets[0], t.interval)),
  s('text', { class: 'axis', x: W - PAD, y: H - 6, 'text-anchor': 'end' }, label(buckets[buckets.length - 1], t.interval)),
  s('text', { class: 'axis', x: PAD, y: 11 }, 'max ' + num(max) + ' per ' + t.interval));
  const live = h('p', { class: 'sr', 'aria-live': 'polite' });
  // Servers that report undated articles say how many; older ones only
  // give the total.
  const undated = t.undated !== undefined ? t.undated : t.total !== undefined ? t.total - total : 0;
  fill(el, svg, live, undated > 0 ? h('p', { class: 'hint' }, `${plural(undated, 'undated article')} not shown.`) : null);
  if (!onRange) return;

  const show = (a, b) => {
    const lo = Math.min(a, b), hi = Math.max(a, b);
    sel.setAttribute('x', (PAD + lo * bw).toFixed(1));
    sel.setAttribute('width', ((hi - lo + 1) * bw).toFixed(1));
    sel.setAttribute('visibility', 'visible');
    bars.forEach((r, i) => r.classList.toggle('cur', i >= lo && i <= hi));
    const r = rangeOf(buckets, t.interval, lo, hi);
    live.textContent = `${r.from} to ${r.to}: ${plural(buckets.slice(lo, hi + 1).reduce((n, x) => n + x.count, 0), 'article')}`;
  };
  const index = (ev) => {
    const box = svg.getBoundingClientRect();
    const x = ((ev.clientX - box.left) / box.width) * W;
    return Math.max(0, Math.min(buckets.length - 1, Math.floor((x - PAD) / bw)));
  };
  let start = -1, end = -1;
  svg.addEventListener('pointerdown', (ev) => {
    start = end = index(ev);
    svg.setPointerCapture(ev.pointerId);
    show(start, end);
  });
  svg.addEventListener('pointermove', (ev) => {
    if (start < 0) return;
    end = index(ev);
    show(start, end);
  });
  svg.addEventListener('pointerup', () => {
    if (start < 0) return;
    const r = rangeOf(buckets, t.interval, start, end);
    start = -1;
    onRange(r.from, r.to);
  });
  let kA = -1, kB = -1;
  svg.addEventListener('keydown', (ev) => {
    const n = buckets.length;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowLeft') {
      ev.preventDefault();
      const step = ev.key === 'ArrowRight' ? 1 : -1;
      if (kA < 0) { kA = kB = step > 0 ? 0 : n - 1; }
      else if (ev.shiftKey) kB = Math.max(0, Math.min(n - 1, kB + step));
      else kA = kB = Math.max(0, Math.min(n - 1, kB + step));
      show(kA, kB);
    } else if (ev.key === 'Enter' && kA >= 0) {
      ev.preventDefault();
      const r = rangeOf(buckets, t.interval, kA, kB);
      onRange(r.from, r.to);
    }
  });
}

// pickInterval chooses the interval that gives a readable number of bars
// for a span of days.
export function pickInterval(days) {
  if (days > 540) return 'month';
  if (days > 90) return 'week';
  return 'day';
}
