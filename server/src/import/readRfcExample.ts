import { type Turn } from './turns';

/**
 * Dialogues as RFCs, articles and older tools print them: `C:`/`S:` lines, or
 * RFC 821's and RFC 3030's `S:` for the *sender* and `R:` for the receiver
 * (RFC 2645 adds `P:` for its provider), indented, cut by page breaks, with
 * pseudo-lines such as "<open connection to server>", long commands folded
 * with a trailing "\" and base64 challenges wrapped onto the next line.
 */
const PREFIXED = /^\s*(C|S|R|P|Client|Server)\s*:\s?(.*)$/i;
// RFC page furniture: the footer "Klensin   Standards Track   [Page 20]" and the header "RFC 5321   SMTP   October 2008".
const PAGE_FOOTER = /\[Page \d+\]\s*$/;
const PAGE_HEADER = /^RFC \d{3,5}\s{2,}.*\s{2,}(?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4}\s*$/;
// "<wait for connection on TCP port 25>", "<open connection to server>", "..." and "[...]": what happened, not what was sent.
const PSEUDO_LINE = /^(?:<[^<>]*>?|\.\.\.+|…|\[\s*\.\.\.\s*\])$/;
const BASE64_REST = /^[A-Za-z0-9+/]+=*$/;

export function rfcScore(lines: readonly string[]): number {
  return lines.filter((line) => PREFIXED.test(line)).length;
}

export function readRfcExample(lines: readonly string[]): Turn[] {
  // RFC 821 and 3030 name the sides sender and receiver: there S: is the client.
  const senderReceiver = lines.some((line) => /^\s*R\s*:/i.test(line));
  const turns: Turn[] = [];
  let last: Extract<Turn, { kind: 'client' | 'server' }> | null = null;
  // Prose at the dialogue's own indentation ("Here is another client…") ends one example; deeper
  // lines ("   ... TLS negotiation proceeds ...") are asides inside it.
  const dialogueIndent = Math.min(...lines.filter((line) => PREFIXED.test(line)).map(indentation));
  let dialogueSinceBreak = false;
  lines.forEach((raw, index) => {
    const line = index + 1;
    const text = raw.replace(/\f/g, '');
    if (text.trim() === '' || PAGE_FOOTER.test(text) || PAGE_HEADER.test(text.trim())) return;
    const prefixed = PREFIXED.exec(text);
    if (!prefixed) {
      const rest = text.trim();
      if (last?.kind === 'client' && /\s\\$/.test(last.text)) {
        last.text = `${last.text.replace(/\s*\\$/, '')} ${rest}`;
        return;
      }
      // RFC 4954 §4 wraps a long 334 challenge onto an indented line of its own.
      if (last?.kind === 'server' && /^334 \S+$/.test(last.text) && BASE64_REST.test(rest) && /^\s/.test(text)) {
        last.text += rest;
        return;
      }
      if (dialogueSinceBreak && indentation(text) <= dialogueIndent) {
        turns.push({ kind: 'break', line });
        dialogueSinceBreak = false;
      }
      turns.push({ kind: 'note', text: rest, line });
      last = null;
      return;
    }
    dialogueSinceBreak = true;
    const side = sideOf(prefixed[1], senderReceiver);
    const content = prefixed[2].replace(/\s+$/, '');
    if (PSEUDO_LINE.test(content.trim())) {
      turns.push({ kind: 'note', text: content.trim(), line });
      return;
    }
    const turn: Extract<Turn, { kind: 'client' | 'server' }> = { kind: side, text: content, line };
    turns.push(turn);
    last = turn;
  });
  return turns;
}

function indentation(line: string): number {
  return /^[ \t]*/.exec(line)![0].length;
}

function sideOf(prefix: string, senderReceiver: boolean): 'client' | 'server' {
  if (prefix.toLowerCase() === 'server') return 'server';
  const letter = prefix[0].toUpperCase();
  if (letter === 'R' || letter === 'P') return 'server';
  if (letter === 'C') return 'client';
  return senderReceiver ? 'client' : 'server';
}
