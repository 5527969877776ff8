import { parseEhloReply } from '../protocol/ehloKeywords';
import type { CommandStep, Reply, SaslResponse, Session } from '../transcript/ast';

/** A mail transaction in progress (RFC 5321 §3.3): from an accepted MAIL to the end of its data. */
export interface Transaction {
  mail: CommandStep;
  recipients: number;
  acceptedRecipients: number;
  /** Set by the first DATA or BDAT: the two cannot be mixed in one transaction (RFC 3030 §2). */
  dataMethod: 'DATA' | 'BDAT' | null;
}

/**
 * Where a session stands, driven by the commands and the replies recorded for
 * them. A command with no recorded reply is assumed to have succeeded: a
 * script that records no replies must not be flagged for what it did not say.
 */
export interface DialogueState {
  /** HELO or EHLO was accepted (RFC 5321 §4.1.4). */
  greeted: boolean;
  /** The greeting was EHLO, so extensions are available. */
  extended: boolean;
  /** What the last recorded EHLO reply advertised (keyword → parameters); null when unknown. Shared between states: read only. */
  advertised: ReadonlyMap<string, readonly string[]> | null;
  /** STARTTLS was answered 220: the session is encrypted. */
  tls: boolean;
  /** After TLS starts, what was learnt before is void until a new EHLO (RFC 3207 §4.2). */
  needsEhloAfterTls: boolean;
  authenticated: boolean;
  /** AUTH was answered 334: SASL responses follow until a final reply. */
  authInProgress: boolean;
  transaction: Transaction | null;
  /** The step after which the server has closed the connection (QUIT, 221, 421). */
  closedBy: string | null;
  /** The session greeted with LHLO: LMTP (RFC 2033), which has no EHLO or HELO. */
  lmtp: boolean;
  /** TURN or ATRN was answered 250: the two sides swapped roles, and the rules of this side no longer apply (RFC 821 §4.1.1, RFC 2645 §5.3). */
  turned: boolean;
}

export function initialState(): DialogueState {
  return { greeted: false, extended: false, advertised: null, tls: false, needsEhloAfterTls: false, authenticated: false, authInProgress: false, transaction: null, closedBy: null, turned: false, lmtp: false };
}

/** The first digit of a recorded reply's code, or null when no reply was recorded. */
export function replyClass(reply: Reply | null): string | null {
  return reply?.code ? reply.code[0] : null;
}

/** Success as far as the transcript tells: a 2xx (or 3xx where expected), or no recorded reply at all. */
export function succeeded(reply: Reply | null, alsoIntermediate = false): boolean {
  const digit = replyClass(reply);
  return digit === null || digit === '2' || (alsoIntermediate && digit === '3');
}

/** Moves the state past a command, given the reply recorded for it. */
export function applyCommand(state: DialogueState, command: CommandStep): void {
  const ok = succeeded(command.reply);
  switch (command.verbName) {
    case 'EHLO':
    case 'HELO':
    case 'LHLO':
      if (!ok) return;
      // A new greeting in the middle of a transaction aborts it, like RSET (RFC 5321 §4.1.4).
      state.greeted = true;
      // LHLO has the semantics of EHLO (RFC 2033 §4.1).
      state.extended = command.verbName !== 'HELO';
      state.lmtp ||= command.verbName === 'LHLO';
      state.advertised = state.extended && command.reply ? advertisedIn(command.reply) : null;
      state.needsEhloAfterTls = false;
      state.transaction = null;
      return;
    case 'STARTTLS':
      if (!ok) return;
      state.tls = true;
      state.greeted = false;
      state.extended = false;
      state.advertised = null;
      state.authenticated = false;
      state.needsEhloAfterTls = true;
      state.transaction = null;
      return;
    case 'AUTH':
      applyAuthReply(state, command.reply);
      return;
    case 'MAIL':
      if (ok && state.transaction === null) state.transaction = { mail: command, recipients: 0, acceptedRecipients: 0, dataMethod: null };
      return;
    case 'RCPT':
      if (!state.transaction) return;
      state.transaction.recipients++;
      if (ok) state.transaction.acceptedRecipients++;
      return;
    case 'DATA':
      // The transaction ends with the reply to the end of the body, or with a refusal of DATA itself.
      state.transaction = null;
      return;
    case 'BDAT':
      if (state.transaction) state.transaction.dataMethod = 'BDAT';
      if (command.words.some((word) => word.text.toUpperCase() === 'LAST') || !ok) state.transaction = null;
      return;
    case 'RSET':
      state.transaction = null;
      return;
    case 'QUIT':
      state.closedBy = 'QUIT';
      return;
    case 'TURN':
    case 'ATRN':
      // Only a recorded 250 swaps roles (RFC 821 §4.1.1, RFC 2645 §5.3): with no reply the outcome is unknown, and a refusal changes nothing.
      if (command.reply?.code === '250') state.turned = true;
      return;
  }
}

/**
 * The last EHLO reply read and what it advertises. A file's sessions mostly
 * talk to one server, and its EHLO reply is the same in each: the lines are
 * compared with the last ones, and only a different reply is read again.
 * The map is shared, so the state's `advertised` is read-only.
 */
let lastEhloReply: { lines: string[]; advertised: Map<string, string[]> } | null = null;

function advertisedIn(reply: Reply): Map<string, string[]> {
  const replyLines = reply.lines;
  const lines: string[] = [];
  for (const line of replyLines) lines.push(line.text.text);
  if (lastEhloReply && sameLines(lastEhloReply.lines, lines)) return lastEhloReply.advertised;
  const advertised = parseEhloReply(lines);
  lastEhloReply = { lines, advertised };
  return advertised;
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A SASL response carries the AUTH exchange on; its reply may end it. */
export function applySaslResponse(state: DialogueState, response: SaslResponse): void {
  if (state.authInProgress) applyAuthReply(state, response.reply);
}

// RFC 4954 §4: 334 asks for more, 235 is success, anything else ends the exchange unauthenticated.
// With no reply recorded the script's intent is success.
function applyAuthReply(state: DialogueState, reply: Reply | null): void {
  const code = reply?.code ?? null;
  state.authInProgress = code === '334';
  if (code === null || code === '235') state.authenticated = true;
}

/** Replies that end the session whatever they answer: 221 closing, 421 service not available (RFC 5321 §3.8). */
export function applyReply(state: DialogueState, reply: Reply): void {
  if (reply.code === '421' || reply.code === '221') state.closedBy ??= reply.code;
}

/** Moves the state past any step; the one walk that analysis and features share. */
export function applyStep(state: DialogueState, step: Session['steps'][number]): void {
  if (step.kind === 'command') applyCommand(state, step);
  else if (step.kind === 'sasl') applySaslResponse(state, step);
  else if (step.kind === 'reply') applyReply(state, step);
}

/** The state just before `line`: what a command written there would meet (for completion). */
export function dialogueStateBefore(session: Session, line: number): DialogueState {
  const state = initialState();
  for (const step of session.steps) {
    if (step.line >= line) break;
    applyStep(state, step);
  }
  return state;
}
