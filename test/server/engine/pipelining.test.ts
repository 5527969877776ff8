import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { nextBatch, sendables, ServerOffer } from '../../../server/src/engine/pipelining';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

function items(lines: string[]) {
  const file = parseTranscript(lines.join('\n'));
  return sendables(file.sessions[0]);
}

const GROUP = [
  'S: 220', 'C: EHLO client.example', 'S: 250',
  'C: MAIL FROM:<a@example.org>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 250', 'S: 250', 'S: 354',
  'Hello', '.', 'S: 250',
  'C: QUIT', 'S: 221',
];

describe('sendables', () => {
  it('lists each command, then the end of a DATA body on its "." line', () => {
    assert.deepEqual(items(GROUP).map((item) => `${item.kind}@${item.line}`), ['command@2', 'command@4', 'command@5', 'command@6', 'data@11', 'command@13']);
  });
});

describe('nextBatch', () => {
  it('sends a group written as one together when the server offers PIPELINING, up to DATA (RFC 2920 §3.1)', () => {
    const list = items(GROUP);
    assert.deepEqual(nextBatch(list, 1, true).map((item) => item.line), [4, 5, 6]);
  });

  it('sends one item at a time without PIPELINING', () => {
    const list = items(GROUP);
    assert.deepEqual(nextBatch(list, 1, false).map((item) => item.line), [4]);
  });

  it('ends a group at a command that must end one, even when more lines share its replies', () => {
    const list = items(['S: 220', 'C: EHLO client.example', 'S: 250', 'C: MAIL FROM:<a@example.org>', 'C: EHLO again.example', 'C: NOOP', 'S: 250', 'S: 250', 'S: 250']);
    assert.deepEqual(nextBatch(list, 1, true).map((item) => item.line), [4, 5]);
  });

  it('never puts a SASL response in a group', () => {
    const list = items(['S: 220', 'C: EHLO client.example', 'S: 250', 'C: AUTH LOGIN', 'S: 334', 'C: dXNlcg==', 'S: 334']);
    assert.deepEqual(nextBatch(list, 2, true).map((item) => item.kind), ['sasl']);
  });
});

describe('ServerOffer', () => {
  it('knows PIPELINING from an EHLO reply and forgets it after STARTTLS (RFC 3207 §4.2)', () => {
    const offer = new ServerOffer();
    assert.equal(offer.pipelining, false);
    offer.learn(['mx.example', 'PIPELINING', 'STARTTLS']);
    assert.equal(offer.pipelining, true);
    offer.forget();
    assert.equal(offer.pipelining, false);
  });
});
