// `smtp-session run --record` and the editor's Record: an observer of one
// session's events that writes down the dialogue as it happened, as the
// RecordedLines formatRecording (recordTranscript.ts) turns into a .smtp
// transcript. It sees what every observer sees, so it holds no secret: the
// client lines come as the engine describes them for showing, and the replies
// and messages are already redacted.

import type { StepResult } from './playSession';
import type { PlayEvent, PlayObserver, SentItem, SentText } from './playEvents';
import { escapeForDisplay } from './displayText';
import type { RecordableLine, RecordedChunkLine, RecordedLine } from './recordTranscript';
import type { SessionSettings } from './sessionSettings';
import type { TlsDetails } from './smtpConnection';

export class Recorder implements PlayObserver {
  readonly describesSentLines = true;
  /** The session so far, in transcript order. */
  readonly lines: RecordedLine[] = [];
  /** The replies of the batch under way (each with its comments), written when the batch ends, after its sent lines. */
  private answered: RecordedLine[][] = [];

  observe(event: PlayEvent): void {
    switch (event.type) {
      case 'settings':
        this.lines.push(...settingLines(event.settings));
        return;
      case 'connected':
        if (event.tls) this.lines.push(tlsComment(event.tls));
        return;
      case 'tls':
        // After STARTTLS's 220, so with the reply that led to it.
        this.answered[this.answered.length - 1]?.push(tlsComment(event.tls));
        return;
      case 'step':
        this.step(event.step);
        return;
      case 'batch-ended':
        this.batchEnded(event.sent);
        return;
      case 'error':
        this.comment(`error${event.error.line !== null ? ` (line ${event.error.line})` : ''}: ${event.error.message}`);
        return;
      case 'not-played':
        this.comment(`not played (the session had ended): line${event.lines.length === 1 ? '' : 's'} ${event.lines.join(', ')}`);
        return;
      case 'quit':
        // A cancelled run's recording ends where it was cancelled.
        if (event.cancelled) return;
        this.lines.push({ kind: 'client', parts: [{ literal: 'QUIT' }] });
        for (const line of event.reply ?? []) this.lines.push({ kind: 'reply', line });
        return;
      case 'connecting':
      case 'warning':
        return;
    }
  }

  private step(step: StepResult): void {
    if (step.skipped) {
      // Not sent: the server did not invite it (the reason is the step's mismatch).
      this.comment(`line ${step.line}: ${step.mismatch}`);
      return;
    }
    const reply: RecordedLine[] = (step.reply?.lines ?? []).map((line) => ({ kind: 'reply', line }));
    if (step.ok === false && step.mismatch) reply.push({ kind: 'comment', text: `line ${step.line}: ${step.mismatch}` });
    if (step.kind === 'greeting') this.lines.push(...reply);
    else this.answered.push(reply);
  }

  /**
   * The batch: the lines sent that got a reply, then their replies (so a
   * pipelined group reads back as one), then a comment for each line sent
   * without a reply — written as a line, it would take a reply that answered
   * another.
   */
  private batchEnded(sent: SentItem[]): void {
    const answered = this.answered;
    this.answered = [];
    for (let i = 0; i < answered.length && i < sent.length; i++) this.lines.push(...sentLines(sent[i]));
    for (const reply of answered) this.lines.push(...reply);
    for (let i = answered.length; i < sent.length; i++) this.comment(`line ${sent[i].line}: sent, but no reply was read: ${sent[i].display}`);
  }

  private comment(text: string): void {
    this.lines.push({ kind: 'comment', text });
  }
}

/** One item as transcript lines; a note on a line (why a placeholder stands there) follows what it concerns. */
function sentLines(item: SentItem): RecordedLine[] {
  switch (item.kind) {
    case 'command':
    case 'sasl':
    {
      const text = described(item.text);
      return [...notes([text]), { kind: 'client', parts: text.parts }];
    }
    case 'chunk': {
      const texts = item.chunk.map((line) => described(line.text));
      const chunk: RecordedChunkLine[] = item.chunk.map((line, i) => ({ parts: texts[i].parts, withoutLineEnding: line.withoutLineEnding }));
      return [...notes(texts), { kind: 'bdat', verb: item.verb, rest: item.rest, chunk }];
    }
    case 'body': {
      const lines: RecordedLine[] = [];
      const texts: RecordableLine[] = [];
      for (const line of item.lines) {
        if (line !== null && 'file' in line) {
          lines.push({ kind: 'file', path: line.file });
        } else {
          const text = described(line);
          lines.push({ kind: 'body', parts: text.parts });
          texts.push(text);
        }
      }
      // Comments cannot stand inside the body: they follow its end.
      return [...lines, { kind: 'end-of-data' }, ...notes(texts)];
    }
  }
}

/** The engine describes every line sent to a session with an observer that asks, as the Recorder does. */
function described(text: SentText): RecordableLine {
  if (text === null) throw new Error('the engine did not describe a line sent to a Recorder');
  return text;
}

function notes(lines: RecordableLine[]): RecordedLine[] {
  const out: RecordedLine[] = [];
  for (const line of lines) if (line.note) out.push({ kind: 'comment', text: line.note });
  return out;
}

/** What TLS came up with, for the reader of the recording (the replay negotiates its own). */
function tlsComment(tls: TlsDetails): RecordedLine {
  const verification = tls.verified ? 'certificate verified' : `certificate not verified${tls.verificationError ? ` (${tls.verificationError})` : ''}`;
  return { kind: 'comment', text: escapeForDisplay(`TLS: ${tls.protocol}, ${tls.cipher}, ${verification}; subject ${tls.subject}`) };
}

/** The connection variables a replay needs to connect and send the same way. */
function settingLines(settings: SessionSettings): RecordedLine[] {
  const lines: RecordedLine[] = [];
  const setting = (name: string, value: string) => lines.push({ kind: 'setting', name, value });
  if (settings.tls === 'implicit') setting('tls', 'implicit');
  if (!settings.verifyTls) setting('tls-verify', 'false');
  if (settings.timeoutMs !== null) setting('timeout', String(settings.timeoutMs / 1000));
  if (settings.allowRaw) setting('allow-raw', 'true');
  if (settings.allowPlaintextAuth) setting('allow-plaintext-auth', 'true');
  if (settings.allowOutsideFiles) setting('allow-outside-files', 'true');
  return lines;
}
