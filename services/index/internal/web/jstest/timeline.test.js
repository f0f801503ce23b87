import { test } from 'node:test';
import assert from 'node:assert/strict';

// timeline.js draws with the DOM; its date arithmetic is tested through a
// stub document that is never used by rangeOf.
globalThis.document = {};
const { rangeOf, pickInterval } = await import('../assets/timeline.js');

test('a dragged range covers whole intervals, both ends included', () => {
  const b = [{ start: '2023-01-01T00:00:00Z' }, { start: '2023-02-01T00:00:00Z' }, { start: '2023-03-01T00:00:00Z' }];
  assert.deepEqual(rangeOf(b, 'month', 2, 0), { from: '2023-01-01', to: '2023-03-31' });
  assert.deepEqual(rangeOf(b, 'month', 1, 1), { from: '2023-02-01', to: '2023-02-28' });
  const w = [{ start: '2023-05-15T00:00:00Z' }];
  assert.deepEqual(rangeOf(w, 'week', 0, 0), { from: '2023-05-15', to: '2023-05-21' });
  assert.deepEqual(rangeOf(w, 'day', 0, 0), { from: '2023-05-15', to: '2023-05-15' });
});

test('the interval follows the span', () => {
  assert.equal(pickInterval(1000), 'month');
  assert.equal(pickInterval(200), 'week');
  assert.equal(pickInterval(20), 'day');
});
