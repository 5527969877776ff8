// Text that came from elsewhere (a server's reply, a mail's subject, a file
// name) as it may be shown: characters that would reorder what follows them
// (the bidirectional marks and overrides, as in "Trojan Source") or that
// terminals and views treat as commands (C1 controls) are written out as
// `\u202e`. Pure (no `vscode`); one list for every view of the client.

/** C1 controls, the Arabic letter mark, and the bidirectional marks, embeddings, overrides and isolates. */
export const REORDERING_CHARACTERS = /[\u0080-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** `\u202e` for U+202E. */
export function escapedCharacter(character: string): string {
  return `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Every C0 control (a line break, a tab) and every reordering character written out: a name shown on one line as it really is. */
export function visibleName(name: string): string {
  // eslint-disable-next-line no-control-regex
  return name.replace(/[\u0000-\u001f\u007f]/g, escapedCharacter).replace(REORDERING_CHARACTERS, escapedCharacter);
}
