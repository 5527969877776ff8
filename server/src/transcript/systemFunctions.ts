// The format's system variables (`{{$name args}}`) and reserved connection
// variables: facts of the .smtp format itself, one row each (README, "Variables").

export interface SystemFunction {
  name: string;
  /** Argument names, for hover and completion. */
  args: readonly string[];
  description: string;
  /** Its value is never shown: in hovers, logs, results and recordings it is `***`. */
  secret: boolean;
  /** Allowed only inside a message body. */
  bodyOnly: boolean;
  /** Its argument may be left out (`{{$reply}}`). */
  optionalArgs?: boolean;
  /** Its one argument is everything up to the closing braces, spaces included (a regular expression). */
  wholeText?: boolean;
  /** Its value comes from what the server said, so it is known only when the run reaches the line. */
  fromReply?: boolean;
}

export const SYSTEM_FUNCTIONS: readonly SystemFunction[] = [
  { name: '$env', args: ['NAME'], description: 'The value of the environment variable NAME (not SMTP_SECRET_* ones: those are read by $secret). Runs list the names read.', secret: false, bodyOnly: false },
  { name: '$secret', args: ['NAME'], description: 'A stored secret (the editor keeps it in its secret storage); never shown.', secret: true, bodyOnly: false },
  { name: '$prompt', args: ['LABEL'], description: 'Asked each time the session runs; never shown.', secret: true, bodyOnly: false },
  { name: '$base64', args: ['TEXT'], description: 'TEXT encoded in base64, e.g. for AUTH LOGIN user names.', secret: false, bodyOnly: false },
  { name: '$authPlain', args: ['USER', 'PASS'], description: 'The base64 of "\\0USER\\0PASS": the AUTH PLAIN initial response (RFC 4616); never shown.', secret: true, bodyOnly: false },
  { name: '$cramMd5', args: ['USER', 'PASS'], description: 'The CRAM-MD5 response to the 334 challenge just received: base64 of USER, a space and the HMAC-MD5 of the challenge keyed with PASS in lower-case hex (RFC 2195); never shown.', secret: true, bodyOnly: false, fromReply: true },
  { name: '$xoauth2', args: ['USER', 'TOKEN'], description: 'The XOAUTH2 initial response for an OAuth 2.0 access token: base64 of "user=USER", ^A, "auth=Bearer TOKEN", ^A^A (the mechanism of Gmail and Microsoft 365); never shown.', secret: true, bodyOnly: false },
  { name: '$reply', args: ['/REGEX/'], description: 'The most recent reply, when the run reaches the line: with /REGEX/ (flags i, m, s, u allowed after it), the first capture group of its first match in the reply\'s lines (else the whole match); without, the whole reply, lines joined by line feeds. "@name = {{$reply /REGEX/}}" after an S: line captures a value for later lines; no match is an unmet expectation on that line.', secret: false, bodyOnly: false, optionalArgs: true, wholeText: true, fromReply: true },
  { name: '$reply.code', args: [], description: 'The code of the most recent reply (e.g. 250), when the run reaches the line.', secret: false, bodyOnly: false, fromReply: true },
  { name: '$file', args: ['PATH'], description: 'The content of the file at PATH (relative to the .smtp file, inside the workspace folder) as body lines, streamed, with line endings made CRLF and leading dots doubled. Runs list the files read.', secret: false, bodyOnly: true },
];

/** Environment variables with this prefix hold `{{$secret}}` values (the CLI's, CI's). */
export const SECRET_PREFIX = 'SMTP_SECRET_';

/** A variable kept for `{{$secret}}`: `{{$env}}` does not read it, since $env values are shown. */
export function isSecretVariable(variable: string): boolean {
  return variable.toUpperCase().startsWith(SECRET_PREFIX);
}

export function findSystemFunction(name: string): SystemFunction | null {
  return SYSTEM_FUNCTIONS.find((fn) => fn.name === name) ?? null;
}

export interface ConnectionVariable {
  name: string;
  values: string;
  description: string;
}

export const CONNECTION_VARIABLES: readonly ConnectionVariable[] = [
  { name: 'server', values: 'host[:port]', description: 'The server to connect to; the port defaults to 25, or 465 with @tls = implicit.' },
  { name: 'tls', values: 'none | implicit', description: 'implicit: TLS from the first byte (port 465, RFC 8314). STARTTLS is driven by a "C: STARTTLS" line instead.' },
  { name: 'tls-verify', values: 'true | false', description: 'Verify the server certificate (default true); false accepts any certificate and the result says so.' },
  { name: 'timeout', values: 'seconds', description: 'Overrides every per-command timeout of RFC 5321 §4.5.3.2.' },
  { name: 'strict', values: 'true | false', description: 'Also compare the reply text with the expected one, not only the codes.' },
  { name: 'on-mismatch', values: 'stop | continue', description: 'stop (default): end the session politely with QUIT at the first reply that does not meet its expectation; continue: play on.' },
  { name: 'allow-raw', values: 'true | false', description: 'Send a lone CR or LF in a body as written, for deliberate protocol tests such as SMTP smuggling probes; the result carries a warning.' },
  { name: 'allow-outside-files', values: 'true | false', description: 'Let {{$file}} read files outside the workspace folder (absolute paths, "..", symbolic links out); files of /proc, /sys and /dev are never read.' },
  { name: 'allow-plaintext-auth', values: 'true | false', description: 'Let AUTH PLAIN or LOGIN send credentials over an unencrypted connection to a host other than this machine.' },
];

export function findConnectionVariable(name: string): ConnectionVariable | null {
  return CONNECTION_VARIABLES.find((variable) => variable.name === name) ?? null;
}
