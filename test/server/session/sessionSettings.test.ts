import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sessionSettings } from '../../../server/src/session/sessionSettings';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function settings(...lines: string[]) {
  const file = parseTranscript(lines.join('\n'));
  return sessionSettings(file, file.sessions[0]);
}

describe('sessionSettings', () => {
  it('defaults to port 25 without TLS, and 465 with @tls = implicit', () => {
    assert.deepEqual([settings('@server = mx.example.org', 'C: QUIT').port, settings('@server = mx.example.org', 'C: QUIT').tls], [25, 'none']);
    assert.equal(settings('@server = mx.example.org', '@tls = implicit', 'C: QUIT').port, 465);
  });

  it('takes port 465 as implicit TLS unless @tls = none says otherwise (RFC 8314)', () => {
    assert.equal(settings('@server = smtp.example.com:465', 'C: QUIT').tls, 'implicit');
    assert.equal(settings('@server = smtp.example.com:465', '@tls = none', 'C: QUIT').tls, 'none');
  });

  it('names the line of a wrong value', () => {
    assert.throws(() => settings('@server = a.example', '@tls = sometimes', 'C: QUIT'), /line 2: @tls must be none or implicit, not "sometimes"/);
    assert.throws(() => settings('@server = a.example:99999', 'C: QUIT'), /line 1: @server must be host or host:port/);
  });
});
