import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_STORED_SECRETS, readSecretIndex, secretStorageKey, withSecret, type StoredSecret } from '../../../client/src/secrets/storedSecrets';

const repo = 'file:///home/me/repo';
const entry = (name: string, host = 'smtp.example.org', workspace = repo): StoredSecret => ({ workspace, host, name });

describe('secretStorageKey: one key per workspace, host and name', () => {
  it('gives another key for another workspace or another host', () => {
    const keys = new Set([
      secretStorageKey(entry('PASS')),
      secretStorageKey(entry('PASS', 'attacker.example')),
      secretStorageKey(entry('PASS', 'smtp.example.org', 'file:///home/me/cloned-repo')),
    ]);
    assert.equal(keys.size, 3);
  });

  it('cannot be forged by a name or host that contains the separator', () => {
    assert.notEqual(secretStorageKey({ workspace: 'a', host: 'b","c', name: 'd' }), secretStorageKey({ workspace: 'a', host: 'b', name: 'c","d' }));
  });
});

describe('the index of stored secrets', () => {
  it('keeps only well-formed entries from globalState', () => {
    assert.deepEqual(readSecretIndex([entry('PASS'), 'PASS', { name: 'X' }, null]), [entry('PASS')]);
    assert.deepEqual(readSecretIndex(['OLD_NAME_ONLY_INDEX']), []);
    assert.deepEqual(readSecretIndex(undefined), []);
  });

  it('moves a secret stored again to the end instead of listing it twice', () => {
    const { index } = withSecret([entry('A'), entry('B')], entry('A'));
    assert.deepEqual(index, [entry('B'), entry('A')]);
  });

  it('lists the same name for two hosts as two secrets', () => {
    const { index } = withSecret([entry('PASS')], entry('PASS', 'other.example'));
    assert.equal(index.length, 2);
  });

  it('drops the oldest beyond the limit and says which, so their values are deleted too', () => {
    let index: StoredSecret[] = [];
    for (let i = 0; i < MAX_STORED_SECRETS; i++) index = withSecret(index, entry(`S${i}`)).index;
    const next = withSecret(index, entry('NEWEST'));
    assert.equal(next.index.length, MAX_STORED_SECRETS);
    assert.deepEqual(next.dropped, [entry('S0')]);
    assert.deepEqual(next.index.at(-1), entry('NEWEST'));
  });
});
