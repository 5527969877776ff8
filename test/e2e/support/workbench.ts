// The workbench as a person uses it: Quick Open, the command palette, the
// editor's tokens, hovers, suggestions, quick fixes and the Problems panel.
// Every step waits for the DOM state it needs, bounded by UI_TIMEOUT.
import type { Locator, Page } from 'playwright-core';
import type { DomElement, DomWindow } from './domShapes';
import { labelsOf, textsOf, UI_TIMEOUT, waitVisible } from './onScreen';

const QUICK_INPUT = '.quick-input-widget';
const QUICK_INPUT_ROWS = `${QUICK_INPUT} .quick-input-list .monaco-list-row`;
// Evaluated in the page (the e2e code has no DOM types): the command palette is closed.
const PALETTE_CLOSED = `(() => {
  const widget = document.querySelector('${QUICK_INPUT}');
  if (!widget || widget.getClientRects().length === 0) return true;
  const input = widget.querySelector('.quick-input-box input');
  return !input || !input.value.startsWith('>');
})()`;

export class Workbench {
  constructor(readonly page: Page) {}

  /** The window has loaded the workspace: status bar and the Explorer's file list are there. */
  async waitUntilReady(): Promise<void> {
    await waitVisible(this.page.locator('.monaco-workbench .part.statusbar'), 'the workbench status bar', () => this.page.title(), 90_000);
    await waitVisible(this.page.locator('.explorer-folders-view .monaco-list-row'), 'the workspace files in the Explorer', () => textsOf(this.page.locator('.part.sidebar')));
  }

  /** Opens `name` with Quick Open (Ctrl+P) and waits for its editor. */
  async openFile(name: string): Promise<Locator> {
    await this.openQuickInput('Control+P', name, 'the Quick Open input');
    // File search answers asynchronously: pick the row once it is listed.
    const row = this.page.locator(QUICK_INPUT_ROWS).filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(name)}$`) }) });
    await (await waitVisible(row, `"${name}" in Quick Open`, () => labelsOf(this.page.locator(QUICK_INPUT_ROWS)))).click();
    return this.waitForEditor(name);
  }

  /** The editor showing `name`, once its text is rendered. */
  async waitForEditor(name: string): Promise<Locator> {
    const editor = this.editor(name);
    await waitVisible(editor.locator('.view-line').first(), `an editor showing ${name}`, () => labelsOf(this.page.locator('.tabs-container .tab')));
    return editor;
  }

  editor(name: string): Locator {
    return this.page.locator(`.editor-instance .monaco-editor[data-uri$="/${name}"]`);
  }

  /** Runs a command from the palette (F1) by its title as listed, e.g. "SMTP: Run Session". */
  async runCommand(title: string): Promise<void> {
    await this.openQuickInput('F1', `>${title}`, 'the command palette');
    const row = this.page.locator(QUICK_INPUT_ROWS).filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(title)}$`) }) });
    await (await waitVisible(row, `the command "${title}" in the palette`, () => labelsOf(this.page.locator(QUICK_INPUT_ROWS)))).click();
    // The palette is gone once the quick input is hidden — or shows a pick of the
    // command's own (Show Run History opens one at once, which a slow machine can
    // show before the palette is ever seen hidden): its input no longer holds `>…`.
    await this.page.waitForFunction(PALETTE_CLOSED, undefined, { timeout: UI_TIMEOUT });
  }

  /** The status bar's language mode (the language's first alias). */
  async waitForLanguageMode(name: string): Promise<Locator> {
    const item = this.page.locator('[id="status.editor.mode"]');
    return waitVisible(item.filter({ hasText: new RegExp(`^${escapeRegExp(name)}$`) }), `"${name}" as the status bar's language mode`, () => textsOf(item));
  }

  /**
   * The language id of the active editor, as the language picker (opened from
   * the status bar) describes the configured language: "(smtp) - Configured Language".
   * `name` is the language's name as listed, to find its row.
   */
  async activeLanguageId(name: string): Promise<string> {
    await this.page.locator('[id="status.editor.mode"]').click();
    const input = await waitVisible(this.page.locator(`${QUICK_INPUT} .quick-input-box input`), 'the language picker', () => this.visibleText());
    // The list is long and only its visible rows are rendered: filter it to the language.
    await input.fill(name);
    const configured = this.page.locator(`${QUICK_INPUT_ROWS} .label-description`, { hasText: 'Configured Language' });
    const description = await (await waitVisible(configured, 'the configured language in the language picker', () => labelsOf(this.page.locator(QUICK_INPUT_ROWS)))).innerText();
    await this.page.keyboard.press('Escape');
    // Leave no status bar tooltip over the window: rest the pointer on the Explorer.
    await this.page.mouse.move(150, 600);
    const id = /^\((.+)\) - Configured Language$/.exec(description.trim());
    if (!id) throw new Error(`The language picker described the configured language as "${description}".`);
    return id[1];
  }

  /**
   * The rendered token `token` on the first line of `editor` whose text
   * starts like `lineStart` (inlay hints are rendered inside lines, after the
   * reply code, so the start of a line is what was written).
   */
  token(editor: Locator, lineStart: RegExp, token: string): Locator {
    return editor
      .locator('.view-line')
      .filter({ hasText: lineStart })
      .first()
      .locator('span > span')
      .filter({ hasText: new RegExp(`^${escapeRegExp(token)}$`) })
      .first();
  }

  /**
   * The computed text colour of a rendered token, once the grammar has
   * coloured it: lines are first drawn untokenized in the default foreground
   * (class mtk1) and tokenized a moment later.
   */
  async colourOf(token: Locator): Promise<string> {
    await waitVisible(token.and(this.page.locator(':not(.mtk1)')), 'the token coloured by the grammar (a class other than mtk1, the default foreground)', () =>
      token.evaluate((element) => `${(element as unknown as DomElement).getAttribute('class')}: ${(element as unknown as DomElement).textContent}`),
    );
    return token.evaluate((element) => (globalThis as unknown as DomWindow).getComputedStyle(element as unknown as DomElement).color);
  }

  /** Puts the mouse over `target` and waits for the editor hover that contains `expected`. */
  async hover(target: Locator, expected: string | RegExp): Promise<Locator> {
    const hovers = this.page.locator('.monaco-editor .monaco-hover:not(.hidden)');
    // A hover asked for while the line is drawn again (decorations, diagnostics arriving) can be dropped by the
    // editor and is not asked again while the mouse stays still: after a while without one, point again.
    for (let attempt = 1; attempt < 3; attempt++) {
      await this.pointAt(target);
      const shown = await hovers.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout: UI_TIMEOUT / 3 }).then(() => true, () => false);
      if (shown) return hovers.filter({ hasText: expected }).first();
    }
    await this.pointAt(target);
    return waitVisible(hovers.filter({ hasText: expected }), `a hover containing ${String(expected)}`, () => textsOf(hovers));
  }

  /** Moves the mouse away (closing any hover), then onto the middle of `target`. */
  private async pointAt(target: Locator): Promise<void> {
    // Move away first, so a hover already showing for another word closes.
    await this.page.mouse.move(0, 0);
    // A line is drawn again when its decorations change (an inline reply arriving): its spans are
    // replaced, so the one found may be gone before it is measured. Look it up again, a few times.
    let box: { x: number; y: number; width: number; height: number } | null = null;
    for (let attempt = 1; !box && attempt <= 3; attempt++) {
      await waitVisible(target, 'the text to hover', () => textsOf(this.page.locator('.editor-instance .view-lines')));
      box = await target.boundingBox({ timeout: 5_000 }).catch(() => null);
    }
    if (!box) throw new Error(`The text to hover has no position on screen; the editor shows: ${await textsOf(this.page.locator('.editor-instance .view-lines'))}`);
    await this.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
  }

  /** Puts the cursor at a 1-based line and column with "Go to Line/Column" (Ctrl+G). */
  async goTo(line: number, column = 1): Promise<void> {
    // The input opens with ":"; filling replaces it, so it is written again.
    await this.openQuickInput('Control+G', `:${line}:${column}`, 'the Go to Line input');
    await this.page.keyboard.press('Enter');
    await this.page.locator(QUICK_INPUT).waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
    const position = this.page.locator('[id="status.editor.selection"]');
    await waitVisible(position.filter({ hasText: `Ln ${line}, Col ${column}` }), `the cursor at Ln ${line}, Col ${column}`, () => textsOf(position));
  }

  /** Triggers suggestions (Ctrl+Space) and waits until one labelled `label` is listed. */
  async suggest(label: string): Promise<Locator> {
    const rows = this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row');
    await this.page.keyboard.press('Control+Space');
    return waitVisible(
      rows.filter({ has: this.page.locator('.label-name', { hasText: new RegExp(`^${escapeRegExp(label)}$`) }) }),
      `"${label}" among the suggestions`,
      () => labelsOf(rows),
    );
  }

  /** The labels of the suggestions listed now. */
  async suggestionLabels(): Promise<string[]> {
    return this.page.locator('.editor-widget.suggest-widget.visible .monaco-list-row .label-name').allInnerTexts();
  }

  /**
   * Opens the quick fixes at the cursor (Ctrl+.) and applies the one titled
   * `title`. The menu is driven with the keyboard, as a pointer blocker covers
   * the window while it is open.
   */
  async applyQuickFix(title: string): Promise<void> {
    const rows = this.page.locator('.action-widget .monaco-list-row.action');
    await this.page.keyboard.press('Control+.');
    await waitVisible(rows.filter({ hasText: title }), `the quick fix "${title}"`, () => textsOf(rows));
    const count = await rows.count();
    for (let moves = 0; moves <= count; moves++) {
      const focused = rows.and(this.page.locator('.focused'));
      await waitVisible(focused, 'a focused quick fix', () => textsOf(rows));
      if ((await focused.innerText()).includes(title)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
        return;
      }
      const before = await focused.getAttribute('data-index');
      await this.page.keyboard.press('ArrowDown');
      await waitVisible(rows.and(this.page.locator(`.focused:not([data-index="${before}"])`)), 'the next quick fix focused', () => textsOf(rows));
    }
    throw new Error(`The quick fix "${title}" could not be focused; listed: ${await textsOf(rows)}`);
  }

  /** Opens the Problems panel (Ctrl+Shift+M) and returns its rows. */
  async openProblems(): Promise<Locator> {
    await this.page.keyboard.press('Control+Shift+M');
    const panel = this.page.locator('.markers-panel');
    await waitVisible(panel, 'the Problems panel', () => this.visibleText());
    return panel.locator('.monaco-list-row');
  }

  /** Waits until the Problems panel lists a problem whose row text matches `text`. */
  async waitForProblem(text: string | RegExp): Promise<Locator> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    return waitVisible(rows.filter({ hasText: text }), `a problem matching ${String(text)}`, () => textsOf(rows));
  }

  /** Waits until the Problems panel lists no problem whose row text matches `text`. */
  async waitForNoProblem(text: string | RegExp): Promise<void> {
    const rows = this.page.locator('.markers-panel .monaco-list-row');
    try {
      await rows.filter({ hasText: text }).first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    } catch {
      throw new Error(`Expected no problem matching ${String(text)} within ${UI_TIMEOUT / 1000} s; the Problems panel lists: ${await textsOf(rows)}`);
    }
  }

  /** The problems the Problems panel lists now: source ("smtp"), code (e.g. "unprefixed-line"), position ("[Ln 14, Col 1]") and message. */
  async problems(): Promise<{ source: string; code: string; position: string; message: string }[]> {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      (rows as unknown as DomElement[])
        .filter((row) => row.querySelector('.marker-message'))
        .map((row) => ({
          source: row.querySelector('.marker-source')?.textContent?.trim() ?? '',
          code: row.querySelector('.marker-code')?.textContent?.trim() ?? '',
          position: row.querySelector('.marker-line')?.textContent?.trim() ?? '',
          message: row.querySelector('.marker-message')?.textContent?.trim() ?? '',
        })),
    );
  }

  /** Hides the panel (Problems, Output, …) so the next test starts with the editor alone. */
  async closePanel(): Promise<void> {
    await this.runCommand('View: Hide Panel');
    await this.page.locator('.part.panel').waitFor({ state: 'hidden', timeout: UI_TIMEOUT });
  }

  /** Throws away the changes of the active editor, showing `name`, and closes it, so the file is as the test found it. */
  async revertAndClose(name: string): Promise<void> {
    await this.runCommand('View: Revert and Close Editor');
    // Closing moves focus to the next editor, which would close a quick input opened meanwhile.
    await this.editor(name).waitFor({ state: 'detached', timeout: UI_TIMEOUT });
  }

  /** Waits until a line of `editor` reads `text` (spaces in the DOM are non-breaking: write \s in the pattern). */
  async waitForLine(editor: Locator, text: RegExp): Promise<Locator> {
    const lines = editor.locator('.view-line');
    return waitVisible(lines.filter({ hasText: text }), `a line matching ${String(text)}`, () => textsOf(lines));
  }

  /** Waits until `editor` shows no error squiggle (the language server has re-checked the text). */
  async waitForNoErrors(editor: Locator): Promise<void> {
    const squiggles = editor.locator('.squiggly-error');
    try {
      await squiggles.first().waitFor({ state: 'detached', timeout: UI_TIMEOUT });
    } catch {
      throw new Error(`Expected no error squiggle in the editor within ${UI_TIMEOUT / 1000} s; ${await squiggles.count()} still shown. Problems: ${JSON.stringify(await this.problems())}`);
    }
  }

  /** Waits until the open quick input (palette, picker, the browser's file dialog) holds a value matching `value`, which it may fill in steps. */
  async waitForQuickInputValue(value: RegExp): Promise<Locator> {
    const input = await waitVisible(this.page.locator(`${QUICK_INPUT} .quick-input-box input`), 'a quick input', () => this.visibleText());
    const field = await input.elementHandle();
    try {
      await this.page.waitForFunction(
        ({ field, source, flags }) => new RegExp(source, flags).test((field as unknown as { value: string }).value),
        { field, source: value.source, flags: value.flags },
        { timeout: UI_TIMEOUT, polling: 50 },
      );
    } catch {
      throw new Error(`Expected the quick input to hold ${String(value)} within ${UI_TIMEOUT / 1000} s; it holds "${await input.inputValue()}".`);
    }
    return input;
  }

  /**
   * Opens a quick input with `key` and types `value` into it. A quick input
   * closes when focus moves (an editor closing elsewhere): then it is opened
   * again, at most three times.
   */
  private async openQuickInput(key: string, value: string, what: string): Promise<void> {
    const input = this.page.locator(`${QUICK_INPUT} .quick-input-box input`);
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press(key);
      await waitVisible(input, what, () => this.visibleText());
      try {
        await input.fill(value, { timeout: 5_000 });
        return;
      } catch (error) {
        if (attempt >= 3 || !(error instanceof Error) || error.name !== 'TimeoutError') throw error;
      }
    }
  }

  /** The workbench's visible text, for failure messages. */
  private visibleText(): Promise<string> {
    return this.page.locator('.monaco-workbench').innerText().then((text) => text.slice(0, 2000));
  }
}

export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
