// The help text is the CLI's reference documentation: keep it in step with README.md.
export const USAGE = `smtp-session — check and run SMTP dialogues written as .smtp transcripts

Usage:
  smtp-session check [--format text|json] [--max-size N] FILE|DIR…
  smtp-session explain CODE [ENHANCED] | NAME
  smtp-session import [--from auto|swaks|arrows|telnet|rfc] [-o OUT.smtp] FILE|-
  smtp-session run [--server HOST:PORT] [--session N|NAME | --grep PATTERN]
                   [--insecure] [--timeout SECONDS] [--env NAME] [--var NAME=VALUE]…
                   [--bail] [--parallel N] [--format text|json|junit]
                   [--report FILE.json|FILE.xml] [--record OUT.smtp]
                   [--max-size N] FILE|DIR…
  smtp-session load FILE [--session N|NAME] [--connections C]
                    (--count N | --duration SECONDS) [--rate PER_SECOND]
                    [--server HOST:PORT] [--insecure] [--timeout SECONDS]
                    [--format text|json]
  smtp-session serve [--host ADDRESS] [--port N] [--dir DIR]
                     [--tls none|starttls|implicit] [--user NAME:PASS]…
                     [--size N] [--reject-rcpt PATTERN]… [--tempfail-rcpt PATTERN]…
                     [--disconnect-after VERB] [--delay MS] [--rules FILE]
  smtp-session lsp [--stdio]
  smtp-session --help
  smtp-session --version

Commands:
  check    Check each .smtp file (directories are searched for *.smtp):
           the parser's and the dialogue analysis's diagnostics.
           --format text   (default) one line per problem, like a compiler:
                           file:line:column: severity code: message
           --format json   [{"file", "diagnostics": [{"line", "character",
                           "endLine", "endCharacter", "severity", "code",
                           "message"}]}] with 1-based lines and 0-based
                           characters.
           --max-size N    largest file read (default 32M; 64K, 100M
                           allowed). Only regular UTF-8 files are read (a
                           byte order mark is dropped); anything else is
                           refused with exit status 2.
  explain  Print what the editor shows on hover for a reply code (550, 2xx),
           a reply code with its enhanced status code (550 5.1.1), an
           enhanced status code (5.7.1), an SMTP command (MAIL), an EHLO
           keyword (PIPELINING), a SASL mechanism (PLAIN), a MAIL or RCPT
           parameter (SIZE), a system variable ($secret) or a connection
           setting (@server). A name that means several things (AUTH) is
           explained each way.
  import   Convert a transcript you already have into a .smtp file that
           check and run accept: swaks output ("-> EHLO", "<- 250"),
           >>>/<<< logs (sendmail -v, mailx -v, RFC 3461), telnet, nc and
           openssl s_client sessions, RFC-style "C:"/"S:" or "S:"/"R:"
           examples (page breaks, "\" continuations and wrapped challenges
           mended). Other lines become # comments; AUTH responses become
           {{$secret …}} references (no credential is copied); a body the
           original did not show is marked and left empty.
           --from FORMAT   auto (default: recognised from the text), swaks,
                           arrows, telnet or rfc
           -o, --output OUT.smtp  write there instead of standard output
           FILE may be - for standard input. Says on standard error what it
           read and what check finds in the result.
  run      Play the sessions of each FILE (directories are searched for
           *.smtp) against a real server: send each C: line, check each
           reply against its S: lines (codes, x wildcards, enhanced codes;
           text too with @strict = true), stop at the first unmet
           expectation and end with QUIT. Sessions without @server go to
           the embedded server (see serve), started on a free port.
           --server HOST:PORT  overrides @server (unix:/path for a Unix
                               socket, as LMTP delivery agents listen)
           --session N|NAME    only this session (1-based number or name)
           --grep PATTERN      only sessions whose ### name the regular
                               expression finds (case-insensitive)
           --env NAME          the variables of environment NAME in
                               "smtp.environments" of the nearest
                               .vscode/settings.json (comments allowed)
                               in the first file's folder or above
           --var NAME=VALUE    a variable (repeatable); the file's own
                               @NAME lines win over --var, --var over --env
           --bail              stop at the first failed session; the rest
                               are reported as not run
           --parallel N        play N files at once (each file's sessions
                               stay in order; output in the order given)
           --insecure          do not verify TLS certificates (said in the
                               result)
           --timeout SECONDS   replaces every RFC 5321 timeout
           --record OUT.smtp   write the run of one file as a new
                               transcript (real replies, secrets as
                               references) that check accepts and run can
                               replay
           --max-size N        largest file read, as for check
           --format text       (default) the dialogue as it happened, each
                               reply marked ✓ or ✗, with timings, each
                               transaction's recipients (accepted,
                               deferred, refused; in LMTP by the reply
                               after the data), then a summary
           --format json       {"ok", "summary", "files": [{"file", "ok",
                               "error", "ms", "sessions": [{"name", "line",
                               "server", "ok", "error", "tls", "warnings",
                               "ms", "steps": [...], "transactions":
                               [...]}], "notPlayed"}]} (README.md)
           --format junit      JUnit XML: a <testsuite> per file, a
                               <testcase> per session
           --report FILE       also write the JSON (FILE.json) or JUnit
                               (FILE.xml) report there
           {{$secret NAME}} is read from the environment variable NAME, or
           asked for without echo in a terminal; secrets never appear in
           the output.
  load     Play one session of FILE over and over, C connections at once,
           until N sessions (--count) or SECONDS (--duration); --rate caps
           the sessions started per second. Shows a live progress line,
           then sessions/s, messages/s, replies by code (a histogram),
           latency p50/p95/p99 per step kind and errors by kind; memory
           stays bounded whatever the count. --format json for tools.
           Exit 0 all passed, 1 one failed, 2 one could not run.
  serve    Run a local SMTP server that accepts every message (a capture
           server for trying sessions), printing a line per message, until
           Ctrl+C (SIGINT) or SIGTERM. It advertises PIPELINING, 8BITMIME,
           SMTPUTF8, SIZE, DSN, ENHANCEDSTATUSCODES and STARTTLS (no
           CHUNKING: BDAT is not supported).
           --host ADDRESS  where to listen (default 127.0.0.1; anything else
                           may let other machines send to it)
           --port N        default 2525; 0 picks a free port (printed)
           --dir DIR       save each message as DIR/<time>-<id>.eml
                           (default: keep the last 200 in memory)
           --tls MODE      starttls (default; self-signed certificate made at
                           start-up, AUTH only after STARTTLS), implicit (TLS
                           from the first byte, like port 465) or none
           --user NAME:PASS  offer AUTH PLAIN, LOGIN and CRAM-MD5 for this
                           user (repeatable); AUTH stays optional, a wrong
                           password gets 535 5.7.8
           --size N        largest message in bytes (64K, 10M allowed;
                           default 50M): SIZE advertised, 552 beyond it
           Faults, to see how a client copes:
           --reject-rcpt PATTERN    550 5.1.1 for recipients matching the
                                    regular expression (case-insensitive,
                                    without <>); repeatable
           --tempfail-rcpt PATTERN  450 4.2.1 for matching recipients
           --disconnect-after VERB  drop the connection, without a reply,
                                    when a command with this verb arrives
           --delay MS      wait MS milliseconds before every reply
           --rules FILE    scripted faults: a JSON file (comments allowed)
                           of rules tried in order, before the options
                           above — when a command (connect, EHLO, MAIL,
                           RCPT, DATA, end-of-data, AUTH, any) matches an
                           address glob, a parameter (SIZE>N) or a regex,
                           reply with an error, disconnect or delay, only
                           the Nth time, every Nth time or after N messages
                           in S seconds. Format and examples: README.md,
                           "Scripted faults"; examples/rules/. A bad file
                           is refused (exit status 2) naming the rule and
                           the field.

  lsp      Start the language server for an editor other than VS Code
           (Neovim, Helix, Emacs Eglot, Sublime LSP, Zed): LSP on standard
           input and output (--stdio is accepted and the default;
           --socket=PORT and --pipe=NAME too). The configurations for each
           editor, the settings and the initialization options are in
           README.md, "Other editors".

Exit status:
  0  check: no error-severity problem; run: every expectation held
  1  check: an error-severity problem; run: an expectation was not met
  2  usage error, a file could not be read, import recognised no dialogue,
     explain was given something
     it does not know, serve could not listen, or run could not play a
     session or a file (unreadable, connection, TLS, protocol error,
     refused input)
  serve exits 0 when stopped with Ctrl+C or SIGTERM.

The file format is described in docs/format.md.`;
