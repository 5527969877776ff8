import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { runToJson, runToText } from '../../../server/src/cli/formatRun';
import type { FileRun } from '../../../server/src/cli/runFiles';
import { summarize } from '../../../server/src/cli/runSummary';
import type { SessionResult, StepResult } from '../../../server/src/engine/playSession';

const step = (fields: Partial<StepResult>): StepResult => ({
  line: 1, kind: 'command', sent: null, reply: null, expected: null, expectedLine: null, ok: null, mismatch: null, skipped: false, ms: 1, ...fields,
});

function session(steps: StepResult[], error: SessionResult['error'] = null, name = 'Cut short'): SessionResult {
  return { name, line: 1, server: '127.0.0.1:25', ok: false, error, tls: null, warnings: [], steps };
}

function fileRun(file: string, sessions: SessionResult[], notPlayed: FileRun['notPlayed'] = [], inputs: FileRun['inputs'] = { environment: [], files: [] }): FileRun {
  return { file, error: null, sessions: sessions.map((result) => ({ result, ms: 12 })), notPlayed, startedAt: new Date(0), ms: 40, transcript: null, inputs };
}

const reply = (code: number, enhanced: string | null, text: string) => ({ code, enhanced, lines: [`${code}${enhanced ? ` ${enhanced}` : ''} ${text}`] });

describe('runToText', () => {
  it('shows each reply with ✓ or ✗, a line sent without a reply, counts what was not played, and ends with the summary', () => {
    const played = session([
      step({ line: 1, kind: 'greeting', reply: { code: 220, enhanced: null, lines: ['220 mx ESMTP'] }, expected: '220', ok: true }),
      step({ line: 4, sent: 'MAIL FROM:<a@example.com>', reply: reply(250, '2.1.0', 'Ok'), expected: '250', ok: true, ms: 2 }),
      step({ line: 5, sent: 'RCPT TO:<b@example.org>', mismatch: 'sent, but the session ended before the server answered it' }),
      step({ line: 11, kind: 'data', skipped: true, expected: '250' }),
    ], { message: 'The server closed the connection.', line: null });
    const files = [fileRun('cut.smtp', [played])];
    const text = runToText({ files, summary: summarize(files, 1234), ok: false }, false);
    assert.equal(text, [
      '### Cut short  (127.0.0.1:25)',
      'S: 220 mx ESMTP  ✓ 1 ms',
      'C: MAIL FROM:<a@example.com>',
      'S: 250 2.1.0 Ok  ✓ 2 ms',
      'C: RCPT TO:<b@example.org>',
      '# line 5: sent, but the session ended before the server answered it',
      '# 1 step not played',
      '# error: The server closed the connection.',
      '# recipients of MAIL FROM:<a@example.com> (line 4): <b@example.org> unanswered',
      '',
      '1 session: 0 passed, 1 errored; 2 of 3 expectations met; 1.23 s',
    ].join('\n'));
  });

  it('heads each file when there are several, lists sessions not run, and counts files in the summary', () => {
    const passed = { ...session([step({ line: 1, kind: 'greeting', reply: reply(220, null, 'mx'), expected: '220', ok: true })], null, 'Greets'), ok: true };
    const failed = session([step({ line: 3, sent: 'NOOP', reply: reply(550, null, 'no'), expected: '250', expectedLine: 4, ok: false, mismatch: 'expected 250, got 550' })], null, 'Noop');
    const files = [fileRun('a.smtp', [passed]), fileRun('b.smtp', [failed], [{ name: 'Later', line: 9 }])];
    const text = runToText({ files, summary: summarize(files, 2000), ok: false }, false);
    assert.match(text, /^=== a\.smtp\n### Greets {2}\(127\.0\.0\.1:25\)\nS: 220 mx {2}✓ 1 ms\n\n=== b\.smtp\n### Noop/);
    assert.match(text, /# line 3: expected 250, got 550\n\n### Later {2}\(not run\)\n/);
    assert.match(text, /\n2 files, 3 sessions: 1 passed, 1 failed, 1 not run; 1 of 2 expectations met; 2\.00 s$/);
  });

  it('lists each transaction\'s recipients with what became of them (accepted, deferred, refused), and the values captured from replies', () => {
    const played = { ...session([
      step({ line: 2, sent: 'MAIL FROM:<a@example.com>', reply: reply(250, '2.1.0', 'Ok') }),
      step({ line: 3, sent: 'RCPT TO:<b@example.org>', reply: reply(250, '2.1.5', 'Ok') }),
      step({ line: 4, sent: 'RCPT TO:<c@example.org>', reply: reply(450, '4.2.1', 'Try later') }),
      step({ line: 5, sent: 'RCPT TO:<d@example.org>', reply: reply(550, '5.1.1', 'No such user') }),
      step({ line: 6, sent: 'RSET', reply: reply(250, null, 'Ok') }),
      step({ line: 7, sent: 'MAIL FROM:<>', reply: reply(250, null, 'Ok') }),
      step({ line: 8, sent: 'RCPT TO:<e@example.org> NOTIFY=NEVER', reply: reply(250, null, 'Ok') }),
    ]), ok: true };
    const files = [fileRun('rcpt.smtp', [played])];
    const text = runToText({ files, summary: summarize(files, 0), ok: true }, false);
    assert.match(text, /^# recipients of MAIL FROM:<a@example\.com> \(line 2\): <b@example\.org> accepted \(250 2\.1\.5\), <c@example\.org> deferred \(450 4\.2\.1\), <d@example\.org> refused \(550 5\.1\.1\)$/m);
    assert.match(text, /^# recipients of MAIL FROM:<> \(line 7\): <e@example\.org> accepted \(250\)$/m);
    const withCapture = { ...played, captures: [{ line: 9, name: 'qid', value: '4XyZ1' }] };
    const capturedFiles = [fileRun('capture.smtp', [withCapture])];
    assert.match(runToText({ files: capturedFiles, summary: summarize(capturedFiles, 0), ok: true }, false), /^# captured @qid = 4XyZ1 \(line 9\)$/m);
    assert.deepEqual(JSON.parse(runToJson({ files: capturedFiles, summary: summarize(capturedFiles, 0), ok: true })).files[0].sessions[0].captures, [{ line: 9, name: 'qid', value: '4XyZ1' }]);
    const json = JSON.parse(runToJson({ files, summary: summarize(files, 0), ok: true }));
    assert.deepEqual(json.files[0].sessions[0].transactions[0].recipients.map((r: { address: string; outcome: string; code: number }) => [r.address, r.outcome, r.code]), [
      ['<b@example.org>', 'accepted', 250], ['<c@example.org>', 'deferred', 450], ['<d@example.org>', 'refused', 550],
    ]);
  });
});

describe('runToJson', () => {
  it('holds the summary, and per file its sessions (with their time) and those not run', () => {
    const failed = session([step({ line: 3, sent: 'NOOP', reply: reply(550, null, 'no'), expected: '250', ok: false, mismatch: 'expected 250, got 550' })], null, 'Noop');
    const files = [fileRun('b.smtp', [failed], [{ name: 'Later', line: 9 }])];
    const json = JSON.parse(runToJson({ files, summary: summarize(files, 2000), ok: false }));
    assert.deepEqual(Object.keys(json), ['ok', 'summary', 'files']);
    assert.deepEqual(json.summary, { files: 1, sessions: 2, passed: 0, failed: 1, errored: 0, notRun: 1, expectationsMet: 0, expectations: 1, ms: 2000 });
    assert.deepEqual(Object.keys(json.files[0]), ['file', 'ok', 'error', 'ms', 'sessions', 'notPlayed', 'inputs']);
    assert.deepEqual(json.files[0].notPlayed, [{ name: 'Later', line: 9 }]);
    assert.equal(json.files[0].sessions[0].ms, 12);
  });
});

describe('what a run read from this machine', () => {
  const greeted = { ...session([step({ line: 1, kind: 'greeting', reply: reply(220, null, 'mx'), expected: '220', ok: true })], null, 'Greets'), ok: true };

  it('ends each file\'s text with the environment variable names and file paths, escaped', () => {
    const files = [fileRun('read.smtp', [greeted], [], { environment: ['SMTP_HOST', 'MAIL_FROM'], files: ['attachments/report.pdf', 'bodies/\u202Efdp.txt'] })];
    const text = runToText({ files, summary: summarize(files, 0), ok: true }, false);
    assert.match(text, /\n# read from this machine: environment SMTP_HOST, MAIL_FROM; files attachments\/report\.pdf, bodies\/\\u202efdp\.txt\n\n1 session: 1 passed/);
    const json = JSON.parse(runToJson({ files, summary: summarize(files, 0), ok: true }));
    assert.deepEqual(json.files[0].inputs, { environment: ['SMTP_HOST', 'MAIL_FROM'], files: ['attachments/report.pdf', 'bodies/\\u202efdp.txt'] });
  });

  it('says nothing of it when the file read nothing', () => {
    const files = [fileRun('a.smtp', [greeted])];
    assert.doesNotMatch(runToText({ files, summary: summarize(files, 0), ok: true }, false), /read from this machine/);
  });
});
