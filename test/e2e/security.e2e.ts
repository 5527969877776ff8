// Security in a real VS Code. First window: a stored {{$secret}} answers only
// the host it was entered for — the same name against another host asks again,
// showing that host — and the first run against a host that is neither
// loopback nor the local server asks first, naming what it would deliver;
// "Don't ask again for this host" holds after the window reloads (a new
// language server). The "remote" host is a scripted SMTP server on this
// machine's own network address: the rule goes by the address named, so it
// counts as another host, honestly. Second window: a workspace in Restricted
// Mode checks and explains its file, offers trust on the lens, refuses to
// run, and runs once trusted.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { answerEverything, startScriptedServer, type ScriptedServer } from '../server/engine/scriptedServer';
import { nonLoopbackAddress, NO_REMOTE_ADDRESS } from '../server/remoteAddress';
import { scenario, startE2E, type E2E } from './harness';
import { textsOf, UI_TIMEOUT, waitVisible } from './support/onScreen';
import { SessionRunViews } from './support/sessionRuns';

const LOCAL_SECRET = 'local-e2e-secret-1';
const REMOTE_SECRET = 'remote-e2e-secret-2';

// No @server: the embedded local server (127.0.0.1), which answers NOOP whatever its argument.
const LOCAL = `### Local token
S: 220
C: EHLO client.example.com
S: 250
C: NOOP {{$secret E2E_PASS}}
S: 250
C: QUIT
S: 221
`;

function remoteFile(host: string, port: number): string {
  return `@server = ${host}:${port}
### Remote delivery
S: 220
C: EHLO client.example.com
S: 250
C: NOOP {{$secret E2E_PASS}}
S: 250
C: MAIL FROM:<carol@example.com>
S: 250
C: RCPT TO:<dave@example.org>
S: 250
C: DATA
S: 354
Subject: Guarded

Sent only after the user said so.
.
S: 250
C: QUIT
S: 221
`;
}

describe('secrets bound to their host, and the guard before real mail', { timeout: 400_000, skip: NO_REMOTE_ADDRESS }, () => {
  const host = nonLoopbackAddress() ?? '';
  let remote: ScriptedServer;
  let e2e: E2E;
  let views: SessionRunViews;
  before(async () => {
    remote = await startScriptedServer(answerEverything, host);
    e2e = await startE2E({ files: { 'local.smtp': LOCAL, 'remote.smtp': remoteFile(host, remote.port) } });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await e2e?.close();
    await remote?.close();
  });

  const passwordBox = (forHost: string) => {
    const { page } = e2e;
    return waitVisible(
      page.locator('.quick-input-widget', { hasText: `for ${forHost}` }).locator('input[type="password"]'),
      `a password box asking for E2E_PASS for ${forHost}`,
      () => textsOf(page.locator('.quick-input-widget')),
    );
  };
  const dialog = () => e2e.page.locator('.monaco-dialog-box');

  it('asks before the first run to another host, naming it and what goes there, and asks the secret again for that host', () =>
    scenario(e2e, 'guard-and-secret-host', async () => {
      const { workbench, page } = e2e;
      const local = await workbench.openFile('local.smtp');
      await views.clickCodeLens(local, 'Local token', '▶ Run session');
      const first = await passwordBox('127.0.0.1');
      await first.fill(LOCAL_SECRET);
      await page.keyboard.press('Enter');
      await views.waitForInlineReply(local, /^C:\sQUIT/, /^221 /);

      const remoteEditor = await workbench.openFile('remote.smtp');
      await views.clickCodeLens(remoteEditor, 'Remote delivery', '▶ Run session');
      const question = await waitVisible(dialog(), 'a dialog asking before the run to the remote host', () => textsOf(page.locator('.monaco-workbench')));
      const text = await question.innerText();
      assert.match(text, new RegExp(`${host.replace(/\./g, '\\.')}:${remote.port}`));
      assert.match(text, /1 message to <dave@example\.org>, without AUTH/);
      await e2e.screenshot('remote-run-question');
      assert.equal(remote.connections.length, 0, 'nothing connected before the answer');
      await question.locator('.monaco-button', { hasText: "Don't ask again for this host" }).click();

      // The secret stored for 127.0.0.1 does not answer for this host: asked again, naming it.
      const second = await passwordBox(host);
      await e2e.screenshot('secret-for-another-host');
      await second.fill(REMOTE_SECRET);
      await page.keyboard.press('Enter');
      await views.waitForInlineReply(remoteEditor, /^C:\sQUIT/, /^221 /);
      const received = remote.connections.map((connection) => connection.received().toString('utf8')).join('');
      assert.match(received, new RegExp(`NOOP ${REMOTE_SECRET}\\r\\n`));
      assert.ok(!received.includes(LOCAL_SECRET), 'the secret entered for 127.0.0.1 never went to the other host');
    }));

  it('remembers "Don\'t ask again" and the secret per host after the window reloads', () =>
    scenario(e2e, 'guard-remembered', async () => {
      const { workbench, page } = e2e;
      // A reload starts a new extension host and language server: only workspaceState and secret storage remain.
      await page.reload();
      await workbench.waitUntilReady();
      const connectionsBefore = remote.connections.length;
      const remoteEditor = await workbench.openFile('remote.smtp');
      await views.clickCodeLens(remoteEditor, 'Remote delivery', '▶ Run session');
      await views.waitForInlineReply(remoteEditor, /^C:\sQUIT/, /^221 /);
      assert.equal(await dialog().count(), 0, 'no question for a host the user said not to ask about');
      assert.equal(await page.locator('.quick-input-widget input[type="password"]:visible').count(), 0, 'no password box: the secret for this host is stored');
      assert.equal(remote.connections.length, connectionsBefore + 1);
    }));
});

const RESTRICTED = `@server = 127.0.0.1:2525
### Out of order
S: 220
C: EHLO client.example.com
S: 250
C: RCPT TO:<dave@example.org>
S: 250
C: QUIT
S: 221
`;

describe('a workspace in Restricted Mode', { timeout: 300_000 }, () => {
  let e2e: E2E;
  let views: SessionRunViews;
  before(async () => {
    e2e = await startE2E({ files: { 'restricted.smtp': RESTRICTED }, restricted: true });
    views = new SessionRunViews(e2e.workbench);
  });
  after(async () => {
    await e2e?.close();
  });

  it('checks and explains the file, offers trust instead of a run, and the server refuses to run', () =>
    scenario(e2e, 'restricted-mode', async () => {
      const { workbench, page } = e2e;
      const editor = await workbench.openFile('restricted.smtp');
      await workbench.openProblems();
      await workbench.waitForProblem(/RCPT/);
      await workbench.closePanel();
      await workbench.hover(workbench.token(editor, /^C:\sRCPT/, 'RCPT'), /RCPT/);
      await page.keyboard.press('Escape');
      await waitVisible(editor.locator('.codelens-decoration a', { hasText: 'Trust this workspace to run' }), 'the lens "Trust this workspace to run"', () => textsOf(editor.locator('.codelens-decoration')));
      assert.equal(await editor.locator('.codelens-decoration a', { hasText: 'Run session' }).count(), 0, 'no run button while untrusted');
      await e2e.screenshot('restricted-mode-lens');
      await workbench.goTo(4);
      await workbench.runCommand('SMTP: Run Session');
      await waitVisible(page.locator('.notifications-toasts', { hasText: 'off in Restricted Mode' }), 'the server\'s refusal to run', () => textsOf(page.locator('.notifications-toasts')));
    }));

  it('runs once the workspace is trusted, without a reload', () =>
    scenario(e2e, 'restricted-mode-trusted', async () => {
      const { workbench, page } = e2e;
      const untrusted = await workbench.waitForEditor('restricted.smtp');
      await untrusted.locator('.codelens-decoration a', { hasText: 'Trust this workspace to run' }).first().click();
      const trust = page.locator('.workspace-trust-editor .monaco-button', { hasText: /^Trust/ });
      await waitVisible(trust, 'the Trust button of the workspace trust editor', () => textsOf(page.locator('.editor-instance')));
      await trust.first().click();
      // Back to the file: its lenses are the run buttons now, without a reload.
      const editor = await workbench.openFile('restricted.smtp');
      await views.clickCodeLens(editor, 'Out of order', 'Run against local server');
      await views.waitForInlineReply(editor, /^C:\sEHLO/, /^250/, UI_TIMEOUT * 2);
      await e2e.screenshot('restricted-mode-trusted');
    }));
});
