import {
  explainCommand, explainConnectionVariable, explainEhloKeyword, explainEnhancedStatusCode, explainParameter,
  explainReplyCode, explainSaslMechanism, explainSystemFunction,
} from '../features/explain';
import { explainInvalidEnhancedStatusCode } from '../protocol/enhancedStatusCodes';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';

const ACCEPTED = 'explain takes a reply code (550, 2xx), a reply code and an enhanced status code (550 5.1.1), '
  + 'an enhanced status code (5.7.1), an SMTP command (MAIL), an EHLO keyword (PIPELINING), '
  + 'a SASL mechanism (PLAIN), a MAIL or RCPT parameter (SIZE), a system variable ($secret) or a connection setting (@server).';

const REPLY_CODE = /^[0-9xX]{3}$/;
const LOOKS_ENHANCED = /^[0-9xX]+\./;

/** `smtp-session explain CODE [ENHANCED]`: prints what the editor's hover shows; 0 on success, usage errors exit 2. */
export function explainCliCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArguments(args, new Set(), new Set());
  if (positionals.length === 0) throw new UsageError(`Nothing to explain. ${ACCEPTED}`);
  if (positionals.length > 2) throw new UsageError(`Too many arguments. ${ACCEPTED}`);
  const [first, second] = positionals;
  const sections = second === undefined ? explainOne(first) : explainReplyWithEnhanced(first, second);
  io.stdout(sections.map(markdownToText).join(`\n\n${'─'.repeat(40)}\n\n`));
  return 0;
}

function explainOne(input: string): string[] {
  if (REPLY_CODE.test(input)) return [replyCode(input)];
  if (LOOKS_ENHANCED.test(input)) return [enhancedCode(input)];
  // One word can name several things (AUTH is a command, an EHLO keyword and a MAIL parameter): show each.
  const name = input.replace(/=.*$/, '');
  const found = [
    explainCommand(input),
    explainEhloKeyword(input) ?? explainEhloKeyword(name),
    explainSaslMechanism(input),
    explainParameter('MAIL', name),
    explainParameter('RCPT', name),
    input.startsWith('$') ? explainSystemFunction(input) : null,
    input.startsWith('@') ? explainConnectionVariable(input.slice(1)) : null,
  ].filter((text): text is string => text !== null);
  if (found.length === 0) throw new UsageError(`Nothing is known about "${input}". ${ACCEPTED}`);
  return found;
}

function explainReplyWithEnhanced(code: string, enhanced: string): string[] {
  if (!REPLY_CODE.test(code)) throw new UsageError(`"${code}" is not a reply code; with two arguments, give a reply code and an enhanced status code (550 5.1.1).`);
  const sections = [replyCode(code), enhancedCode(enhanced)];
  // RFC 2034 §4: a 2xx reply carries a 2.X.X code, a 4xx a 4.X.X, a 5xx a 5.X.X.
  const replyClass = code[0];
  const enhancedClass = enhanced[0];
  if (replyClass !== enhancedClass && replyClass.toLowerCase() !== 'x') {
    sections.push(`Note: ${enhanced} has class ${enhancedClass} but reply ${code} has class ${replyClass}; they must agree (RFC 2034 §4).`);
  }
  return sections;
}

function replyCode(input: string): string {
  const explained = explainReplyCode(input);
  if (!explained) throw new UsageError(`"${input}" is not a reply code: the first digit is 2 to 5 and the second 0 to 5 (RFC 5321 §4.2.1); x stands for any digit.`);
  return explained;
}

function enhancedCode(input: string): string {
  const explained = explainEnhancedStatusCode(input);
  if (!explained) throw new UsageError(explainInvalidEnhancedStatusCode(input) ?? `"${input}" is not an enhanced status code.`);
  return explained;
}

/**
 * The hover's markdown as terminal text: code spans lose their backticks,
 * bold loses its stars, escapes lose their backslash. The builders use no
 * other markup.
 */
export function markdownToText(markdown: string): string {
  return markdown.replace(/(`+) ?(.*?) ?\1(?!`)|\*\*|\\([!-/:-@[-`{-~])/g, (_match, fence: string | undefined, code: string | undefined, escaped: string | undefined) => {
    if (fence !== undefined) return code ?? '';
    return escaped ?? '';
  });
}
