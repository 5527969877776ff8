import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeStartFailure, settingToChange } from '../../../client/src/localServer/localServerStartError';

describe('why the local server did not start', () => {
  it('a taken port says to change smtp.localServer.port', () => {
    const reason = 'The embedded local SMTP server could not start: port 2525 is in use: pass --port 0 for a free one or stop the other server';
    const message = describeStartFailure(reason, { port: 2525, dir: null });
    assert.match(message, /port 2525 is already in use/);
    assert.match(message, /Change the setting smtp\.localServer\.port \(0 picks any free port\)/);
    assert.doesNotMatch(message, /--port/, 'command-line advice means nothing in the editor');
    assert.equal(settingToChange(reason), 'smtp.localServer.port');
  });

  it('a privileged port says to pick one above 1023', () => {
    const reason = 'The embedded local SMTP server could not start: port 25 needs administrator rights: use a port above 1023 (the default is 2525) or --port 0';
    assert.match(describeStartFailure(reason, { port: 25, dir: null }), /smtp\.localServer\.port to a port above 1023/);
  });

  it('an unusable folder says to change smtp.localServer.folder', () => {
    const reason = 'The embedded local SMTP server could not start: cannot use /root/x for messages: EACCES: permission denied';
    const message = describeStartFailure(reason, { port: 2525, dir: '/root/x' });
    assert.match(message, /cannot save messages in \/root\/x \(cannot use \/root\/x for messages: EACCES: permission denied\)/);
    assert.match(message, /smtp\.localServer\.folder/);
    assert.equal(settingToChange(reason), 'smtp.localServer.folder');
  });

  it('anything else is passed on once, without repeating the prefix', () => {
    const message = describeStartFailure('The embedded local SMTP server could not start: something odd', { port: 0, dir: null });
    assert.equal(message, 'The local SMTP server could not start: something odd');
    assert.equal(settingToChange('something odd'), null);
  });
});
