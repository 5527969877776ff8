// The values the last run of each open document captured from replies
// (`@name = {{$reply /…/}}`), so hover can show them after a run. Redacted by
// the engine; one small map per document, dropped when it closes.
import type { SessionResult } from '../engine/playSession';

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

  forget(uri: string): void {
    this.byDocument.delete(uri);
  }
}
