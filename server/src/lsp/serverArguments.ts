// How the language server is started from a command line: `smtp-session lsp`
// (what other editors run; stdio unless a transport is named), `smtp-session
// --stdio`, or `node dist/server.js --stdio|--node-ipc|--socket=N|--pipe=NAME`
// (the VS Code client uses --node-ipc). vscode-languageserver picks the
// transport from process.argv; without one it throws "Connection input stream
// is not set", which tells a newcomer nothing, so that case is answered here.

/** The flags vscode-languageserver's createConnection recognises on the command line. */
const TRANSPORT = /^--(stdio|node-ipc|socket(=.+)?|pipe(=.+)?)$/;

export const SERVER_USAGE = `smtp-session lsp — the SMTP Session language server, for any LSP editor

Usage:
  smtp-session lsp [--stdio]          speak LSP on standard input and output
  smtp-session lsp --socket=PORT      connect to the editor's socket on PORT
  smtp-session lsp --pipe=NAME        connect to the editor's named pipe
  node dist/server.js --stdio         the same server, from a checkout

Editors' configurations (Neovim, Helix, Emacs Eglot, Sublime LSP, Zed), the
settings and the initialization options: README.md, "Other editors".`;

export type ServerStart =
  /** Start with this process.argv (a transport flag is in it). */
  | { kind: 'start'; argv: string[] }
  /** Print `text` and exit with `status`. */
  | { kind: 'exit'; text: string; status: number };

/**
 * `argv` is process.argv (node, script, arguments…). A leading `lsp` is the
 * CLI's command name; with it, no transport means stdio, which is what an
 * editor's "command" setting expects.
 */
export function serverStart(argv: readonly string[]): ServerStart {
  const [node, script, ...args] = argv;
  const viaCli = args[0] === 'lsp';
  const rest = viaCli ? args.slice(1) : args;
  if (rest.includes('--help') || rest.includes('-h')) return { kind: 'exit', text: SERVER_USAGE, status: 0 };
  if (rest.some((arg) => TRANSPORT.test(arg))) return { kind: 'start', argv: [node, script, ...rest] };
  if (viaCli) return { kind: 'start', argv: [node, script, '--stdio', ...rest] };
  return {
    kind: 'exit',
    status: 2,
    text: `The SMTP Session language server needs to be told how to talk to the editor: start it as \`smtp-session lsp\` (standard input and output), or pass --stdio, --node-ipc, --socket=PORT or --pipe=NAME.\n\n${SERVER_USAGE}`,
  };
}
