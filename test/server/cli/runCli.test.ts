import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';

function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

let folder: string;
let clean: string;
let broken: string;
let warningOnly: string;

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-cli-'));
  clean = join(folder, 'clean.smtp');
  broken = join(folder, 'broken.smtp');
  warningOnly = join(folder, 'nested', 'warning.smtp');
  writeFileSync(clean, 'S: 220 ready\nC: QUIT\nS: 221 bye\n');
  writeFileSync(broken, 'S: 220 ready\nEHLO client.example\nC: QUIT\nS: 221 bye\n');
  mkdirSync(join(folder, 'nested'));
  writeFileSync(warningOnly, 'C: EHLO {{host}\n');
});

after(() => rmSync(folder, { recursive: true, force: true }));

describe('smtp-session check', () => {
  it('exits 0 and says so when a file has no problems', () => {
    const result = run('check', clean);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '1 file checked: no problems.');
  });

  it('prints compiler-style lines with 1-based line and column, and exits 1 on errors', () => {
    const result = run('check', broken);
    assert.equal(result.status, 1);
    assert.match(result.stdout, new RegExp(`^${broken.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:2:1: error unprefixed-line: This line has no "C:" or "S:" prefix`));
    assert.match(result.stdout, /1 file checked: 1 error\.$/);
  });

  it('prints exactly the documented JSON', () => {
    const result = run('check', '--format', 'json', broken, clean);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(Object.keys(report[0]), ['file', 'diagnostics']);
    assert.equal(report[0].file, broken);
    assert.deepEqual(report[0].diagnostics[0], {
      line: 2, character: 0, endLine: 2, endCharacter: 19, severity: 'error', code: 'unprefixed-line',
      message: 'This line has no "C:" or "S:" prefix. Start lines the client sends with "C: " and expected replies with "S: "; use "#" for a comment.',
    });
    assert.deepEqual(report[1], { file: clean, diagnostics: [] });
  });

  it('exits 0 when only warnings are found', () => {
    const result = run('check', '--format=json', warningOnly);
    assert.equal(result.status, 0);
    assert.equal(JSON.parse(result.stdout)[0].diagnostics[0].severity, 'warning');
  });

  it('searches directories for .smtp files', () => {
    const result = run('check', '--format', 'json', folder);
    assert.deepEqual(JSON.parse(result.stdout).map((entry: { file: string }) => entry.file), [broken, clean, warningOnly]);
  });

  it('exits 2 with a clear message for a file it cannot read, and still checks the others', () => {
    const result = run('check', join(folder, 'missing.smtp'), clean);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*missing\.smtp: no such file \(check the path\)/);
    assert.match(result.stdout, /1 file checked/);
  });

  it('exits 2 on usage errors and points to --help', () => {
    for (const args of [['check'], ['check', '--format', 'xml', clean], ['check', '--colour', clean], ['frobnicate'], ['check', '--format']]) {
      const result = run(...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, /Run "smtp-session --help" for usage\./);
    }
  });
});

describe('smtp-session --help', () => {
  it('documents every command and exits 0', () => {
    const result = run('--help');
    assert.equal(result.status, 0);
    for (const text of ['check', '--format text', '--format json', 'Exit status']) assert.ok(result.stdout.includes(text), text);
  });

  it('prints usage and exits 2 when no command is given', () => {
    assert.equal(run().status, 2);
  });
});
