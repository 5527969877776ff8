import { CompletionItemKind, CompletionItemTag, InsertTextFormat, InsertTextMode, MarkupKind, type CompletionItem, type Range } from 'vscode-languageserver';
import type { DialogueState } from '../analysis/dialogueState';
import { checkSequence } from '../analysis/sequenceRules';
import { COMMANDS, type SmtpCommand } from '../protocol/commands';
import { formatRfc } from '../protocol/rfc';
import type { CommandStep } from '../transcript/ast';
import { parseCommandLine } from '../transcript/commandLine';
import { clientNameFor } from './completionClientName';
import { commandsBefore, escapeSnippet, lineEndsAfter, rangeFrom, sortKey, SUGGEST_AGAIN, type CompletionContext } from './completionContext';

/** Where a verb lands in the list: the next steps of the dialogue first, then the rest, QUIT last. */
interface Placement {
  tier: number;
  /** A word or two shown beside the label: why the verb is not among the first. */
  why: string | null;
  /** The full explanation for the documentation pane. */
  note: string | null;
}

const NEXT = 0;
const ALLOWED = 1;
const UNAVAILABLE = 5;
const OUT_OF_SEQUENCE = 7;
const OBSOLETE = 8;
const LAST = 9;

/** After `C: `: every verb, ordered by what the dialogue state allows and the server advertised. */
export function commandCompletions(context: CompletionContext, verbStart: number): CompletionItem[] {
  const range = rangeFrom(context, verbStart);
  const step = context.stepOnLine;
  // Snippets fill the rest of the line; on a line that already has arguments, or a DATA that has its body, only the verb changes.
  const snippets = lineEndsAfter(context, range) && !(step?.kind === 'command' && (step.body || step.reply));
  // `C:MA` has no space after the prefix; the verb brings its own.
  const space = context.lineText[verbStart - 1] === ':' ? ' ' : '';
  const next = nextSteps(context);
  const items: CompletionItem[] = [];
  COMMANDS.forEach((command, index) => {
    const placement = place(command, context.state, next, context.position.line);
    const order = placement.tier === NEXT ? next.indexOf(command.verb) : index;
    const item = verbItem(command, placement, sortKey(placement.tier, order), range, space);
    if (snippets) addSnippet(item, command, context, range, space);
    items.push(item);
    if (command.verb === 'AUTH' && snippets) items.push(authPlainItem(item, context, range, space));
  });
  return items;
}

/** The verbs a transcript most likely writes next, best first. */
function nextSteps(context: CompletionContext): string[] {
  const state = context.state;
  if (state.closedBy) return [];
  if (!state.greeted || state.needsEhloAfterTls) return state.lmtp ? ['LHLO'] : ['EHLO', 'HELO'];
  const offers = (keyword: string) => state.extended && (state.advertised === null || state.advertised.has(keyword));
  const transaction = state.transaction;
  if (transaction) {
    if (transaction.dataMethod === 'BDAT') return ['BDAT', 'RSET'];
    const chunking = state.advertised?.has('CHUNKING') ?? false;
    const content = transaction.recipients > 0 ? ['DATA', ...(chunking ? ['BDAT'] : [])] : [];
    return ['RCPT', ...content, 'RSET'];
  }
  return [
    'MAIL',
    ...(offers('AUTH') && !state.authenticated ? ['AUTH'] : []),
    ...(offers('STARTTLS') && !context.tls ? ['STARTTLS'] : []),
  ];
}

function place(command: SmtpCommand, state: DialogueState, next: readonly string[], line: number): Placement {
  if (command.verb === 'QUIT') return { tier: LAST, why: null, note: null };
  if (command.obsolete) {
    const retired = command.retiredBy ? `Retired by ${formatRfc(command.retiredBy)}.` : 'Retired.';
    return { tier: OBSOLETE, why: 'obsolete', note: `${retired} Few servers still accept it.` };
  }
  const violation = checkSequence(state, syntheticCommand(command.verb, line));
  if (violation) {
    return { tier: OUT_OF_SEQUENCE, why: 'out of sequence', note: `Not valid here: ${violation.rule} (${violation.rfc}); servers reply ${violation.serverReply}. To fix it, ${violation.fix}.` };
  }
  if (next.includes(command.verb)) return { tier: NEXT, why: null, note: null };
  if (command.ehloKeyword && !state.extended) {
    return { tier: UNAVAILABLE, why: 'needs EHLO', note: `${command.verb} is an extension: the server offers it only in answer to EHLO, by listing ${command.ehloKeyword}.` };
  }
  if (command.ehloKeyword && state.advertised && !state.advertised.has(command.ehloKeyword)) {
    return { tier: UNAVAILABLE, why: 'not advertised', note: `The server's EHLO reply does not list ${command.ehloKeyword}, so it does not offer ${command.verb}.` };
  }
  return { tier: ALLOWED, why: null, note: null };
}

/** The sequence rules look only at the verb, so a command line holding just the verb stands in for the one being typed. */
function syntheticCommand(verb: string, line: number): CommandStep {
  const parsed = parseCommandLine(verb, line, 0);
  return {
    kind: 'command', line, range: parsed.verb.range, prefix: { side: 'client', range: parsed.verb.range },
    text: parsed.verb, ...parsed, variables: [], body: null, reply: null, group: null, deliveries: null,
  };
}

function verbItem(command: SmtpCommand, placement: Placement, sortText: string, range: Range, space: string): CompletionItem {
  const documentation = ['```\n' + command.syntax + '\n```', placement.note ? `**${placement.note}**` : null, formatRfc(command.ref)].filter(Boolean).join('\n\n');
  return {
    label: command.verb,
    kind: CompletionItemKind.Keyword,
    labelDetails: placement.why ? { description: placement.why } : undefined,
    detail: command.purpose,
    documentation: { kind: MarkupKind.Markdown, value: documentation },
    tags: command.obsolete ? [CompletionItemTag.Deprecated] : undefined,
    sortText,
    filterText: command.verb,
    textEdit: { range, newText: space + command.verb },
  };
}

/** Turns the plain verb into the whole command line, with placeholders for what the user has to supply. */
function addSnippet(item: CompletionItem, command: SmtpCommand, context: CompletionContext, range: Range, space: string): void {
  const snippet = commandSnippet(command, context);
  if (snippet === null) return;
  item.insertTextFormat = InsertTextFormat.Snippet;
  item.textEdit = { range, newText: space + snippet };
  // A DATA block spans lines; body lines must not pick up the indentation of the C: line.
  if (snippet.includes('\n')) item.insertTextMode = InsertTextMode.asIs;
  if (command.verb === 'AUTH') item.command = SUGGEST_AGAIN;
}

function commandSnippet(command: SmtpCommand, context: CompletionContext): string | null {
  switch (command.verb) {
    case 'EHLO':
    case 'HELO':
      return `${command.verb} \${1:${escapeSnippet(clientNameFor(context.file, context.session, context.position.line))}}`;
    case 'MAIL':
      return 'MAIL FROM:<$1>';
    case 'RCPT':
      return 'RCPT TO:<$1>';
    case 'DATA':
      return dataBlock(context);
    case 'BDAT':
      return 'BDAT ${1:size} LAST';
    case 'AUTH':
      return 'AUTH ';
  }
  return command.arguments === 'required' ? `${command.verb} $1` : null;
}

/**
 * DATA with everything that follows it: the 354 the server answers, a header
 * section whose From and To repeat the transaction's addresses, a blank line,
 * the text, and the closing "." (RFC 5321 §4.1.1.4).
 */
function dataBlock(context: CompletionContext): string {
  const { from, to } = transactionAddresses(context);
  return [
    'DATA',
    'S: 354 End data with <CR><LF>.<CR><LF>',
    `From: \${1:${escapeSnippet(from)}}`,
    `To: \${2:${escapeSnippet(to)}}`,
    'Subject: ${3:Hello}',
    '',
    '${4:Hello.}',
    '.',
  ].join('\n');
}

function transactionAddresses(context: CompletionContext): { from: string; to: string } {
  const mail = context.state.transaction?.mail;
  const bare = (address: string | undefined) => address?.replace(/^<|>$/g, '') || null;
  const from = bare(mail?.path?.address?.text) ?? 'alice@example.com';
  const firstRcpt = commandsBefore(context.session, context.position.line).find((step) => mail && step.line > mail.line && step.verbName === 'RCPT');
  const to = bare(firstRcpt?.path?.address?.text) ?? 'bob@example.org';
  return { from, to };
}

/** `AUTH PLAIN` with its initial response built from a user name and a stored secret, so no password sits in the file. */
function authPlainItem(auth: CompletionItem, context: CompletionContext, range: Range, space: string): CompletionItem {
  const clear = !context.tls;
  return {
    label: 'AUTH PLAIN',
    kind: CompletionItemKind.Snippet,
    labelDetails: clear ? { description: 'no TLS yet: password readable' } : auth.labelDetails,
    detail: 'AUTH PLAIN with the initial response from {{$authPlain}} and a stored secret (RFC 4616)',
    documentation: {
      kind: MarkupKind.Markdown,
      value: clear
        ? '**The session has no TLS at this point:** PLAIN sends the user name and password merely base64-encoded, readable by anyone on the path. Send `C: STARTTLS` and a new EHLO first.'
        : 'The password comes from the secret store at run time and is never shown.',
    },
    sortText: `${auth.sortText}b`,
    filterText: 'AUTH PLAIN',
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: `${space}AUTH PLAIN {{\\$authPlain \${1:user} {{\\$secret \${2:NAME}}}}}` },
  };
}
