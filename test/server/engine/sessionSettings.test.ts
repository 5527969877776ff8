import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { sessionSettings } from '../../../server/src/engine/sessionSettings';
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

  it('reads @server = unix:/path as a Unix socket, and refuses an empty path', () => {
    const socket = settings('@server = unix:/var/run/dovecot/lmtp', 'C: LHLO a');
    assert.deepEqual([socket.socketPath, socket.host, socket.tls], ['/var/run/dovecot/lmtp', 'localhost', 'none']);
    assert.equal(settings('@server = mx.example.org', 'C: QUIT').socketPath, null);
    assert.throws(() => settings('@server = unix:', 'C: QUIT'), /line 1: @server must be host, host:port or unix:\/path\/to\/socket, not "unix:"/);
  });

  it('names the line of a wrong value', () => {
    assert.throws(() => settings('@server = a.example', '@tls = sometimes', 'C: QUIT'), /line 2: @tls must be none or implicit, not "sometimes"/);
    assert.throws(() => settings('@server = a.example:99999', 'C: QUIT'), /line 1: @server must be host, host:port or unix:\/path\/to\/socket, not "a.example:99999"/);
  });

  it('takes values from the editor\'s environment beneath the file\'s own', () => {
    const run = (variables: Record<string, string>, ...lines: string[]) => {
      const file = parseTranscript(lines.join('\n'));
      return sessionSettings(file, file.sessions[0], { variables, defaultServer: '127.0.0.1:2525' });
    };
    assert.deepEqual([run({ server: 'staging.example:587' }, 'C: QUIT').host, run({ server: 'staging.example:587' }, 'C: QUIT').port], ['staging.example', 587]);
    assert.equal(run({ server: 'staging.example:587' }, '@server = mx.example.org', 'C: QUIT').host, 'mx.example.org', 'the file\'s @server wins');
    assert.equal(run({}, 'C: QUIT').port, 2525, 'without either, the default server');
    assert.equal(run({ 'tls-verify': 'false', strict: 'true' }, 'C: QUIT').verifyTls, false);
    assert.equal(run({ strict: 'true' }, '@strict = false', 'C: QUIT').strict, false);
    assert.throws(() => run({ tls: 'sometimes' }, 'C: QUIT'), /the environment's "tls" must be none or implicit, not "sometimes"/);
    assert.throws(() => run({ server: 'a b' }, 'C: QUIT'), /the environment's "server" must be host, host:port or unix:\/path\/to\/socket/);
  });

  it('reads the file\'s settings once for the sessions that define none of their own, and each session\'s own otherwise', () => {
    const file = parseTranscript([
      '@server = mx.example.org', '@timeout = 20',
      '### plain one', 'S: 220', 'C: QUIT',
      '### plain two', 'S: 220', 'C: QUIT',
      '### its own server', '@server = other.example:2525', 'S: 220', 'C: QUIT',
      '### a capture only', '@id = {{$reply /(\\S+)/}}', 'S: 220', 'C: QUIT',
    ].join('\n'));
    const [one, two, own, capture] = file.sessions;
    const variables = { strict: 'true' };
    const first = sessionSettings(file, one, { variables });
    assert.equal(sessionSettings(file, two, { variables }), first, 'the second plain session gets the same settings, not read again');
    assert.equal(sessionSettings(file, capture, { variables }), first, 'a variable that is no setting changes nothing');
    assert.deepEqual([first.host, first.timeoutMs, first.strict], ['mx.example.org', 20_000, true]);
    assert.deepEqual([sessionSettings(file, own, { variables }).host, sessionSettings(file, own, { variables }).port], ['other.example', 2525]);
    // Other overrides are read again, never answered with settings made for different ones.
    assert.equal(sessionSettings(file, two, { variables, server: '127.0.0.1:2526' }).port, 2526);
    assert.equal(sessionSettings(file, two, { variables: { strict: 'false' } }).strict, false);
    assert.equal(sessionSettings(file, two, { variables, insecure: true }).verifyTls, false);
    assert.equal(sessionSettings(file, two, { variables, timeoutSeconds: 3 }).timeoutMs, 3_000);
  });

  it('names each session when no server is given, however many sessions ask', () => {
    const file = parseTranscript(['### first', 'S: 220', 'C: QUIT', '### second', 'S: 220', 'C: QUIT'].join('\n'));
    for (const session of file.sessions) {
      assert.throws(() => sessionSettings(file, session), (error: Error & { line?: number | null }) => error.line === session.range.start.line + 1 && /No server to connect to/.test(error.message));
    }
  });
});

