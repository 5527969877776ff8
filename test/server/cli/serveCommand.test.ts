import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';
import { serveCommand, serveOptions } from '../../../server/src/cli/serveCommand';
import { startLocalServer } from '../../../server/src/captureServer/localServer';

const root = join(__dirname, '..', '..', '..');
const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** Captures output and lets a test wait for a line that matches. */
class Output {
  readonly lines: string[] = [];
  private readonly waiting: { pattern: RegExp; resolve: (match: RegExpMatchArray) => void }[] = [];

  readonly io = { stdout: (text: string) => this.add(text), stderr: (text: string) => this.add(`stderr: ${text}`) };

  next(pattern: RegExp): Promise<RegExpMatchArray> {
    for (const line of this.lines) {
      const match = pattern.exec(line);
      if (match) return Promise.resolve(match);
    }
    return new Promise((resolve) => this.waiting.push({ pattern, resolve }));
  }

  add(text: string): void {
    for (const line of text.split('\n')) {
      this.lines.push(line);
      for (const waiter of [...this.waiting]) {
        const match = waiter.pattern.exec(line);
        if (match) {
          this.waiting.splice(this.waiting.indexOf(waiter), 1);
          waiter.resolve(match);
        }
      }
    }
  }
}

/** Sends a whole transaction, one command at a time, and resolves with every reply line once the server has closed. */
function sendMessage(port: number, body: string): Promise<string> {
  const commands = ['EHLO client.example', 'MAIL FROM:<alice@example.com>', 'RCPT TO:<bob@example.org>', 'RCPT TO:<nobody@example.org>', 'DATA', `${body}\r\n.`, 'QUIT'];
  return new Promise((resolve, reject) => {
    const socket: Socket = connect(port, '127.0.0.1');
    cleanups.push(() => void socket.destroy());
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (text: string) => {
      received += text;
      // A reply is complete at a line whose code is followed by a space; then send the next command.
      if (/(^|\r\n)\d{3} [^\r\n]*\r\n$/.test(received) && commands.length > 0) socket.write(`${commands.shift()}\r\n`);
    });
    socket.on('close', () => resolve(received));
    socket.on('error', reject);
  });
}

function temporaryDirectory(): string {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-session-serve-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('smtp-session serve', () => {
  it('listens, prints a line per message with where it was saved, and exits 0 when stopped', async () => {
    const dir = temporaryDirectory();
    const output = new Output();
    const stop = new AbortController();
    cleanups.push(() => stop.abort());
    const status = serveCommand(['--port', '0', '--tls', 'none', '--dir', dir, '--reject-rcpt', '^nobody@'], output.io, stop.signal);
    const [, port] = await output.next(/^Listening on 127\.0\.0\.1:(\d+) \(no TLS\)$/);
    assert.ok(output.lines.includes(`Messages are saved as .eml files in ${dir}, each connection's dialogue beside them as a .smtp transcript.`), output.lines.join('\n'));
    assert.ok(output.lines.includes('Recipients matching /^nobody@/i are refused (550 5.1.1).'));

    const replies = await sendMessage(Number(port), 'Subject: Hello from the test\r\n\r\nHi.');
    assert.match(replies, /\r\n550 5\.1\.1 <nobody@example\.org>: Recipient address rejected/);
    assert.match(replies, /\r\n221 2\.0\.0 Bye\r\n$/);
    const [summary, path] = await output.next(/^alice@example\.com → bob@example\.org \(\d+ bytes\) subject "Hello from the test" saved as (.+\.eml)$/);
    assert.ok(summary);
    assert.equal(readFileSync(path, 'utf8'), 'Subject: Hello from the test\r\n\r\nHi.\r\n');
    const [, transcript] = await output.next(/^session from 127\.0\.0\.1:\d+ recorded as (.+\.smtp)$/);
    assert.equal(dirname(transcript), dir);
    assert.match(readFileSync(transcript, 'utf8'), /\nC: RCPT TO:<nobody@example\.org>\nS: 550 5\.1\.1 [^\n]*\nC: DATA\n/);

    stop.abort();
    assert.equal(await status, 0);
    assert.equal(output.lines.at(-1), 'Stopped: 1 message received.');
  });

  it('shows the certificate fingerprint with STARTTLS, and who may authenticate but never the password', async () => {
    const output = new Output();
    const stop = new AbortController();
    cleanups.push(() => stop.abort());
    const status = serveCommand(['--port=0', '--user', 'alice:pa:ss', '--user', 'bob:hunter2'], output.io, stop.signal);
    await output.next(/^Listening on 127\.0\.0\.1:\d+ \(STARTTLS, self-signed certificate SHA-256 ([0-9A-F]{2}:){31}[0-9A-F]{2}\)$/);
    assert.ok(output.lines.includes('AUTH PLAIN LOGIN CRAM-MD5 for alice, bob (after STARTTLS).'), output.lines.join('\n'));
    assert.ok(!output.lines.some((line) => line.includes('hunter2') || line.includes('pa:ss')));
    stop.abort();
    assert.equal(await status, 0);
  });

  it('exits 2 with the reason when the port is in use', async () => {
    const other = await startLocalServer({ port: 0, tls: 'none' });
    cleanups.push(() => other.close());
    const output = new Output();
    const status = await serveCommand(['--port', String(other.port)], output.io, new AbortController().signal);
    assert.equal(status, 2);
    assert.deepEqual(output.lines, [`stderr: smtp-session: port ${other.port} is in use: pass --port 0 for a free one or stop the other server`]);
  });

  it('exits 2 on malformed options and points to --help', async () => {
    const cases: [string[], RegExp][] = [
      [['--tls', 'ssl'], /--tls must be "none", "starttls" or "implicit", not "ssl"/],
      [['--user', 'alice'], /--user takes NAME:PASSWORD/],
      [['--reject-rcpt', '(unclosed'], /--reject-rcpt "\(unclosed" is not a valid regular expression/],
      [['--port', '70000'], /--port must be a whole number from 0 to 65535, not "70000"/],
      [['--size', '10 MB'], /--size must be a number of bytes/],
      [['--delay', '-5'], /--delay needs a value|--delay must be a whole number/],
      [['--disconnect-after', 'MAIL FROM'], /--disconnect-after takes an SMTP verb/],
      [['extra.smtp'], /serve takes no file or other argument/],
      [['--colour'], /Unknown option --colour/],
    ];
    for (const [args, message] of cases) {
      const output = new Output();
      assert.equal(await runCli(['serve', ...args], output.io), 2, args.join(' '));
      const text = output.lines.join('\n');
      assert.match(text, message);
      assert.match(text, /Run "smtp-session --help" for usage\./);
    }
  });

  it('turns the command line into server options, repeated options kept in order', () => {
    const options = serveOptions(['--user', 'a:1', '--user', 'b:2:3', '--tempfail-rcpt', '@busy\\.', '--tempfail-rcpt', '^later@', '--size', '64K', '--disconnect-after', 'data', '--delay', '250', '--host', '::1', '--tls', 'implicit']);
    assert.deepEqual(options.users, [{ user: 'a', pass: '1' }, { user: 'b', pass: '2:3' }]);
    assert.deepEqual(options.tempfailRcpt?.map(String), ['/@busy\\./i', '/^later@/i']);
    assert.equal(options.size, 65536);
    assert.equal(options.disconnectAfter, 'DATA');
    assert.equal(options.delayMs, 250);
    assert.equal(options.host, '::1');
    assert.equal(options.tls, 'implicit');
    assert.deepEqual(serveOptions([]), {
      host: '127.0.0.1', port: 2525, dir: null, tls: 'starttls', users: [], size: 50 * 1024 * 1024,
      rejectRcpt: [], tempfailRcpt: [], disconnectAfter: null, delayMs: 0, rules: [],
    });
  });

  it('runs the rules of --rules FILE, listed at start, before the fault options', async () => {
    const dir = temporaryDirectory();
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, `// the signup tests' faults
{
  "rules": [
    { "name": "bouncing domain", "on": "RCPT", "address": "*@example.org", "nth": 2, "reply": "550 5.1.2 <{address}>: no such domain" },
  ],
}
`);
    const output = new Output();
    const stop = new AbortController();
    cleanups.push(() => stop.abort());
    const status = serveCommand(['--port', '0', '--tls', 'none', '--rules', rules, '--reject-rcpt', '^nobody@'], output.io, stop.signal);
    const [, port] = await output.next(/^Listening on 127\.0\.0\.1:(\d+) \(no TLS\)$/);
    assert.ok(output.lines.includes('Rules, tried in order before the options above:'), output.lines.join('\n'));
    assert.ok(output.lines.includes('  bouncing domain: at RCPT (address /^.*@example\\.org$/i, the 2nd time only), answer 550 5.1.2 <{address}>: no such domain.'), output.lines.join('\n'));

    // sendMessage gives bob@example.org, then nobody@example.org: the rule's second match is nobody, so the rule answers, not --reject-rcpt.
    const replies = await sendMessage(Number(port), 'Subject: rules\r\n\r\nHi.');
    assert.match(replies, /\r\n250 2\.1\.5 Accepted\r\n550 5\.1\.2 <nobody@example\.org>: no such domain\r\n354 /);
    await output.next(/^RCPT <nobody@example\.org> answered 550 5\.1\.2 \(bouncing domain\)$/);
    stop.abort();
    assert.equal(await status, 0);
  });

  it('does not start with a bad rules file, and says which rule and field are wrong', async () => {
    const dir = temporaryDirectory();
    const rules = join(dir, 'rules.json');
    writeFileSync(rules, '{\n  "rules": [\n    { "on": "RCPT", "reply": "550 5.1.1 User unknown" },\n    { "on": "MAIL", "reply": "421 4.7.0 Busy" },\n    { "on": "RCPT", "nth": 2,\n      "reply": "650 Nope" }\n  ]\n}\n');
    for (const [file, message] of [
      [rules, 'smtp-session: rules.json rule 3 (line 6): field `reply`: code 650 is not a reply code (use 200–599).'],
      [join(dir, 'missing.json'), `smtp-session: rules file ${join(dir, 'missing.json')} does not exist.`],
      [dir, `smtp-session: rules file ${dir} is a directory; give the path of a .json file of rules.`],
    ]) {
      const output = new Output();
      const status = await serveCommand(['--port', '0', '--tls', 'none', '--rules', file], output.io, new AbortController().signal);
      assert.equal(status, 2);
      assert.deepEqual(output.lines, [`stderr: ${message}`]);
    }
  });

  it('is documented in --help', async () => {
    const output = new Output();
    assert.equal(await runCli(['--help'], output.io), 0);
    const help = output.lines.join('\n');
    for (const text of ['smtp-session serve', '--disconnect-after VERB', '--tempfail-rcpt PATTERN', '--rules FILE', 'BDAT is not supported']) assert.ok(help.includes(text), text);
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    it(`stops cleanly and exits 0 on ${signal} (as a process)`, async () => {
      const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'server', 'src', 'cli', 'main.ts'), 'serve', '--port', '0', '--tls', 'none'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
      cleanups.push(() => void child.kill('SIGKILL'));
      let stdout = '';
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (chunk: Buffer) => {
          stdout += chunk.toString();
          if (stdout.includes('Press Ctrl+C to stop.')) resolve();
        });
        child.once('exit', () => reject(new Error(`serve exited early: ${stderr}`)));
      });
      child.kill(signal);
      assert.equal(await exited, 0, stderr);
      assert.match(stdout, /^Listening on 127\.0\.0\.1:\d+ \(no TLS\)\n/);
      assert.match(stdout, /\nStopped: 0 messages received\.\n$/);
    });
  }
});
