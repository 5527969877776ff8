import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeSecretVariables, readEnvironmentSecret, secretVariables } from '../../../server/src/engine/environmentSecrets';

describe('secrets from the environment', () => {
  it('tries SMTP_SECRET_<NAME> first, then NAME', () => {
    assert.deepEqual(secretVariables('pass'), ['SMTP_SECRET_PASS', 'pass']);
    assert.deepEqual(secretVariables('smtp-password.prod'), ['SMTP_SECRET_SMTP_PASSWORD_PROD', 'smtp-password.prod']);
    assert.equal(readEnvironmentSecret({ SMTP_SECRET_PASS: 'prefixed', PASS: 'bare' }, 'PASS'), 'prefixed');
    assert.equal(readEnvironmentSecret({ PASS: 'bare' }, 'PASS'), 'bare');
    assert.equal(readEnvironmentSecret({}, 'PASS'), undefined);
  });

  it('names one variable when the name already is the prefixed one', () => {
    assert.deepEqual(secretVariables('SMTP_SECRET_X'), ['SMTP_SECRET_X']);
    assert.equal(describeSecretVariables('PASS', '=…'), 'SMTP_SECRET_PASS=… or PASS=…');
  });
});
