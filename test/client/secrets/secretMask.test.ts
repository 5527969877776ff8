import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_MASKED_VALUES, SecretMask } from '../../../client/src/secrets/secretMask';

describe('secret mask', () => {
  it('masks a value as written and as JSON shows it', () => {
    const mask = new SecretMask();
    mask.add('pa"ss\\word');
    const response = JSON.stringify({ value: 'pa"ss\\word' }, null, 4);
    assert.equal(mask.mask(response).includes('pa'), false, mask.mask(response));
    assert.match(mask.mask(response), /"value": "\*\*\*"/);
    assert.equal(mask.mask('plain pa"ss\\word here'), 'plain *** here');
  });
  it('masks a value inside a JSON string inside JSON', () => {
    const mask = new SecretMask();
    mask.add('a"b');
    const twice = JSON.stringify(JSON.stringify({ value: 'a"b' }));
    assert.equal(mask.mask(twice).includes('a\\\\\\"b'), false);
  });
  it('masks the longer of two overlapping secrets whole', () => {
    const mask = new SecretMask();
    mask.add('secret');
    mask.add('secret-longer');
    assert.equal(mask.mask('x secret-longer y'), 'x *** y');
  });
  it('leaves text without secrets alone and ignores empty values', () => {
    const mask = new SecretMask();
    mask.add('');
    assert.equal(mask.size, 0);
    assert.equal(mask.mask('nothing here'), 'nothing here');
  });
  it(`remembers at most ${MAX_MASKED_VALUES} values`, () => {
    const mask = new SecretMask();
    for (let i = 0; i <= MAX_MASKED_VALUES; i++) mask.add(`value-${i}-x`);
    assert.equal(mask.size, MAX_MASKED_VALUES);
    assert.equal(mask.mask('value-0-x'), 'value-0-x');
    assert.equal(mask.mask(`value-${MAX_MASKED_VALUES}-x`), '***');
  });
});
