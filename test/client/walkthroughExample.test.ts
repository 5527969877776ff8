// The walkthrough's example (media/walkthrough/first-session.smtp) does what
// the walkthrough says: it checks clean, its first session passes against the
// embedded local server, and its second fails at the refusal it expects.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { startLocalServer, type RunningLocalServer } from '../../server/src/captureServer/localServer';
import { playSession } from '../../server/src/engine/playSession';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';

const path = join(__dirname, '..', '..', 'media', 'walkthrough', 'first-session.smtp');
const file = parseTranscript(readFileSync(path, 'utf8'));

describe('the walkthrough example', () => {
  let server: RunningLocalServer;
  before(async () => {
    server = await startLocalServer({ host: '127.0.0.1', port: 0 });
  });
  after(() => server.close());

  const run = (index: number) => playSession(file, file.sessions.filter((session) => session.name !== null)[index], {
    filePath: path,
    defaultServer: `127.0.0.1:${server.port}`,
    trustedCertificates: server.certificatePem ? [server.certificatePem] : [],
    timeoutSeconds: 10,
    secrets: { secret: async () => { throw new Error('no secrets here'); }, prompt: async () => { throw new Error('no prompts here'); } },
  });

  it('has no error or warning, and names no @server (it is meant for the local server)', () => {
    const problems = checkTranscript(file).filter((p) => p.severity === 'error' || p.severity === 'warning');
    assert.deepEqual(problems.map((p) => `${p.range.start.line + 1} ${p.code}`), []);
    assert.doesNotMatch(readFileSync(path, 'utf8'), /^@server/m);
  });

  it('passes its first session over STARTTLS, and the local server captures the message', async () => {
    const before = server.messages.length;
    const result = await run(0);
    assert.equal(result.error, null);
    assert.equal(result.ok, true);
    assert.ok(result.tls, 'STARTTLS was negotiated');
    assert.equal(server.messages.length, before + 1);
    assert.equal(server.messages.at(-1)?.subject, 'Hello from SMTP Session');
  });

  it('fails its second session at the refusal the local server does not give', async () => {
    const result = await run(1);
    assert.equal(result.ok, false);
    const failed = result.steps.find((step) => step.ok === false);
    assert.match(failed?.mismatch ?? '', /expected 550 5\.1\.1, got 250/);
  });
});
