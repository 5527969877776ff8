// What the client at the other end declared in `initialize`, read once: the
// server sends a snippet, a refresh request or a custom message only to a
// client that said it understands it (GUIDE §6: standard LSP first,
// extensions on top).
import type { ClientCapabilities } from 'vscode-languageserver';
import type { SmtpClientCapabilities } from '../contract/messages';

export interface ClientFeatures {
  /** textDocument.completion.completionItem.snippetSupport: `${1:…}` placeholders; otherwise plain text. */
  snippets: boolean;
  /** workspace.configuration: settings are asked per document with workspace/configuration. */
  configuration: boolean;
  /** workspace.inlayHint.refreshSupport: workspace/inlayHint/refresh after a settings change. */
  inlayHintRefresh: boolean;
  /** window.showMessage: the client shows window/showMessageRequest with actions (the remote-run question for clients without their own). */
  showMessageRequest: boolean;
  /** workspace.codeLens.refreshSupport: workspace/codeLens/refresh when workspace trust changes. */
  codeLensRefresh: boolean;
  /** experimental.smtp: the custom messages of contract/messages.ts the client implements. */
  smtp: Required<SmtpClientCapabilities>;
}

/** Before `initialize`, and for a client that declares nothing: standard LSP only, no snippets. */
export const STANDARD_CLIENT: ClientFeatures = {
  snippets: false,
  configuration: false,
  inlayHintRefresh: false,
  showMessageRequest: false,
  codeLensRefresh: false,
  smtp: { secretRequest: false, sessionEvents: false, localServerEvents: false, documentSessions: false, triggerSuggestCommand: false, textMateGrammar: false, confirmRemoteRun: false },
};

export function readClientFeatures(capabilities: ClientCapabilities): ClientFeatures {
  const declared = (capabilities.experimental as { smtp?: unknown } | undefined)?.smtp;
  const smtp = typeof declared === 'object' && declared !== null ? (declared as Record<string, unknown>) : {};
  const flag = (name: keyof SmtpClientCapabilities) => smtp[name] === true;
  return {
    snippets: capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
    configuration: capabilities.workspace?.configuration === true,
    inlayHintRefresh: capabilities.workspace?.inlayHint?.refreshSupport === true,
    showMessageRequest: capabilities.window?.showMessage !== undefined,
    codeLensRefresh: capabilities.workspace?.codeLens?.refreshSupport === true,
    smtp: {
      secretRequest: flag('secretRequest'),
      sessionEvents: flag('sessionEvents'),
      localServerEvents: flag('localServerEvents'),
      documentSessions: flag('documentSessions'),
      triggerSuggestCommand: flag('triggerSuggestCommand'),
      textMateGrammar: flag('textMateGrammar'),
      confirmRemoteRun: flag('confirmRemoteRun'),
    },
  };
}
