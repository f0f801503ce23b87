// Unit tests of the page's pure modules, run by `node --test` (make test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMentions, utf16Index } from '../assets/highlight.js';

const marked = (text, ms) => ms.map((m) => `${m.type}:${text.slice(m.start, m.end)}`);

test('every mention is found, not only the recorded first one', () => {
  const text = 'Putin met Zelensky.\nVladimir Putin said Putin would go.';
  const ents = [
    { type: 'actor', id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', mentions: { spans: [{ offset: 0 }] } },
    { type: 'actor', id: 'volodymyr-zelensky', name: 'Volodymyr Zelensky', kind: 'person', mentions: { spans: [{ offset: 10 }] } },
  ];
  assert.deepEqual(marked(text, findMentions(text, ents)),
    ['actor:Putin', 'actor:Zelensky', 'actor:Vladimir Putin', 'actor:Putin']);
});

test('aliases are marked, whole words only, longest first', () => {
  const text = 'Missiles hit Kiev; Kyiv said the USA and US Army…';
  const ents = [
    { type: 'location', id: 'kyiv', name: 'Kyiv', mentions: { spans: [] } },
    { type: 'location', id: 'us', name: 'United States', mentions: { spans: [] } },
  ];
  const aliases = new Map([['location:kyiv', ['Kiev']], ['location:us', ['US', 'USA']]]);
  assert.deepEqual(marked(text, findMentions(text, ents, aliases)),
    ['location:Kiev', 'location:Kyiv', 'location:USA', 'location:US']);
});

test('spans with a length are used as given; offsets count code points', () => {
  const text = '🚀 Shahed-136 drones';
  const ents = [{ type: 'weapon', id: 'shahed-136', name: 'Geran-2', mentions: { spans: [{ offset: 2, length: 10 }] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['weapon:Shahed-136']);
  assert.equal(utf16Index(text)(2), 3);
});

test('an unknown surface form at the offset is marked by its word', () => {
  const text = 'The Russian army advanced.';
  const ents = [{ type: 'actor', id: 'ru-army', name: 'Armed Forces of Russia', mentions: { spans: [{ offset: 4 }] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['actor:Russian']);
});

test('acronyms match in capitals only', () => {
  const text = 'The US told us that the U.S. would help.';
  const ents = [{ type: 'location', id: 'us', name: 'United States', mentions: { spans: [] } }];
  const aliases = new Map([['location:us', ['US', 'U.S.']]]);
  assert.deepEqual(marked(text, findMentions(text, ents, aliases)), ['location:US', 'location:U.S.']);
});

test('a surname matches capitalised only', () => {
  const text = 'Neil Young spoke. Young said the young should vote.';
  const ents = [{ type: 'actor', id: 'neil-young', name: 'Neil Young', kind: 'person', mentions: { spans: [{ offset: 0 }] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['actor:Neil Young', 'actor:Young']);
});
