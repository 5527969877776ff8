import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { StepReport } from '../../../server/src/contract/messages';
import { captureInlineText, inlineText, inputsText, isStartTlsStep, mismatchMessage, sessionLabel, stepHoverMarkdown, stepVerdict, summarize, summaryStatusText } from '../../../client/src/runs/resultText';

function step(overrides: Partial<StepReport> = {}): StepReport {
  return {
    line: 5, kind: 'command', sent: 'RCPT TO:<bob@example.org>',
    reply: { code: 250, enhanced: '2.1.5', lines: ['250 2.1.5 Ok'] },
    expected: '250', expectedLine: 6, ok: true, mismatch: null, skipped: false, ms: 3.4,
    ...overrides,
  };
}

const tls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384', verified: false, verificationError: 'self-signed certificate', subject: 'CN=mx.example.org', issuer: 'CN=mx.example.org', validTo: 'Jan 1 00:00:00 2030 GMT', fingerprint256: 'AB:CD' };

describe('inline results', () => {
  it('shows the reply and its time: 250 2.1.5 Ok · 3 ms', () => {
    assert.equal(inlineText(step()), '250 2.1.5 Ok · 3 ms');
  });
  it('shows the first line of a multi-line reply and how many follow', () => {
    assert.equal(inlineText(step({ reply: { code: 250, enhanced: null, lines: ['250-mx.example.org', '250-PIPELINING', '250 8BITMIME'] }, ms: 12 })), '250 mx.example.org (+2 lines) · 12 ms');
  });
  it('says skipped, and what was expected', () => {
    assert.equal(inlineText(step({ skipped: true, reply: null, sent: null, ok: null })), 'skipped (expected 250)');
  });
  it('cuts long replies (the hover has them whole)', () => {
    const text = inlineText(step({ reply: { code: 250, enhanced: null, lines: [`250 ${'x'.repeat(200)}`] } }));
    assert.ok(text.length < 100, text);
    assert.match(text, /… · 3 ms$/);
  });
  it('colours by verdict: met green, unmet red, none or skipped grey', () => {
    assert.equal(stepVerdict(step()), 'passed');
    assert.equal(stepVerdict(step({ ok: false })), 'failed');
    assert.equal(stepVerdict(step({ ok: null, expected: null })), 'neutral');
    assert.equal(stepVerdict(step({ skipped: true, ok: null })), 'neutral');
  });
  it('says whose delivery an LMTP reply after the data reports (RFC 2033 §4.2)', () => {
    const delivery = step({ line: 18, kind: 'data', sent: null, reply: { code: 452, enhanced: '4.2.2', lines: ['452 4.2.2 <green@foo.edu> is temporarily over quota'] }, expected: '452', expectedLine: 18, recipient: '<green@foo.edu>' });
    assert.equal(inlineText(delivery), '452 4.2.2 <green@foo.edu> is temporarily over quota · for <green@foo.edu> · 3 ms');
  });
  it('seconds above 1,000 ms', () => {
    assert.equal(inlineText(step({ ms: 1534 })), '250 2.1.5 Ok · 1.5 s');
  });
});

describe('mismatch diagnostics', () => {
  it('start with "expected 250, got 550" and carry the reply line', () => {
    const failed = step({ ok: false, reply: { code: 550, enhanced: '5.1.1', lines: ['550 5.1.1 <bob@example.org>: Recipient address rejected'] }, mismatch: 'expected 250, got 550 5.1.1 <bob@example.org>: Recipient address rejected' });
    assert.equal(mismatchMessage(failed), 'expected 250, got 550 5.1.1 <bob@example.org>: Recipient address rejected');
  });
  it('add the engine\'s reason when it is not the code', () => {
    const failed = step({ ok: false, expected: '250 2.1.5', reply: { code: 250, enhanced: '2.1.0', lines: ['250 2.1.0 Ok'] }, mismatch: 'expected enhanced status 2.1.5, got 2.1.0 (250 2.1.0)' });
    assert.equal(mismatchMessage(failed), 'expected 250 2.1.5, got 250 2.1.0 Ok — expected enhanced status 2.1.5, got 2.1.0 (250 2.1.0)');
  });
  it('none for a met expectation', () => {
    assert.equal(mismatchMessage(step()), null);
  });
});

describe('hover', () => {
  it('has the whole reply, the verdict, the time and TLS details', () => {
    const markdown = stepHoverMarkdown(step({ sent: 'STARTTLS', reply: { code: 220, enhanced: '2.0.0', lines: ['220 2.0.0 Ready'] } }), tls);
    assert.match(markdown, /220 2\.0\.0 Ready/);
    assert.match(markdown, /3 ms/);
    assert.match(markdown, /TLSv1\\\.3/);
    assert.match(markdown, /self\\-signed certificate/);
    assert.match(markdown, /AB:CD/);
  });
  it('offers Open Captured Message on a message end the embedded server captured, and says so inline', () => {
    const delivered = step({ kind: 'data', sent: null, reply: { code: 250, enhanced: '2.0.0', lines: ['250 2.0.0 Ok: queued as 0a1b2c3d4e'] }, capturedMessageId: '0a1b2c3d4e' });
    assert.match(stepHoverMarkdown(delivered, null), /\[Open Captured Message\]\(command:smtp\.openCapturedMessage\?%5B%220a1b2c3d4e%22%5D\)/);
    assert.match(inlineText(delivered), /· ✉ in the SMTP Inbox \(hover to open\)$/);
    const elsewhere = step({ kind: 'data', reply: { code: 250, enhanced: null, lines: ['250 Ok: queued as 0a1b2c3d4e'] } });
    assert.doesNotMatch(stepHoverMarkdown(elsewhere, null), /Open Captured Message/);
    assert.doesNotMatch(inlineText(elsewhere), /Inbox/);
  });
  it('recognises the STARTTLS step answered 220', () => {
    assert.equal(isStartTlsStep(step({ sent: 'STARTTLS', reply: { code: 220, enhanced: null, lines: ['220 go'] } })), true);
    assert.equal(isStartTlsStep(step({ sent: 'STARTTLS', reply: { code: 454, enhanced: null, lines: ['454 no'] } })), false);
  });
});

describe('summary', () => {
  const result = (steps: StepReport[], error: { message: string; line: number | null } | null = null) => ({ name: null, line: 1, server: 'x:25', ok: error === null && steps.every((s) => s.ok !== false && !s.skipped), error, tls: null, warnings: [], steps });
  it('counts expectations met: $(pass) SMTP 2/2', () => {
    const summary = summarize([result([step(), step({ line: 7 }), step({ line: 9, expected: null, ok: null })])]);
    assert.deepEqual(summary, { met: 2, total: 2, errors: 0, ok: true });
    assert.equal(summaryStatusText(summary, false), '$(pass) SMTP 2/2');
  });
  it('failures and errors: $(error)', () => {
    const summary = summarize([result([step({ ok: false })], { message: 'refused', line: null })]);
    assert.equal(summaryStatusText(summary, false), '$(error) SMTP 0/1 · 1 error');
  });
  it('labels sessions by name or line', () => {
    assert.equal(sessionLabel('Plain delivery', 3), 'Plain delivery');
    assert.equal(sessionLabel(null, 3), 'Session at line 3');
  });
});

describe('what a run read from this machine', () => {
  it('names the environment variables and files, never a value, in the CLI\'s wording', () => {
    assert.equal(inputsText({ environment: ['SUBJECT'], files: [] }), 'read from this machine: environment SUBJECT');
    assert.equal(inputsText({ environment: [], files: ['report.pdf'] }), 'read from this machine: file report.pdf');
    assert.equal(inputsText({ environment: ['A', 'B'], files: ['x', '/abs/y'] }), 'read from this machine: environment A, B; files x, /abs/y');
  });
  it('is null when the run read nothing (or the server sent no inputs)', () => {
    assert.equal(inputsText({ environment: [], files: [] }), null);
    assert.equal(inputsText(undefined), null);
  });
  it('escapes what would break the line or reorder it: a file name may hold any character', () => {
    assert.equal(inputsText({ environment: [], files: ['evil\u202Etxt.exe', 'two\nlines'] }), 'read from this machine: files evil\\u202etxt.exe, two\\u000alines');
  });
});

describe('captured values on their @ line', () => {
  it('shows the value the run took, as reported (a secret is *** there already)', () => {
    assert.equal(captureInlineText({ line: 7, name: 'qid', value: '4XyZ1' }), 'captured 4XyZ1');
    assert.equal(captureInlineText({ line: 7, name: 'token', value: '***' }), 'captured ***');
    assert.equal(captureInlineText({ line: 7, name: 'empty', value: '' }), 'captured an empty value');
  });
  it('cuts a long value inline and escapes what would hide or reorder text', () => {
    const long = 'x'.repeat(200);
    assert.equal(captureInlineText({ line: 7, name: 'v', value: long }), `captured ${'x'.repeat(79)}…`);
    assert.equal(captureInlineText({ line: 7, name: 'v', value: 'a\u202Eb' }), 'captured a\\u202eb');
  });
});
