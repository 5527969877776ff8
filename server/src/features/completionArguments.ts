import { CompletionItemKind, CompletionItemTag, InsertTextFormat, MarkupKind, type CompletionItem } from 'vscode-languageserver';
import { SASL_MECHANISMS, findSaslMechanism } from '../protocol/ehloKeywords';
import { ESMTP_PARAMETERS, findParameter, type EsmtpParameterSpec, type ParameterCommand } from '../protocol/parameters';
import { formatRfc } from '../protocol/rfc';
import { parseCommandLine } from '../transcript/commandLine';
import { escapeSnippet, lineEndsAfter, rangeFrom, sortKey, type CompletionContext } from './completionContext';
import { parameterValues, parameterValueSnippet } from './completionParameterValues';

/**
 * Completions for the words after a verb: `FROM:`/`TO:`, ESMTP parameters and
 * their values on MAIL and RCPT, SASL mechanisms on AUTH, LAST on BDAT.
 * `contentStart` is where the command text starts on the line.
 */
export function argumentCompletions(context: CompletionContext, contentStart: number): CompletionItem[] {
  const content = context.before.slice(contentStart);
  const parsed = parseCommandLine(content, context.position.line, contentStart);
  const wordStart = contentStart + startOfLastWord(content);
  const word = context.before.slice(wordStart);
  // The argument words written so far, the one being typed left out.
  const finished = parsed.words.filter((w) => w.range.end.character < wordStart);
  switch (parsed.verbName) {
    case 'MAIL':
    case 'RCPT': {
      if (finished.length === 0) return pathKeyword(context, parsed.verbName, wordStart);
      const address = parsed.path?.address;
      if (!address || address.range.end.character >= wordStart) return [];
      const equals = word.indexOf('=');
      // NOTIFY takes a comma list: the value being typed starts after the last comma.
      if (equals > 0) return valueCompletions(context, parsed.verbName, word.slice(0, equals), wordStart + Math.max(equals, word.lastIndexOf(',')) + 1);
      return parameterCompletions(context, parsed.verbName, contentStart, wordStart);
    }
    case 'AUTH':
      return finished.length === 0 ? mechanismCompletions(context, wordStart) : [];
    case 'BDAT':
      return finished.length === 1 && /^\d+$/.test(finished[0].text) ? [lastChunkItem(context, wordStart)] : [];
  }
  return [];
}

function pathKeyword(context: CompletionContext, verb: ParameterCommand, wordStart: number): CompletionItem[] {
  const keyword = verb === 'MAIL' ? 'FROM:' : 'TO:';
  const range = rangeFrom(context, wordStart);
  return [{
    label: `${keyword}<>`,
    kind: CompletionItemKind.Keyword,
    detail: verb === 'MAIL' ? 'The reverse-path: where failures are reported (<> for a bounce)' : 'The forward-path: one recipient',
    filterText: keyword,
    insertTextFormat: InsertTextFormat.Snippet,
    textEdit: { range, newText: lineEndsAfter(context, range) ? `${keyword}<$1>` : keyword },
  }];
}

/**
 * The parameters this command takes, those the EHLO reply advertised first
 * (all of them alike when the reply is unknown); the ones already on the
 * line are left out.
 */
function parameterCompletions(context: CompletionContext, verb: ParameterCommand, contentStart: number, wordStart: number): CompletionItem[] {
  const range = rangeFrom(context, wordStart, /[^\s=]/);
  const withValue = lineEndsAfter(context, range);
  const line = parseCommandLine(context.lineText.slice(contentStart), context.position.line, contentStart);
  const written = new Set(line.parameters.filter((p) => p.range.start.character !== wordStart).map((p) => p.name.text.toUpperCase()));
  // ORCPT repeats the recipient as given (RFC 3461 §4.2).
  const address = line.path?.address?.text.replace(/^<|>$/g, '');
  const { state } = context;
  const items: CompletionItem[] = [];
  ESMTP_PARAMETERS.forEach((spec, index) => {
    if (!spec.commands.includes(verb) || written.has(spec.name)) return;
    // A HELO session has no extensions at all; before any greeting MAIL itself is out of place, so nothing is singled out.
    const why = state.greeted && !state.extended ? 'needs EHLO' : state.advertised && !advertises(spec, state.advertised) ? 'not advertised' : null;
    items.push({
      label: spec.name,
      kind: CompletionItemKind.Property,
      labelDetails: why ? { description: why } : undefined,
      detail: spec.purpose,
      documentation: parameterDocumentation(spec, why),
      sortText: sortKey(why ? 1 : 0, index),
      filterText: spec.name,
      insertTextFormat: InsertTextFormat.Snippet,
      textEdit: { range, newText: withValue ? parameterValueSnippet(spec, address ? escapeSnippet(address) : null) : spec.name },
    });
  });
  return items;
}

function advertises(spec: EsmtpParameterSpec, advertised: ReadonlyMap<string, readonly string[]>): boolean {
  return spec.ehloKeywords.some((keyword) => advertised.has(keyword));
}

function parameterDocumentation(spec: EsmtpParameterSpec, why: string | null): { kind: MarkupKind; value: string } {
  const needs = why ? `\n\n**The server did not advertise ${spec.ehloKeywords.join(' or ')}:** expect 555 5.5.4.` : '';
  return { kind: MarkupKind.Markdown, value: `Value: ${spec.valueSyntax}.${needs}\n\n${formatRfc(spec.ref)}` };
}

/** After `NAME=`: the values of a parameter that has a fixed set of them. */
function valueCompletions(context: CompletionContext, verb: ParameterCommand, name: string, valueStart: number): CompletionItem[] {
  const spec = findParameter(verb, name);
  if (!spec) return [];
  const range = rangeFrom(context, valueStart, /[^\s,]/);
  return parameterValues(spec).map((value, index): CompletionItem => ({
    label: value.value,
    kind: CompletionItemKind.EnumMember,
    detail: value.meaning,
    sortText: sortKey(0, index),
    textEdit: { range, newText: value.value },
  }));
}

/**
 * After `AUTH `: SASL mechanisms, those the EHLO reply listed first, in its
 * order; mechanisms that expose the password get a warning while the session
 * is not encrypted.
 */
function mechanismCompletions(context: CompletionContext, wordStart: number): CompletionItem[] {
  const range = rangeFrom(context, wordStart);
  const offered = context.state.advertised?.get('AUTH')?.map((name) => name.toUpperCase()) ?? null;
  const names = [...(offered ?? []), ...SASL_MECHANISMS.map((row) => row.name).filter((name) => !offered?.includes(name))];
  return names.map((name, index): CompletionItem => {
    const row = findSaslMechanism(name);
    const listed = offered === null || offered.includes(name);
    const exposed = (row?.sendsSecretInClear ?? false) && !context.tls;
    const why = [listed ? null : 'not advertised', exposed ? 'clear text without TLS' : null].filter(Boolean).join(', ');
    const warning = exposed ? '\n\n**The session has no TLS at this point:** anyone on the path can read what this mechanism sends. Send `C: STARTTLS` and a new EHLO first.' : '';
    return {
      label: name,
      kind: CompletionItemKind.EnumMember,
      labelDetails: why ? { description: why } : undefined,
      detail: row ? row.document : 'Advertised by the server',
      documentation: row ? { kind: MarkupKind.Markdown, value: `${row.whatCrossesTheWire}${warning}` } : undefined,
      tags: row?.retiredBy ? [CompletionItemTag.Deprecated] : undefined,
      sortText: sortKey(listed ? 0 : 1, index),
      textEdit: { range, newText: name },
    };
  });
}

function lastChunkItem(context: CompletionContext, wordStart: number): CompletionItem {
  return {
    label: 'LAST',
    kind: CompletionItemKind.Keyword,
    detail: 'This chunk ends the message (RFC 3030 §2)',
    textEdit: { range: rangeFrom(context, wordStart), newText: 'LAST' },
  };
}

/** Where the word that ends `text` starts (its length when it ends in a space). Scanned back from the end: `search(/\S*$/)` retried from every column, quadratic on a long word followed by a space. */
function startOfLastWord(text: string): number {
  let start = text.length;
  while (start > 0 && !/\s/.test(text[start - 1])) start--;
  return start;
}
