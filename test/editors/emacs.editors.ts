// Emacs with Eglot as the editor: Debian's emacs-nox 28 and elpa-eglot 1.9, in
// batch, with the README's Eglot configuration copied out of README.md as is
// (`smtp-session` is found on PATH, as after `npm install -g`). Eglot declares
// no experimental.smtp, no work-done progress and no snippets (without
// yasnippet), answers an unknown request with null, and shows no code lenses:
// what it must show — diagnostics in Flymake, hover, completion, a run's
// outcome — comes through standard LSP. The user's part is played by
// test/editors/emacs/driver.el, which writes a report this file checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EDITOR_TRANSCRIPT, runEditor } from './editorRun';
import { readmeBlocks } from './readmeBlocks';
import { serverOnPath } from './serverOnPath';

const DRIVER = join(__dirname, 'emacs', 'driver.el');

interface Diagnostic { line: number; text: string }
interface Report {
  mode: string;
  languageId: string;
  errors: string[] | null;
  unhandled: string[] | null;
  received: string[] | null;
  messages: { type: number; message: string }[] | null;
  steps: {
    diagnostics?: Diagnostic[];
    hover?: string;
    completion?: { label: string; insertTextFormat: number | null; newText: string; command: string | null }[];
    lenses?: string[];
    run?: { message: { type: number; message: string }; diagnostics: Diagnostic[] };
  } | null;
}

describe('Emacs 28 with Eglot 1.9 as the editor (batch, the README\'s configuration)', { timeout: 120_000 }, () => {
  let folder: string;
  let report: Report;

  before(async () => {
    const version = spawnSync('emacs', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'emacs is not installed: `npm run test:editors` installs Debian\'s emacs-nox and elpa-eglot (scripts/editors/setup.sh)');
    folder = mkdtempSync(join(tmpdir(), 'smtp-eglot-'));
    const config = join(folder, 'init.el');
    writeFileSync(config, readmeBlocks('Emacs with Eglot', 'elisp').join('\n'));
    const file = join(folder, 'session.smtp');
    writeFileSync(file, EDITOR_TRANSCRIPT);
    const reportPath = join(folder, 'report.json');
    report = await runEditor<Report>('emacs', ['--batch', '-l', DRIVER], folder, {
      HOME: folder,
      PATH: serverOnPath(folder),
      SMTP_EMACS_CONFIG: config,
      SMTP_EMACS_FILE: file,
      SMTP_EMACS_REPORT: reportPath,
    }, reportPath);
  });

  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('opens *.smtp in the README\'s smtp-session-mode, language id "smtp", and plays every step without an error', () => {
    assert.equal(report.mode, 'smtp-session-mode');
    assert.equal(report.languageId, 'smtp');
    assert.deepEqual(report.errors ?? [], []);
  });

  it('shows the analysis\'s diagnostics in Flymake', () => {
    const rcptBeforeMail = (report.steps?.diagnostics ?? []).find((diagnostic) => diagnostic.line === 15);
    assert.ok(rcptBeforeMail, JSON.stringify(report.steps?.diagnostics));
    assert.match(rcptBeforeMail.text, /bad-sequence/);
    assert.match(rcptBeforeMail.text, /RCPT/);
  });

  it('explains a reply code on hover', () => {
    assert.match(report.steps?.hover ?? '', /550/);
    assert.match(report.steps?.hover ?? '', /mailbox/i);
  });

  it('completes commands as plain text: no placeholder, no line break, no VS Code command (Eglot without yasnippet declares no snippets)', () => {
    const items = report.steps?.completion ?? [];
    assert.ok(items.some((item) => item.label === 'MAIL'), JSON.stringify(items.map((item) => item.label)));
    for (const item of items) {
      assert.notEqual(item.insertTextFormat, 2, `${item.label} is a snippet`);
      assert.doesNotMatch(item.newText, /\$\{?\d|[\0\n]/, `${item.label} inserts ${JSON.stringify(item.newText)}`);
      assert.equal(item.command, null, `${item.label} carries ${item.command}`);
    }
  });

  it('runs the buffer\'s sessions with the README\'s smtp-session-run, and shows the outcome as a message and a Flymake diagnostic on the S: line', () => {
    assert.ok(report.steps?.lenses?.some((title) => /Run session/.test(title)), `code lenses (Eglot does not show them): ${JSON.stringify(report.steps?.lenses)}`);
    const run = report.steps?.run;
    assert.ok(run, 'the run step did not finish');
    assert.match(run.message.message, /^SMTP: 2 sessions: 1 passed, 1 failed — line 8: expected 550 5\.1\.1, got 250 2\.1\.5 /);
    const lines = run.diagnostics.map((diagnostic) => diagnostic.line);
    assert.ok(lines.includes(7), `run diagnostics on lines ${JSON.stringify(lines)}`);
    assert.match(run.diagnostics.find((diagnostic) => diagnostic.line === 7)?.text ?? '', /^smtp-session run: expected 550 5\.1\.1, got 250/);
  });

  it('is sent nothing Eglot has no handler for (no smtp/… message, no undeclared request)', () => {
    assert.ok((report.received ?? []).includes('notification textDocument/publishDiagnostics'), JSON.stringify(report.received));
    assert.deepEqual(report.unhandled ?? [], []);
  });
});
