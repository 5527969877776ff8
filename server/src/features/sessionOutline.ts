// Each session of a document as an editor lists it (a test explorer, a
// session picker): its index, name, lines and the server it names. One
// function for the command that lists a file's sessions and the notification
// that follows an open document.
import { visibleVariables } from '../analysis/variableScope';
import type { SessionOutline } from '../contract/messages';
import type { TranscriptFile } from '../transcript/ast';

export function getSessionOutline(file: TranscriptFile): SessionOutline[] {
  return file.sessions.map((session, index) => ({
    index,
    name: session.name,
    line: session.range.start.line + 1,
    endLine: session.range.end.line + 1,
    // Where the whole session looks: the file's variables and every one the session defines.
    server: visibleVariables(file, session, Number.MAX_SAFE_INTEGER).get('server')?.value.text ?? null,
  }));
}
