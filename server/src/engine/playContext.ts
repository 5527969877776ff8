// What every piece of one session's play shares — the player, the line
// encoder, the TLS upgrade — so each takes one object rather than a list.

import type { Session, TranscriptFile } from '../transcript/ast';
import type { PlayEvent } from './playEvents';
import type { PlayOptions, SessionResult } from './playSession';
import type { Redactor } from './redaction';
import type { SessionSettings } from './sessionSettings';

export interface PlayContext {
  file: TranscriptFile;
  session: Session;
  settings: SessionSettings;
  options: PlayOptions;
  /** Knows every secret resolved so far: all text shown goes through it. */
  redactor: Redactor;
  /** The result being built: steps are added as they are answered, `tls` when TLS comes up. */
  result: SessionResult;
  emit(event: PlayEvent): void;
  /** A warning in the result and as an event. */
  warn(message: string): void;
  /** Some observer wants each client line described (PlayObserver.describesSentLines). */
  describesSentLines: boolean;
  /**
   * Someone sees the events (an observer, or the front end's onEvent). When no one does (the CLI: its JSON and
   * text need only the finished result), the engine builds no event and no detail only events carry.
   */
  listening: boolean;
}
