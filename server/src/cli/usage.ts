// The help text is the CLI's reference documentation: keep it in step with README.md.
export const USAGE = `smtp-session — check and run SMTP dialogues written as .smtp transcripts

Usage:
  smtp-session check [--format text|json] FILE|DIR…
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

Exit status:
  0  no error-severity problem was found
  1  at least one error-severity problem was found
  2  usage error, or a file could not be read

The file format is described in docs/format.md.`;
