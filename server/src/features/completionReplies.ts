import { CompletionItemKind, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver';
import { allowedReplyCodes, findCommand, GREETING_REPLY_CODES } from '../protocol/commands';
import { ENHANCED_STATUS_DETAILS } from '../protocol/enhancedStatusCodes';
import { describeReplyCodeFromDigits, findReplyCode, REPLY_CODES } from '../protocol/replyCodes';
import { formatRfc } from '../protocol/rfc';
import { lineEndsAfter, rangeFrom, sortKey, type CompletionContext } from './completionContext';
import { awaitedReply, type AwaitedReply } from './completionReplyTarget';

/** After `S: `: the codes the server may send to the step the line answers, each with its meaning. */
export function replyCodeCompletions(context: CompletionContext, contentStart: number): CompletionItem[] {
  const range = rangeFrom(context, contentStart);
  const awaited = awaitedReply(context.session, context.position.line);
  const answers = describeAwaited(awaited);
  if (awaited?.kind === 'continuation') {
    return [codeItem(awaited.code, range, context, 0, 0, 'Continues the multi-line reply above: every line carries the same code (RFC 5321 §4.2.1).')];
  }
  const codes = expectedCodes(awaited);
  return codes.map((code, index) => codeItem(code, range, context, outcomeTier(code), index, answers));
}

function expectedCodes(awaited: AwaitedReply | null): number[] {
  if (!awaited) return REPLY_CODES.map((row) => row.code);
  if (awaited.kind === 'greeting') return [...GREETING_REPLY_CODES];
  if (awaited.kind !== 'step') return [];
  const step = awaited.step;
  // A SASL response is answered like the AUTH command it continues (RFC 4954 §4); the closing "." like DATA's content.
  const verb = step.kind === 'command' ? step.verbName : step.kind === 'sasl' ? 'AUTH' : 'DATA';
  const command = findCommand(verb);
  if (!command) return REPLY_CODES.map((row) => row.code);
  const allowed = allowedReplyCodes(command, step.kind === 'data-end' ? 'after-content' : 'command');
  return [...allowed.success, ...allowed.intermediate, ...allowed.error];
}

function describeAwaited(awaited: AwaitedReply | null): string | null {
  if (!awaited) return null;
  if (awaited.kind === 'greeting') return 'Answers the connection: the greeting';
  if (awaited.kind !== 'step') return null;
  const step = awaited.step;
  if (step.kind === 'data-end') return `Answers the end of the message body (line ${step.line + 1})`;
  if (step.kind === 'sasl') return `Answers the SASL response on line ${step.line + 1}`;
  return `Answers ${step.verbName || 'the command'} on line ${step.line + 1}`;
}

// Success first, then the intermediate replies a client waits for, then temporary and permanent failures.
function outcomeTier(code: number): number {
  return ({ 2: 0, 3: 1, 4: 2, 5: 3 } as Record<number, number>)[Math.floor(code / 100)] ?? 4;
}

function codeItem(code: number | string, range: Range, context: CompletionContext, tier: number, index: number, answers: string | null): CompletionItem {
  const label = String(code);
  const row = findReplyCode(label);
  const meaning = row?.meaning ?? describeReplyCodeFromDigits(label) ?? '';
  const notes = [answers, row?.clientAction ? `Client: ${row.clientAction}` : null, row ? formatRfc(row.ref) : null].filter(Boolean);
  return {
    label,
    kind: CompletionItemKind.Value,
    labelDetails: row ? { description: row.shortMeaning } : undefined,
    detail: meaning,
    documentation: notes.length > 0 ? { kind: MarkupKind.Markdown, value: notes.join('\n\n') } : undefined,
    sortText: sortKey(tier, index),
    textEdit: { range, newText: lineEndsAfter(context, range) ? `${label} ` : label },
  };
}

const AFTER_CODE = /^([2-5][0-9x]{2})[ -]([0-9x.]*)$/i;

/** True when the cursor is on the first word after a reply code, where an enhanced status code goes. */
export function isEnhancedStatusPlace(content: string): boolean {
  return AFTER_CODE.test(content);
}

/**
 * After `S: 550 `: the enhanced status codes (RFC 3463) of the reply's class,
 * the ones the registry pairs with this very reply code first.
 */
export function enhancedStatusCompletions(context: CompletionContext, contentBefore: string, wordStart: number): CompletionItem[] {
  const match = AFTER_CODE.exec(contentBefore);
  if (!match) return [];
  const code = match[1];
  const classDigit = Number(code[0]);
  if (classDigit === 3) return [];
  const codeNumber = /^\d{3}$/.test(code) ? Number(code) : null;
  const range = rangeFrom(context, wordStart);
  const addSpace = lineEndsAfter(context, range);
  const items: CompletionItem[] = [];
  ENHANCED_STATUS_DETAILS.forEach((row, index) => {
    if (row.classes && !row.classes.includes(classDigit as 2 | 4 | 5)) return;
    const paired = codeNumber !== null && Array.isArray(row.replyCodes) && row.replyCodes.includes(codeNumber);
    const label = `${classDigit}.${row.code}`;
    items.push({
      label,
      kind: CompletionItemKind.EnumMember,
      detail: row.title,
      documentation: { kind: MarkupKind.Markdown, value: `${row.meaning}\n\n${formatRfc(row.ref)}` },
      sortText: sortKey(paired ? 0 : 1, index),
      textEdit: { range, newText: addSpace ? `${label} ` : label },
    });
  });
  return items;
}
