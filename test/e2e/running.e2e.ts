// Running sessions from the editor in a real VS Code: the code lens plays a
// session against the embedded local server (no @server in the file), the
// replies appear after each line, the Test Explorer records the outcome, an
// unmet expectation turns red with a diagnostic, and the SMTP Inbox lists
// the message the session sent.
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scenario, startE2E, type E2E } from './harness';
import { SessionRunViews } from './support/sessionRuns';

const SUBJECT = 'Quarterly report';
// No @server: runs go to the embedded local server, started on demand.
const DELIVERY = `### Deliver a message
S: 220
C: EHLO client.example.com
S: 250
C: MAIL FROM:<alice@example.com>
S: 250 2.1.0
C: RCPT TO:<bob@example.org>
S: 250 2.1.5
C: DATA
S: 354
Subject: ${SUBJECT}
From: Alice <alice@example.com>
To: Bob <bob@example.org>

The figures are attached.
.
S: 250
C: QUIT
S: 221

### Expect a rejection
S: 220
C: EHLO client.example.com
S: 250
C: MAIL FROM:<alice@example.com>
S: 250
C: RCPT TO:<nobody@example.org>
S: 550 5.1.1
C: QUIT
S: 221
`;

/** Green: the green channel leads; red: the red channel leads (whatever the theme's exact shades). */
function dominantChannel(colour: string): 'red' | 'green' | 'other' {
  const [r, g, b] = (colour.match(/\d+/g) ?? []).map(Number);
  if (g > r && g > b) return 'green';
  if (r > g && r > b) return 'red';
  return 'other';
}

describe('running sessions from the editor', { timeout: 300_000 }, () => {
  let e2e: E2E;
  let views: SessionRunViews;
  before(async () => {
    e2e = await startE2E({ files: { 'delivery.smtp': DELIVERY } });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await e2e?.close();
  });

  it('runs a session from its code lens against the local server: inline replies and a passing test', () =>
    scenario(e2e, 'run-passing', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('delivery.smtp');
      await views.clickCodeLens(editor, 'Deliver a message', '▶ Run session');
      const rcpt = await views.waitForInlineReply(editor, /^C:\sRCPT\sTO:<bob@/, /^250 2\.1\.5 .* · \d+(\.\d+)? m?s$/);
      assert.equal(dominantChannel(rcpt.colour), 'green', `the met RCPT expectation should be green, is ${rcpt.colour}`);
      const quit = await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 .* · \d+(\.\d+)? m?s$/);
      assert.equal(dominantChannel(quit.colour), 'green', `QUIT's reply should be green, is ${quit.colour}`);
      await e2e.screenshot('run-passing-inline-replies');
      await views.waitForTestItem('delivery.smtp', 'Deliver a message', 'Passed');
      await e2e.screenshot('run-passing-test-explorer');
    }));

  it('shows the reply to the end of the message on its "." line', () =>
    scenario(e2e, 'run-data-end', async () => {
      const { workbench } = e2e;
      // The run above has finished (QUIT was answered): the reply is on screen now or not at all.
      const editor = await workbench.waitForEditor('delivery.smtp');
      const end = await views.waitForInlineReply(editor, /^\.$/, /^250 .*queued/, 10_000);
      assert.equal(dominantChannel(end.colour), 'green', `the end of data's reply should be green, is ${end.colour}`);
      await e2e.screenshot('run-data-end');
    }));

  it('shows an unmet expectation as a red inline reply and a diagnostic', () =>
    scenario(e2e, 'run-failing', async () => {
      const { workbench } = e2e;
      await workbench.runCommand('View: Show Explorer');
      const editor = await workbench.openFile('delivery.smtp');
      await views.clickCodeLens(editor, 'Expect a rejection', '▶ Run session');
      const rcpt = await views.waitForInlineReply(editor, /^C:\sRCPT\sTO:<nobody@/, /^250 2\.1\.5 /);
      assert.equal(dominantChannel(rcpt.colour), 'red', `the unmet RCPT expectation should be red, is ${rcpt.colour}`);
      await workbench.openProblems();
      await workbench.waitForProblem(/expected 550 5\.1\.1, got 250/);
      const problem = (await workbench.problems()).find((entry) => entry.message.startsWith('expected 550'));
      assert.ok(problem, 'the Problems panel lists the unmet expectation');
      assert.match(problem.message, /^expected 550 5\.1\.1, got 250 2\.1\.5/);
      assert.equal(problem.source, 'smtp-session run');
      const unmet = (await workbench.problems()).filter((entry) => entry.message.startsWith('expected 550'));
      assert.equal(unmet.length, 1, `one problem per unmet expectation (the language server's), not a second copy: ${JSON.stringify(unmet)}`);
      await workbench.closePanel();
      await e2e.screenshot('run-failing-inline-replies', 'inline-replies');
      await views.waitForTestItem('delivery.smtp', 'Expect a rejection', 'Failed');
      await e2e.screenshot('run-failing-test-explorer', 'test-explorer');
    }));

  it('clears results by command, and runs the session at the cursor with Ctrl+Alt+R', () =>
    scenario(e2e, 'run-keybinding', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('delivery.smtp');
      await workbench.runCommand('SMTP: Clear Results');
      await views.waitForNoInlineReplies(editor);
      // The run diagnostics go with the inline results.
      await workbench.openProblems();
      await workbench.waitForNoProblem(/expected 550 5\.1\.1, got 250/);
      await workbench.closePanel();
      await workbench.goTo(7, 1);
      await page.keyboard.press('Control+Alt+R');
      const rcpt = await views.waitForInlineReply(editor, /^C:\sRCPT\sTO:<bob@/, /^250 2\.1\.5 /);
      assert.equal(dominantChannel(rcpt.colour), 'green', `the met RCPT expectation should be green, is ${rcpt.colour}`);
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      await e2e.screenshot('run-keybinding');
    }));

  it('lists the message just sent in the SMTP Inbox', () =>
    scenario(e2e, 'inbox', async () => {
      const message = await views.waitForInboxMessage(SUBJECT);
      assert.equal((await message.locator('.label-description').innerText()).trim(), 'alice@example.com → bob@example.org');
      // The local server also keeps it as a file in its folder.
      const files = (await readdir(e2e.inboxFolder)).filter((name) => name.endsWith('.eml'));
      const texts = await Promise.all(files.map((name) => readFile(join(e2e.inboxFolder, name), 'utf8')));
      assert.ok(texts.some((text) => text.includes(`Subject: ${SUBJECT}`)), `no .eml with the subject in ${e2e.inboxFolder}: ${files.join(', ') || 'none'}`);
      await e2e.screenshot('inbox');
    }));
});
