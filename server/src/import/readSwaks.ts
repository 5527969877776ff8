import { readHostAndPort, type Turn } from './turns';

/**
 * swaks's transaction hints (its manual, "OUTPUT OPTIONS"): three characters
 * and a space before each line. `->`/`<-` are lines sent and received,
 * `~>`/`<~` the same inside TLS, `**>`/`<**` (`*~>`/`<~*` in TLS) lines that
 * were not what swaks expected, `===` its own information, `***` its errors,
 * `  >`/`<  ` hex dumps of --show-raw-text.
 */
const HINT = /^(===|\*\*\*| ->|\*\*>| ~>|\*~>|<- |<\*\*|<~ |<~\*|  >|<  )(?: (.*))?$/;
const SENT = new Set([' ->', '**>', ' ~>', '*~>']);
const RECEIVED = new Set(['<- ', '<**', '<~ ', '<~*']);
const RAW = new Set(['  >', '<  ']);

// --suppress-data prints the whole DATA portion, final "." included, as one line: " -> 23 lines sent".
const SUMMARIZED_DATA = /^\d+ lines? sent$/;
const TRYING = /^Trying (.+?)\.\.\.$/;

/** How many lines carry a swaks hint: the evidence `auto` weighs. */
export function swaksScore(lines: readonly string[]): number {
  return lines.filter((line) => HINT.test(line) && !line.startsWith('  >') && !line.startsWith('<  ')).length;
}

export function readSwaks(lines: readonly string[]): Turn[] {
  const turns: Turn[] = [];
  let rawLines = 0;
  let receivedAny = false;
  let connection: Extract<Turn, { kind: 'connection' }> | null = null;
  lines.forEach((text, index) => {
    const line = index + 1;
    const match = HINT.exec(text);
    if (!match) {
      if (text.trim() !== '') turns.push({ kind: 'note', text: text.trim(), line });
      return;
    }
    const [, hint, rest = ''] = match;
    if (RAW.has(hint)) {
      rawLines++;
      return;
    }
    if (SENT.has(hint)) {
      if (SUMMARIZED_DATA.test(rest.trim())) {
        turns.push({ kind: 'elided-body', text: `swaks --suppress-data summarized the message as "${rest.trim()}"`, line });
        turns.push({ kind: 'client', text: '.', line });
      } else {
        turns.push({ kind: 'client', text: rest, line });
      }
      return;
    }
    if (RECEIVED.has(hint)) {
      receivedAny = true;
      turns.push({ kind: 'server', text: rest, line });
      return;
    }
    const trying = hint === '===' ? TRYING.exec(rest) : null;
    const address = trying ? readHostAndPort(trying[1]) : null;
    if (address && !receivedAny) {
      connection = { kind: 'connection', host: address.host, port: address.port, implicitTls: false, line };
      turns.push(connection);
      return;
    }
    // TLS before the first reply is --tls-on-connect: TLS from the first byte (port 465 style).
    if (hint === '===' && /^TLS started/.test(rest) && !receivedAny && connection) connection.implicitTls = true;
    turns.push({ kind: 'note', text: hint === '***' ? `swaks error: ${rest}` : rest, line });
  });
  if (rawLines > 0) turns.push({ kind: 'note', text: `${rawLines} lines of --show-raw-text hex dump left out`, line: lines.length });
  return turns;
}
