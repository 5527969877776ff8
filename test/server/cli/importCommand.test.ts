import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { importCommand } from '../../../server/src/cli/importCommand';
import { runCli } from '../../../server/src/cli/runCli';

function run(args: string[], stdin = '') {
  const out: string[] = [];
  const err: string[] = [];
  const io = { stdout: (text: string) => out.push(text), stderr: (text: string) => err.push(text) };
  const status = args[0] === 'import' ? runCli(args, io) : importCommand(args, io, () => stdin);
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

const SWAKS = ['=== Trying mx.example.org:25...', '<-  220 mx.example.org ESMTP', ' -> EHLO client.example.com', '<-  250 mx.example.org', ' -> QUIT', '<-  221 Bye', ''].join('\n');

let folder: string;
let swaks: string;

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-import-'));
  swaks = join(folder, 'swaks.txt');
  writeFileSync(swaks, SWAKS);
  writeFileSync(join(folder, 'letter.txt'), 'Dear postmaster,\nmy mail does not arrive.\n');
});

after(() => rmSync(folder, { recursive: true, force: true }));

describe('smtp-session import', () => {
  it('prints the transcript on stdout and says on stderr what it read and what check finds', () => {
    const result = run(['import', swaks]);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^# Imported from swaks output/);
    assert.ok(result.stdout.split('\n').includes('C: EHLO client.example.com'));
    assert.equal(result.stderr, `smtp-session: read ${swaks} as swaks output (5 dialogue lines); check finds no error or warning in it.`);
  });

  it('writes -o OUT.smtp, and refuses to write over the file it reads', () => {
    const out = join(folder, 'out.smtp');
    const result = run(['import', '-o', out, swaks]);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '');
    assert.match(readFileSync(out, 'utf8'), /\nS: 221 Bye\n$/);
    const same = run(['import', '--output', swaks, swaks]);
    assert.equal(same.status, 2);
    assert.match(same.stderr, /--output would overwrite the transcript being imported/);
    assert.equal(readFileSync(swaks, 'utf8'), SWAKS);
  });

  it('reads standard input for -', () => {
    const result = run(['--from', 'swaks', '-'], SWAKS);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /^smtp-session: read standard input as swaks output/);
  });

  it('exits 2 with what it can read when nothing is recognised, and on a --from it does not know', () => {
    const none = run(['import', join(folder, 'letter.txt')]);
    assert.equal(none.status, 2);
    assert.match(none.stderr, /letter\.txt: No SMTP dialogue recognised\. import reads swaks output/);
    const unknown = run(['import', '--from', 'pcap', swaks]);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--from must be one of auto, swaks, arrows, rfc, telnet, not "pcap"/);
  });

  it('tells a check problem of the result on stderr', () => {
    const broken = join(folder, 'broken.txt');
    writeFileSync(broken, '<-  220 mx ESMTP\n -> MAIL FROM:<a@example.com>\n<-  250 ok\n');
    const result = run(['import', broken]);
    assert.equal(result.status, 0);
    assert.match(result.stderr, /check finds 1 error in it \(run smtp-session check on it for where\)\.$/);
  });
});
