import type { TranscriptFile } from '../transcript/ast';

/**
 * Which sessions of a file a run plays: all of them, one by its 0-based index
 * (an editor's code lens), or one the user typed — a 1-based number or a
 * session's `###` name (`smtp-session run --session`).
 */
export type SessionSelector =
  | { kind: 'all' }
  | { kind: 'index'; index: number }
  | { kind: 'typed'; text: string };

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
