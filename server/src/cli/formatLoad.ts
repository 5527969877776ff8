import type { LoadProgress, LoadReport } from '../run/loadTest';

/** The live line on standard error while a load runs (rewritten in place). */
export function progressLine(progress: LoadProgress): string {
  const seconds = progress.elapsedMs / 1000;
  const rate = seconds > 0 ? progress.finished / seconds : 0;
  return `${progress.finished} sessions (${progress.failed} failed), ${progress.inFlight} in flight, ${rate.toFixed(1)}/s, ${seconds.toFixed(1)} s`;
}

/** The report for people: throughput, replies by code as a histogram, latency percentiles per step kind, errors by kind. */
export function loadToText(report: LoadReport): string {
  const seconds = report.elapsedMs / 1000;
  const { finished, passed, failed, errored } = report.sessions;
  const out = [
    `${finished} sessions in ${seconds.toFixed(2)} s over ${report.connections} connection${report.connections === 1 ? '' : 's'} to ${report.server || 'no server'}${report.cancelled ? ' (stopped early)' : ''}`,
    `  ${passed} passed, ${failed} failed, ${errored} errored`,
    `  ${report.sessionsPerSecond} sessions/s, ${report.messagesPerSecond} messages/s (${report.messages} messages accepted)`,
    '',
    'Replies by code:',
  ];
  const codes = Object.entries(report.replies);
  const most = Math.max(1, ...codes.map(([, count]) => count));
  const width = Math.max(...codes.map(([, count]) => String(count).length), 1);
  for (const [code, count] of codes) out.push(`  ${code}  ${String(count).padStart(width)}  ${'█'.repeat(Math.max(1, Math.round((count / most) * 40)))}`);
  out.push('', 'Latency (ms):       count      p50      p95      p99      max');
  for (const [kind, latency] of Object.entries(report.latency)) {
    out.push(`  ${kind.padEnd(14)} ${String(latency.count).padStart(8)} ${[latency.p50, latency.p95, latency.p99, latency.max].map((ms) => ms.toFixed(2).padStart(8)).join(' ')}`);
  }
  const errors = Object.entries(report.errors);
  if (errors.length > 0) {
    out.push('', 'Errors by kind:');
    for (const [kind, count] of errors) out.push(`  ${kind}: ${count}`);
    for (const example of report.examples) out.push(`  e.g. ${example}`);
  }
  return out.join('\n');
}
