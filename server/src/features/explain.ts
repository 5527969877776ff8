/**
 * Explanations of SMTP facts as markdown: the text hover shows and
 * `smtp-session explain` prints. Each builder takes a name as a user would
 * write it and returns null when the protocol tables do not know it, so the
 * caller decides what "unknown" means in its context.
 *
 * Every sentence here is wording around table rows; the facts themselves
 * (meanings, RFC sections, reply sets) come from server/src/protocol.
 */

import { allowedReplyCodes, findCommand, isRfcRef, type AllowedReplyCodes, type FactSource, type SmtpCommand } from '../protocol/commands';
import { findEhloKeyword, findSaslMechanism, type EhloKeywordStatus, type SaslMechanismStatus } from '../protocol/ehloKeywords';
import { describeEnhancedStatusCode, replyCodesOfClass, type EnhancedStatusDescription } from '../protocol/enhancedStatusCodes';
import { findParameter } from '../protocol/parameters';
import { describeReplyDigits, findReplyCode, replyOutcome, type ReplyDigitDescription } from '../protocol/replyCodes';
import { formatRfc } from '../protocol/rfc';
import { findConnectionVariable, findSystemFunction } from '../transcript/systemFunctions';

/** Backslash-escapes what markdown would otherwise read as markup (`<path>` would vanish as an HTML tag). */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]<>#|~]/g, '\\$&');
}

/** A code span that holds `text` literally, whatever backticks it contains (CommonMark §6.1). */
export function inlineCode(text: string): string {
  const longestRun = longestBacktickRun(text);
  const fence = '`'.repeat(longestRun + 1);
  const padding = longestRun > 0 || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${padding}${text}${padding}${fence}`;
}

// Counted in one pass: spreading every run into Math.max overflowed the call stack on a line of 200,000 of them.
function longestBacktickRun(text: string): number {
  let longest = 0;
  let run = 0;
  for (let i = 0; i < text.length; i++) {
    run = text.charCodeAt(i) === 96 /* ` */ ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}

function formatSource(source: FactSource): string {
  return isRfcRef(source) ? formatRfc(source) : escapeMarkdown(`${source.vendor} ${source.document}`);
}

function codeList(codes: readonly (number | string)[]): string {
  return codes.map((code) => inlineCode(String(code))).join(', ');
}

const COMMAND_KINDS: Record<SmtpCommand['status'], string> = {
  standard: 'SMTP command',
  extension: 'SMTP extension command',
  obsolete: 'obsolete SMTP command',
  vendor: 'vendor SMTP command',
  lmtp: 'LMTP command',
};

const ARGUMENT_RULES: Record<SmtpCommand['arguments'], string> = {
  required: 'Takes an argument.',
  optional: 'The argument is optional.',
  none: 'Takes no argument.',
};

/** A command verb: syntax, purpose, where it is defined, how it pipelines, and the replies it may get. */
export function explainCommand(verb: string): string | null {
  const command = findCommand(verb);
  if (!command) return null;
  const facts = [
    `Defined in ${formatRfc(command.ref)}.`,
    command.status === 'lmtp'
      ? 'Only LMTP servers (local delivery, RFC 2033) take it; an SMTP server answers 500, and LMTP must not run on port 25 (RFC 2033 §5).'
      : command.ehloKeyword === null
        ? 'Every server has it: no EHLO keyword needed.'
        : `Offered when the server lists ${inlineCode(command.ehloKeyword)} in its EHLO reply.`,
  ];
  if (command.retiredBy) facts.push(`Obsolete: retired by ${formatRfc(command.retiredBy)}; clients should not send it.`);
  if (command.vendorDocument) facts.push(`Private to ${escapeMarkdown(command.vendorDocument.vendor)}, documented in ${escapeMarkdown(command.vendorDocument.document)}.`);
  facts.push(command.endsPipelineGroup
    ? `Pipelining: ends a group; wait for its reply before sending more (${formatSource(command.pipeliningFrom)}).`
    : `Pipelining: more commands may follow it in the same group (${formatSource(command.pipeliningFrom)}).`);
  facts.push(ARGUMENT_RULES[command.arguments]);
  const replies = [`Replies: ${describeReplySet(allowedReplyCodes(command))}.`];
  if (command.replies.some((set) => set.phase === 'after-content')) {
    replies.push(`After the message content: ${describeReplySet(allowedReplyCodes(command, 'after-content'))}.`);
  }
  return [
    `**${command.verb}** — ${COMMAND_KINDS[command.status]}`,
    inlineCode(command.syntax),
    escapeMarkdown(command.purpose),
    bullets([...facts, ...replies]),
  ].join('\n\n');
}

function describeReplySet(codes: AllowedReplyCodes): string {
  const parts: string[] = [];
  if (codes.success.length > 0) parts.push(`success ${codeList(codes.success)}`);
  if (codes.intermediate.length > 0) parts.push(`intermediate ${codeList(codes.intermediate)}`);
  if (codes.error.length > 0) parts.push(`errors ${codeList(codes.error)}`);
  return parts.join('; ');
}

const OUTCOME_ADVICE = {
  success: '**Success.** The client may go on with its next command.',
  intermediate: '**Intermediate.** The server waits for more from the client: the message content after 354, a SASL response after 334.',
  transient: '**Transient failure.**',
  permanent: '**Permanent failure.**',
} as const;

// RFC 5321 §4.2.1: what the first digit alone tells a client to do, for codes without a row of their own.
const DEFAULT_CLIENT_ACTION = {
  transient: 'The same request may succeed later: keep the message and try again.',
  permanent: 'Do not send the same request again unchanged.',
} as const;

/**
 * A reply code (`550`), an expectation with wildcards (`2xx`, `25x`) or a
 * well-formed code no table holds (`259`, read from its digits as RFC 5321
 * §4.2 asks clients to). Null when the text is not a reply code at all.
 */
export function explainReplyCode(code: string): string | null {
  const digits = describeReplyDigits(code);
  if (!digits) return null;
  const text = code.toLowerCase();
  const row = findReplyCode(text);
  const fromDigits = [digits.first, digits.second].filter((digit) => digit.digit !== 'x').map((digit) => digit.name).join(', ') || 'any reply';
  const sections: string[] = [];
  if (row) {
    sections.push(`**${row.code}** ${escapeMarkdown(row.shortMeaning)}`, escapeMarkdown(row.meaning));
  } else if (text.includes('x')) {
    sections.push(`**${text}** ${fromDigits}`, 'An expectation: any reply whose code has these digits matches; each x stands for any digit.');
  } else {
    sections.push(`**${text}** ${fromDigits}`, 'No RFC this tool knows defines this code; a client acts on its first digit (RFC 5321 §4.2).');
  }
  sections.push(bullets([
    describeDigit('first', digits.first),
    describeDigit('second', digits.second),
    describeDigit('third', digits.third),
  ]));
  const outcome = replyOutcome(text);
  if (outcome === 'transient' || outcome === 'permanent') {
    sections.push(`${OUTCOME_ADVICE[outcome]} ${escapeMarkdown(row?.clientAction ?? DEFAULT_CLIENT_ACTION[outcome])}`);
  } else if (outcome) {
    sections.push(OUTCOME_ADVICE[outcome]);
  }
  sections.push(row?.vendorDocument
    ? `Documented in ${escapeMarkdown(`${row.vendorDocument.vendor}, ${row.vendorDocument.document}`)}; its class as in ${formatRfc(row.ref)}.`
    : row
      ? `Defined in ${formatRfc(row.ref)}${row.alsoIn.length > 0 ? `; see also ${row.alsoIn.map(formatRfc).join(', ')}` : ''}.`
      : 'Digits as defined in RFC 5321 §4.2.1.');
  return sections.join('\n\n');
}

function describeDigit(position: string, digit: ReplyDigitDescription): string {
  return `${position} digit ${inlineCode(digit.digit)}: ${escapeMarkdown(digit.name)} — ${escapeMarkdown(digit.meaning)}`;
}

/** An enhanced status code (`5.1.1`, or `5.1.x` in an expectation): class, subject and detail. */
export function explainEnhancedStatusCode(code: string): string | null {
  const description = describeEnhancedStatusCode(code);
  if (!description) return null;
  const { classInfo, subjectInfo, detailInfo } = description;
  const [, subjectText, detailText] = description.code.split('.');
  const summary = [description.classMeaning, description.subjectMeaning].filter((part) => part !== null && part !== 'any').join(', ');
  const sections = [`**${description.code}** ${escapeMarkdown(detailInfo?.title ?? summary)}`];
  if (detailInfo) sections.push(escapeMarkdown(detailInfo.meaning));
  sections.push(bullets([
    `class ${inlineCode(String(classInfo.classDigit))}: ${classInfo.name} — ${escapeMarkdown(classInfo.meaning)}`,
    `subject ${inlineCode(subjectText)}: ${describeSubject(description)}`,
    `detail ${inlineCode(detailText)}: ${describeDetail(description)}`,
  ]));
  const notes: string[] = [];
  if (detailInfo?.classes && !detailInfo.classes.includes(classInfo.classDigit)) {
    notes.push(`Meant for class ${detailInfo.classes.join(' or ')} only; here it has class ${classInfo.classDigit}.`);
  }
  const seenWith = detailInfo ? replyCodesOfClass(detailInfo, classInfo.classDigit) : null;
  if (seenWith === 'any') notes.push(`Seen with any ${classInfo.classDigit}xx reply code.`);
  else if (seenWith) notes.push(`Seen with reply codes ${codeList(seenWith)}.`);
  notes.push(`Defined in ${formatRfc((detailInfo ?? subjectInfo ?? classInfo).ref)}.`);
  sections.push(notes.join(' '));
  return sections.join('\n\n');
}

function describeSubject({ subjectMeaning, subjectInfo }: EnhancedStatusDescription): string {
  if (subjectInfo) return `${subjectInfo.name} — ${escapeMarkdown(subjectInfo.meaning)}`;
  return subjectMeaning === 'any' ? 'any subject' : 'unregistered: RFC 3463 §2 defines subjects 0 to 7';
}

function describeDetail({ detailMeaning, detailInfo, subjectInfo }: EnhancedStatusDescription): string {
  if (detailInfo) return escapeMarkdown(detailInfo.title);
  if (detailMeaning === 'any') return 'any detail';
  // RFC 3463 §2: a detail a client does not know is still reported by its class and subject.
  return subjectInfo ? 'unregistered under this subject; read the code by its class and subject (RFC 3463 §2)' : 'unregistered';
}

const KEYWORD_KINDS: Record<EhloKeywordStatus, string> = {
  standard: 'EHLO keyword for an RFC 5321 command',
  extension: 'EHLO keyword (service extension)',
  deprecated: 'deprecated EHLO keyword',
  vendor: 'vendor EHLO keyword',
};

/** An EHLO keyword: what the server promises by listing it and what it lets the client send. */
export function explainEhloKeyword(keyword: string): string | null {
  const row = findEhloKeyword(keyword);
  if (!row) return null;
  const facts = [`Parameters: ${escapeMarkdown(row.parameters)}`];
  if (row.enablesCommands.length > 0) facts.push(`Lets the client send ${codeList(row.enablesCommands)}.`);
  if (row.enablesMailParameters.length > 0) facts.push(`MAIL FROM parameters: ${codeList(row.enablesMailParameters)}.`);
  if (row.enablesRcptParameters.length > 0) facts.push(`RCPT TO parameters: ${codeList(row.enablesRcptParameters)}.`);
  facts.push(row.vendorDocument
    ? `Documented in ${escapeMarkdown(`${row.vendorDocument.vendor}, ${row.vendorDocument.document}`)}; see also ${formatRfc(row.ref)}.`
    : `Defined in ${formatRfc(row.ref)}.`);
  return [`**${row.keyword}** — ${KEYWORD_KINDS[row.status]}`, escapeMarkdown(row.purpose), bullets(facts)].join('\n\n');
}

/** A MAIL FROM or RCPT TO parameter; null when `command` has no parameter of that name. */
export function explainParameter(command: string, name: string): string | null {
  const row = findParameter(command, name);
  if (!row) return null;
  const verb = command.trim().toUpperCase();
  const path = verb === 'MAIL' ? 'MAIL FROM' : 'RCPT TO';
  const keywords = row.ehloKeywords.map((keyword) => inlineCode(keyword)).join(' or ');
  return [
    `**${row.name}** — ${path} parameter`,
    escapeMarkdown(row.purpose),
    bullets([
      row.takesValue ? `Value (${inlineCode(`${row.name}=…`)}): ${escapeMarkdown(row.valueSyntax)}.` : `No value: write ${inlineCode(row.name)} alone.`,
      `Allowed once the server lists ${keywords} in its EHLO reply.`,
      `Defined in ${formatRfc(row.ref)}.`,
    ]),
  ].join('\n\n');
}

const MECHANISM_KINDS: Record<SaslMechanismStatus, string> = {
  standard: 'standards track',
  limited: 'limited use',
  historic: 'historic',
  obsolete: 'never standardized',
  vendor: 'vendor',
};

/** A SASL mechanism named in AUTH or in the EHLO AUTH line, including whether the secret crosses the wire readable. */
export function explainSaslMechanism(name: string): string | null {
  const row = findSaslMechanism(name);
  if (!row) return null;
  const facts = [`On the wire: ${escapeMarkdown(row.whatCrossesTheWire)}`];
  facts.push(row.sendsSecretInClear
    ? '**Sends the secret in clear:** anyone who reads the connection can recover the password or token (base64 hides nothing). Use it only after STARTTLS or over implicit TLS.'
    : 'Does not send the password in clear.');
  facts.push(row.ref ? `Defined in ${formatRfc(row.ref)}.` : `Defined in ${escapeMarkdown(row.document)}.`);
  if (row.retiredBy) facts.push(`Retired by ${formatRfc(row.retiredBy)}.`);
  return [`**${row.name}** — SASL mechanism (${MECHANISM_KINDS[row.status]})`, bullets(facts)].join('\n\n');
}

/** A system variable of the .smtp format (`$secret`): what it stands for, never a value. */
export function explainSystemFunction(name: string): string | null {
  const row = findSystemFunction(name);
  if (!row) return null;
  const usage = `{{${[row.name, ...row.args].join(' ')}}}`;
  const notes: string[] = [];
  if (row.secret) notes.push('Its value is never shown: hovers, logs and results print `***`.');
  if (row.bodyOnly) notes.push('Allowed only inside a message body.');
  return [`${inlineCode(usage)} — system variable`, escapeMarkdown(row.description), ...notes].join('\n\n');
}

/** A reserved connection name (`@server`): the values it takes and what it changes. */
export function explainConnectionVariable(name: string): string | null {
  const row = findConnectionVariable(name);
  if (!row) return null;
  return [
    `**@${row.name}** — connection setting`,
    `Value: ${inlineCode(row.values)}`,
    escapeMarkdown(row.description),
  ].join('\n\n');
}

function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}
