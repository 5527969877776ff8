// The values the last run of each open document captured from replies
// (`@name = {{$reply /…/}}`), so hover can show them after a run, and an
// inlay hint at the end of the capture line for editors that do not draw the
// run's results themselves. Redacted and escaped by the engine; one small map
// per document, dropped when it closes.
import type { InlayHint, Range } from 'vscode-languageserver';
import type { SessionResult } from '../engine/playSession';

/** A longer value is cut in its hint; hover shows it whole. */
const MAX_HINT_CHARACTERS = 80;

export class CapturedValues {
  private readonly byDocument = new Map<string, Map<number, string>>();

  /** A session of `uri` finished: its captures replace what that session's lines held. */
  record(uri: string, result: SessionResult): void {
    if (!result.captures) return;
    let values = this.byDocument.get(uri);
    if (!values) this.byDocument.set(uri, (values = new Map()));
    for (const capture of result.captures) values.set(capture.line - 1, capture.value);
  }

  /** The values by the 0-based line of their `@` definition. */
  forDocument(uri: string): ReadonlyMap<number, string> | undefined {
    return this.byDocument.get(uri);
  }

  /** `captured 4XyZ1` at the end of each capture line in `range`; `lineLength` is the line's length now, or null past the end. */
  hints(uri: string, range: Range, lineLength: (line: number) => number | null): InlayHint[] {
    const hints: InlayHint[] = [];
    for (const [line, value] of this.byDocument.get(uri) ?? []) {
      if (line < range.start.line || line > range.end.line) continue;
      const character = lineLength(line);
      if (character === null) continue;
      const shown = value.length > MAX_HINT_CHARACTERS ? `${value.slice(0, MAX_HINT_CHARACTERS - 1)}…` : value;
      hints.push({ position: { line, character }, label: value === '' ? 'captured an empty value' : `captured ${shown}`, paddingLeft: true, tooltip: 'The value the last run took from the reply above this line.' });
    }
    return hints;
  }

  forget(uri: string): void {
    this.byDocument.delete(uri);
  }
}
