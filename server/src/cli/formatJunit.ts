// `run --format junit` / `--report FILE.xml`: the JUnit XML that Jenkins,
// GitLab and most CI servers read — one <testsuite> per file, one <testcase>
// per session. It validates against the JUnit schema of Jenkins' xUnit plugin
// (test/server/cli/fixtures/junit-10.xsd names its source).
import { isAbsolute, relative, resolve } from 'node:path';
import type { SessionResult } from '../engine/playSession';
import { plain, sessionToText, type RunReport } from './formatRun';
import type { FileRun, TimedSession, UnplayedSession } from './runFiles';

export function runToJunit(report: RunReport): string {
  const { summary } = report;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="smtp-session run" tests="${summary.sessions}" failures="${summary.failed}" errors="${summary.errored}" time="${seconds(summary.ms)}">`,
  ];
  for (const run of report.files) out.push(...testsuite(run));
  out.push('</testsuites>', '');
  return out.join('\n');
}

function testsuite(run: FileRun): string[] {
  const classname = classnameOf(run.file);
  const failures = run.sessions.filter(({ result }) => !result.ok && result.error === null).length;
  const errors = run.sessions.filter(({ result }) => result.error !== null).length + (run.error !== null ? 1 : 0);
  const tests = run.sessions.length + run.notPlayed.length + (run.error !== null ? 1 : 0);
  const out = [`  <testsuite${attributes({
    name: run.file, tests, failures, errors, skipped: run.notPlayed.length, time: seconds(run.ms), timestamp: run.startedAt.toISOString().slice(0, 19), file: run.file,
  })}>`];
  if (run.error !== null) {
    out.push(`    <testcase${attributes({ name: 'the file', classname, file: run.file })}>`, `      <error${attributes({ message: run.error, type: 'file' })}>${text(run.error)}</error>`, '    </testcase>');
  }
  for (const session of run.sessions) out.push(...playedCase(session, run.file, classname));
  for (const session of run.notPlayed) out.push(...unplayedCase(session, run.file, classname));
  out.push('  </testsuite>');
  return out;
}

function playedCase({ result, ms }: TimedSession, file: string, classname: string): string[] {
  const out = [`    <testcase${attributes({ name: caseName(result.name, result.line), classname, file, line: result.line, time: seconds(ms) })}>`];
  if (result.error !== null) {
    const message = `${result.error.line !== null ? `line ${result.error.line}: ` : ''}${result.error.message}`;
    out.push(`      <error${attributes({ message, type: 'session' })}>${text(`${message}${notPlayedLines(result)}`)}</error>`);
  } else if (!result.ok) {
    const failed = result.steps.find((step) => step.ok === false);
    const message = failed ? `line ${failed.line}: ${failed.mismatch ?? 'the reply did not meet the expectation'}` : 'a step was not played';
    out.push(`      <failure${attributes({ message, type: 'expectation' })}>${text(failureBody(result))}</failure>`);
  }
  out.push(`      <system-out>${text(sessionToText(result, plain))}</system-out>`, '    </testcase>');
  return out;
}

function unplayedCase(session: UnplayedSession, file: string, classname: string): string[] {
  return [
    `    <testcase${attributes({ name: caseName(session.name, session.line), classname, file, line: session.line, time: '0.000' })}>`,
    `      <skipped${attributes({ message: 'not run: the run stopped before this session (--bail after a failure, or cancelled)' })}/>`,
    '    </testcase>',
  ];
}

/** Each unmet expectation: where it was written, what it asked for, the reply that came; then the lines never played. */
function failureBody(result: SessionResult): string {
  const parts: string[] = [];
  for (const step of result.steps) {
    if (step.ok !== false) continue;
    parts.push([
      `line ${step.line}${step.expectedLine !== null && step.expectedLine !== step.line ? ` (expectation at line ${step.expectedLine})` : ''}: ${step.mismatch ?? ''}`.trimEnd(),
      `expected: ${step.expected ?? '(nothing)'}`,
      `actual:   ${step.reply ? step.reply.lines.join('\n          ') : '(no reply)'}`,
    ].join('\n'));
  }
  return parts.join('\n\n') + notPlayedLines(result);
}

function notPlayedLines(result: SessionResult): string {
  const lines = result.steps.filter((step) => step.skipped).map((step) => step.line);
  return lines.length === 0 ? '' : `\n\nnot played: line${lines.length === 1 ? '' : 's'} ${lines.join(', ')}`;
}

function caseName(name: string | null, line: number): string {
  return name ?? `Session at line ${line}`;
}

/**
 * `examples/ci/deliver.smtp` → `examples.ci.deliver`: the dotted form CI servers group test cases by; a path
 * inside the working folder is taken relative to it, so absolute and relative arguments group alike.
 */
function classnameOf(path: string): string {
  const inside = relative(process.cwd(), resolve(path));
  const shown = inside !== '' && !inside.startsWith('..') && !isAbsolute(inside) ? inside : path;
  return shown.replace(/\.smtp$/, '').replace(/^(\.\.?[\\/])+/, '').split(/[\\/]+/).filter((part) => part !== '').join('.');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values).map(([name, value]) => ` ${name}="${escape(String(value)).replace(/"/g, '&quot;').replace(/\n/g, '&#10;')}"`).join('');
}

function text(value: string): string {
  return escape(value);
}

/**
 * Markup escaped, and what XML 1.0 cannot hold at all (control characters but
 * tab and line ends, lone surrogates, U+FFFE/U+FFFF) written as `\xNN` / `\uNNNN`:
 * a server may send anything, and one stray byte must not make CI reject the report.
 */
function escape(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\x00-\x08\x0B\x0C\x0E-\x1F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, (character) => {
      const code = character.charCodeAt(0);
      return code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
    });
}
