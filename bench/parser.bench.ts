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
  return [{
    name: 'parseTranscript, 10,000 lines',
    figure: `min ${ms(parse.min)}, median ${ms(parse.median)}, p95 ${ms(parse.p95)}`,
    peer: `bare line scan: median ${ms(scan.median)}`,
    ratio: `${(parse.median / scan.median).toFixed(1)}×`,
    note: 'goal: well under 10 ms per re-parse; the extra time over the scan is building the tree with ranges and matching replies',
  }];
}

function bareScan(text: string): number {
  let client = 0;
  for (const line of text.split(/\r?\n/)) if (line.charCodeAt(0) === 67) client++;
  return client;
}
