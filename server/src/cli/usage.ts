// The help text is the CLI's reference documentation: keep it in step with README.md.
export const USAGE = `smtp-session — check and run SMTP dialogues written as .smtp transcripts

Usage:
  smtp-session check [--format text|json] FILE|DIR…
  smtp-session explain CODE [ENHANCED] | NAME
  smtp-session serve [--host ADDRESS] [--port N] [--dir DIR]
                     [--tls none|starttls|implicit] [--user NAME:PASS]…
                     [--size N] [--reject-rcpt PATTERN]… [--tempfail-rcpt PATTERN]…
                     [--disconnect-after VERB] [--delay MS]
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
  explain  Print what the editor shows on hover for a reply code (550, 2xx),
           a reply code with its enhanced status code (550 5.1.1), an
           enhanced status code (5.7.1), an SMTP command (MAIL), an EHLO
           keyword (PIPELINING), a SASL mechanism (PLAIN), a MAIL or RCPT
           parameter (SIZE), a system variable ($secret) or a connection
           setting (@server). A name that means several things (AUTH) is
           explained each way.
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

Exit status:
  0  no error-severity problem was found
  1  at least one error-severity problem was found
  2  usage error, a file could not be read, explain was given
     something it does not know, or serve could not listen
  serve exits 0 when stopped with Ctrl+C or SIGTERM.

The file format is described in docs/format.md.`;
