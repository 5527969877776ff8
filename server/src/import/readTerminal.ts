import { findCommand } from '../protocol/commands';
import { readHostAndPort, REPLY_LINE, type Turn } from './turns';

/**
 * A session typed by hand into `telnet`, `nc` or `openssl s_client` and
 * copied from the terminal: the server's lines are bare replies, the
 * client's are whatever was typed, and around them sit the tools' own lines
 * (Trying…, Escape character…, certificates) and shell prompts. A line is
 * the client's when it is a command, a SASL response after a 334, message
 * content after a 354, or a word followed at once by a reply; what is left
 * is kept as a comment.
 *
 * `openssl s_client -starttls smtp` reads the greeting, sends EHLO and
 * STARTTLS itself and prints none of it: the lines it hides are written
 * back (expectations without text) so that the EHLO typed after the
 * handshake checks as the second EHLO it is.
 */

// "$ telnet mail.example.com 25", "user@host:~$ nc -v mx 25", "openssl s_client -connect mx:465"
const LAUNCH = /^(?:.*?[$#%>]\s+)?(telnet|nc|ncat|netcat|openssl\s+s_client)\s+(.*)$/;
const TOOL_LINES = [
  /^Trying \S+\.\.\.$/,
  /^Connected to \S+\.?$/,
  /^Escape character is /,
  /^Connection closed by foreign host\.?$/,
  /^Connection to \S+ (?:\d+ port .* succeeded!|closed\.?)$/,
  /^(?:Ncat|nc): /,
  /^telnet> /,
];
const OPENSSL_START = /^CONNECTED\(\w+\)$/;
// What openssl s_client prints once the session runs, when the server sends TLS 1.3 session tickets.
const OPENSSL_TICKET = /^(?:Post-Handshake New Session Ticket arrived:|read R BLOCK|DONE|RENEGOTIATING)$/;
// Lines of the handshake summary worth keeping as comments.
const OPENSSL_KEPT = /^(?:New, .*Cipher is|Verify return code:|subject=|issuer=|Protocol\s*:|Verification:)/;
const VERB_LIKE = /^[A-Za-z][A-Za-z0-9-]{2,11}(?:\s|$)/;

export function terminalScore(lines: readonly string[]): number {
  return lines.filter((line) => REPLY_LINE.test(line)).length;
}

export function readTerminal(lines: readonly string[]): Turn[] {
  const turns: Turn[] = [];
  let mode: 'dialogue' | 'body' | 'sasl' = 'dialogue';
  let startTls = false;
  let sawDialogue = false;
  let connection: Extract<Turn, { kind: 'connection' }> | null = null;
  for (let index = 0; index < lines.length; index++) {
    const text = lines[index];
    const line = index + 1;
    const trimmed = text.trim();
    if (mode === 'body') {
      const end = text.trim() === '.';
      turns.push({ kind: 'client', text: end ? '.' : text, line });
      if (end) mode = 'dialogue';
      continue;
    }
    if (trimmed === '') continue;
    if (OPENSSL_START.test(trimmed)) {
      index = skipHandshake(lines, index, turns);
      if (startTls && !sawDialogue) turns.push(...hiddenByStartTls(line));
      else if (connection && !sawDialogue) connection.implicitTls = true;
      continue;
    }
    if (trimmed === '---' && OPENSSL_TICKET.test(lines[index + 1]?.trim() ?? '')) {
      index = skipTickets(lines, index);
      continue;
    }
    if (OPENSSL_TICKET.test(trimmed)) continue;
    const launch = LAUNCH.exec(trimmed);
    if (launch && !sawDialogue) {
      startTls = /-starttls\s+smtp/.test(launch[2]);
      const address = launchTarget(launch[1], launch[2]);
      turns.push({ kind: 'note', text: trimmed, line });
      if (address) {
        connection = { kind: 'connection', host: address.host, port: address.port, implicitTls: false, line };
        turns.push(connection);
      }
      continue;
    }
    if (TOOL_LINES.some((pattern) => pattern.test(trimmed))) {
      turns.push({ kind: 'note', text: trimmed, line });
      continue;
    }
    if (REPLY_LINE.test(trimmed)) {
      sawDialogue = true;
      turns.push({ kind: 'server', text: trimmed, line });
      const final = /^(\d{3})(?: |$)/.exec(trimmed)?.[1];
      if (final === '334') mode = 'sasl';
      else if (final?.[0] === '3') mode = 'body';
      else if (final) mode = 'dialogue';
      continue;
    }
    if (mode === 'sasl' || isCommand(trimmed) || (VERB_LIKE.test(trimmed) && nextIsReply(lines, index))) {
      sawDialogue = true;
      mode = 'dialogue';
      turns.push({ kind: 'client', text: trimmed, line });
      continue;
    }
    turns.push({ kind: 'note', text: trimmed, line });
  }
  return turns;
}

function isCommand(text: string): boolean {
  const verb = text.split(/\s/)[0];
  return findCommand(verb) !== null || verb.toUpperCase() === 'LHLO';
}

function nextIsReply(lines: readonly string[], index: number): boolean {
  for (let i = index + 1; i < lines.length; i++) {
    const next = lines[i].trim();
    if (next !== '') return REPLY_LINE.test(next);
  }
  return false;
}

/** The host and port a telnet, nc or openssl command line connects to. */
function launchTarget(tool: string, args: string): { host: string; port: number | null } | null {
  if (tool.startsWith('openssl')) {
    const connect = /-connect\s+(\S+)/.exec(args);
    return connect ? readHostAndPort(connect[1]) : null;
  }
  const words = args.split(/\s+/).filter((word) => !word.startsWith('-'));
  return words.length === 0 ? null : readHostAndPort(words.slice(0, 2).join(' '));
}

/** Skips openssl's handshake report (certificates, session details) up to the "---" after "Verify return code"; keeps its summary lines. */
function skipHandshake(lines: readonly string[], start: number, turns: Turn[]): number {
  let verified = false;
  let skipped = 0;
  for (let i = start; i < lines.length; i++) {
    const text = lines[i].trim();
    if (OPENSSL_KEPT.test(text)) turns.push({ kind: 'note', text: `TLS: ${text}`, line: i + 1 });
    else skipped++;
    if (/^Verify return code:/.test(text)) verified = true;
    if (verified && text === '---') {
      turns.push({ kind: 'note', text: `openssl s_client: ${skipped} lines of handshake and certificate details left out`, line: i + 1 });
      return i;
    }
  }
  return lines.length;
}

/** Skips a TLS 1.3 session-ticket report openssl prints in the middle of a session. */
function skipTickets(lines: readonly string[], start: number): number {
  for (let i = start + 1; i < lines.length; i++) {
    const text = lines[i].trim();
    if (text === 'read R BLOCK') return i;
    if (text === '---' && i > start + 1) return i;
  }
  return lines.length;
}

/** The greeting, EHLO and STARTTLS that `openssl s_client -starttls smtp` exchanges before printing anything. */
function hiddenByStartTls(line: number): Turn[] {
  return [
    { kind: 'note', text: 'openssl s_client -starttls smtp read the greeting and sent EHLO and STARTTLS before printing anything; the lines below stand for them', line },
    { kind: 'server', text: '220', line },
    { kind: 'client', text: 'EHLO mail.example.com', line },
    { kind: 'server', text: '250-', line },
    { kind: 'server', text: '250 STARTTLS', line },
    { kind: 'client', text: 'STARTTLS', line },
    { kind: 'server', text: '220', line },
  ];
}
