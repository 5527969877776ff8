// The controls around runs in a real VS Code: the Record code lens, the run
// history, Run All from the Test Explorer, stopping a session that waits on
// a silent server, and the TLS details in the hover on a STARTTLS line.
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { scenario, startE2E, type E2E } from './harness';
import { labelsOf, textsOf, UI_TIMEOUT, waitVisible } from './support/onScreen';
import type { DomElement } from './support/domShapes';
import { SessionRunViews } from './support/sessionRuns';

const SECRET = 'record-e2e-secret-42';
// No @server: the embedded local server, which greets "220 localhost ESMTP …" and answers NOOP whatever its argument.
const RECORD = `### Record me
S: 220
C: EHLO client.example.com
S: 250
C: NOOP {{$secret E2E_RECORD_TOKEN}}
S: 250
C: QUIT
S: 221
`;

const HISTORY = `### Later run
S: 220
C: EHLO history.example.com
S: 250
C: QUIT
S: 221
`;

const BOTH = `### Passes
S: 220
C: EHLO client.example.com
S: 250
C: MAIL FROM:<alice@example.com>
S: 250
C: RCPT TO:<bob@example.org>
S: 250
C: QUIT
S: 221

### Fails
S: 220
C: EHLO client.example.com
S: 250
C: MAIL FROM:<alice@example.com>
S: 250
C: RCPT TO:<bob@example.org>
S: 550 5.1.1
C: QUIT
S: 221
`;

// The EHLO reply as recorded names STARTTLS, so the file checks clean.
const STARTTLS = `### Over TLS
S: 220
C: EHLO client.example.com
S: 250-localhost
S: 250 STARTTLS
C: STARTTLS
S: 220
C: EHLO client.example.com
S: 250
C: QUIT
S: 221
`;

function silentSession(port: number): string {
  return `@server = 127.0.0.1:${port}
@timeout = 60

### Silent server
S: 220
C: EHLO client.example.com
S: 250
C: QUIT
S: 221
`;
}

/** A TCP listener on loopback that accepts connections and never writes a byte. */
async function startSilentServer(): Promise<{ port: number; sockets: Set<Socket>; connected: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<Socket>();
  let onConnect!: () => void;
  const connected = new Promise<void>((resolve) => (onConnect = resolve));
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    onConnect();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error(`the silent listener has no TCP address: ${String(address)}`);
  return {
    port: address.port,
    sockets,
    connected,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** `promise`, or a failure saying `what` did not happen within `ms`. */
async function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([promise, new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`Expected within ${ms / 1000} s: ${what}.`)), ms)))]);
  } finally {
    clearTimeout(timer);
  }
}

/** The Problems panel's rows with the file each is listed under (its file row comes first) and its severity icon. */
async function problemsByFile(page: Page): Promise<{ file: string; severity: string; source: string; message: string }[]> {
  return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) => {
    const found: { file: string; severity: string; source: string; message: string }[] = [];
    let file = '';
    for (const row of rows as unknown as DomElement[]) {
      const message = row.querySelector('.marker-message');
      if (!message) {
        file = row.querySelector('.label-name')?.textContent?.trim() ?? '';
        continue;
      }
      const icon = row.querySelector('.marker-icon')?.getAttribute('class') ?? '';
      const severity = /error/.test(icon) ? 'error' : /warning/.test(icon) ? 'warning' : 'info';
      found.push({ file, severity, source: row.querySelector('.marker-source')?.textContent?.trim() ?? '', message: message.textContent?.trim() ?? '' });
    }
    return found;
  });
}

describe('run controls', { timeout: 420_000 }, () => {
  let e2e: E2E;
  let views: SessionRunViews;
  let silent: Awaited<ReturnType<typeof startSilentServer>> | undefined;
  before(async () => {
    e2e = await startE2E({ files: { 'record.smtp': RECORD, 'history.smtp': HISTORY, 'both.smtp': BOTH, 'starttls.smtp': STARTTLS } });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await silent?.close();
    await e2e?.close();
  });

  it('records a session as a new untitled .smtp document with the real replies and no secret', () =>
    scenario(e2e, 'record', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('record.smtp');
      await views.clickCodeLens(editor, 'Record me', 'Record');
      const password = await waitVisible(page.locator('.quick-input-widget input[type="password"]'), 'a password box asking for E2E_RECORD_TOKEN', () =>
        textsOf(page.locator('.quick-input-widget')),
      );
      await password.fill(SECRET);
      await page.keyboard.press('Enter');
      const recorded = page.locator('.editor-instance .monaco-editor[data-uri^="untitled:"]');
      await waitVisible(recorded.locator('.view-line').filter({ hasText: /^S:\s220\slocalhost\sESMTP/ }), 'an untitled editor with the recorded greeting "S: 220 localhost ESMTP …"', async () =>
        `tabs: ${await labelsOf(page.locator('.tabs-container .tab'))}\nuntitled text: ${await textsOf(recorded.locator('.view-line'))}`,
      );
      const text = (await recorded.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /^### Record me$/m, `the recording has no "### Record me" heading:\n${text}`);
      assert.match(text, /^S: 221 /m, `the recording has no real "S: 221 …" reply to QUIT:\n${text}`);
      assert.ok(!text.includes(SECRET), `the recording shows the secret:\n${text}`);
      await waitVisible(page.locator('[id="status.editor.mode"]').filter({ hasText: /^SMTP Session$/ }), 'the recording in the language mode "SMTP Session"', () =>
        textsOf(page.locator('[id="status.editor.mode"]')),
      );
      await e2e.screenshot('record');
      // Leave no unsaved document behind (closing all editors would ask to save it).
      await workbench.runCommand('View: Revert and Close Editor');
      await recorded.waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    }));

  it('lists the runs of the window newest first and opens an older one', () =>
    scenario(e2e, 'run-history', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('history.smtp');
      await views.clickCodeLens(editor, 'Later run', '▶ Run session');
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      await workbench.runCommand('SMTP: Show Run History');
      const rows = page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
      await waitVisible(rows.nth(1), 'two runs in the run history', () => labelsOf(rows));
      // Each row's first label is the run (`$(pass) SMTP 3/3 · history.smtp`); the detail line below it names its sessions.
      const shown = await rows.evaluateAll((elements) =>
        elements.map((row) => ((row as unknown as DomElement).querySelector('.label-name')?.textContent ?? '').replace(/\u00a0/g, ' ').trim()),
      );
      assert.match(shown[0] ?? '', /^SMTP \d+\/\d+ · history\.smtp$/, `the newest run (history.smtp) should be listed first; rows: ${JSON.stringify(shown)}`);
      assert.match(shown[1] ?? '', /^SMTP \d+\/\d+ · record\.smtp$/, `the older run (record.smtp) should be listed second; rows: ${JSON.stringify(shown)}`);
      // The $(pass) in the label renders as an icon, not as text.
      assert.equal(await rows.nth(0).locator('.label-name .codicon-pass').count(), 1, `the newest run's row shows no pass icon: ${await rows.nth(0).innerHTML()}`);
      await e2e.screenshot('run-history-list');
      await rows.nth(1).click();
      const text = await views.waitForVirtualDocument('smtp-result', /^#\sRun\sof\srecord\.smtp\s/);
      assert.match(text, /Record me/, `the result of the older run does not name its session:\n${text}`);
      assert.match(text, /^S: 220 localhost ESMTP/m, `the result of the older run has no greeting:\n${text}`);
      assert.ok(!text.includes('history.example.com'), `the older run's result shows the newer run's session:\n${text}`);
      assert.ok(!text.includes(SECRET), `the result shows the secret:\n${text}`);
      const result = page.locator('.editor-instance .monaco-editor[data-uri^="smtp-result:"]');
      // Typing into a read-only editor changes nothing and says so in the editor.
      await result.locator('.view-line').first().click();
      await page.keyboard.type('x');
      const refusal = page.locator('.monaco-editor-overlaymessage');
      await waitVisible(refusal.filter({ hasText: /read-only/i }), 'the message "Cannot edit in read-only editor" after typing into the result', () => textsOf(refusal));
      const after = (await result.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
      assert.equal(after, text, 'typing changed the smtp-result: document');
      await e2e.screenshot('run-history-result');
      await workbench.runCommand('View: Close All Editors');
    }));

  it('runs every session from the Test Explorer and marks the passing and the failing one', () =>
    scenario(e2e, 'run-all-tests', async () => {
      const { workbench } = e2e;
      await workbench.runCommand('Test: Run All Tests');
      await views.waitForTestItem('both.smtp', 'Passes', 'Passed');
      await views.waitForTestItem('both.smtp', 'Fails', 'Failed');
      await e2e.screenshot('run-all-tests');
    }));

  it('stops a session waiting on a server that never greets', () =>
    scenario(e2e, 'stop-session', async () => {
      const { workbench, page } = e2e;
      silent = await startSilentServer();
      await writeFile(join(e2e.workspace, 'silent.smtp'), silentSession(silent.port));
      // Quick Open's file index may not know a file written now: open it from the Explorer, which watches the folder.
      await workbench.runCommand('View: Show Explorer');
      const files = page.locator('.explorer-folders-view .monaco-list-row');
      await (await waitVisible(files.filter({ has: page.locator('.label-name', { hasText: /^silent\.smtp$/ }) }), 'silent.smtp in the Explorer', () => labelsOf(files))).click();
      const editor = await workbench.waitForEditor('silent.smtp');
      await views.clickCodeLens(editor, 'Silent server', '▶ Run session');
      await within(silent.connected, UI_TIMEOUT, `a connection from the run to the silent listener on 127.0.0.1:${silent.port}`);
      const items = page.locator('.part.statusbar .statusbar-item');
      await waitVisible(items.filter({ hasText: /SMTP: Silent server/ }), 'the status bar showing "SMTP: Silent server …" while it runs', () => textsOf(items));
      await workbench.runCommand('SMTP: Stop Session');
      await waitVisible(items.filter({ hasText: /SMTP \d+\/\d+ \(cancelled\)/ }), 'the status bar showing the run as "SMTP n/m (cancelled)"', () => textsOf(items));
      await workbench.waitForNoErrors(editor);
      await workbench.openProblems();
      const problems = (await problemsByFile(page)).filter((problem) => problem.file === 'silent.smtp' && (problem.source === 'smtp-session run' || problem.severity === 'error'));
      assert.deepEqual(problems, [], `a cancelled run should leave no run diagnostic; Problems lists: ${JSON.stringify(problems)}`);
      await workbench.closePanel();
      await e2e.screenshot('stop-session');
      await silent.close();
      silent = undefined;
    }));

  it('shows the TLS details in the hover on the STARTTLS line', () =>
    scenario(e2e, 'starttls-hover', async () => {
      const { workbench } = e2e;
      const editor = await workbench.openFile('starttls.smtp');
      await views.clickCodeLens(editor, 'Over TLS', '▶ Run session');
      await views.waitForInlineReply(editor, /^C:\sSTARTTLS/, /^220 /);
      await views.waitForInlineReply(editor, /^C:\sQUIT/, /^221 /);
      const hover = await workbench.hover(workbench.token(editor, /^C:\sSTARTTLS/, 'STARTTLS'), /TLSv1\.[23]/);
      const text = (await hover.innerText()).replace(/\u00a0/g, ' ');
      assert.match(text, /TLSv1\.[23]/, `the hover names no TLS protocol:\n${text}`);
      assert.match(text, /verified: yes/i, `the hover does not say the certificate was verified:\n${text}`);
      await e2e.screenshot('starttls-hover');
    }));
});
