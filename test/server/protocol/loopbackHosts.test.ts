import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { isLoopbackHost } from '../../../server/src/protocol/loopbackHosts';

describe('isLoopbackHost', () => {
  it('knows localhost names, 127.0.0.0/8 and ::1 in its spellings', () => {
    for (const host of ['localhost', 'LOCALHOST', 'mail.localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '0:0:0:0:0:0:0:1']) assert.equal(isLoopbackHost(host), true, host);
  });

  it('treats every other host as remote, look-alikes included', () => {
    for (const host of ['mail.example.org', 'localhost.example.org', '128.0.0.1', '10.0.0.1', '::2', '1::1', '::ffff:127.0.0.1', '']) assert.equal(isLoopbackHost(host), false, host);
  });
});
