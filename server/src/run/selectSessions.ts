import type { TranscriptFile } from '../transcript/ast';

/**
 * Which sessions of a file a run plays: all of them, one by its 0-based index
 * (an editor's code lens), one the user typed — a 1-based number or a
 * session's `###` name (`smtp-session run --session`) — or those whose name
 * a pattern finds (`smtp-session run --grep`).
 */
export type SessionSelector =
  | { kind: 'all' }
  | { kind: 'index'; index: number }
  | { kind: 'typed'; text: string }
  /** Every session whose `###` name the pattern finds (`run --grep`); none may match, and unnamed sessions never do. */
  | { kind: 'matching'; pattern: RegExp };

/** A run that cannot start as asked; the message says what to change. Front ends show it as their own usage error. */
export class RunRequestError extends Error {}

/** The 0-based indexes of the sessions to play, in file order. */
export function selectSessions(file: TranscriptFile, selector: SessionSelector): number[] {
  const count = file.sessions.length;
  if (count === 0) throw new RunRequestError('The file has no session to run: add C: and S: lines (see docs/format.md).');
  switch (selector.kind) {
    case 'all':
      return file.sessions.map((_, index) => index);
    case 'index':
      if (selector.index >= count) {
        throw new RunRequestError(`The file has ${count} session${count === 1 ? '' : 's'} (0-based indexes 0 to ${count - 1}); there is no session ${selector.index}.`);
      }
      return [selector.index];
    case 'matching': {
      const { pattern } = selector;
      const indexes: number[] = [];
      file.sessions.forEach((session, index) => {
        // A global or sticky pattern remembers where it last matched; every name is searched from its start.
        pattern.lastIndex = 0;
        if (session.name !== null && pattern.test(session.name)) indexes.push(index);
      });
      return indexes;
    }
    case 'typed': {
      const { text } = selector;
      const index = /^\d+$/.test(text) ? Number(text) - 1 : file.sessions.findIndex((session) => session.name === text);
      if (index < 0 || index >= count) {
        const names = file.sessions.map((session, i) => `${i + 1}${session.name ? ` (${session.name})` : ''}`).join(', ');
        throw new RunRequestError(`No session "${text}" in the file; it has: ${names}.`);
      }
      return [index];
    }
  }
}
