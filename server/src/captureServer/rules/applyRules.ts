// The rules engine at work on one smtp-server connection: every command line
// is put to the rules before smtp-server handles it, and a rule that acts
// answers in its place (or drops the connection, or waits first). smtp-server
// has no public hook before its handlers, so this wraps the connection's
// `_onCommand` (which its line parser calls for every line, the TLS session's
// after STARTTLS too) and `send` (its single write site) — the same two
// methods the transcript recorder wraps; the rules tests fail if either stops
// being called.
import type { SMTPServer } from 'smtp-server';
import type { RuleEvent, RuleReply } from './faultRule';
import { NO_DECISION, replyText, type FaultRules, type RuleAction, type RuleDecision } from './faultRules';
import { commandEvent } from './matchRule';

/** smtp-server's per-connection object (the package does not export its type by name). */
export type SMTPConnection = SMTPServer['connections'] extends Set<infer Connection> ? Connection : never;

// Commands smtp-server answers 503 (or the like) when they come out of order: the rules are
// asked only about commands it would otherwise take, so a rule never hides a sequence error.
const NEEDS_GREETING = new Set(['MAIL', 'RCPT', 'DATA', 'AUTH']);

/** Rules that answer with an enhanced code of their own at the end of data, by connection, until sent. */
const pendingEnhanced = new WeakMap<SMTPConnection, RuleReply>();

export interface RuleHooks {
  /** One line per fault, for the server's log; never a credential (AUTH lines are named by their verb only). */
  log(line: string): void;
  /** Written into the connection's transcript as a comment. */
  note(text: string): void;
}

/** Puts every command of `connection` to `rules`; call before the transcript recorder wraps the same methods, so the recorder sees the line before the rule's reply. */
export function applyRules(connection: SMTPConnection, rules: FaultRules, hooks: RuleHooks): void {
  if (rules.rules.length === 0) return;
  const send = connection.send.bind(connection);
  connection.send = (code, data, context) => {
    const reply = pendingEnhanced.get(connection);
    if (reply && reply.code === code && typeof data === 'string') {
      pendingEnhanced.delete(connection);
      return send(code, `${reply.enhanced} ${data}`, false);
    }
    return send(code, data, context);
  };

  const handleCommand = connection._onCommand.bind(connection);
  connection._onCommand = (command, callback) => {
    // A SASL response line carries credentials, not a command; lines read during a TLS handshake are dropped by smtp-server.
    if (connection._nextHandler || connection._upgrading) return handleCommand(command, callback);
    const event = commandEvent(command.toString('utf8'));
    const decision = inSequence(connection, event.verb) ? rules.decide(event) : NO_DECISION;
    const act = () => {
      const action = decision.action;
      if (action === null) return handleCommand(command, callback);
      report(action, event, hooks);
      if (action.kind === 'disconnect') return connection._socket.destroy();
      const { code, enhanced } = action.reply;
      const text = replyText(action.reply, event.address);
      // Without an enhanced code of its own, the reply gets smtp-server's usual one for the code (none for EHLO and HELO).
      connection.send(code, enhanced ? `${enhanced} ${text}` : text, enhanced ? false : event.verb);
      // A 421 closes the connection (send does that); any other reply leaves it open for the next command.
      if (code !== 421) setImmediate(() => connection._whenWritable(callback ?? (() => undefined)));
    };
    wait(decision, act);
  };
}

/**
 * The rules' answer at the greeting or at the end of a message's data, for
 * the server's onConnect and onData: `proceed` when no rule acts (after any
 * delay), `refuse` with the error for smtp-server's callback (at the greeting
 * smtp-server sends it and closes), or `drop` before the connection is cut.
 */
export function decideAt(
  point: 'connect' | 'end-of-data',
  connection: SMTPConnection | undefined,
  rules: FaultRules,
  hooks: RuleHooks,
  then: { proceed(): void; refuse(error: Error): void; drop?(): void },
): void {
  const event: RuleEvent = { point };
  const decision = rules.decide(event);
  wait(decision, () => {
    const action = decision.action;
    if (action === null) return then.proceed();
    if (action.kind === 'disconnect') {
      then.drop?.();
      report(action, event, hooks);
      connection?._socket.destroy();
      return;
    }
    report(action, event, hooks);
    // smtp-server sends the error with its usual enhanced code for the code; the rule's own replaces it.
    if (connection && action.reply.enhanced && point === 'end-of-data') pendingEnhanced.set(connection, action.reply);
    then.refuse(Object.assign(new Error(replyText(action.reply, null)), { responseCode: action.reply.code }));
  });
}

function wait(decision: RuleDecision, act: () => void): void {
  if (decision.delayMs > 0) setTimeout(act, decision.delayMs);
  else act();
}

function inSequence(connection: SMTPConnection, verb: string): boolean {
  if (NEEDS_GREETING.has(verb) && !connection.hostNameAppearsAs) return false;
  if (verb === 'RCPT') return Boolean(connection.session.envelope.mailFrom);
  if (verb === 'DATA') return connection.session.envelope.rcptTo.length > 0;
  return true;
}

function report(action: RuleAction, event: RuleEvent, hooks: RuleHooks): void {
  const subject = event.point === 'connect' ? 'connection' : event.point === 'end-of-data' ? 'end of data' : event.address !== null ? `${event.verb} <${event.address}>` : event.verb;
  if (action.kind === 'disconnect') {
    hooks.log(`${subject}: connection dropped without a reply (${action.rule.label})`);
    hooks.note(`the server dropped the connection without a reply (${action.rule.label})`);
    return;
  }
  const { code, enhanced } = action.reply;
  hooks.log(`${subject} answered ${code}${enhanced ? ` ${enhanced}` : ''} (${action.rule.label})`);
}
