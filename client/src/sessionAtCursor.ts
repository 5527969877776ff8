// Which session "Run Session" means when no lens or test names one: the one
// the cursor is in. The sessions come from the document's outline (the
// server's document symbols: one top-level symbol per session, in order), so
// the client neither parses the document nor asks the server again. Pure (no
// `vscode`), so the choice is tested without an editor.

/** A session's lines, 0-based and inclusive, in document order. */
export interface SessionLines {
  startLine: number;
  endLine: number;
}

/**
 * The 0-based index of the session holding `line` (0-based); between two
 * sessions, the one above; above the first, the first. Null when the document
 * has no session.
 */
export function sessionAtLine(sessions: readonly SessionLines[], line: number): number | null {
  if (sessions.length === 0) return null;
  const inside = sessions.findIndex((session) => session.startLine <= line && line <= session.endLine);
  if (inside >= 0) return inside;
  let above = 0;
  sessions.forEach((session, index) => {
    if (session.startLine <= line) above = index;
  });
  return above;
}
