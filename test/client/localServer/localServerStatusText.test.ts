import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { localServerAddress, localServerStatusBarText } from '../../../client/src/localServer/localServerStatusText';

const running = { running: true as const, host: '127.0.0.1', port: 2525, tls: 'starttls' as const, certificateFingerprint256: 'AB:CD', dir: '/home/a/inbox' };

describe('the local server in the status bar', () => {
  it('shows the port while it runs', () => {
    const { text, tooltip } = localServerStatusBarText(running);
    assert.equal(text, '$(mail) SMTP :2525');
    assert.match(tooltip, /127\.0\.0\.1:2525/);
    assert.match(tooltip, /saved in \/home\/a\/inbox/);
    assert.match(tooltip, /AB:CD/);
  });

  it('says it is off, and how to start it', () => {
    const { text, tooltip } = localServerStatusBarText({ running: false });
    assert.equal(text, '$(circle-slash) SMTP server off');
    assert.match(tooltip, /Click to start/);
  });

  it('says when messages stay in memory', () => {
    assert.match(localServerStatusBarText({ ...running, dir: null }).tooltip, /memory only/);
  });

  it('brackets an IPv6 address', () => {
    assert.equal(localServerAddress(running), '127.0.0.1:2525');
    assert.equal(localServerAddress({ ...running, host: '::1' }), '[::1]:2525');
  });
});
