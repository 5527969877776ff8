// Recordings of real servers carry what changes from run to run: the date of
// the run, the port the suite chose, the servers' clocks, queue and message
// ids, OpenSSL's error addresses. The fixtures under test/interop/recorded/
// keep one stable text instead, so a new run only changes them when a
// server's dialogue really changed. Every replacement keeps the transcript
// valid: only reply text and comments change, never a code or a command.

const REPLACEMENTS: [RegExp, string][] = [
  // "# Recorded by smtp-session run from FILE on 2026-…Z."
  [/^(# Recorded by smtp-session run from .*?) on \S+?\.$/m, '$1.'],
  // The suite's port changes each run: the fixture says so instead.
  [/^@server = 127\.0\.0\.1:\d+$/gm, '# @server = 127.0.0.1 on the port the interop suite chose (scripts/interop/run.sh)'],
  // …and so does the folder of an LMTP server's Unix socket.
  [/^@server = unix:\S+$/gm, '# @server = unix:/path/to/the socket scripts/interop/run.sh made for the run'],
  // Exim's greeting: "Mon, 23 Nov 2026 14:20:18 +0000".
  [/\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{1,2} [A-Z][a-z]{2} \d{4} \d\d:\d\d:\d\d [+-]\d{4}\b/g, 'Thu, 01 Jan 1970 00:00:00 +0000'],
  // Postfix: "queued as 7A94F20C61D".
  [/\bqueued as [0-9A-F]{6,}\b/g, 'queued as QUEUEID'],
  // Exim: "id=1xVUu2-0001Pp-2t".
  [/\bid=[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2}\b/g, 'id=MESSAGEID'],
  // OpenSMTPD: "250 2.0.0 62ec948f Message accepted for delivery".
  [/\b2\.0\.0 [0-9a-f]{8} Message accepted\b/g, '2.0.0 MESSAGEID Message accepted'],
  // OpenSSL error strings start with the address of the thread's error queue.
  [/\b[0-9A-F]{16}:error:/g, 'ADDRESS:error:'],
];

/** Queue and message ids as servers give them, each with the stand-in the fixtures keep (its first group is the id). */
const IDS: [RegExp, string][] = [
  [/\bqueued as ([0-9A-F]{6,})\b/g, 'QUEUEID'],
  [/\bid=([0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2})\b/g, 'MESSAGEID'],
  [/\b2\.0\.0 ([0-9a-f]{8}) Message accepted\b/g, 'MESSAGEID'],
];

export function normaliseRecording(text: string): string {
  const normalised = REPLACEMENTS.reduce((result, [pattern, replacement]) => result.replace(pattern, replacement), text);
  // An id taken from a reply ({{$reply /…/}}) reappears in what was sent after it: the same stand-in there too.
  const stand: [string, string][] = IDS.flatMap(([pattern, placeholder]) => [...text.matchAll(pattern)].map((match): [string, string] => [match[1], placeholder]));
  return stand.reduce((result, [id, placeholder]) => result.split(id).join(placeholder), normalised);
}
