// The details around a run in a real VS Code: a {{$secret}} asked once in a
// password box and never shown, the hover on an inline reply with the whole
// reply, a value captured from a reply shown on its @ line, "Open Last
// Result" (with what the run read from this machine) and "Save as
// Transcript", and the SMTP Inbox's readable preview of the message.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scenario, startE2E, type E2E } from './harness';
import { textsOf, waitVisible } from './support/onScreen';
import { SessionRunViews } from './support/sessionRuns';

const SECRET = 'hunter2-e2e-token';
const BODY_LINE = 'Line one of the body.';
// No @server: the embedded local server, which answers NOOP whatever its argument.
const TOKEN_AND_MESSAGE = `### Token and message
S: 220
C: EHLO client.example.com
S: 250
C: NOOP {{$secret E2E_TOKEN}}
S: 250
C: MAIL FROM:<carol@example.com>
S: 250
C: RCPT TO:<dave@example.org>
S: 250
C: DATA
S: 354
Subject: Preview me
From: carol@example.com
To: dave@example.org

${BODY_LINE}
{{$file note.txt}}
.
S: 250
@qid = {{$reply /queued as (\\S+)/}}
C: QUIT
S: 221
`;
const NOTE = 'A line from note.txt.\n';

// {{sender}} comes from the environment picked in the status bar.
const FROM_ENVIRONMENT = `### Sender from the environment
S: 220
C: EHLO client.example.com
S: 250
C: MAIL FROM:<{{sender}}>
S: 250
C: RCPT TO:<dave@example.org>
S: 250
C: DATA
S: 354
Subject: From the environment

Sent from the selected environment.
.
S: 250
C: QUIT
S: 221
`;
const ENVIRONMENTS = { staging: { sender: 'ops@staging.example' }, local: { sender: 'dev@local.example' } };

describe('the details of a run', { timeout: 300_000 }, () => {
  let e2e: E2E;
  let views: SessionRunViews;
  before(async () => {
    e2e = await startE2E({
      files: { 'token.smtp': TOKEN_AND_MESSAGE, 'environment.smtp': FROM_ENVIRONMENT, 'note.txt': NOTE },
      settings: { 'smtp.environments': ENVIRONMENTS },
    });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await e2e?.close();
  });

  it('asks for a {{$secret}} once, in a password box, and never shows it', () =>
    scenario(e2e, 'secret', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('token.smtp');
      await views.clickCodeLens(editor, 'Token and message', '▶ Run session');
      const password = await waitVisible(page.locator('.quick-input-widget input[type="password"]'), 'a password box asking for E2E_TOKEN', () =>
        textsOf(page.locator('.quick-input-widget')),
      );
      await e2e.screenshot('secret-prompt');
      await password.fill(SECRET);
      await page.keyboard.press('Enter');
      await views.waitForInlineReply(editor, /^C:\sNOOP/, /^250 /);
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      // The queue id the local server answered, on the line that captured it.
      const captured = await views.waitForInlineReply(editor, /^@qid\s/, /^captured \S+$/);
      assert.doesNotMatch(captured.text, /\*\*\*|\{\{/, `the captured value is not the queue id: ${captured.text}`);
      // Its hover is the language server's, naming the value once (the inline text adds no second hover).
      const captureHover = await workbench.hover(workbench.token(editor, /^@qid\s/, 'qid'), 'The last run captured');
      const hoverText = await captureHover.innerText();
      assert.equal(hoverText.split(captured.text.replace(/^captured /, '')).length - 1, 1, `the hover does not name the captured value once:\n${hoverText}`);
      await page.mouse.move(0, 0);
      const shown = JSON.stringify(await views.inlineReplies(editor));
      assert.ok(!shown.includes(SECRET), `an inline reply shows the secret: ${shown}`);

      // A second run takes the secret from VS Code's secret storage: it finishes without asking.
      await workbench.runCommand('SMTP: Clear Results');
      await views.waitForNoInlineReplies(editor);
      await views.clickCodeLens(editor, 'Token and message', '▶ Run session');
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      await e2e.screenshot('secret-second-run');
    }));

  it('shows the whole multi-line reply in the hover on an inline reply', () =>
    scenario(e2e, 'inline-reply-hover', async () => {
      const { workbench } = e2e;
      const editor = await workbench.waitForEditor('token.smtp');
      // The inline text shows the first line of the embedded server's EHLO reply; the hover has them all.
      const hover = await workbench.hover(workbench.token(editor, /^C:\sEHLO/, 'EHLO'), 'Nice to meet you');
      const text = await hover.innerText();
      assert.match(text, /PIPELINING/);
      assert.match(text, /STARTTLS/);
      assert.match(text, /\d+ ms/);
      await e2e.screenshot('inline-reply-hover');
    }));

  it('opens the last result, and saves it as a transcript with the secret left out', () =>
    scenario(e2e, 'last-result', async () => {
      const { workbench, page } = e2e;
      await workbench.runCommand('SMTP: Open Last Result');
      const shown = await views.waitForVirtualDocument('smtp-result', /^#\sRun\sof\stoken\.smtp\s.*:\spassed$/);
      assert.ok(!shown.includes(SECRET), `the result shows the secret:\n${shown}`);
      // The file the body read, by name; never its content in the header.
      assert.match(shown, /^# read from this machine: file note\.txt$/m, `the result does not say what the run read:\n${shown}`);
      await e2e.screenshot('last-result');
      // The save dialog of the browser workbench is a quick input holding the suggested path.
      await workbench.runCommand('SMTP: Save as Transcript');
      // It fills in the folder first, then the suggested name.
      await workbench.waitForQuickInputValue(/\/workspace\/token\.recorded\.smtp$/);
      await page.keyboard.press('Enter');
      await workbench.waitForEditor('token.recorded.smtp');
      const saved = await readFile(join(e2e.workspace, 'token.recorded.smtp'), 'utf8');
      assert.match(saved, /^S: 221 /m, `the transcript has no "S: 221" line:\n${saved}`);
      assert.match(saved, /^C: NOOP \{\{\$secret E2E_TOKEN\}\}$/m, `the transcript does not keep the secret's reference:\n${saved}`);
      assert.ok(!saved.includes(SECRET), `the transcript holds the secret:\n${saved}`);
      await workbench.runCommand('View: Close All Editors');
    }));

  it('previews a captured message from the SMTP Inbox', () =>
    scenario(e2e, 'inbox-preview', async () => {
      const message = await views.waitForInboxMessage('Preview me');
      await message.click();
      const text = await views.waitForVirtualDocument('smtp-message', new RegExp(BODY_LINE.replace(/ /g, '\\s').replace('.', '\\.')));
      assert.match(text, /Subject: Preview me/, `the preview has no subject:\n${text}`);
      assert.match(text, /carol@example\.com/, `the preview has no sender:\n${text}`);
      await e2e.screenshot('inbox-preview');
    }));

  it('gives every session the variables of the environment picked in the status bar', () =>
    scenario(e2e, 'environment', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('environment.smtp');
      await views.waitForCodeLenses(editor);
      const item = page.locator('.part.statusbar .statusbar-item');
      await (await waitVisible(item.filter({ hasText: /(^|\s)No environment$/ }), 'the environment switcher saying "No environment"', () => textsOf(item))).click();
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await (await waitVisible(rows.filter({ has: page.locator('.label-name', { hasText: /^local$/ }) }), 'the environment "local" in the picker', () => textsOf(rows))).click();
      await waitVisible(item.filter({ hasText: /(^|\s)local$/ }), 'the environment switcher saying "local"', () => textsOf(item));
      await views.clickCodeLens(editor, 'Sender from the environment', '▶ Run session');
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      const message = await views.waitForInboxMessage('From the environment');
      assert.equal((await message.locator('.label-description').innerText()).trim(), `${ENVIRONMENTS.local.sender} → dave@example.org`);
      await e2e.screenshot('environment');
    }));
});
