import { checkTranscript } from '../server/src/analysis/checkTranscript';
import { parseTranscript } from '../server/src/transcript/parseTranscript';
import type { BenchRow } from './parser.bench';
import { generateTranscript } from './generateTranscript';
import { measure, ms } from './measure';

/**
 * Parse and full analysis of a ~10 MB transcript, against the least any
 * checker must do with the same text: split it into lines and look at each
 * line's prefix. Aim: within 3× of that scan.
 */
// About 10 MB of transcript, as the analysis goal is stated.
const LINES = 470_000;

export function benchAnalysis(): BenchRow[] {
  const text = generateTranscript(LINES);
  const megabytes = Buffer.byteLength(text) / 2 ** 20;
  const check = measure(() => checkTranscript(parseTranscript(text)), 7, 2);
  const scan = measure(() => prefixScan(text), 7, 2);
  const throughput = (megabytes / (check.median / 1000)).toFixed(1);
  return [{
    name: `parse + analyze, ${megabytes.toFixed(1)} MB (${LINES.toLocaleString('en')} lines)`,
    figure: `median ${ms(check.median)} (${throughput} MB/s)`,
    peer: `line split + prefix scan: median ${ms(scan.median)}`,
    ratio: `${(check.median / scan.median).toFixed(1)}×`,
    note: 'aim ≤ 3× the scan, not met: about two thirds is building and collecting the tree (a token object per word, with ranges); a leaner, lazily tokenised tree is the way there',
  }];
}

function prefixScan(text: string): number {
  let commands = 0;
  for (const line of text.split(/\r?\n/)) {
    const first = line.charCodeAt(0) | 0x20;
    if ((first === 0x63 || first === 0x73) && line.charCodeAt(1) === 58) commands++;
  }
  return commands;
}
