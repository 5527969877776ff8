import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createDocumentCache } from '../../../server/src/features/documentCache';

/** A cache whose parser records what it was asked to parse. */
function countingCache(maxEntries?: number) {
  const parsed: string[] = [];
  const cache = createDocumentCache((text) => {
    parsed.push(text);
    return { text };
  }, maxEntries);
  return { cache, parsed };
}

function doc(uri: string, version: number, text: string) {
  return TextDocument.create(uri, 'smtp', version, text);
}

describe('createDocumentCache', () => {
  it('parses a document version once, however often it is asked for', () => {
    const { cache, parsed } = countingCache();
    const document = doc('file:///a.smtp', 1, 'C: NOOP');
    const first = cache.get(document);
    assert.equal(cache.get(document), first);
    assert.equal(cache.get(doc('file:///a.smtp', 1, 'C: NOOP')), first);
    assert.deepEqual(parsed, ['C: NOOP']);
  });

  it('parses again when the version changes', () => {
    const { cache, parsed } = countingCache();
    const document = doc('file:///a.smtp', 1, 'C: NOOP');
    cache.get(document);
    TextDocument.update(document, [{ text: 'C: QUIT' }], 2);
    assert.deepEqual(cache.get(document), { text: 'C: QUIT' });
    assert.deepEqual(parsed, ['C: NOOP', 'C: QUIT']);
    assert.equal(cache.size, 1);
  });

  it('keeps documents apart by uri', () => {
    const { cache, parsed } = countingCache();
    cache.get(doc('file:///a.smtp', 1, 'A'));
    cache.get(doc('file:///b.smtp', 1, 'B'));
    cache.get(doc('file:///a.smtp', 1, 'A'));
    assert.deepEqual(parsed, ['A', 'B']);
    assert.equal(cache.size, 2);
  });

  it('forgets an evicted document and parses it again when it comes back', () => {
    const { cache, parsed } = countingCache();
    const document = doc('file:///a.smtp', 1, 'A');
    cache.get(document);
    cache.evict(document.uri);
    assert.equal(cache.size, 0);
    cache.get(document);
    assert.deepEqual(parsed, ['A', 'A']);
  });

  it('evicts the least recently used document when full', () => {
    const { cache, parsed } = countingCache(2);
    const a = doc('file:///a.smtp', 1, 'A');
    const b = doc('file:///b.smtp', 1, 'B');
    cache.get(a);
    cache.get(b);
    cache.get(a); // a is now the most recent
    cache.get(doc('file:///c.smtp', 1, 'C')); // b goes
    assert.equal(cache.size, 2);
    cache.get(a);
    assert.deepEqual(parsed, ['A', 'B', 'C']);
    cache.get(b);
    assert.deepEqual(parsed, ['A', 'B', 'C', 'B']);
  });

  it('clear forgets everything', () => {
    const { cache } = countingCache();
    cache.get(doc('file:///a.smtp', 1, 'A'));
    cache.clear();
    assert.equal(cache.size, 0);
  });

  it('does not cache a failed parse', () => {
    let calls = 0;
    const cache = createDocumentCache(() => {
      calls++;
      if (calls === 1) throw new Error('boom');
      return calls;
    });
    const document = doc('file:///a.smtp', 1, 'A');
    assert.throws(() => cache.get(document), /boom/);
    assert.equal(cache.get(document), 2);
    assert.equal(cache.size, 1);
  });
});
