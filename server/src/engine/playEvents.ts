// What the engine reports while it plays a session. Front ends see the
// SessionEvents (playSession's onEvent); observers inside the engine, such as
// the Recorder, see these too and the events only they need: the settings
// the session ran with, what each batch put on the wire, the error that ended
// the session, the lines it never played and the QUIT sent at the end.
//
// No event carries a secret value: a client line is described as it may be
// shown (RecordableLine: its literal text, or the references a secret came
// from, or a placeholder with a note), worked out by the engine, which alone
// knows the secrets, when the line is encoded — and only for a session with
// an observer that asks for it (describesSentLines): it costs more than
// encoding the line.

import type { RecordableLine } from './recordTranscript';
import type { SessionEvent } from './playSession';
import type { SessionSettings } from './sessionSettings';

/** A client line as it may be shown; null when no observer of the session asked (PlayObserver.describesSentLines). */
export type SentText = RecordableLine | null;

/** A body line: its text, or the `{{$file}}` whose content was streamed in its place. */
export type SentBodyLine = SentText | { file: string };

/** What one item of a batch put on the wire; `line` is the 1-based line the reply answers, `display` what results show. */
export type SentItem =
  | { kind: 'command' | 'sasl'; line: number; display: string; text: SentText }
  /** A BDAT command and its chunk (RFC 3030): `verb` and `rest` are the command around the size, which a replay works out again. */
  | { kind: 'chunk'; line: number; display: string; verb: string; rest: string; chunk: { text: SentText; withoutLineEnding: boolean }[] }
  /** A DATA body and its end of data; `line` is the "." line's. */
  | { kind: 'body'; line: number; display: string; lines: SentBodyLine[] };

export type PlayEvent =
  | SessionEvent
  /** The session's settings, known before it connects. */
  | { type: 'settings'; settings: SessionSettings }
  /**
   * A batch (one item, or a pipelined group) is over: `sent` is what was
   * written, in order. Its replies came before this as 'step' events, one for
   * each item answered from the first on; the items after those were sent
   * but never answered. Empty when nothing was written (a line refused).
   */
  | { type: 'batch-ended'; sent: SentItem[] }
  /** The error that ended the session, as in the result. */
  | { type: 'error'; error: { message: string; line: number | null } }
  /** Lines never sent because the session had ended (1-based). */
  | { type: 'not-played'; lines: number[] }
  /** The engine's own QUIT at the end was written; `reply` is its reply's lines (redacted), null when none came. */
  | { type: 'quit'; reply: string[] | null; cancelled: boolean };

/** Sees every event of one session, in order. */
export interface PlayObserver {
  observe(event: PlayEvent): void;
  /** Wants the text of each client line sent (SentItem's SentText), not just what results show. */
  readonly describesSentLines?: boolean;
}
