import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';
import { normaliseRecording } from './normaliseRecording';

const recording = [
  '# Recorded by smtp-session run from test/interop/sessions/plain-delivery.smtp on 2026-11-23T14:23:25.147Z.',
  '',
  '### Plain delivery',
  '@server = 127.0.0.1:47535',
  'S: 220 exim.interop.test ESMTP Exim 4.96 Mon, 23 Nov 2026 14:24:52 +0000',
  'C: EHLO client.example.com',
  'S: 250 exim.interop.test',
  'C: MAIL FROM:<sender@example.com>',
  'S: 250 OK id=1xVUu2-0001Pp-2t',
  'C: RCPT TO:<bob@example.org>',
  'S: 250 2.0.0 62ec948f Message accepted for delivery',
  'C: RSET',
  'S: 250 Ok: queued as 7A94F20C61D',
  '# error: TLS failed: 803C6888037F0000:error:0A000438:SSL routines',
  'C: QUIT',
  'S: 221 bye',
  '',
].join('\n');

describe('normaliseRecording', () => {
  const normalised = normaliseRecording(recording);

  it('replaces what changes from run to run', () => {
    assert.deepEqual(normalised.split('\n'), [
      '# Recorded by smtp-session run from test/interop/sessions/plain-delivery.smtp.',
      '',
      '### Plain delivery',
      '# @server = 127.0.0.1 on the port the interop suite chose (scripts/interop/run.sh)',
      'S: 220 exim.interop.test ESMTP Exim 4.96 Thu, 01 Jan 1970 00:00:00 +0000',
      'C: EHLO client.example.com',
      'S: 250 exim.interop.test',
      'C: MAIL FROM:<sender@example.com>',
      'S: 250 OK id=MESSAGEID',
      'C: RCPT TO:<bob@example.org>',
      'S: 250 2.0.0 MESSAGEID Message accepted for delivery',
      'C: RSET',
      'S: 250 Ok: queued as QUEUEID',
      '# error: TLS failed: ADDRESS:error:0A000438:SSL routines',
      'C: QUIT',
      'S: 221 bye',
      '',
    ]);
  });

  it('is stable: normalising twice changes nothing more', () => {
    assert.equal(normaliseRecording(normalised), normalised);
  });

  it('keeps the transcript clean for the analyzer', () => {
    const problems = checkTranscript(parseTranscript(normalised)).filter((problem) => problem.severity === 'error' || problem.severity === 'warning');
    assert.deepEqual(problems.map((problem) => problem.code), []);
  });
});

describe('normaliseRecording: ids captured from replies', () => {
  it('replaces an id wherever the session used it after capturing it, not only in the reply', () => {
    const recording = [
      'S: 250 2.0.0 Ok: queued as 0A59440C172', 'C: NOOP 0A59440C172', 'X-Previous-Queue-Id: 0A59440C172',
      'S: 250 OK id=1xaQPW-0001U9-2H', 'C: MAIL FROM:<after-1xaQPW-0001U9-2H@example.com>',
    ].join('\n');
    assert.deepEqual(normaliseRecording(recording).split('\n'), [
      'S: 250 2.0.0 Ok: queued as QUEUEID', 'C: NOOP QUEUEID', 'X-Previous-Queue-Id: QUEUEID',
      'S: 250 OK id=MESSAGEID', 'C: MAIL FROM:<after-MESSAGEID@example.com>',
    ]);
  });
});

describe('normaliseRecording: an LMTP server\'s Unix socket', () => {
  it('replaces the socket, whose folder changes each run, by a comment', () => {
    const recording = ['### LMTP', '@server = unix:/tmp/smtp-session-interop.Ab12Cd/aiosmtpd/lmtp.sock', 'S: 220 lmtp.interop.test Python SMTP 1.4.3'].join('\n');
    assert.deepEqual(normaliseRecording(recording).split('\n'), [
      '### LMTP', '# @server = unix:/path/to/the socket scripts/interop/run.sh made for the run', 'S: 220 lmtp.interop.test Python SMTP 1.4.3',
    ]);
  });
});
