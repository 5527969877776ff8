import type { CommandStep, Session, TranscriptFile } from '../transcript/ast';

/** What a new EHLO says when the file gives no better name: a reserved example domain (RFC 2606). */
export const DEFAULT_CLIENT_NAME = 'client.example';

/**
 * The name a new EHLO line should give: the argument of the session's nearest
 * HELO/EHLO before `line`, else of any in the session, else of any in the
 * file. A transcript usually speaks for one client, so reusing its name keeps
 * the new line consistent with the rest.
 */
export function clientNameFor(file: TranscriptFile, session: Session | null, line: number): string {
  const greetingsIn = (steps: Session['steps']) =>
    steps.filter((step): step is CommandStep => step.kind === 'command' && (step.verbName === 'EHLO' || step.verbName === 'HELO') && step.words.length > 0);
  const inSession = session ? greetingsIn(session.steps) : [];
  const before = inSession.filter((step) => step.line < line);
  const chosen = before[before.length - 1] ?? inSession[0] ?? file.sessions.flatMap((s) => greetingsIn(s.steps))[0];
  return chosen?.words[0].text ?? DEFAULT_CLIENT_NAME;
}
