import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MIN_SECRET_LENGTH, Redactor } from '../../../server/src/engine/redaction';
import { escapeForDisplay } from '../../../server/src/engine/displayText';

function redactor(...secrets: string[]): Redactor {
  const r = new Redactor();
  for (const secret of secrets) r.add(secret);
  return r;
}

describe('Redactor', () => {
  it('leaves text alone when it knows no secrets', () => {
    assert.equal(new Redactor().redact('AUTH PLAIN dGVzdA=='), 'AUTH PLAIN dGVzdA==');
  });

  it('replaces every occurrence of a secret', () => {
    assert.equal(redactor('hunter2').redact('pass hunter2, again hunter2.'), 'pass ***, again ***.');
  });

  it('replaces the longer of two nested secrets whole, leaving no fragment', () => {
    const r = redactor('pass', 'password123');
    assert.equal(r.redact('x password123 y pass z'), 'x *** y *** z');
  });

  it('merges overlapping occurrences of different secrets into one mask', () => {
    assert.equal(redactor('abcd', 'cdef').redact('1abcdef2'), '1***2');
    assert.equal(redactor('aaa').redact('xaaaaay'), 'x***y');
  });

  it('merges touching occurrences', () => {
    assert.equal(redactor('abc', 'def').redact('abcdef!'), '***!');
  });

  it(`ignores empty, whitespace-only and secrets shorter than ${MIN_SECRET_LENGTH} characters`, () => {
    const r = redactor('', 'a', 'pw', '    ');
    assert.equal(r.size, 0);
    assert.equal(r.redact('a pw    mail'), 'a pw    mail');
    assert.equal(redactor('abc').redact('abc'), '***');
  });

  it('redacts a secret with control characters in its escaped display form too', () => {
    const secret = 'pa\ns\x1bword';
    const r = redactor(secret);
    assert.equal(r.redact(`x ${secret} y`), 'x *** y');
    assert.equal(r.redact(escapeForDisplay(`x ${secret} y`)), 'x *** y');
  });

  it('is case-sensitive, like the secret itself', () => {
    assert.equal(redactor('Secret').redact('secret Secret'), 'secret ***');
  });

  it('handles regular-expression characters literally', () => {
    assert.equal(redactor('a.b*c$').redact('axbbc a.b*c$'), 'axbbc ***');
  });
});
