// The help text is the CLI's reference documentation: keep it in step with README.md.
export const USAGE = `smtp-session — check and run SMTP dialogues written as .smtp transcripts

Usage:
  smtp-session check [--format text|json] FILE|DIR…
  smtp-session explain CODE [ENHANCED] | NAME
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

Exit status:
  0  no error-severity problem was found
  1  at least one error-severity problem was found
  2  usage error, a file could not be read, or explain was given
     something it does not know

The file format is described in docs/format.md.`;
