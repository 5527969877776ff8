// A MAIL or RCPT line as the rules read it: offsets into its sent text, not
// tokens. The tree's `path` and `parameters` (transcript/commandLine.ts)
// build a token and a string per part; every MAIL and RCPT is checked, and
// those objects were the largest share of the analysis's garbage. Here the
// same scan (scanPathArgument) fills a layout the caller keeps, and the
// parameters are walked word by word; the tree's tokens are asked for only
// to report a problem, by the parameter's index.
import { argumentStart, scanPathArgument, type PathLayout } from '../transcript/commandLine';
import { indexOfSpace, skipSpaces } from '../transcript/lines';

export function emptyPathLayout(): PathLayout {
  return { keywordStart: 0, keywordEnd: 0, addressStart: 0, addressEnd: 0 };
}

/** Fills `into` with where the path's parts lie in `text`, a MAIL's or RCPT's sent text; false when it has no `KEYWORD:`. */
export function readPathArgument(text: string, into: PathLayout): boolean {
  const from = argumentStart(text);
  return from < text.length && scanPathArgument(text, from, into);
}

/** Where the parameters may start: after the address; none without one (the tree's `parameters` is empty then). */
export function parametersStart(text: string, layout: PathLayout): number {
  return layout.addressStart >= text.length ? text.length : layout.addressEnd;
}

/** One parameter word: `KEYWORD` or `KEYWORD=value`. */
export interface ParameterSpan {
  start: number;
  /** Where the name ends: the "=" (the value starts after it), or `end` when there is none. */
  nameEnd: number;
  end: number;
}

export function emptyParameterSpan(): ParameterSpan {
  return { start: 0, nameEnd: 0, end: 0 };
}

/** Reads the next parameter word at or after `from` into `into`; false when no word is left. The next starts at `into.end`. */
export function nextParameter(text: string, from: number, into: ParameterSpan): boolean {
  const start = skipSpaces(text, from);
  if (start >= text.length) return false;
  const end = indexOfSpace(text, start);
  const equals = text.indexOf('=', start);
  into.start = start;
  into.nameEnd = equals !== -1 && equals < end ? equals : end;
  into.end = end;
  return true;
}

export function hasValue(span: ParameterSpan): boolean {
  return span.nameEnd < span.end;
}

/** text[start, end) upper-cased is `upper`, as toUpperCase would say, without the copy unless a character is beyond ASCII. */
export function equalsUpperCaseAt(text: string, start: number, end: number, upper: string): boolean {
  for (let i = start; i < end; i++) {
    if (text.charCodeAt(i) >= 0x80) return text.slice(start, end).toUpperCase() === upper;
  }
  if (end - start !== upper.length) return false;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i);
    if ((code >= 0x61 && code <= 0x7a ? code - 0x20 : code) !== upper.charCodeAt(i - start)) return false;
  }
  return true;
}

// Scratch for asksSmtpUtf8, which reads one line at a time.
const LAYOUT = emptyPathLayout();
const SPAN = emptyParameterSpan();

/** The MAIL asks for SMTPUTF8 (RFC 6531 §3.4): one of its parameters is named so, in any case. */
export function asksSmtpUtf8(text: string): boolean {
  return readPathArgument(text, LAYOUT) && namesSmtpUtf8(text, LAYOUT, SPAN);
}

/** asksSmtpUtf8 of a line whose path is already read into `layout`; `span` is scratch. */
export function namesSmtpUtf8(text: string, layout: PathLayout, span: ParameterSpan): boolean {
  for (let from = parametersStart(text, layout); nextParameter(text, from, span); from = span.end) {
    if (equalsUpperCaseAt(text, span.start, span.nameEnd, 'SMTPUTF8')) return true;
  }
  return false;
}
