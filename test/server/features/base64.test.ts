import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeBase64, decodeBase64Text } from '../../../server/src/features/base64';

describe('decodeBase64', () => {
  it('decodes padded base64 to the same octets Node does', () => {
    for (const text of ['', 'YQ==', 'YWI=', 'YWJj', 'AGFsaWNlAHNlY3JldA==', '+/+/']) {
      assert.deepEqual(decodeBase64(text), new Uint8Array(Buffer.from(text, 'base64')), text);
    }
  });

  it('is null for text that is not padded standard base64', () => {
    for (const text of ['YQ', 'YWJ', 'Y===', '=YWJj', 'YW Jj', 'YW-_', 'YWJj\n', '*']) assert.equal(decodeBase64(text), null, JSON.stringify(text));
  });
});

describe('decodeBase64Text', () => {
  it('returns printable UTF-8 text', () => {
    assert.equal(decodeBase64Text('VXNlcm5hbWU6'), 'Username:');
    assert.equal(decodeBase64Text(Buffer.from('Grüße').toString('base64')), 'Grüße');
  });

  it('is null for control characters, invalid UTF-8 and invalid base64', () => {
    assert.equal(decodeBase64Text('AGFsaWNl'), null); // "\0alice"
    assert.equal(decodeBase64Text('/w=='), null); // 0xFF
    assert.equal(decodeBase64Text('VXNlcm5hbWU'), null);
  });
});
