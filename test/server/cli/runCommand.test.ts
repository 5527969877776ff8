import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

let folder: string;
const write = (name: string, lines: string[]) => {
  const path = join(folder, name);
  writeFileSync(path, lines.join('\n'));
  return path;
};

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-run-'));
});
after(() => rmSync(folder, { recursive: true, force: true }));

const TIMEOUT = { timeout: 20_000 };

describe('smtp-session run (against the embedded server when the file names none)', () => {
  it('prints the documented JSON and exits 0 when every expectation holds, over verified STARTTLS', TIMEOUT, async () => {
    const path = write('ok.smtp', [
      '### Deliver', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'S: 250 2.1.0', 'C: RCPT TO:<b@example.org>', 'S: 250 2.1.5', 'C: DATA', 'S: 354', 'Subject: t', '', 'hi', '.', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    const result = await run('run', '--format', 'json', path);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const report = JSON.parse(result.stdout);
    assert.equal(report.ok, true);
    assert.equal(report.files[0].file, path);
    const [session] = report.files[0].sessions;
    assert.deepEqual(Object.keys(session).slice(0, 7), ['name', 'line', 'server', 'ok', 'error', 'tls', 'warnings']);
    assert.equal(session.name, 'Deliver');
    assert.equal(session.tls.verified, true);
    assert.match(session.tls.fingerprint256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.deepEqual(Object.keys(session.steps[0]).slice(0, 7), ['line', 'kind', 'sent', 'reply', 'expected', 'ok', 'mismatch']);
    assert.deepEqual(session.steps.map((s: { kind: string }) => s.kind), ['greeting', 'command', 'command', 'command', 'command', 'command', 'command', 'data', 'command']);
  });

  it('exits 1 and explains the mismatch when a reply differs from the expectation', TIMEOUT, async () => {
    const path = write('mismatch.smtp', ['S: 220', 'C: NOOP', 'S: 550', 'C: QUIT', 'S: 221']);
    const result = await run('run', path);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /# line 2: expected 550, got 250/);
    assert.match(result.stdout, /1 session: 0 passed, 1 failed; 1 of 3 expectations met; \d+\.\d\d s$/);
  });

  it('exits 2 with a clear message when the server cannot be reached', TIMEOUT, async () => {
    const path = write('unreachable.smtp', ['S: 220', 'C: QUIT']);
    const result = await run('run', '--server', '127.0.0.1:1', '--format', 'json', path);
    assert.equal(result.status, 2);
    assert.match(JSON.parse(result.stdout).files[0].sessions[0].error.message, /Could not connect to 127\.0\.0\.1:1: nothing is listening there/);
  });

  it('runs one session chosen by number or name, and rejects an unknown one', TIMEOUT, async () => {
    const path = write('two.smtp', ['### First', 'S: 220', 'C: QUIT', 'S: 221', '### Second', 'S: 220', 'C: NOOP', 'S: 250', 'C: QUIT', 'S: 221']);
    const byName = JSON.parse((await run('run', '--format', 'json', '--session', 'Second', path)).stdout).files[0];
    assert.deepEqual(byName.sessions.map((s: { name: string }) => s.name), ['Second']);
    const byNumber = JSON.parse((await run('run', '--format', 'json', '--session', '1', path)).stdout).files[0];
    assert.deepEqual(byNumber.sessions.map((s: { name: string }) => s.name), ['First']);
    const unknown = await run('run', '--session', 'Third', path);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /No session "Third" in the file; it has: 1 \(First\), 2 \(Second\)/);
  });

  it('refuses to run a file with parser errors, naming the line', TIMEOUT, async () => {
    const path = write('broken.smtp', ['S: 220', 'EHLO no prefix', 'C: QUIT']);
    const result = await run('run', '--format', 'json', path);
    assert.equal(result.status, 2);
    assert.match(JSON.parse(result.stdout).files[0].sessions[0].error.message, /^line 2: unprefixed-line/);
  });
});

describe('smtp-session run --record', () => {
  it('writes the dialogue as a transcript that check accepts and run replays', TIMEOUT, async () => {
    const path = write('to-record.smtp', [
      '### Deliver', 'S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250',
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 250', 'S: 250', 'S: 354', 'Subject: recorded', '', '..dot', 'S: not a reply', '.', 'S: 250',
      '### Without QUIT', 'S: 220', 'C: NOOP', 'S: 250',
    ]);
    const recordingPath = join(folder, 'recorded.smtp');
    const first = await run('run', '--record', recordingPath, path);
    assert.equal(first.status, 0, first.stdout + first.stderr);
    assert.match(first.stderr, /Recorded the dialogue in .*recorded\.smtp/);
    const recording = readFileSync(recordingPath, 'utf8');
    assert.match(recording, /^### Deliver\n# No @server: this ran against the embedded local server, and so will the replay\.\nS: 220 localhost ESMTP/m);
    assert.match(recording, /^C: STARTTLS\nS: 220 2\.0\.0 Ready to start TLS\n# TLS: TLSv1\.3, .*certificate verified/m);
    assert.match(recording, /^C: MAIL FROM:<a@example\.com>\nC: RCPT TO:<b@example\.org>\nC: DATA\nS: 250 2\.1\.0 Accepted\nS: 250 2\.1\.5 Accepted\nS: 354 .*\nSubject: recorded\n\n\.\.dot\nC: S: not a reply\n\.\nS: 250 /m);
    assert.match(recording, /^### Without QUIT\n[^]*C: NOOP\nS: 250 [^\n]*\nC: QUIT\nS: 221 /m, 'the QUIT the engine added is part of the dialogue');

    const checked = await run('check', recordingPath);
    assert.equal(checked.status, 0, checked.stdout);
    assert.doesNotMatch(checked.stdout, / error /);
    const replay = await run('run', '--format', 'json', recordingPath);
    assert.equal(replay.status, 0, replay.stdout + replay.stderr);
    assert.deepEqual(JSON.parse(replay.stdout).files[0].sessions.map((s: { name: string; ok: boolean }) => [s.name, s.ok]), [['Deliver', true], ['Without QUIT', true]]);
  });

  it('records a session that could not run as its error, with no server line', TIMEOUT, async () => {
    const path = write('broken-record.smtp', ['### Broken', 'S: 220', 'EHLO no prefix', 'C: QUIT']);
    const recordingPath = join(folder, 'broken-recorded.smtp');
    const result = await run('run', '--record', recordingPath, path);
    assert.equal(result.status, 2);
    const recording = readFileSync(recordingPath, 'utf8');
    assert.match(recording, /^### Broken\n# error \(line 3\): line 3: unprefixed-line: /m);
    assert.doesNotMatch(recording, /@server|embedded/);
    assert.equal((await run('check', recordingPath)).status, 0);
  });

  it('refuses to overwrite the file it runs, and says so when the recording cannot be written', TIMEOUT, async () => {
    const path = write('self.smtp', ['S: 220', 'C: QUIT', 'S: 221']);
    const self = await run('run', '--record', path, path);
    assert.equal(self.status, 2);
    assert.match(self.stderr, /--record would overwrite the file being run/);
    assert.equal(readFileSync(path, 'utf8'), 'S: 220\nC: QUIT\nS: 221');
    const nowhere = join(folder, 'no-such-folder', 'out.smtp');
    const unwritable = await run('run', '--record', nowhere, path);
    assert.equal(unwritable.status, 2);
    assert.match(unwritable.stderr, /cannot write the recording to .*out\.smtp: ENOENT/);
    assert.equal(existsSync(nowhere), false);
  });
});

describe('smtp-session run never prints a secret', () => {
  const PASSWORD = 'cli-test-password-5581';
  const forms = [PASSWORD, Buffer.from(PASSWORD).toString('base64'), Buffer.from(`\0alice\0${PASSWORD}`).toString('base64')];
  let server: RunningLocalServer;
  before(async () => {
    process.env.SMTP_SESSION_TEST_PASS = PASSWORD;
    server = await startLocalServer({ port: 0, users: [{ user: 'alice', pass: PASSWORD }] });
  });
  after(async () => {
    delete process.env.SMTP_SESSION_TEST_PASS;
    await server.close();
  });

  it('in text, in JSON and in the recording: $secret, $authPlain, AUTH LOGIN responses, echoes in replies', TIMEOUT, async () => {
    const opening = ['S: 220', 'C: EHLO client.example', 'S: 250', 'C: STARTTLS', 'S: 220', 'C: EHLO client.example', 'S: 250'];
    const path = write('secrets.smtp', [
      `@server = 127.0.0.1:${server.port}`, '@tls-verify = false', '@user = alice',
      '### PLAIN', ...opening, 'C: AUTH PLAIN {{$authPlain {{user}} {{$secret SMTP_SESSION_TEST_PASS}}}}', 'S: 235',
      'C: MAIL FROM:<sender@example.com>', 'S: 250', 'C: RCPT TO:<bob@example.org>', 'S: 250', 'C: DATA', 'S: 354',
      'Subject: secret in a body', 'X-Token: {{$secret SMTP_SESSION_TEST_PASS}}', '.', 'S: 250', 'C: QUIT', 'S: 221',
      '### LOGIN', ...opening, 'C: AUTH LOGIN', 'S: 334', 'C: {{$base64 {{user}}}}', 'S: 334', 'C: {{$base64 {{$secret SMTP_SESSION_TEST_PASS}}}}', 'S: 235',
      // A command the server does not know: the mismatch is shown, the secret in the command is not.
      'C: XSECRET {{$secret SMTP_SESSION_TEST_PASS}}', 'S: 250', 'C: QUIT', 'S: 221',
    ]);
    const recordingPath = join(folder, 'secrets-recorded.smtp');
    const text = await run('run', '--record', recordingPath, path);
    const json = await run('run', '--format', 'json', path);
    assert.equal(text.status, 1, text.stdout + text.stderr);
    assert.equal(json.status, 1);
    assert.match(text.stdout, /C: AUTH PLAIN \*\*\*/);
    assert.match(text.stdout, /C: XSECRET \*\*\*/);
    const recording = readFileSync(recordingPath, 'utf8');
    for (const [label, output] of [['text', text.stdout + text.stderr], ['json', json.stdout + json.stderr], ['recording', recording]]) {
      for (const form of forms) assert.ok(!output.includes(form), `the ${label} output shows a secret:\n${output}`);
    }
    assert.match(recording, /^X-Token: \{\{\$secret SMTP_SESSION_TEST_PASS\}\}$/m);
    const checked = await run('check', recordingPath);
    assert.equal(checked.status, 0, checked.stdout);
  });
});

describe('smtp-session run and check confine {{$file}} to the file\'s repository', () => {
  let repo: string;
  before(() => {
    repo = join(folder, 'repo');
    mkdirSync(join(repo, '.git'), { recursive: true });
    mkdirSync(join(repo, 'mail'), { recursive: true });
    mkdirSync(join(repo, 'bodies'), { recursive: true });
    writeFileSync(join(repo, 'bodies', 'hello.txt'), 'Subject: hello\n\nhi\n');
    writeFileSync(join(folder, 'outside.txt'), 'not in the repository\n');
  });
  const session = (bodyLine: string) => ['S: 220', 'C: EHLO {{$env CLIENT_NAME}}', 'S: 250', 'C: MAIL FROM:<a@example.com>', 'S: 250', 'C: RCPT TO:<b@example.org>', 'S: 250', 'C: DATA', 'S: 354', bodyLine, '.', 'S: 250', 'C: QUIT', 'S: 221'];
  const writeInRepo = (name: string, lines: string[]) => {
    const path = join(repo, 'mail', name);
    writeFileSync(path, lines.join('\n'));
    return path;
  };

  it('sends a file inside the repository and lists the files and environment variables read, in JSON and in text', TIMEOUT, async () => {
    process.env.CLIENT_NAME = 'client.example';
    try {
      const path = writeInRepo('inside.smtp', session('{{$file ../bodies/hello.txt}}'));
      const json = await run('run', '--format', 'json', path);
      assert.equal(json.status, 0, json.stdout + json.stderr);
      assert.deepEqual(JSON.parse(json.stdout).files[0].inputs, { environment: ['CLIENT_NAME'], files: [join('bodies', 'hello.txt')] });
      const text = await run('run', path);
      assert.match(text.stdout, /\n# read from this machine: environment CLIENT_NAME; file bodies[/\\]hello\.txt\n/);
    } finally {
      delete process.env.CLIENT_NAME;
    }
  });

  it('refuses a file outside the repository with exit 2, naming the line, the path, the folder and the way to allow it', TIMEOUT, async () => {
    process.env.CLIENT_NAME = 'client.example';
    try {
      const path = writeInRepo('outside.smtp', session('{{$file ../../outside.txt}}'));
      const result = await run('run', path);
      assert.equal(result.status, 2, result.stdout + result.stderr);
      assert.match(result.stdout, new RegExp(`# error \\(line 10\\): line 10: \\{\\{\\$file \\.\\./\\.\\./outside\\.txt\\}\\} leads outside the workspace folder ${repo.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} .*"@allow-outside-files = true"`));
      assert.doesNotMatch(result.stdout, /not in the repository/);

      const check = await run('check', path);
      assert.equal(check.status, 0, 'a warning, not an error');
      assert.match(check.stdout, /10:1 +warning +file-outside-workspace|file-outside-workspace/);
    } finally {
      delete process.env.CLIENT_NAME;
    }
  });
});
