// The few DOM shapes that page-side callbacks (evaluate) use. The project
// compiles without the DOM library, so that server code cannot use browser
// globals by mistake; these callbacks run in Chromium and cast to these.

export interface DomElement {
  readonly textContent: string | null;
  readonly innerText: string;
  getAttribute(name: string): string | null;
  querySelector(selector: string): DomElement | null;
}

export interface DomWindow {
  getComputedStyle(element: DomElement): { readonly color: string };
}
