// What `smtp-session explain` and the editor's "Explain Reply Code" accept:
// one or two words typed by a person, answered with the hover's markdown.
import {
  explainCommand, explainConnectionVariable, explainEhloKeyword, explainEnhancedStatusCode, explainParameter,
  explainReplyCode, explainSaslMechanism, explainSystemFunction,
} from './explain';
import { explainInvalidEnhancedStatusCode } from '../protocol/enhancedStatusCodes';

export const EXPLAIN_ACCEPTS = 'a reply code (550, 2xx), a reply code and an enhanced status code (550 5.1.1), '
  + 'an enhanced status code (5.7.1), an SMTP command (MAIL), an EHLO keyword (PIPELINING), '
  + 'a SASL mechanism (PLAIN), a MAIL or RCPT parameter (SIZE), a system variable ($secret) or a connection setting (@server)';

/** The words could not be explained; the message says why and what is accepted. */
export class ExplainQueryError extends Error {}

const REPLY_CODE = /^[0-9xX]{3}$/;
const LOOKS_ENHANCED = /^[0-9xX]+\./;

/** One markdown section per thing the words name. */
export function explainQuery(words: readonly string[]): string[] {
  if (words.length === 0) throw new ExplainQueryError(`Nothing to explain. Give ${EXPLAIN_ACCEPTS}.`);
  if (words.length > 2) throw new ExplainQueryError(`Too many words: give one thing to explain, or a reply code and an enhanced status code. Accepted: ${EXPLAIN_ACCEPTS}.`);
  const [first, second] = words;
  return second === undefined ? explainOne(first) : explainReplyWithEnhanced(first, second);
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
  if (found.length === 0) throw new ExplainQueryError(`Nothing is known about "${input}". Give ${EXPLAIN_ACCEPTS}.`);
  return found;
}

function explainReplyWithEnhanced(code: string, enhanced: string): string[] {
  if (!REPLY_CODE.test(code)) throw new ExplainQueryError(`"${code}" is not a reply code; given two, give a reply code and an enhanced status code (550 5.1.1).`);
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
  if (!explained) throw new ExplainQueryError(`"${input}" is not a reply code: the first digit is 2 to 5 and the second 0 to 5 (RFC 5321 §4.2.1); x stands for any digit.`);
  return explained;
}

function enhancedCode(input: string): string {
  const explained = explainEnhancedStatusCode(input);
  if (!explained) throw new ExplainQueryError(explainInvalidEnhancedStatusCode(input) ?? `"${input}" is not an enhanced status code.`);
  return explained;
}
