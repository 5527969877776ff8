// What a run shows in the workbench, read from the DOM: the code lens that
// starts it, the inline reply after each line (a decoration whose text is
// CSS ::after content, so it is read from the computed style), the Test
// Explorer's items and the SMTP Inbox view.
import type { Locator, Page } from 'playwright-core';
import type { DomElement } from './domShapes';
import { labelsOf, textsOf, UI_TIMEOUT, waitVisible } from './onScreen';
import { escapeRegExp, type Workbench } from './workbench';

/** How long a run against the embedded server may take, its start on demand included. */
export const RUN_TIMEOUT = 60_000;

export interface InlineReply {
  readonly text: string;
  /** Computed CSS colour, e.g. "rgb(31, 122, 31)". */
  readonly colour: string;
}

export class SessionRunViews {
  private readonly page: Page;

  constructor(private readonly workbench: Workbench) {
    this.page = workbench.page;
  }

  /** Waits until `editor` shows its sessions' code lenses. */
  async waitForCodeLenses(editor: Locator): Promise<void> {
    await waitVisible(editor.locator('.codelens-decoration a'), 'the code lenses above the sessions', () => textsOf(editor.locator('.view-line')));
  }

  /** Clicks the code lens titled `title` above the session headed `### sessionName`. */
  async clickCodeLens(editor: Locator, sessionName: string, title: string): Promise<void> {
    const uri = await editor.getAttribute('data-uri');
    const lenses = editor.locator('.codelens-decoration a');
    // Lenses are widgets in no particular DOM order, re-laid out when results change:
    // wait until one titled `title` sits right above the heading, then click that one.
    let index: number;
    try {
      const handle = await this.page.waitForFunction(
        ({ uri, heading, title }) => {
          type Box = { top: number; bottom: number };
          type Element = DomElement & { getBoundingClientRect(): Box };
          const doc = (globalThis as unknown as { document: { querySelector(s: string): { querySelectorAll(s: string): ArrayLike<Element> } | null } }).document;
          const editorElement = doc.querySelector(`.editor-instance .monaco-editor[data-uri="${uri}"]`);
          if (!editorElement) return null;
          const line = Array.from(editorElement.querySelectorAll('.view-line')).find((candidate) => candidate.innerText.replace(/\u00a0/g, ' ') === heading);
          if (!line) return null;
          const top = line.getBoundingClientRect().top;
          let best: { index: number; bottom: number } | null = null;
          Array.from(editorElement.querySelectorAll('.codelens-decoration a')).forEach((lens, index) => {
            const box = lens.getBoundingClientRect();
            // Directly above: its bottom within a line's height of the heading's top.
            if (lens.textContent === title && box.bottom <= top + 1 && top - box.bottom < 40 && (!best || box.bottom > best.bottom)) best = { index, bottom: box.bottom };
          });
          // An object, as waitForFunction waits for a truthy value and the index may be 0.
          return best === null ? null : { index: (best as { index: number }).index };
        },
        { uri, heading: `### ${sessionName}`, title },
        { timeout: UI_TIMEOUT, polling: 100 },
      );
      index = ((await handle.jsonValue()) as { index: number }).index;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      throw new Error(`Expected within ${UI_TIMEOUT / 1000} s the code lens "${title}" right above "### ${sessionName}".\nLenses on screen: ${await textsOf(editor.locator('.codelens-decoration'))}`);
    }
    await lenses.nth(index).click();
  }

  /**
   * Waits until the first line of `editor` that starts like `lineStart` shows
   * an inline reply matching `text`, and returns it with its colour.
   */
  async waitForInlineReply(editor: Locator, lineStart: RegExp, text: RegExp, timeoutMs = RUN_TIMEOUT): Promise<InlineReply> {
    const uri = await editor.getAttribute('data-uri');
    try {
      const handle = await this.page.waitForFunction(
        ({ uri, lineSource, lineFlags, textSource, textFlags }) => {
          const doc = (globalThis as unknown as { document: { querySelector(s: string): (DomElement & { querySelectorAll(s: string): ArrayLike<DomElement> }) | null } }).document;
          const view = (globalThis as unknown as { getComputedStyle(e: DomElement, pseudo: string): { content: string; color: string } });
          const editorElement = doc.querySelector(`.editor-instance .monaco-editor[data-uri="${uri}"]`);
          if (!editorElement) return null;
          const lineStart = new RegExp(lineSource, lineFlags);
          const wanted = new RegExp(textSource, textFlags);
          for (const line of Array.from(editorElement.querySelectorAll('.view-line'))) {
            if (!lineStart.test(line.innerText)) continue;
            for (const span of Array.from((line as unknown as { querySelectorAll(s: string): ArrayLike<DomElement> }).querySelectorAll('span'))) {
              const after = view.getComputedStyle(span, '::after');
              // content is a CSS string: "\"250 2.1.5 Ok · 3 ms\"".
              if (after.content === 'none' || after.content === '') continue;
              const shown = after.content.replace(/^"|"$/g, '').replace(/\\"/g, '"');
              if (wanted.test(shown)) return { text: shown, colour: after.color };
            }
            return null;
          }
          return null;
        },
        { uri, lineSource: lineStart.source, lineFlags: lineStart.flags, textSource: text.source, textFlags: text.flags },
        { timeout: timeoutMs, polling: 100 },
      );
      return (await handle.jsonValue()) as InlineReply;
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      throw new Error(`Expected within ${timeoutMs / 1000} s an inline reply matching ${String(text)} on the line starting ${String(lineStart)}.\nInline replies on screen: ${JSON.stringify(await this.inlineReplies(editor))}`);
    }
  }

  /** Every inline reply `editor` shows now, with the start of its line. */
  async inlineReplies(editor: Locator): Promise<{ line: string; text: string; colour: string }[]> {
    return editor.locator('.view-line').evaluateAll((lines) => {
      const view = globalThis as unknown as { getComputedStyle(e: DomElement, pseudo: string): { content: string; color: string } };
      const found: { line: string; text: string; colour: string }[] = [];
      for (const line of lines as unknown as (DomElement & { querySelectorAll(s: string): ArrayLike<DomElement> })[]) {
        for (const span of Array.from(line.querySelectorAll('span'))) {
          const after = view.getComputedStyle(span, '::after');
          if (after.content !== 'none' && after.content !== '') found.push({ line: line.innerText.slice(0, 40), text: after.content.replace(/^"|"$/g, ''), colour: after.color });
        }
      }
      return found;
    });
  }

  /** Waits until `editor` shows no inline reply (after Clear Results, say). */
  async waitForNoInlineReplies(editor: Locator, timeoutMs = UI_TIMEOUT): Promise<void> {
    const uri = await editor.getAttribute('data-uri');
    try {
      await this.page.waitForFunction(
        (uri) => {
          const doc = (globalThis as unknown as { document: { querySelectorAll(s: string): ArrayLike<DomElement> } }).document;
          const view = globalThis as unknown as { getComputedStyle(e: DomElement, pseudo: string): { content: string } };
          const spans = Array.from(doc.querySelectorAll(`.editor-instance .monaco-editor[data-uri="${uri}"] .view-line span`));
          return spans.every((span) => ['none', ''].includes(view.getComputedStyle(span, '::after').content));
        },
        uri,
        { timeout: timeoutMs, polling: 100 },
      );
    } catch (error) {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      throw new Error(`Expected no inline reply within ${timeoutMs / 1000} s; on screen: ${JSON.stringify(await this.inlineReplies(editor))}`);
    }
  }

  /** Waits for an editor on a virtual document of `scheme` (smtp-result:, smtp-message:) showing a line that matches `line`; returns its text. */
  async waitForVirtualDocument(scheme: string, line: RegExp): Promise<string> {
    const editor = this.page.locator(`.editor-instance .monaco-editor[data-uri^="${scheme}:"]`);
    await waitVisible(editor.locator('.view-line').filter({ hasText: line }), `an editor on a ${scheme}: document with a line matching ${String(line)}`, () =>
      labelsOf(this.page.locator('.tabs-container .tab')),
    );
    // Lines hold non-breaking spaces; the tests compare ordinary text.
    return (await editor.locator('.view-lines').innerText()).replace(/\u00a0/g, ' ');
  }

  /** Opens the Test Explorer and waits for the test item labelled `label` to show `state` ("Passed", "Failed", …), expanding its file. */
  async waitForTestItem(fileName: string, label: string, state: string): Promise<Locator> {
    await this.workbench.runCommand('Testing: Focus on Test Explorer View');
    const rows = this.page.locator('.test-explorer .monaco-list-row');
    // A test row's aria-label is its label, then its state and duration: "delivery.smtp (Passed), in 175ms".
    const row = (name: string, suffix = '') => rows.and(this.page.locator(`[aria-label="${cssString(name)}"], [aria-label^="${cssString(`${name} (${suffix}`)}"]`));
    const file = await waitVisible(row(fileName), `the test file ${fileName} in the Test Explorer`, () => labelsOf(rows));
    if ((await file.getAttribute('aria-expanded')) === 'false') await file.locator('.monaco-tl-twistie').click();
    await waitVisible(row(label), `the test "${label}" in the Test Explorer`, () => labelsOf(rows));
    return waitVisible(row(label, `${state})`), `the test "${label}" marked ${state}`, () => labelsOf(rows), RUN_TIMEOUT);
  }

  /** Opens the SMTP Inbox view (in the Explorer) and waits for a message labelled `subject`. */
  waitForInboxMessage(subject: string): Promise<Locator> {
    return this.waitForInboxEntry(subject, `the message "${subject}"`);
  }

  /** Opens the SMTP Inbox view and waits for a row (a session or a message) labelled `label`. */
  async waitForInboxEntry(label: string, what = `the entry "${label}"`): Promise<Locator> {
    await this.workbench.runCommand('Explorer: Focus on SMTP Inbox View');
    const view = this.page.locator('.monaco-list[aria-label="SMTP Inbox"]');
    await waitVisible(view, 'the SMTP Inbox view', () => textsOf(this.page.locator('.part.sidebar')));
    const rows = view.locator('.monaco-list-row');
    return waitVisible(
      rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) }),
      `${what} in the SMTP Inbox`,
      () => labelsOf(rows),
      UI_TIMEOUT,
    );
  }

  /** Clicks the action `title` that a row of a tree view shows when the mouse is over it. */
  async clickRowAction(row: Locator, title: string): Promise<void> {
    await row.hover();
    const action = row.locator(`.actions .action-label[aria-label^="${cssString(title)}"]`);
    await (await waitVisible(action, `the action "${title}" on the row`, () => labelsOf(row.locator('.actions .action-label')))).click();
  }
}

/** `text` escaped for a double-quoted CSS attribute value. */
function cssString(text: string): string {
  return text.replace(/["\\]/g, '\\$&');
}
