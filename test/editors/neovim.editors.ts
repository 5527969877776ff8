// A second real LSP client in CI: Debian's Neovim (0.7) with its built-in
// client, headless, with the README's Neovim 0.7 configuration copied out of
// README.md unchanged, against `smtp-session lsp` (found on PATH, as after
// `npm install -g`). It declares what Neovim declares, no experimental.smtp:
// everything it must see — diagnostics, hover, completion, colour, a run's
// outcome — comes through standard LSP, and the server sends it nothing
// Neovim has no handler for. The user's part is played by
// test/editors/neovim/init.lua; it writes a report of what it saw, which this
// file checks.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EDITOR_TRANSCRIPT, runEditor } from './editorRun';
import { readmeBlocks } from './readmeBlocks';
import { serverOnPath } from './serverOnPath';

const ROOT = join(__dirname, '..', '..');
const INIT = join(__dirname, 'neovim', 'init.lua');

interface Report {
  filetype: string;
  errors: string[];
  unhandled: string[];
  messages: { type: number; message: string }[];
  progress: string[];
  steps: {
    diagnostics?: { line: number; code: string | null; message: string }[];
    hover?: string;
    completion?: { label: string; insertTextFormat: number | null; newText: string; command: string | null; word: string }[];
    semanticTokens?: string[];
    colour?: { verb: string[]; permanent: string[]; prefix: string[] };
    run?: { lenses: string[]; message: { type: number; message: string }; diagnostics: { line: number; message: string }[] };
  };
}

describe('Neovim 0.7 as the editor (built-in LSP client, headless)', { timeout: 120_000 }, () => {
  let folder: string;
  let report: Report;

  before(async () => {
    const version = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    assert.equal(version.status, 0, 'nvim is not installed: `npm run test:editors` installs Debian\'s neovim (scripts/editors/setup.sh)');
    folder = mkdtempSync(join(tmpdir(), 'smtp-nvim-'));
    const file = join(folder, 'session.smtp');
    writeFileSync(file, EDITOR_TRANSCRIPT);
    const config = join(folder, 'readme.lua');
    writeFileSync(config, readmeBlocks('Neovim 0.7 and later', 'lua').join('\n'));
    const reportPath = join(folder, 'report.json');
    report = await runEditor<Report>('nvim', ['--headless', '--clean', '-u', INIT], folder, {
      HOME: folder,
      XDG_STATE_HOME: join(folder, 'state'),
      XDG_DATA_HOME: join(folder, 'data'),
      XDG_CACHE_HOME: join(folder, 'cache'),
      PATH: serverOnPath(folder),
      SMTP_NVIM_CONFIG: config,
      SMTP_NVIM_RUNTIME: join(ROOT, 'editors', 'neovim'),
      SMTP_NVIM_FILE: file,
      SMTP_NVIM_REPORT: reportPath,
    }, reportPath);
  });

  after(() => {
    if (folder) rmSync(folder, { recursive: true, force: true });
  });

  it('opens *.smtp as the smtp file type and plays every step without an error', () => {
    assert.equal(report.filetype, 'smtp');
    assert.deepEqual(report.errors, []);
  });

  it('shows the analysis\'s diagnostics', () => {
    const diagnostics = report.steps.diagnostics ?? [];
    const rcptBeforeMail = diagnostics.find((diagnostic) => diagnostic.line === 15);
    assert.ok(rcptBeforeMail, JSON.stringify(diagnostics));
    assert.equal(rcptBeforeMail.code, 'bad-sequence');
    assert.match(rcptBeforeMail.message, /RCPT/);
  });

  it('explains a reply code on hover', () => {
    assert.match(report.steps.hover ?? '', /550/);
    assert.match(report.steps.hover ?? '', /mailbox/i);
  });

  it('completes commands as plain text: no placeholder, no line break, no VS Code command', () => {
    const items = report.steps.completion ?? [];
    assert.ok(items.some((item) => item.label === 'MAIL'), JSON.stringify(items.map((item) => item.label)));
    for (const item of items) {
      assert.notEqual(item.insertTextFormat, 2, `${item.label} is a snippet`);
      assert.doesNotMatch(item.newText, /\$\{?\d|\n/, `${item.label} inserts ${JSON.stringify(item.newText)}`);
      assert.doesNotMatch(item.word, /[\0\n]/, `${item.label}: Neovim would insert ${JSON.stringify(item.word)}`);
      assert.equal(item.command, null, `${item.label} carries ${item.command}`);
    }
    assert.equal(items.find((item) => item.label === 'MAIL')?.word, 'MAIL FROM:<>');
  });

  it('gets semantic tokens of standard types, for colour without a grammar', () => {
    for (const type of ['keyword', 'number', 'string']) assert.ok(report.steps.semanticTokens?.includes(type), `${type} in ${report.steps.semanticTokens}`);
  });

  it('colours a transcript on 0.7 with the README\'s helper (editors/neovim): verbs and prefixes as keywords, a 5xx code as permanent', () => {
    const colour = report.steps.colour;
    assert.ok(colour, 'the colour step did not finish');
    assert.deepEqual(colour.verb, ['SmtpSessionKeyword']);
    assert.deepEqual(colour.prefix, ['SmtpSessionKeyword']);
    assert.deepEqual(colour.permanent, ['SmtpSessionPermanent']);
  });

  it('runs a session from its code lens, and shows the outcome as a message and a diagnostic on the S: line', () => {
    const run = report.steps.run;
    assert.ok(run, 'the run step did not finish');
    assert.ok(run.lenses.some((title) => /Run session/.test(title)), JSON.stringify(run.lenses));
    assert.match(run.message.message, /1 session: 0 passed, 1 failed — line 8: expected 550 5\.1\.1, got 250/);
    assert.deepEqual(run.diagnostics.map((diagnostic) => diagnostic.line), [7]);
    assert.match(run.diagnostics[0].message, /expected 550 5\.1\.1, got 250/);
    assert.ok(report.progress.includes('begin') && report.progress.includes('end'), `work-done progress: ${report.progress}`);
  });

  it('is sent nothing Neovim has no handler for (no smtp/… message it did not ask for, no undeclared request)', () => {
    assert.deepEqual(report.unhandled, []);
  });
});
