import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { formatSize, messageDescription, messageLabel, messageTooltip, previewFileName } from '../../../client/src/localServer/capturedMessageText';

function summary(overrides: Partial<CapturedMessageSummary> = {}): CapturedMessageSummary {
  return {
    id: '4Xk2Lq1yZ9z', from: 'alice@example.com', to: ['bob@example.org'], subject: 'Quarterly figures',
    size: 2048, receivedAt: '2026-11-23T09:30:00.000Z', path: '/tmp/inbox/4Xk2Lq1yZ9z.eml',
    sessionId: 'S1', transcriptPath: '/tmp/inbox/session-S1.smtp', ...overrides,
  };
}

describe('inbox item texts', () => {
  it('labels a message by its subject, or "(no subject)"', () => {
    assert.equal(messageLabel(summary()), 'Quarterly figures');
    assert.equal(messageLabel(summary({ subject: null })), '(no subject)');
    assert.equal(messageLabel(summary({ subject: '  \t ' })), '(no subject)');
  });

  it('keeps a folded or hostile subject on one line, and cuts a long one', () => {
    assert.equal(messageLabel(summary({ subject: 'Hello\r\n world\u0007!' })), 'Hello world !');
    // A right-to-left override would show the rest of the row reversed; a C1 control is a terminal escape.
    assert.equal(messageLabel(summary({ subject: 'Invoice \u202egpj.exe' })), 'Invoice \\u202egpj.exe');
    assert.equal(messageDescription(summary({ from: 'evil\u009b@example.com' })), 'evil\\u009b@example.com → bob@example.org');
    const long = messageLabel(summary({ subject: 'x'.repeat(5000) }));
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
  });

  it('describes the envelope as "from → to", with the number of further recipients', () => {
    assert.equal(messageDescription(summary()), 'alice@example.com → bob@example.org');
    assert.equal(messageDescription(summary({ to: ['a@example.org', 'b@example.org', 'c@example.org'] })), 'alice@example.com → a@example.org (+2)');
    assert.equal(messageDescription(summary({ from: '' })), '<> → bob@example.org');
    assert.equal(messageDescription(summary({ to: [] })), 'alice@example.com → (no recipients)');
  });

  it('names every recipient, the size, the time, the id and the file in the tooltip', () => {
    const tooltip = messageTooltip(summary({ to: ['a@example.org', 'b@example.org'] }), (date) => date.toISOString());
    assert.equal(tooltip, [
      'Quarterly figures',
      'From: alice@example.com',
      'To: a@example.org, b@example.org',
      'Size: 2.0 KB',
      'Received: 2026-11-23T09:30:00.000Z',
      'Id: 4Xk2Lq1yZ9z',
      'Saved as /tmp/inbox/4Xk2Lq1yZ9z.eml',
    ].join('\n'));
  });

  it('bounds the recipients a tooltip lists, and says when a message is only in memory', () => {
    const to = Array.from({ length: 150 }, (_, i) => `r${i}@example.org`);
    const tooltip = messageTooltip(summary({ to, path: null }));
    assert.match(tooltip, /r19@example\.org and 130 more/);
    assert.doesNotMatch(tooltip, /r20@/);
    assert.match(tooltip, /Kept in memory only/);
  });

  it('shows a time the server did not send as ISO 8601 as it came', () => {
    assert.match(messageTooltip(summary({ receivedAt: 'yesterday' })), /Received: yesterday/);
  });

  it('writes sizes as people read them', () => {
    assert.equal(formatSize(1), '1 byte');
    assert.equal(formatSize(812), '812 bytes');
    assert.equal(formatSize(1536), '1.5 KB');
    assert.equal(formatSize(50 * 1024 * 1024), '50 MB');
  });

  it('names a preview tab after the subject, without path characters', () => {
    assert.equal(previewFileName({ id: 'ABC', subject: 'Re: a/b?' }), 'Re_ a_b_.txt');
    assert.equal(previewFileName({ id: 'ABC', subject: null }), 'ABC.txt');
  });
});
