// One real VS Code for a test file: the packaged extension installed into a
// throwaway profile, code-server serving it on a free loopback port with a
// fixture workspace open, and Debian's Chromium showing it. Everything lives
// in one temporary folder and everything started is stopped by pid in
// close(), which tests call from `after` so it runs on failure too.
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './support/browser';
import { startCodeServer, type CodeServer } from './support/codeServer';
import { packagedExtension } from './support/extensionPackage';
import { createFixtureWorkspace, type WorkspaceFiles } from './support/fixtureWorkspace';
import { Workbench } from './support/workbench';

const REPO = resolve(__dirname, '../..');
/** Screenshots every test ends with (git-ignored). */
export const RESULTS = join(REPO, 'test-results');
/** Screenshots the README shows, refreshed when E2E_UPDATE_DOCS=1. */
export const DOCS_SCREENSHOTS = join(REPO, 'docs/screenshots');

export interface E2E {
  readonly page: Page;
  readonly workbench: Workbench;
  /** The workspace folder open in the window (a temporary copy). */
  readonly workspace: string;
  /** Where the embedded local server keeps captured messages (.eml), a temporary folder. */
  readonly inboxFolder: string;
  /**
   * Saves a screenshot of the window as test-results/NAME.png and returns its
   * path; with `docs`, also as docs/screenshots/DOCS.png when E2E_UPDATE_DOCS=1.
   */
  screenshot(name: string, docs?: string): Promise<string>;
  /** The code-server output so far, for failure messages. */
  serverOutput(): string;
  close(): Promise<void>;
}

/** `restricted`: the folder opens in Restricted Mode (workspace trust on, the folder not trusted). */
export async function startE2E(contents: WorkspaceFiles & { settings?: Record<string, unknown>; restricted?: boolean }): Promise<E2E> {
  const root = await mkdtemp(join(tmpdir(), 'smtp-e2e-'));
  let server: CodeServer | undefined;
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    if (process.env.E2E_KEEP !== '1') await rm(root, { recursive: true, force: true });
  };
  try {
    const vsix = await packagedExtension(join(root, 'smtp-session.vsix'));
    const workspace = await createFixtureWorkspace(join(root, 'workspace'), contents);
    const inboxFolder = join(root, 'inbox');
    server = await startCodeServer({
      profileDir: join(root, 'profile'),
      vsix,
      folder: workspace,
      settings: { 'smtp.localServer.folder': inboxFolder, ...contents.settings },
      restricted: contents.restricted === true,
    });
    browser = await launchChromium(join(root, 'chromium-home'));
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(server.url);
    const workbench = new Workbench(page);
    await workbench.waitUntilReady();
    await mkdir(RESULTS, { recursive: true });
    const runningServer = server;
    return {
      page,
      workbench,
      workspace,
      inboxFolder,
      async screenshot(name, docs) {
        const path = join(RESULTS, `${name}.png`);
        // Hovers and widgets fade in: finish their animations so the picture shows them whole.
        await page.screenshot({ path, animations: 'disabled' });
        if (docs && process.env.E2E_UPDATE_DOCS === '1') {
          await mkdir(DOCS_SCREENSHOTS, { recursive: true });
          await copyFile(path, join(DOCS_SCREENSHOTS, `${docs}.png`));
        }
        return path;
      },
      serverOutput: () => runningServer.process.output(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * Runs one test's steps; when they fail, saves what the window showed as
 * test-results/NAME-failure.png and adds code-server's last output to the
 * failure before passing it on.
 */
export async function scenario(e2e: E2E, name: string, steps: () => Promise<void>): Promise<void> {
  try {
    await steps();
  } catch (error) {
    // No window to picture when the harness itself failed to start.
    const shot = e2e ? await e2e.screenshot(`${name}-failure`).catch(() => null) : null;
    if (error instanceof Error && e2e) {
      // code-server's last lines tell an extension host crash from a slow widget.
      const tail = e2e.serverOutput().trimEnd().split('\n').slice(-15).join('\n');
      const before = error.message;
      error.message += `${shot ? `\n(screenshot: ${shot})` : ''}\ncode-server's last output:\n${tail}`;
      // Reporters print the stack, which holds the message as it was thrown.
      if (error.stack) error.stack = error.stack.replace(before, error.message);
    }
    throw error;
  }
}
