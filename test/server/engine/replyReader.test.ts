import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ReplyReader, type ServerReply } from '../../../server/src/engine/replyReader';
import { SessionError } from '../../../server/src/engine/sessionErrors';

function readAll(reader: ReplyReader): ServerReply[] {
  const replies: ServerReply[] = [];
  for (let reply = reader.next(); reply; reply = reader.next()) replies.push(reply);
  return replies;
}

function feed(input: string | Buffer, reader = new ReplyReader()): ServerReply[] {
  reader.push(Buffer.isBuffer(input) ? input : Buffer.from(input, 'utf8'));
  return readAll(reader);
}

function protocolError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SessionError, `expected a SessionError, got ${String(error)}`);
    assert.equal(error.kind, 'protocol');
    assert.match(error.message, pattern);
    return true;
  };
}

const EHLO_REPLY = '250-mx.example.org greets you\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250 8BITMIME\r\n';

describe('ReplyReader', () => {
  it('reads a single-line reply with its enhanced status code', () => {
    assert.deepEqual(feed('250 2.1.0 Ok\r\n'), [
      { code: 250, enhanced: '2.1.0', lines: ['250 2.1.0 Ok'], text: ['2.1.0 Ok'], bareLineFeeds: false },
    ]);
  });

  it('reads a multi-line reply (RFC 5321 §4.2.1)', () => {
    const [reply] = feed(EHLO_REPLY);
    assert.equal(reply.code, 250);
    assert.deepEqual(reply.lines, ['250-mx.example.org greets you', '250-PIPELINING', '250-SIZE 10240000', '250 8BITMIME']);
    assert.deepEqual(reply.text, ['mx.example.org greets you', 'PIPELINING', 'SIZE 10240000', '8BITMIME']);
    assert.equal(reply.enhanced, null);
  });

  it('ends a reply at a bare code, with or without a trailing space', () => {
    const replies = feed('220-first\r\n220\r\n250 \r\n');
    assert.deepEqual(replies.map((r) => r.lines), [['220-first', '220'], ['250 ']]);
    assert.deepEqual(replies.map((r) => r.text), [['first', ''], ['']]);
  });

  it('returns null until a reply is complete, then hands out replies in order', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('250-a\r\n250 b'));
    assert.equal(reader.next(), null);
    reader.push(Buffer.from('\r\n354 go\r\n221 bye\r\n'));
    assert.deepEqual(readAll(reader).map((r) => r.code), [250, 354, 221]);
    assert.equal(reader.next(), null);
  });

  it('gives the same replies when fed one byte at a time', () => {
    const input = Buffer.from(`220 mx ESMTP\r\n${EHLO_REPLY}550 5.1.1 <b@example.org>: unknown\r\n`);
    const reader = new ReplyReader();
    const replies: ServerReply[] = [];
    for (const byte of input) {
      reader.push(Buffer.from([byte]));
      replies.push(...readAll(reader));
    }
    assert.deepEqual(replies, feed(input));
    assert.deepEqual(replies.map((r) => r.code), [220, 250, 550]);
    assert.equal(replies[2].enhanced, '5.1.1');
  });

  it('keeps a CRLF split across chunks as one line ending', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('250 ok\r'));
    assert.equal(reader.next(), null);
    reader.push(Buffer.from('\n'));
    assert.deepEqual(reader.next(), { code: 250, enhanced: null, lines: ['250 ok'], text: ['ok'], bareLineFeeds: false });
  });

  it('tolerates a bare LF line ending and records it', () => {
    const [clean, bare] = feed('250-a\r\n250 b\r\n250-c\r\n250 d\n');
    assert.equal(clean.bareLineFeeds, false);
    assert.equal(bare.bareLineFeeds, true);
    assert.deepEqual(bare.lines, ['250-c', '250 d']);
  });

  it('decodes UTF-8 text (SMTPUTF8) and keeps invalid bytes as replacement characters', () => {
    const [reply] = feed(Buffer.concat([Buffer.from('250 grüße '), Buffer.from([0xff]), Buffer.from('\r\n')]));
    assert.deepEqual(reply.text, ['grüße \ufffd']);
  });

  it('keeps a multi-byte character split across chunks whole', () => {
    const bytes = Buffer.from('250 日本\r\n');
    const reader = new ReplyReader();
    reader.push(bytes.subarray(0, 6));
    reader.push(bytes.subarray(6));
    assert.deepEqual(reader.next()?.text, ['日本']);
  });

  it('accepts codes with any second and third digit, judged by the first (RFC 5321 §4.2)', () => {
    assert.equal(feed('299 new\r\n')[0].code, 299);
  });

  it('reads an enhanced code only at the start of the first line', () => {
    assert.equal(feed('250-first\r\n250 2.0.0 ok\r\n')[0].enhanced, null);
    assert.equal(feed('550 5.7.1\r\n')[0].enhanced, '5.7.1');
    assert.equal(feed('550 5.7.1x denied\r\n')[0].enhanced, null);
    assert.equal(feed('250 1.2.3 x\r\n')[0].enhanced, null);
  });

  it('rejects a line without a code, after handing out the replies before it', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('220 hi\r\nHTTP/1.1 400 Bad Request\r\n250 later\r\n'));
    assert.equal(reader.next()?.code, 220);
    assert.throws(() => reader.next(), protocolError(/without a reply code: "HTTP\/1\.1 400 Bad Request"/));
    assert.throws(() => reader.next(), protocolError(/without a reply code/), 'the reader stays failed');
  });

  it('rejects codes outside 2xx–5xx and a code without its separator', () => {
    for (const line of ['150 x', '650 x', '25 x', '2500 x', '250x', '', 'abc']) {
      const reader = new ReplyReader();
      reader.push(Buffer.from(`${line}\r\n`));
      assert.throws(() => reader.next(), protocolError(/without a reply code/), JSON.stringify(line));
    }
  });

  it('rejects a code that changes inside a multi-line reply', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('250-mx\r\n251 other\r\n'));
    assert.throws(() => reader.next(), protocolError(/changed the reply code.*"250-mx".*"251 other"/));
  });

  it('escapes control characters in error messages', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('\x1b[2Jgotcha\r\n'));
    assert.throws(() => reader.next(), protocolError(/"\\x1b\[2Jgotcha"/));
  });

  it('fails on a 1 MiB line at the line bound, without waiting for its end', () => {
    const reader = new ReplyReader();
    const chunk = Buffer.alloc(64 * 1024, 'a');
    chunk.write('250 ', 0);
    let pushed = 0;
    assert.throws(() => {
      for (; pushed < 16; pushed++) reader.push(chunk);
    }, protocolError(/longer than 8192 octets \(limit maxLineOctets.*starts "250 aaa/));
    assert.equal(pushed, 0, 'the first 64 KiB chunk already exceeds the bound');
    assert.throws(() => reader.push(Buffer.from('\r\n')), protocolError(/maxLineOctets/), 'stays failed');
    assert.throws(() => reader.next(), protocolError(/maxLineOctets/));
  });

  it('allows a line of exactly the bound, and counts a trailing CR as part of the ending', () => {
    const reader = new ReplyReader({ maxLineOctets: 10 });
    reader.push(Buffer.from('250 678901\r'));
    reader.push(Buffer.from('\n'));
    assert.deepEqual(reader.next()?.lines, ['250 678901']);
    assert.throws(() => reader.push(Buffer.from('250 6789012')), protocolError(/longer than 10 octets/));
  });

  it('checks the line bound on a complete line too', () => {
    const reader = new ReplyReader({ maxLineOctets: 10 });
    assert.throws(() => reader.push(Buffer.from('250 67890123\r\n')), protocolError(/longer than 10 octets/));
  });

  it('fails an endless multi-line reply at the reply bound', () => {
    const reader = new ReplyReader();
    const line = Buffer.from('250-still going\r\n');
    let sent = 0;
    assert.throws(() => {
      for (; sent < 1_000_000; sent += line.length) reader.push(line);
    }, protocolError(/longer than 65536 octets \(limit maxReplyOctets\) — \d+ lines so far, starting "250-still going"/));
    assert.ok(sent <= 65536, `stopped after ${sent} octets`);
  });

  it('counts line endings in the reply bound', () => {
    const reader = new ReplyReader({ maxReplyOctets: 10 });
    reader.push(Buffer.from('250-ab\r\n')); // 8 octets
    reader.push(Buffer.from('25')); // 10: at the bound
    assert.throws(() => reader.push(Buffer.from('0')), protocolError(/maxReplyOctets/));
  });

  it('fails when complete replies pile up beyond the buffered bound', () => {
    const reader = new ReplyReader({ maxBufferedOctets: 100 });
    const reply = Buffer.from('250 ok\r\n'); // 8 octets
    for (let i = 0; i < 12; i++) reader.push(reply);
    assert.equal(reader.bufferedOctets(), 96);
    assert.throws(() => reader.push(reply), protocolError(/more than 100 octets.*maxBufferedOctets/));
  });

  it('does not fail the buffered bound when replies are read as they come', () => {
    const reader = new ReplyReader({ maxBufferedOctets: 100 });
    const reply = Buffer.from('250 ok\r\n');
    for (let i = 0; i < 1000; i++) {
      reader.push(reply);
      assert.equal(reader.next()?.code, 250);
    }
  });

  it('counts the bytes not yet handed out (the STARTTLS injection check)', () => {
    const reader = new ReplyReader();
    reader.push(Buffer.from('220 2.0.0 Ready to start TLS\r\n250 injected\r\n'));
    assert.equal(reader.bufferedOctets(), 44);
    assert.equal(reader.next()?.code, 220);
    assert.equal(reader.bufferedOctets(), 14);
    assert.equal(reader.next()?.code, 250);
    assert.equal(reader.bufferedOctets(), 0);
    reader.push(Buffer.from('2'));
    assert.equal(reader.bufferedOctets(), 1);
  });

  it('reports the partial reply for a disconnect, including a line without its ending', () => {
    const reader = new ReplyReader();
    assert.deepEqual(reader.partial(), []);
    reader.push(Buffer.from('250-mx.example.org\r\n250-PIPE'));
    assert.deepEqual(reader.partial(), ['250-mx.example.org', '250-PIPE']);
    reader.push(Buffer.from('LINING\r'));
    assert.deepEqual(reader.partial(), ['250-mx.example.org', '250-PIPELINING']);
  });

  it('reads a long pipelined stream in linear time', () => {
    const reply = Buffer.from('250 2.1.5 Ok\r\n');
    const stream = Buffer.concat(Array.from({ length: 100_000 }, () => reply));
    const reader = new ReplyReader({ maxBufferedOctets: stream.length });
    const started = performance.now();
    for (let at = 0; at < stream.length; at += 1000) reader.push(stream.subarray(at, at + 1000));
    assert.equal(readAll(reader).length, 100_000);
    assert.ok(performance.now() - started < 2000, 'no quadratic re-scanning');
  });
});
