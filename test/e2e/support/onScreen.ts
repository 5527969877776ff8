// Waiting for something to appear in the workbench, with a failure message
// that says what was expected and what was on screen instead.
import type { Locator } from 'playwright-core';
import type { DomElement } from './domShapes';

/** How long a UI state may take to appear: generous for a cold extension host on a slow CI machine, still bounded. */
export const UI_TIMEOUT = 30_000;

/**
 * Waits until `locator` is visible. On timeout, fails with `expected` and
 * whatever `actual()` reports (the text of the surrounding widget, say).
 */
export async function waitVisible(locator: Locator, expected: string, actual: () => Promise<string>, timeoutMs = UI_TIMEOUT): Promise<Locator> {
  try {
    await locator.first().waitFor({ state: 'visible', timeout: timeoutMs });
    return locator.first();
  } catch (error) {
    if (!isTimeout(error)) throw error;
    const seen = await actual().catch((reason: unknown) => `(could not read the screen: ${String(reason)})`);
    throw new Error(`Expected on screen within ${timeoutMs / 1000} s: ${expected}.\nOn screen instead: ${seen || '(nothing)'}`);
  }
}

/** The visible text of every element `locator` matches, one per line. */
export async function textsOf(locator: Locator): Promise<string> {
  const texts = await locator.evaluateAll((elements) => elements.map((element) => (element as unknown as DomElement).innerText.trim()).filter(Boolean));
  return texts.join('\n');
}

/** The aria-labels of every element `locator` matches, one per line (list rows carry their full text there). */
export async function labelsOf(locator: Locator): Promise<string> {
  const labels = await locator.evaluateAll((elements) => elements.map((element) => (element as unknown as DomElement).getAttribute('aria-label') ?? '').filter(Boolean));
  return labels.join('\n');
}

function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}
