import { readHostAndPort, REPLY_LINE, type Turn } from './turns';

/**
 * Verbose logs that mark the client's lines with `>>>`: `sendmail -v`,
 * `mailx -v` / s-nail, and the examples of RFC 3461 §10, which also mark the
 * server's with `<<<`. The sendmail family prints replies bare, so a bare
 * reply line counts as the server's only when no `<<<` line is present.
 * These tools never show the message content: a `>>> .` right after the 354
 * is marked as an elided body.
 */
const CLIENT = /^\s*>>>(?: (.*))?$/;
const SERVER = /^\s*<<<(?: (.*))?$/;
// sendmail: "bob@example.org... Connecting to [127.0.0.1] port 25 via relay..."; mailx: "Connecting to 192.0.2.1:587 . . . connected."
const CONNECTING = /(?:^|\.\.\. )Connecting to (.+?)(?: via \S+)?(?:\.\.\.| \. \. \..*)?$/;
// mailx names the host before it connects to the address: "Resolving host smtp.example.com:587 . . . done."
const RESOLVING = /^Resolving host (\S+?)(?: \. \. \..*)?$/;

export function arrowsScore(lines: readonly string[]): number {
  return lines.filter((line) => CLIENT.test(line) || SERVER.test(line)).length;
}

export function readArrows(lines: readonly string[]): Turn[] {
  const serverMarked = lines.some((line) => SERVER.test(line));
  const turns: Turn[] = [];
  let awaitingContent = false;
  let connected = false;
  let resolvedHost: string | null = null;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    const line = index + 1;
    const client = CLIENT.exec(text);
    if (client) {
      // RFC 3461 §10 folds long commands with a trailing "\" and an indented rest.
      let sent = client[1] ?? '';
      while (/\s\\$/.test(sent) && index + 1 < lines.length && /^\s+\S/.test(lines[index + 1]) && !CLIENT.test(lines[index + 1]) && !SERVER.test(lines[index + 1])) {
        sent = `${sent.replace(/\s*\\$/, '')} ${lines[++index].trim()}`;
      }
      if (awaitingContent && sent === '.') turns.push({ kind: 'elided-body', text: 'the log does not show the message content', line });
      awaitingContent = false;
      turns.push({ kind: 'client', text: sent, line });
      continue;
    }
    const server = SERVER.exec(text);
    const reply = server ? server[1] ?? '' : !serverMarked && REPLY_LINE.test(text.trim()) ? text.trim() : null;
    if (reply !== null) {
      awaitingContent = /^3\d\d(?: |$)/.test(reply);
      turns.push({ kind: 'server', text: reply, line });
      continue;
    }
    if (text.trim() === '') continue;
    const resolving = RESOLVING.exec(text.trim());
    if (resolving) resolvedHost = readHostAndPort(resolving[1])?.host ?? null;
    const connecting = CONNECTING.exec(text.trim());
    const address = connecting ? readHostAndPort(connecting[1]) : null;
    if (address && !connected) {
      connected = true;
      turns.push({ kind: 'connection', host: resolvedHost ?? address.host, port: address.port, implicitTls: false, line });
    }
    turns.push({ kind: 'note', text: text.trim(), line });
  }
  return turns;
}
