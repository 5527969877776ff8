// What the engine and the capture server report, as the wire carries it: the
// same JSON editors have always received, nothing the engine keeps for itself
// (the recording), and the session's lines in the `started` event.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SessionFacts } from '../../../server/src/captureServer/sessionFacts';
import type { CapturedMessage } from '../../../server/src/captureServer/localServer';
import type { SessionEvent, SessionResult, StepResult } from '../../../server/src/engine/playSession';
import type { TlsDetails } from '../../../server/src/engine/smtpConnection';
import { capturedMessageSummary, finishedEvent, runEvent, sessionReport, startedEvent, stepReport } from '../../../server/src/lsp/wireReports';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const TLS: TlsDetails = {
  protocol: 'TLSv1.3',
  cipher: 'TLS_AES_256_GCM_SHA384',
  verified: false,
  verificationError: 'DEPTH_ZERO_SELF_SIGNED_CERT',
  subject: 'CN=localhost',
  issuer: 'CN=localhost',
  validTo: 'Mar  1 12:00:00 2027 GMT',
  fingerprint256: 'AB:CD',
};

const GREETING: StepResult = { line: 2, kind: 'greeting', sent: null, reply: { code: 220, enhanced: null, lines: ['220 mx.example.org ESMTP'] }, expected: '220', expectedLine: 2, ok: true, mismatch: null, skipped: false, ms: 1.5 };
const REJECTED: StepResult = { line: 3, kind: 'command', sent: 'RCPT TO:<bob@example.org>', reply: { code: 550, enhanced: '5.1.1', lines: ['550 5.1.1 unknown'] }, expected: '250', expectedLine: 4, ok: false, mismatch: 'expected 250, got 550', skipped: false, ms: 2 };
const SKIPPED: StepResult = { line: 5, kind: 'data', sent: null, reply: null, expected: null, expectedLine: null, ok: null, mismatch: null, skipped: true, ms: 0 };

function engineResult(): SessionResult {
  return {
    name: 'Rejected',
    line: 1,
    server: '127.0.0.1:2525',
    ok: false,
    error: { message: 'The session was cancelled.', line: 5 },
    tls: TLS,
    warnings: ['TLS certificate verification is off'],
    steps: [GREETING, REJECTED, SKIPPED],
    captures: [{ line: 3, name: 'qid', value: '4XyZ1' }],
    recording: [{ kind: 'comment', text: 'kept by the engine for the transcript' }],
  };
}

/** The JSON an editor receives. */
const json = (value: unknown): unknown => JSON.parse(JSON.stringify(value));

describe('wire reports', () => {
  it('carry a session\'s result as editors received it before, without the recording', () => {
    const result = engineResult();
    const { recording: _recording, ...rest } = result;
    assert.deepEqual(json(sessionReport(result)), json(rest));
    assert.equal('recording' in sessionReport(result), false);
  });

  it('leave out captures when the session takes no value from a reply, as the engine does', () => {
    const { captures: _captures, ...withoutCaptures } = engineResult();
    assert.equal('captures' in sessionReport(withoutCaptures), false);
  });

  it('copy what they carry, so a later change to the engine\'s objects does not reach a sent report', () => {
    const result = engineResult();
    const report = sessionReport(result);
    result.warnings.push('later');
    result.steps[1].reply!.lines.push('later');
    assert.deepEqual(report.warnings, ['TLS certificate verification is off']);
    assert.deepEqual(report.steps[1].reply?.lines, ['550 5.1.1 unknown']);
  });

  it('keep only the wire\'s fields of a step, whatever else the engine attaches', () => {
    const step = { ...REJECTED, internal: 'engine only' } as StepResult;
    assert.deepEqual(Object.keys(stepReport(step)).sort(), ['expected', 'expectedLine', 'kind', 'line', 'mismatch', 'ms', 'ok', 'reply', 'sent', 'skipped']);
  });

  it('turn each of the engine\'s events into the run event of the same type and content', () => {
    const events: SessionEvent[] = [
      { type: 'connecting', server: '127.0.0.1:2525' },
      { type: 'connected', server: '127.0.0.1:2525', tls: null },
      { type: 'connected', server: '127.0.0.1:465', tls: TLS },
      { type: 'tls', tls: TLS },
      { type: 'step', step: REJECTED },
      { type: 'warning', message: 'line 3: the server ended a reply line with a bare LF instead of CRLF (RFC 5321 §2.3.8).' },
    ];
    assert.deepEqual(events.map((event) => json(runEvent(event))), json(events));
  });

  it('say in `started` where the session begins and ends, by 1-based lines of the version that runs', () => {
    const file = parseTranscript(['@server = mx.example.org:25', '### First', 'C: NOOP', 'S: 250', '', '### Second', 'C: QUIT', 'S: 221', ''].join('\n'));
    assert.deepEqual(startedEvent(file.sessions[0], 7), { type: 'started', name: 'First', line: 2, endLine: 4, version: 7 });
    assert.deepEqual(startedEvent(file.sessions[1], null), { type: 'started', name: 'Second', line: 6, endLine: 8, version: null });
    const [only] = parseTranscript('C: NOOP\nS: 250').sessions;
    assert.deepEqual(startedEvent(only, 1), { type: 'started', name: null, line: 1, endLine: 2, version: 1 });
  });

  it('end a session with `finished` holding the report the response holds', () => {
    const report = sessionReport(engineResult());
    assert.deepEqual(finishedEvent(report), { type: 'finished', result: report });
  });

  it('list a captured message with its time as ISO 8601 and without its raw bytes', () => {
    const message: CapturedMessage = {
      id: 'A1B2', from: '', to: ['bob@example.org'], subject: null, size: 42, receivedAt: new Date('2026-12-07T03:00:00Z'), path: null, transcriptPath: null, sessionId: 'S1',
      envelope: { mailFrom: { address: '', params: [] }, rcptTo: [{ address: 'bob@example.org', params: [] }] }, facts: new SessionFacts(0, false, '127.0.0.1:5000'),
      content: { kind: 'memory', raw: Buffer.from('Subject: x\r\n\r\nhi') },
    };
    assert.deepEqual(capturedMessageSummary(message), { id: 'A1B2', from: '', to: ['bob@example.org'], subject: null, size: 42, receivedAt: '2026-12-07T03:00:00.000Z', path: null, sessionId: 'S1', transcriptPath: null });
    assert.deepEqual(capturedMessageSummary(message, { uri: 'file:///w/a.smtp', line: 9 }).sentBy, { uri: 'file:///w/a.smtp', line: 9 });
  });
});
