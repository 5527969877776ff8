import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { RunSessionCommand } from '../../../server/src/contract/messages';
import { resultDocument } from '../../../client/src/runs/resultDocumentText';

const tls = { protocol: 'TLSv1.3', cipher: 'TLS_AES_128_GCM_SHA256', verified: true, verificationError: null, subject: 'CN=localhost', issuer: 'CN=localhost', validTo: 'Jan 1 2030', fingerprint256: 'AA:BB' };

const result: RunSessionCommand.Result = {
  runId: 'r', uri: 'file:///w/a.smtp', version: 3, ok: false, cancelled: false, inputs: { environment: [], files: [] },
  sessions: [{
    index: 0,
    result: {
      name: 'Delivery', line: 1, server: '127.0.0.1:2525', ok: false, error: null, tls, warnings: ['a warning\nwith a break'],
      steps: [
        { line: 2, kind: 'greeting', sent: null, reply: { code: 220, enhanced: null, lines: ['220 hi'] }, expected: '220', expectedLine: 2, ok: true, mismatch: null, skipped: false, ms: 4 },
        { line: 3, kind: 'command', sent: 'RCPT TO:<b@example.org>', reply: { code: 550, enhanced: '5.1.1', lines: ['550 5.1.1 no'] }, expected: '250', expectedLine: 4, ok: false, mismatch: 'expected 250, got 550 5.1.1 no', skipped: false, ms: 2 },
        { line: 5, kind: 'command', sent: null, reply: null, expected: '221', expectedLine: 6, ok: null, mismatch: null, skipped: true, ms: 0 },
      ],
    },
  }],
  transcript: '### Delivery\nS: 220 hi\n',
};

describe('result document', () => {
  it('puts outcomes, TLS and timings in comments above the recording', () => {
    const { text, transcript } = resultDocument(result, 'a.smtp', new Date('2026-01-02T03:04:05Z'));
    const lines = text.split('\n');
    assert.equal(lines[0], '# Run of a.smtp at 2026-01-02T03:04:05.000Z: failed');
    assert.ok(lines.includes('# Delivery (session 1, line 1) → 127.0.0.1:2525: failed'));
    assert.ok(lines.includes('#   TLS: TLSv1.3, TLS_AES_128_GCM_SHA256, certificate verified'));
    assert.ok(lines.includes('#   line 3: 550 5.1.1 no ✗ expected 250 · 2 ms'));
    assert.ok(lines.includes('#   line 5: skipped'));
    assert.ok(lines.includes('#   warning: a warning with a break'), 'a line break in a server text stays in its comment');
    assert.ok(text.endsWith('\n### Delivery\nS: 220 hi\n'));
    assert.equal(transcript, '### Delivery\nS: 220 hi\n');
    assert.ok(lines.every((line) => line === '' || line.startsWith('#') || line.startsWith('S:')), text);
  });
  it('lists what the run read from this machine, by name, under the sessions', () => {
    const read = { ...result, inputs: { environment: ['SMTP_USER'], files: ['bodies/a.txt', 'bodies/b.txt'] } };
    const lines = resultDocument(read, 'a.smtp', new Date(0)).text.split('\n');
    assert.ok(lines.includes('# read from this machine: environment SMTP_USER; files bodies/a.txt, bodies/b.txt'), lines.join('\n'));
    assert.ok(lines.indexOf('# read from this machine: environment SMTP_USER; files bodies/a.txt, bodies/b.txt') > lines.indexOf('#   line 5: skipped'));
    assert.ok(!resultDocument(result, 'a.smtp', new Date(0)).text.includes('read from this machine'), 'nothing read: no line');
  });
  it('without a recording, writes the dialogue from the steps', () => {
    const { transcript } = resultDocument({ ...result, transcript: undefined }, 'a.smtp', new Date(0));
    assert.equal(transcript, '### Delivery\nS: 220 hi\nC: RCPT TO:<b@example.org>\nS: 550 5.1.1 no\n');
  });
});
