import { PerformanceObserver } from 'node:perf_hooks';
import { checkTranscript } from '../server/src/analysis/checkTranscript';
import { lineStarts } from '../server/src/transcript/lines';
import { parseTranscript } from '../server/src/transcript/parseTranscript';
import type { BenchRow } from './parser.bench';
import { generateTranscript } from './generateTranscript';
import { measure, ms } from './measure';

/**
 * Parse and full analysis of a ~10 MB transcript, against the least any
 * checker must do with the same text: split it into lines and look at each
 * line's prefix. Aim: within 3× of that scan. The row says where the time
 * goes: the parse and the analysis measured apart, and the garbage
 * collector's share of the whole (its pauses, as perf_hooks reports them).
 */
// About 10 MB of transcript, as the analysis goal is stated.
const LINES = 470_000;

export async function benchAnalysis(): Promise<BenchRow[]> {
  const text = generateTranscript(LINES);
  const megabytes = Buffer.byteLength(text) / 2 ** 20;
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  const check = measure(() => checkTranscript(parseTranscript(text)), 7, 2);
  // GC pauses over the same runs again, observed apart so the observer's own work is not in the figure above.
  gc.observe({ entryTypes: ['gc'] });
  const observed = measure(() => checkTranscript(parseTranscript(text)), 7, 0);
  // The observer hears of the pauses on the event loop, after the synchronous runs.
  await new Promise((resolve) => setTimeout(resolve, 50));
  gc.disconnect();
  const gcShare = gcMs / (observed.median * observed.runs);
  const parse = measure(() => parseTranscript(text), 7, 1);
  const starts = measure(() => lineStarts(text), 7, 1);
  const tree = parseTranscript(text);
  let steps = 0;
  for (const session of tree.sessions) steps += session.steps.length;
  const analysis = measure(() => checkTranscript(tree), 7, 1);
  const scan = measure(() => prefixScan(text), 7, 2);
  const throughput = (megabytes / (check.median / 1000)).toFixed(1);
  const ratio = (value: number) => `${(value / scan.median).toFixed(1)}×`;
  return [{
    name: `parse + analyze, ${megabytes.toFixed(1)} MB (${LINES.toLocaleString('en')} lines)`,
    figure: `median ${ms(check.median)} (${throughput} MB/s)`,
    peer: `line split + prefix scan: median ${ms(scan.median)}`,
    ratio: ratio(check.median),
    note: `aim ≤ 3× the scan, not met. Measured apart: parse ${ms(parse.median)} (${ratio(parse.median)} the scan; finding the line starts ${ms(starts.median)} of it), analysis of the parsed tree ${ms(analysis.median)} (${ratio(analysis.median)}); `
      + `garbage collection is ${(gcShare * 100).toFixed(0)}% of parse + analyze (pauses as perf_hooks reports them). The parser writes each line's columns into a table of typed arrays, off the JS heap; the tree keeps ${steps.toLocaleString('en')} step objects for the ${tree.lineCount.toLocaleString('en')} lines (a C: line, a reply; body lines and a reply's further lines are rows only), plus one per session, body, end of data and group of steps; these the young generation copies and promotes; the analysis builds tokens and ranges only for what it reports, and scans again the {{references}} of each line that holds some`,
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
