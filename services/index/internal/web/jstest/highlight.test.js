// Unit tests of the page's pure modules, run by `node --test` (make test).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findMentions, needsNames } from '../assets/highlight.js';

const marked = (text, ms) => ms.map((m) => `${m.type}:${text.slice(m.start, m.end)}`);

test('recorded spans are used as given, in UTF-16 units of the title or the body', () => {
  const title = 'Putin met Zelensky 🇺🇦';
  const body = '🚀 Vladimir Putin said Putin would go; Vladimir Putin Avenue is elsewhere.';
  const text = title + '\n' + body;
  const ents = [
    { type: 'actor', id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person',
      mentions: { count: 3, spans: [{ field: 'title', start: 0, end: 5 }, { field: 'body', start: 3, end: 17 }, { field: 'body', start: 23, end: 28 }] } },
    { type: 'actor', id: 'volodymyr-zelensky', name: 'Volodymyr Zelensky', kind: 'person',
      mentions: { count: 1, spans: [{ field: 'title', start: 10, end: 18 }] } },
  ];
  // Every mention recorded: no name matching, so the street is not marked.
  assert.deepEqual(marked(text, findMentions(text, ents, new Map(), title.length)),
    ['actor:Putin', 'actor:Zelensky', 'actor:Vladimir Putin', 'actor:Putin']);
});

test('an entity without spans (an old article) is found by name; one with spans is not', () => {
  const text = 'Putin met Zelensky.\nVladimir Putin said Putin would go.';
  const ents = [
    { type: 'actor', id: 'vladimir-putin', name: 'Vladimir Putin', kind: 'person', mentions: { count: 3, spans: [] } },
    { type: 'actor', id: 'volodymyr-zelensky', name: 'Volodymyr Zelensky', kind: 'person', mentions: { count: 1, spans: [{ field: 'title', start: 10, end: 18 }] } },
  ];
  assert.deepEqual(marked(text, findMentions(text, ents)),
    ['actor:Putin', 'actor:Zelensky', 'actor:Vladimir Putin', 'actor:Putin']);
  assert.equal(needsNames(ents[0]), true);
  assert.equal(needsNames(ents[1]), false);
});

test('capped spans: the rest are found by name and by the forms the spans show', () => {
  const text = 'Title\nThe KCMA said; the KCMA added; KCMA again.';
  const ents = [{ type: 'actor', id: 'gen:org:kcma', name: 'Kherson City Military Administration',
    mentions: { count: 3, spans: [{ field: 'body', start: 4, end: 8 }] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['actor:KCMA', 'actor:KCMA', 'actor:KCMA']);
});

test('a generated entity\'s aliases from the API are names too', () => {
  const text = 'T\nSpokesman Dmytro Brovarchuk said; Brovarchuk added.';
  const ents = [{ type: 'actor', id: 'gen:person:dmytro-brovarchuk', name: 'Dmytro Brovarchuk', aliases: ['Brovarchuk'], mentions: { count: 2, spans: [] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['actor:Dmytro Brovarchuk', 'actor:Brovarchuk']);
});

test('spans outside the text are ignored', () => {
  const text = 'T\nshort';
  const ents = [{ type: 'location', id: 'x', name: 'Nowhere', mentions: { count: 1, spans: [{ field: 'body', start: 2, end: 40 }] } }];
  assert.deepEqual(findMentions(text, ents), []);
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

test('acronyms match in capitals only', () => {
  const text = 'The US told us that the U.S. would help.';
  const ents = [{ type: 'location', id: 'us', name: 'United States', mentions: { spans: [] } }];
  const aliases = new Map([['location:us', ['US', 'U.S.']]]);
  assert.deepEqual(marked(text, findMentions(text, ents, aliases)), ['location:US', 'location:U.S.']);
});

test('a surname matches capitalised only', () => {
  const text = 'Neil Young spoke. Young said the young should vote.';
  const ents = [{ type: 'actor', id: 'neil-young', name: 'Neil Young', kind: 'person', mentions: { count: 2, spans: [] } }];
  assert.deepEqual(marked(text, findMentions(text, ents)), ['actor:Neil Young', 'actor:Young']);
});
