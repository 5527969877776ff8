import type { InlayHint, Range } from 'vscode-languageserver';
import { describeReplyCodeFromDigits, findReplyCode } from '../protocol/replyCodes';
import type { Reply, TranscriptFile } from '../transcript/ast';
import { decodeBase64Text } from './base64';

/**
 * Hints inside `range`: the short meaning after each reply's code (on its
 * first line only, so a long EHLO reply is not repeated down the margin), and
 * the decoded text after a 334 challenge when it is readable. Client SASL
 * lines are never decoded, since they may hold a password.
 */
export function getInlayHints(file: TranscriptFile, range: Range): InlayHint[] {
  const hints: InlayHint[] = [];
  for (const session of file.sessions) {
    if (session.range.end.line < range.start.line || session.range.start.line > range.end.line) continue;
    for (const step of session.steps) {
      if (step.kind === 'reply') addReplyHints(hints, step, range);
    }
  }
  return hints;
}

function addReplyHints(hints: InlayHint[], reply: Reply, range: Range): void {
  const first = reply.lines[0];
  if (first.code && inRange(first.line, range)) {
    const row = findReplyCode(first.code.text);
    const label = row?.shortMeaning ?? describeReplyCodeFromDigits(first.code.text);
    if (label) hints.push({ position: first.code.range.end, label, paddingLeft: true, ...(row ? { tooltip: row.meaning } : {}) });
  }
  // LMTP: which recipient a reply after the data is about (RFC 2033 §4.2), at the end of its first line.
  const address = reply.recipient?.path?.address?.text;
  if (address && inRange(first.line, range)) hints.push({ position: first.range.end, label: `for ${address}`, paddingLeft: true, tooltip: `The delivery to this recipient (RCPT on line ${reply.recipient!.line + 1}): LMTP answers once per accepted recipient.` });
  for (const line of reply.lines) {
    if (line.code?.text !== '334' || !inRange(line.line, range)) continue;
    const decoded = decodeBase64Text(line.text.text.trim());
    if (decoded) hints.push({ position: line.range.end, label: JSON.stringify(decoded), paddingLeft: true, tooltip: 'The base64 challenge, decoded' });
  }
}

function inRange(line: number, range: Range): boolean {
  return line >= range.start.line && line <= range.end.line;
}
