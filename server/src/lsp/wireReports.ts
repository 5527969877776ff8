// The one place where what the engine and the capture server report becomes
// what the wire carries (contract/messages.ts). Each field is copied by name:
// the engine may grow fields (the recording, timings for the CLI) without any
// of them reaching an editor, and the wire keeps its shape when the engine
// changes its own.
import type { CapturedMessage, CapturedSession } from '../captureServer/localServer';
import type { CapturedMessageSummary, CapturedSessionSummary, ReplyReport, RunEvent, SessionReport, StepReport, TlsReport } from '../contract/messages';
import type { SessionEvent, SessionResult, StepResult } from '../engine/playSession';
import type { TlsDetails } from '../engine/smtpConnection';
import type { Session } from '../transcript/ast';

/** The `started` event: where the session is in the document that runs, so an editor places its results without asking. */
export function startedEvent(session: Session, version: number | null): RunEvent {
  return { type: 'started', name: session.name, line: session.range.start.line + 1, endLine: session.range.end.line + 1, version };
}

/** One of the engine's events while a session plays. */
export function runEvent(event: SessionEvent): RunEvent {
  switch (event.type) {
    case 'connecting':
      return { type: 'connecting', server: event.server };
    case 'connected':
      return { type: 'connected', server: event.server, tls: event.tls ? tlsReport(event.tls) : null };
    case 'tls':
      return { type: 'tls', tls: tlsReport(event.tls) };
    case 'step':
      return { type: 'step', step: stepReport(event.step) };
    case 'warning':
      return { type: 'warning', message: event.message };
  }
}

/** The `finished` event: the session's result as the run's response holds it. */
export function finishedEvent(report: SessionReport): RunEvent {
  return { type: 'finished', result: report };
}

export function sessionReport(result: SessionResult): SessionReport {
  return {
    name: result.name,
    line: result.line,
    server: result.server,
    ok: result.ok,
    error: result.error ? { message: result.error.message, line: result.error.line } : null,
    tls: result.tls ? tlsReport(result.tls) : null,
    warnings: [...result.warnings],
    steps: result.steps.map(stepReport),
    ...(result.captures ? { captures: result.captures.map(({ line, name, value }) => ({ line, name, value })) } : {}),
  };
}

export function stepReport(step: StepResult): StepReport {
  return {
    line: step.line,
    kind: step.kind,
    sent: step.sent,
    reply: step.reply ? replyReport(step.reply) : null,
    expected: step.expected,
    expectedLine: step.expectedLine,
    ok: step.ok,
    mismatch: step.mismatch,
    skipped: step.skipped,
    ms: step.ms,
    // Only on LMTP's and PRDR's replies after the message: every other step's JSON stays as it was.
    ...(step.recipient ? { recipient: step.recipient } : {}),
  };
}

function replyReport(reply: NonNullable<StepResult['reply']>): ReplyReport {
  return { code: reply.code, enhanced: reply.enhanced, lines: [...reply.lines] };
}

export function tlsReport(tls: TlsDetails): TlsReport {
  return {
    protocol: tls.protocol,
    cipher: tls.cipher,
    verified: tls.verified,
    verificationError: tls.verificationError,
    subject: tls.subject,
    issuer: tls.issuer,
    validTo: tls.validTo,
    fingerprint256: tls.fingerprint256,
  };
}

/** A message the capture server accepted, as an inbox lists it (the raw message stays on the server until previewed). */
export function capturedMessageSummary(message: CapturedMessage, sentBy?: { uri: string; line: number }): CapturedMessageSummary {
  return {
    id: message.id, from: message.from, to: [...message.to], subject: message.subject, size: message.size, receivedAt: message.receivedAt.toISOString(), path: message.path,
    sessionId: message.sessionId, transcriptPath: message.transcriptPath,
    ...(sentBy ? { sentBy: { uri: sentBy.uri, line: sentBy.line } } : {}),
  };
}

/** A closed connection of the capture server, as an inbox lists it (its transcript text stays on the server until asked for). */
export function capturedSessionSummary(session: CapturedSession): CapturedSessionSummary {
  const { facts } = session;
  const ending = facts.ending;
  return {
    id: session.id,
    client: session.client,
    startedAt: session.startedAt.toISOString(),
    endedAt: session.endedAt.toISOString(),
    // A closed session's facts are final, so 'open' does not occur here; it reads as aborted should it ever.
    ending: { kind: ending.kind === 'open' ? 'aborted' : ending.kind, text: ending.text },
    messageIds: [...session.messageIds],
    transcriptPath: session.path,
    tls: facts.tls ? { protocol: facts.tls.protocol, cipher: facts.tls.cipher } : null,
    auth: facts.auth ? { mechanism: facts.auth.mechanism, username: facts.auth.username, accepted: facts.auth.accepted } : null,
    phases: facts.timing().phases,
    folderFull: facts.folderFull,
  };
}
