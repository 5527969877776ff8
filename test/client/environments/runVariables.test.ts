import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { confirmsEveryRun, readEnvironments, runVariables, timeoutSetting } from '../../../client/src/environments/runVariables';

describe('environments', () => {
  it('reads names → variables, and reports what it leaves out', () => {
    const { environments, problems } = readEnvironments({ local: { server: '127.0.0.1:2525', port: 25 }, bad: 'x', staging: { user: 'ci', list: [] } });
    assert.deepEqual(environments, { local: { server: '127.0.0.1:2525', port: '25' }, staging: { user: 'ci' } });
    assert.equal(problems.length, 2);
    assert.match(problems[0], /smtp\.environments\["bad"\]/);
  });
  it('a setting that is not an object is one problem', () => {
    assert.equal(readEnvironments([1]).problems.length, 1);
    assert.deepEqual(readEnvironments(undefined), { environments: {}, problems: [] });
  });
  it('the default server sits beneath the environment', () => {
    assert.deepEqual(runVariables('mx:25', { user: 'ci' }), { server: 'mx:25', user: 'ci' });
    assert.deepEqual(runVariables('mx:25', { server: 'staging:587' }), { server: 'staging:587' });
    assert.equal(runVariables('  ', undefined), null);
  });
  it('timeouts: seconds above 0, else the RFC ones', () => {
    assert.equal(timeoutSetting(30), 30);
    assert.equal(timeoutSetting(0), null);
    assert.equal(timeoutSetting(null), null);
    assert.equal(timeoutSetting('5'), null);
  });
});

describe('"$confirm" in an environment', () => {
  it('is a directive, not a variable: runs do not get it, and "always" makes every remote run ask', () => {
    assert.deepEqual(runVariables(undefined, { server: 'smtp.example.org:587', $confirm: 'always' }), { server: 'smtp.example.org:587' });
    assert.equal(confirmsEveryRun({ $confirm: 'always' }), true);
    assert.equal(confirmsEveryRun({ $confirm: ' Always ' }), true);
    assert.equal(confirmsEveryRun({ $confirm: 'never' }), false);
    assert.equal(confirmsEveryRun({ server: 'x' }), false);
    assert.equal(confirmsEveryRun(undefined), false);
  });
});
