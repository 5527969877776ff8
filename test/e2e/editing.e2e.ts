// Editing .smtp files in a real VS Code (code-server + Chromium): language,
// colours, diagnostics, hovers, completion and quick fixes, driven the way a
// person drives them. Each test ends with a screenshot in test-results/.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scenario, startE2E, type E2E } from './harness';

// An EHLO reply that advertises AUTH, for completion; a mistyped verb, for the quick fix.
const SUBMISSION = `### Submission with AUTH
S: 220 mail.example.org ESMTP
C: EHLO client.example.com
S: 250-mail.example.org
S: 250-PIPELINING
S: 250-AUTH CRAM-MD5 PLAIN LOGIN
S: 250 8BITMIME
`;
const MISTYPED = `### A mistyped greeting
S: 220 mail.example.org ESMTP
C: EHL0 client.example.com
S: 250 mail.example.org
C: QUIT
S: 221 Bye
`;

// swaks output pasted under a session heading: every line is unprefixed-line until converted.
const PASTED_SWAKS = `### Pasted from swaks
=== Trying 127.0.0.1:2525...
<-  220 mail.example.org ESMTP
 -> EHLO client.example.com
<-  250-mail.example.org
<-  250 PIPELINING
 -> MAIL FROM:<alice@example.com>
<-  250 2.1.0 Ok
 -> RCPT TO:<bob@example.org>
<-  250 2.1.5 Ok
 -> DATA
<-  354 End data with <CR><LF>.<CR><LF>
 -> 12 lines sent
<-  250 2.0.0 Ok: queued
 -> QUIT
<-  221 2.0.0 Bye
=== Connection closed with remote host.
`;

describe('editing .smtp files in VS Code', { timeout: 300_000 }, () => {
  let e2e: E2E;
  before(async () => {
    e2e = await startE2E({
      examples: ['broken.smtp', 'relay-rejected-recipient.smtp'],
      files: { 'submission.smtp': SUBMISSION, 'mistyped.smtp': MISTYPED, 'pasted-swaks.smtp': PASTED_SWAKS },
    });
  });
  after(async () => {
    await e2e?.close();
  });

  it('opens a .smtp file as the smtp language and colours 2xx and 5xx reply codes differently', () =>
    scenario(e2e, 'language-and-colours', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('relay-rejected-recipient.smtp');
      await workbench.waitForLanguageMode('SMTP Session');
      assert.equal(await workbench.activeLanguageId('SMTP Session'), 'smtp');
      const success = await workbench.colourOf(workbench.token(editor, /^S:\s*250\s/, '250'));
      const permanent = await workbench.colourOf(workbench.token(editor, /^S:\s*550\s/, '550'));
      await e2e.screenshot('language-and-colours');
      assert.notEqual(success, permanent, `250 and 550 are both rendered in ${success}: reply codes are not coloured by class in the default theme`);
    }));

  it('shows the documented diagnostics of examples/broken.smtp in the Problems panel', () =>
    scenario(e2e, 'problems', async () => {
      const { workbench } = e2e;
      // The file's header lists what it should report: "#   line 14  unprefixed-line   (why)".
      const header = readFileSync(join(__dirname, '../../examples/broken.smtp'), 'utf8');
      const documented = [...header.matchAll(/^#\s+line (\d+)\s+([a-z-]+)/gm)].map((m) => `${m[2]} [Ln ${m[1]}`).sort();
      assert.ok(documented.length > 0, 'examples/broken.smtp documents no diagnostics in its header');
      await workbench.openFile('broken.smtp');
      await workbench.openProblems();
      for (const entry of documented) await workbench.waitForProblem(entry.split(' ')[0]);
      const shown = (await workbench.problems()).map((problem) => `${problem.code} ${problem.position.replace(/, Col \d+\]$/, '')}`).sort();
      await e2e.screenshot('problems');
      assert.deepEqual(shown, documented);
      await workbench.closePanel();
    }));

  it('explains a reply code and an enhanced status code on hover', () =>
    scenario(e2e, 'hover', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('relay-rejected-recipient.smtp');
      const reply = await workbench.hover(workbench.token(editor, /^S:\s*550\s/, '550'), 'mailbox unavailable');
      assert.match(await reply.innerText(), /permanent/);
      const enhanced = await workbench.hover(workbench.token(editor, /^S:\s*550\s/, '5.1.1'), 'Bad destination mailbox address');
      const text = await enhanced.innerText();
      assert.match(text, /class 5: permanent failure/);
      assert.match(text, /subject 1: addressing/);
      assert.match(text, /detail 1: Bad destination mailbox address/);
      await e2e.screenshot('hover', 'hover');
    }));

  it('completes MAIL after an EHLO reply, and the advertised AUTH mechanisms first', () =>
    scenario(e2e, 'completion', async () => {
      const { workbench, page } = e2e;
      await workbench.openFile('submission.smtp');
      await workbench.goTo(8, 1);
      await page.keyboard.type('C: ');
      await workbench.suggest('MAIL');
      await page.keyboard.press('Escape');
      await page.keyboard.type('AUTH ');
      await workbench.suggest('CRAM-MD5');
      const labels = await workbench.suggestionLabels();
      await e2e.screenshot('completion');
      assert.deepEqual(labels.slice(0, 3), ['CRAM-MD5', 'PLAIN', 'LOGIN'], `the advertised mechanisms should come first, in the server's order; listed: ${labels.join(', ')}`);
      await page.keyboard.press('Escape');
      await workbench.revertAndClose('submission.smtp');
    }));

  it('corrects an unknown verb with a quick fix', () =>
    scenario(e2e, 'quick-fix', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('mistyped.smtp');
      // The fix answers the diagnostic: asked for before the diagnostic arrives, VS Code says "No code actions available".
      await editor.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.goTo(3, 4);
      await workbench.applyQuickFix('Change to EHLO');
      await workbench.waitForLine(editor, /^C:\sEHLO\sclient\.example\.com$/);
      await workbench.waitForNoErrors(editor);
      await e2e.screenshot('quick-fix');
      await workbench.revertAndClose('mistyped.smtp');
    }));

  it('converts pasted swaks output to C:/S: lines with one quick fix, leaving no unprefixed-line', () =>
    scenario(e2e, 'import-quick-fix', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('pasted-swaks.smtp');
      // The paste is all errors until converted: wait for the server's diagnostics before asking for fixes.
      await editor.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 30_000 });
      await workbench.goTo(7, 3);
      await workbench.applyQuickFix('Convert this swaks output to C:/S: lines');
      await workbench.waitForLine(editor, /^C:\sEHLO\sclient\.example\.com$/);
      await workbench.waitForLine(editor, /^S:\s221\s2\.0\.0\sBye$/);
      await workbench.waitForLine(editor, /^#\sswaks\s--suppress-data\ssummarized\sthe\smessage/);
      await workbench.waitForNoErrors(editor);
      // No error squiggle is left (unprefixed-line is an error), no warning either, and no swaks hint.
      const swaksLines = await editor.locator('.view-line').filter({ hasText: /^\s*(?:->|<-)/ }).count();
      const warnings = await editor.locator('.squiggly-warning').count();
      await e2e.screenshot('import-quick-fix');
      assert.equal(swaksLines, 0, 'lines with swaks hints are left after the conversion');
      assert.equal(warnings, 0, 'the converted session has warnings');
      await workbench.revertAndClose('pasted-swaks.smtp');
    }));
});
