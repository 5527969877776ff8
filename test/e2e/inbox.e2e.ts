// The SMTP Inbox as the way between a run and what the local server received,
// in a real VS Code: the inline result on a message's "." line offers the
// captured message (its preview headed by the envelope and the run's line),
// the inbox lists each session with its messages — and a session that sent
// none by why it ended — and opens a session's transcript.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { scenario, startE2E, type E2E } from './harness';
import { textsOf, waitVisible } from './support/onScreen';
import { SessionRunViews } from './support/sessionRuns';

const SUBJECT = 'Linked from the run';
// No @server: the embedded local server, started on demand.
const DELIVERY = `### Deliver and link
S: 220
C: EHLO app.example
S: 250
C: MAIL FROM:<app@example.com> BODY=8BITMIME
S: 250
C: RCPT TO:<bob@example.org>
S: 250
C: DATA
S: 354
Subject: ${SUBJECT}

Hello from the e2e suite.
.
S: 250
C: QUIT
S: 221
`;
/** 1-based line of the "." above. */
const DOT_LINE = DELIVERY.split('\n').indexOf('.') + 1;

const HELLO_ONLY = `### Say hello and leave
S: 220
C: EHLO app.example
S: 250
C: QUIT
S: 221
`;

describe('the SMTP Inbox and the runs that fill it', { timeout: 300_000 }, () => {
  let e2e: E2E;
  let views: SessionRunViews;
  before(async () => {
    e2e = await startE2E({ files: { 'deliver.smtp': DELIVERY, 'hello.smtp': HELLO_ONLY } });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await e2e?.close();
  });

  it('opens the captured message from the inline result on the run\'s "." line', () =>
    scenario(e2e, 'open-captured-message', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('deliver.smtp');
      await views.clickCodeLens(editor, 'Deliver and link', '▶ Run session');
      await views.waitForInlineReply(editor, /^\.$/, /queued as [0-9a-f]{10} · .* · ✉ in the SMTP Inbox \(hover to open\)$/);
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      const hover = await workbench.hover(workbench.token(editor, /^\.$/, '.'), 'Open Captured Message');
      await e2e.screenshot('captured-message-hover');
      await hover.locator('a', { hasText: 'Open Captured Message' }).click();
      const preview = await views.waitForVirtualDocument('smtp-message', /^Subject:\sLinked\sfrom\sthe\srun$/);
      assert.match(preview, /MAIL FROM: <app@example\.com> BODY=8BITMIME/, `the preview has no envelope:\n${preview}`);
      assert.match(preview, /RCPT TO: +<bob@example\.org>/);
      assert.match(preview, /Timing: +connect \d+ ms/);
      assert.match(preview, new RegExp(`Sent by: +\\S*deliver\\.smtp, line ${DOT_LINE}`), `the preview does not name the run's line:\n${preview}`);
      await e2e.screenshot('captured-message-preview');
    }));

  it('opens the session transcript of a message from the inbox, and lists a session without a message by why it ended', () =>
    scenario(e2e, 'open-session-transcript', async () => {
      const { workbench, page } = e2e;
      const message = await views.waitForInboxMessage(SUBJECT);
      await views.clickRowAction(message, 'Open Session Transcript');
      const transcript = page.locator('.editor-instance .monaco-editor[data-uri*="-session-"][data-uri$=".smtp"]');
      await waitVisible(transcript.locator('.view-line').filter({ hasText: /^C:\sMAIL\sFROM:<app@example\.com>\sBODY=8BITMIME$/ }), 'the session transcript with the MAIL FROM line', () =>
        textsOf(page.locator('.tabs-container .tab')),
      );
      const text = (await transcript.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /^S: 250 2\.6\.0 Ok: queued as [0-9a-f]{10}$/m, `the transcript has no reply to the message:\n${text}`);
      await e2e.screenshot('session-transcript');

      const editor = await workbench.openFile('hello.smtp');
      await views.clickCodeLens(editor, 'Say hello and leave', '▶ Run session');
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      const session = await views.waitForInboxEntry('QUIT without DATA', 'the session that sent no message');
      assert.match(await session.locator('.label-description').innerText(), /^127\.0\.0\.1:\d+ · /);
      await e2e.screenshot('inbox-sessions');
    }));
});
