import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DATA_TERMINATOR, encodeBdatChunk, encodeBodyLines, encodeCommandLine, encodeFileAsBody, FileBodyEncoder,
} from '../../../server/src/engine/wireEncoding';
import { SessionError, type SessionErrorKind } from '../../../server/src/engine/sessionErrors';

const bytes = (text: string) => Buffer.from(text, 'latin1');

function sessionError(kind: SessionErrorKind, line: number, pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SessionError, `expected a SessionError, got ${String(error)}`);
    assert.equal(error.kind, kind);
    assert.equal(error.line, line);
    assert.match(error.message, pattern);
    return true;
  };
}

/** No CR without LF after it, no LF without CR before it. */
function hasLoneLineEnding(buffer: Buffer): boolean {
  for (let i = 0; i < buffer.length; i++) {
    if (buffer[i] === 0x0d && buffer[i + 1] !== 0x0a) return true;
    if (buffer[i] === 0x0a && buffer[i - 1] !== 0x0d) return true;
  }
  return false;
}

describe('encodeCommandLine', () => {
  it('sends the text as UTF-8 followed by CRLF', () => {
    assert.deepEqual(encodeCommandLine('MAIL FROM:<jörg@example.org> SMTPUTF8', 3, []), Buffer.from('MAIL FROM:<jörg@example.org> SMTPUTF8\r\n', 'utf8'));
    assert.deepEqual(encodeCommandLine('', 3, []), bytes('\r\n'));
  });

  it('refuses a line break brought in by a variable, naming the line and the variables', () => {
    assert.throws(() => encodeCommandLine('RCPT TO:<b@example.org>\r\nRCPT TO:<evil@example.net>', 12, ['to', '$env RCPT']),
      sessionError('injection', 12, /^line 12: after substituting \{\{to\}\}, \{\{\$env RCPT\}\} the command contains a line break \(CRLF\).*command injection.*nothing was sent/));
  });

  it('refuses a lone LF and a lone CR', () => {
    assert.throws(() => encodeCommandLine('EHLO a\nQUIT', 2, ['host']), sessionError('injection', 2, /a line feed \(LF\)/));
    assert.throws(() => encodeCommandLine('EHLO a\rQUIT', 2, []), sessionError('injection', 2, /^line 2: the command contains a carriage return \(CR\).*Remove the character/));
  });
});

describe('encodeBodyLines', () => {
  it('sends lines as written, each with CRLF, without dot-stuffing or the terminator', () => {
    const encoded = encodeBodyLines(['Subject: Hi', '', '..leading dot', 'grüße'], { allowRaw: false, line: 9 });
    assert.deepEqual(encoded, Buffer.from('Subject: Hi\r\n\r\n..leading dot\r\ngrüße\r\n', 'utf8'));
    assert.deepEqual(DATA_TERMINATOR, bytes('.\r\n'));
  });

  it('sends nothing for no lines', () => {
    assert.deepEqual(encodeBodyLines([], { allowRaw: false, line: 1 }), Buffer.alloc(0));
  });

  it('refuses a lone CR or LF inside a line', () => {
    for (const line of ['a\rb', 'a\nb', 'end\r', 'smuggled\n.\nMAIL FROM:<x@y>']) {
      assert.throws(() => encodeBodyLines(['ok', line], { allowRaw: false, line: 7 }),
        sessionError('refused-input', 7, /^line 7: a line of the message body contains .*SMTP smuggling.*nothing was sent.*@allow-raw = true/), JSON.stringify(line));
    }
  });

  it('refuses a substituted line that is a single dot, which would end the message early', () => {
    assert.throws(() => encodeBodyLines(['a', '.', 'MAIL FROM:<x@example.net>'], { allowRaw: false, line: 4 }),
      sessionError('injection', 4, /single "\.", which would end the message/));
  });

  it('sends raw input as it is when allowed', () => {
    assert.deepEqual(encodeBodyLines(['a\nb', '.', 'c\r'], { allowRaw: true, line: 1 }), bytes('a\nb\r\n.\r\nc\r\r\n'));
  });
});

describe('encodeBdatChunk', () => {
  it('sends exact octets: CRLF after each line except one marked without it, no dot-stuffing', () => {
    const chunk = encodeBdatChunk([{ text: '.hello', withoutLineEnding: false }, { text: 'wörld', withoutLineEnding: true }], { allowRaw: false, line: 5 });
    assert.deepEqual(chunk, Buffer.from('.hello\r\nwörld', 'utf8'));
    assert.equal(chunk.length, 14);
  });

  it('refuses a lone CR or LF unless raw input is allowed', () => {
    const lines = [{ text: 'a\nb', withoutLineEnding: false }];
    assert.throws(() => encodeBdatChunk(lines, { allowRaw: false, line: 5 }), sessionError('refused-input', 5, /BDAT chunk contains a line feed/));
    assert.deepEqual(encodeBdatChunk(lines, { allowRaw: true, line: 5 }), bytes('a\nb\r\n'));
  });
});

/** What the normalised file encoding must produce, computed on the whole input at once. */
function normalisedReference(input: Buffer): Buffer {
  if (input.length === 0) return Buffer.alloc(0);
  const lines = input.toString('latin1').split(/\r\n|\r|\n/);
  if (lines[lines.length - 1] === '') lines.pop();
  return bytes(lines.map((line) => `${line.startsWith('.') ? '.' : ''}${line}\r\n`).join(''));
}

function encodeInPieces(input: Buffer, allowRaw: boolean, cuts: number[]): Buffer {
  const encoder = new FileBodyEncoder(allowRaw);
  const out: Buffer[] = [];
  let from = 0;
  for (const cut of [...cuts, input.length]) {
    out.push(encoder.push(input.subarray(from, cut)));
    from = cut;
  }
  out.push(encoder.end());
  return Buffer.concat(out);
}

/** A small deterministic generator, so a failure can be reproduced. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x80000000;
  };
}

describe('FileBodyEncoder', () => {
  const cases: Array<[string, string, string]> = [
    ['LF endings', 'a\nb\n', 'a\r\nb\r\n'],
    ['CRLF endings', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['CR endings (classic Mac OS)', 'a\rb\r', 'a\r\nb\r\n'],
    ['mixed endings and empty lines', 'a\r\n\nb\r\rc\n\r\n', 'a\r\n\r\nb\r\n\r\nc\r\n\r\n'],
    ['no final line ending', 'a\nlast', 'a\r\nlast\r\n'],
    ['leading dots', '.\n..x\n.y\r\nz.\r.', '..\r\n...x\r\n..y\r\nz.\r\n..\r\n'],
    ['a dot at the very start', '.', '..\r\n'],
    ['an empty file', '', ''],
    ['one empty line', '\n', '\r\n'],
  ];
  for (const [name, input, expected] of cases) {
    it(`normalises ${name}, whole and split at every byte`, () => {
      assert.deepEqual(encodeInPieces(bytes(input), false, []), bytes(expected));
      const everyByte = Array.from({ length: input.length }, (_, i) => i);
      assert.deepEqual(encodeInPieces(bytes(input), false, everyByte), bytes(expected));
    });
  }

  it('matches the whole-input reference for random inputs split at random places', () => {
    const next = random(42);
    const alphabet = ['a', '.', '\r', '\n', '\r\n', 'é', ' '];
    for (let round = 0; round < 500; round++) {
      let text = '';
      const length = Math.floor(next() * 30);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const input = bytes(text);
      const cuts = Array.from({ length: input.length }, (_, i) => i).filter(() => next() < 0.3);
      const encoded = encodeInPieces(input, false, cuts);
      assert.deepEqual(encoded, normalisedReference(input), `input ${JSON.stringify(text)}, cuts ${cuts}`);
      assert.equal(hasLoneLineEnding(encoded), false);
    }
  });

  it('passes chunks already in wire form through unchanged, and still stuffs a dot or joins a CRLF at a chunk boundary', () => {
    // Mostly CRLF lines, so many pieces are already wire form (the fast path) next to pieces that are not.
    const next = random(7);
    const alphabet = ['line\r\n', 'line\r\n', 'x', '\r\n', '.', '\r', '\n'];
    for (let round = 0; round < 500; round++) {
      let text = '';
      const length = Math.floor(next() * 20);
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const input = bytes(text);
      const cuts = Array.from({ length: input.length }, (_, i) => i).filter(() => next() < 0.15);
      assert.deepEqual(encodeInPieces(input, false, cuts), normalisedReference(input), `input ${JSON.stringify(text)}, cuts ${cuts}`);
    }
    const wireForm = bytes('a\r\nb\r\n');
    const encoder = new FileBodyEncoder(false);
    assert.equal(encoder.push(wireForm), wireForm, 'a chunk already in wire form is sent as it is, not copied');
    assert.deepEqual(encoder.push(bytes('.c\r\n')), bytes('..c\r\n'));
  });

  it('in raw mode keeps lone CR and LF, stuffs dots only after CRLF, and ends with CRLF', () => {
    const input = '.a\r\n.b\n.c\r.d\r\n\n.e';
    const expected = '..a\r\n..b\n.c\r.d\r\n\n.e\r\n';
    assert.deepEqual(encodeInPieces(bytes(input), true, []), bytes(expected));
    assert.deepEqual(encodeInPieces(bytes(input), true, Array.from({ length: input.length }, (_, i) => i)), bytes(expected));
    assert.deepEqual(encodeInPieces(bytes('x\r\n'), true, [1, 2]), bytes('x\r\n'));
    assert.deepEqual(encodeInPieces(bytes('x\n'), true, []), bytes('x\n\r\n'));
  });
});

describe('encodeFileAsBody', () => {
  let dir = '';
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'smtp-session-wire-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function collect(path: string, options: Parameters<typeof encodeFileAsBody>[1]): Promise<{ body: Buffer; chunks: number }> {
    const chunks: Buffer[] = [];
    for await (const chunk of encodeFileAsBody(path, options)) chunks.push(chunk);
    return { body: Buffer.concat(chunks), chunks: chunks.length };
  }

  for (const [name, input, expected] of [
    ['LF', 'Subject: x\n\n.hidden\nbody', 'Subject: x\r\n\r\n..hidden\r\nbody\r\n'],
    ['CRLF', 'Subject: x\r\n\r\n.hidden\r\nbody\r\n', 'Subject: x\r\n\r\n..hidden\r\nbody\r\n'],
    ['CR', 'Subject: x\r\r.hidden\rbody\r', 'Subject: x\r\n\r\n..hidden\r\nbody\r\n'],
  ]) {
    it(`streams a file with ${name} endings in tiny reads, CRLF and dots intact across reads`, async () => {
      const path = join(dir, `${name}.eml`);
      await writeFile(path, bytes(input));
      for (const highWaterMark of [1, 2, 3, 7, 65536]) {
        const { body, chunks } = await collect(path, { allowRaw: false, highWaterMark });
        assert.deepEqual(body, bytes(expected), `highWaterMark ${highWaterMark}`);
        if (highWaterMark === 1) assert.ok(chunks > 10, 'streamed, not read whole');
      }
    });
  }

  it('streams a large file in many chunks with the same result as the reference', async () => {
    const line = '.line with a leading dot and LF ending\n';
    const input = bytes(line.repeat(20_000));
    const path = join(dir, 'large.eml');
    await writeFile(path, input);
    const { body, chunks } = await collect(path, { allowRaw: false });
    assert.ok(chunks > 1);
    assert.deepEqual(body, normalisedReference(input));
  });

  it('sends raw bytes when allowed', async () => {
    const path = join(dir, 'raw.eml');
    await writeFile(path, bytes('a\n.\nb'));
    assert.deepEqual((await collect(path, { allowRaw: true, highWaterMark: 1 })).body, bytes('a\n.\nb\r\n'));
  });

  it('reports a missing file as a usage error naming the path and the line', async () => {
    const path = join(dir, 'missing.eml');
    await assert.rejects(collect(path, { allowRaw: false, line: 14 }),
      sessionError('usage', 14, new RegExp(`^line 14: \\{\\{\\$file\\}\\} cannot read ".*missing\\.eml": it does not exist\\. Check the path`)));
  });

  it('reports a directory as a usage error', async () => {
    await assert.rejects(collect(dir, { allowRaw: false }), (error: unknown) => error instanceof SessionError && error.kind === 'usage' && error.line === null && /is a directory/.test(error.message));
  });
});
