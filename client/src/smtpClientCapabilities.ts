// Tells the language server, in `initialize`, which of its extensions this
// client implements (experimental.smtp, declared in contract/messages.ts): the
// server sends smtp/secret, its run events and the local server's
// notifications only to a client that declares them, and leaves the full
// semantic colouring to the TextMate grammar this extension contributes.
import type { ClientCapabilities, StaticFeature } from 'vscode-languageclient/node';
import type { SmtpClientCapabilities } from '../../server/src/contract/messages';

export const VS_CODE_SMTP_CAPABILITIES: Required<SmtpClientCapabilities> = {
  secretRequest: true,
  sessionEvents: true,
  localServerEvents: true,
  documentSessions: true,
  triggerSuggestCommand: true,
  textMateGrammar: true,
  // runs/remoteRunConfirmation.ts: the modal before the first run to a remote host.
  confirmRemoteRun: true,
};

export const smtpClientCapabilities: StaticFeature = {
  fillClientCapabilities(capabilities: ClientCapabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), smtp: VS_CODE_SMTP_CAPABILITIES };
  },
  initialize: () => undefined,
  getState: () => ({ kind: 'static' }),
  clear: () => undefined,
};
