// The clear-text AUTH guard decides on the line as it will be sent: a
// mechanism that comes from a variable, or one this tool does not know, is
// treated as one that sends the credentials readable. Played against a
// scripted server on this machine's own non-loopback address, as a remote
// server would be reached, so the guard's loopback exemption does not apply.
import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { networkInterfaces } from 'node:os';
import { refuseClearTextCredentials } from '../../../server/src/engine/credentials';
import { playSession, type PlayOptions } from '../../../server/src/engine/playSession';
import { SessionError } from '../../../server/src/engine/sessionErrors';
import { sessionSettings } from '../../../server/src/engine/sessionSettings';
import type { CommandStep } from '../../../server/src/transcript/ast';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { greetAndEhlo, startScriptedServer, type ScriptedServer } from './scriptedServer';

/** An IPv4 address of this machine that is not loopback: where a test server looks remote. */
const remoteAddress = Object.values(networkInterfaces()).flat().find((address) => address && !address.internal && address.family === 'IPv4')?.address ?? null;

const servers: ScriptedServer[] = [];
after(async () => {
  for (const server of servers) await server.close();
});

const secrets: PlayOptions['secrets'] = {
  secret: async () => 'hunter22',
  prompt: async () => assert.fail('no prompt expected'),
};

/** Plays `lines` against a permissive server on the non-loopback address; returns the result and every line the server got. */
async function play(lines: string[]) {
  const received: string[] = [];
  const server = await startScriptedServer(async (c) => {
    await greetAndEhlo(c, ['AUTH PLAIN LOGIN CRAM-MD5']);
    for (;;) {
      const line = await c.line();
      received.push(line);
      c.send(line === 'QUIT' ? '221 bye\r\n' : line.startsWith('AUTH') ? '235 2.7.0 ok\r\n' : '250 ok\r\n');
    }
  }, remoteAddress!);
  servers.push(server);
  const file = parseTranscript([`@server = ${remoteAddress}:${server.port}`, ...lines].join('\n'));
  const result = await playSession(file, file.sessions[0], { filePath: '/tmp/auth.smtp', secrets, timeoutSeconds: 5 });
  return { result, received };
}

const TIMEOUT = { timeout: 15_000, skip: remoteAddress === null ? 'this machine has no non-loopback IPv4 address to serve on' : false };

describe('the clear-text AUTH guard, on the line as sent', () => {
  it('refuses "@mech = PLAIN" + "C: AUTH {{mech}} …" in clear to a non-loopback address, sending nothing of it', TIMEOUT, async () => {
    const { result, received } = await play(['@mech = PLAIN', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH {{mech}} {{$authPlain alice {{$secret PASS}}}}', 'S: 235', 'C: QUIT']);
    assert.equal(result.ok, false);
    assert.equal(result.error?.line, 6);
    assert.match(result.error?.message ?? '', new RegExp(`^line 6: AUTH PLAIN \\(as sent, from "AUTH \\{\\{mech\\}\\}"\\) would send the credentials unencrypted to ${remoteAddress!.replaceAll('.', '\\.')}; nothing was sent\\. .*"@allow-plaintext-auth = true"`));
    assert.ok(!received.some((line) => line.startsWith('AUTH')), received.join('\n'));
    assert.ok(!JSON.stringify(result).includes('hunter22'));
  });

  it('refuses a whole "AUTH …" line that comes from one variable, and a mechanism it does not know', TIMEOUT, async () => {
    const whole = await play(['@login = AUTH PLAIN AGFsaWNlAGh1bnRlcjIy', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: {{login}}', 'S: 235', 'C: QUIT']);
    assert.match(whole.result.error?.message ?? '', /^line 6: AUTH PLAIN \(as sent, from "\{\{login\}\}"\) would send the credentials unencrypted/);
    assert.ok(!whole.received.some((line) => line.startsWith('AUTH')));

    const unknown = await play(['S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH X-CUSTOM-TOKEN c2VjcmV0', 'S: 235', 'C: QUIT']);
    assert.match(unknown.result.error?.message ?? '', /^line 5: AUTH X-CUSTOM-TOKEN names a mechanism this tool does not know, so it is treated as one that sends the credentials readable/);
    assert.ok(!unknown.received.some((line) => line.startsWith('AUTH')));
  });

  it('lets a mechanism that keeps the password home through when it is written out, and anything with @allow-plaintext-auth', TIMEOUT, async () => {
    const cram = await play(['S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH CRAM-MD5', 'S: 235', 'C: QUIT']);
    assert.equal(cram.result.error, null, JSON.stringify(cram.result.error));
    assert.ok(cram.received.includes('AUTH CRAM-MD5'));

    const allowed = await play(['@mech = PLAIN', '@allow-plaintext-auth = true', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH {{mech}} {{$authPlain alice {{$secret PASS}}}}', 'S: 235', 'C: QUIT']);
    assert.equal(allowed.result.error, null, JSON.stringify(allowed.result.error));
    assert.ok(allowed.received.some((line) => line.startsWith('AUTH PLAIN ')));
  });
});

describe('refuseClearTextCredentials', () => {
  const file = parseTranscript(['@server = 192.0.2.25', 'C: AUTH {{mech}} x', 'C: AUTH CRAM-MD5', 'C: AUTH'].join('\n'));
  const settings = sessionSettings(file, file.sessions[0]);
  const [substituted, written, bare] = file.sessions[0].steps.filter((step): step is CommandStep => step.kind === 'command');
  const refused = (sent: string, step: CommandStep, encrypted = false) => {
    try {
      refuseClearTextCredentials(sent, step, encrypted, settings);
      return null;
    } catch (error) {
      assert.ok(error instanceof SessionError && error.kind === 'refused-input');
      return error.message;
    }
  };

  it('treats a substituted mechanism as credential-bearing, even one that would not be written out', () => {
    assert.match(refused('AUTH PLAIN x', substituted) ?? '', /AUTH PLAIN \(as sent, from "AUTH \{\{mech\}\}"\) would send/);
    assert.match(refused('AUTH CRAM-MD5 x', substituted) ?? '', /takes its mechanism from a variable, so it is treated as one that sends the credentials readable/);
    assert.equal(refused('AUTH CRAM-MD5', written), null);
  });

  it('lets anything through over TLS, and a line that is no AUTH or names no mechanism', () => {
    assert.equal(refused('AUTH PLAIN x', substituted, true), null);
    assert.equal(refused('NOOP PLAIN', substituted), null);
    assert.equal(refused('AUTH', bare), null);
  });
});
