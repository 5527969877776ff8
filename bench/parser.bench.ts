import { lineStarts } from '../server/src/transcript/lines';
import { parseTranscript } from '../server/src/transcript/parseTranscript';
import { generateTranscript } from './generateTranscript';
import { measure, ms } from './measure';

export interface BenchRow {
  name: string;
  figure: string;
  peer: string;
  ratio: string;
  note: string;
}

/**
 * Re-parsing a 10,000-line file on every keystroke must stay well under 10 ms.
 * The peer is the least any parser must do: split the text into lines and look
 * at each line's first characters.
 */
export function benchParser(): BenchRow[] {
  const text = generateTranscript(10_000);
  const parse = measure(() => parseTranscript(text));
  const scan = measure(() => bareScan(text));
  // The part of the parse that the scan does too: finding where the lines are (the parser keeps offsets, not a string per line).
  const starts = measure(() => lineStarts(text));
  return [{
    name: 'parseTranscript, 10,000 lines',
    figure: `min ${ms(parse.min)}, median ${ms(parse.median)}, p95 ${ms(parse.p95)}`,
    peer: `bare line scan: median ${ms(scan.median)}`,
    ratio: `${(parse.median / scan.median).toFixed(1)}×`,
    note: `goal: well under 10 ms per re-parse. Measured apart: finding the line starts ${ms(starts.median)} (the tree keeps the text and offsets, no string per line); the rest, ${ms(Math.max(0, parse.median - starts.median))}, is reading each line (a string for the time it is read, its prefix, reply code, verb, references), matching replies to the steps they answer, and the tree: each line's columns written into a table of typed arrays, and one small object per step (C: line, reply, comment, variable) that keeps its line number (body lines and a reply's further lines are rows only; tokens, ranges and references are built when read)`,
  }];
}

function bareScan(text: string): number {
  let client = 0;
  for (const line of text.split(/\r?\n/)) if (line.charCodeAt(0) === 67) client++;
  return client;
}
