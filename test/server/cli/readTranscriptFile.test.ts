import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';
import { DEFAULT_MAX_FILE_SIZE, readTranscriptFile } from '../../../server/src/cli/readTranscriptFile';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

const TRANSCRIPT = 'S: 220 ready\nC: QUIT\nS: 221 bye\n';
let folder: string;
const path = (name: string) => join(folder, name);

before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-inputs-'));
  execFileSync('mkfifo', [path('pipe.smtp')]);
  // Sparse: 200 MB by its size, nothing on disk. The size is refused before a byte is read.
  writeFileSync(path('huge.smtp'), '');
  truncateSync(path('huge.smtp'), 200 * 1024 * 1024);
  writeFileSync(path('bom.smtp'), Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TRANSCRIPT)]));
  writeFileSync(path('utf16le-bom.smtp'), Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TRANSCRIPT, 'utf16le')]));
  writeFileSync(path('utf16le.smtp'), Buffer.from(TRANSCRIPT, 'utf16le'));
  writeFileSync(path('utf16be.smtp'), Buffer.from(TRANSCRIPT, 'utf16le').swap16());
  writeFileSync(path('latin1.smtp'), Buffer.from('S: 220 ready\nC: EHLO caf\xe9\nS: 250 ok\n', 'latin1'));
  writeFileSync(path('small.smtp'), TRANSCRIPT);
});

after(() => rmSync(folder, { recursive: true, force: true }));

describe('smtp-session check and run: what they read', () => {
  it('refuses a named pipe at once instead of waiting for a writer (check and run)', async () => {
    const checked = await run('check', path('pipe.smtp'));
    assert.equal(checked.status, 2);
    assert.equal(checked.stderr, `smtp-session: cannot read ${path('pipe.smtp')}: it is a named pipe (FIFO), not a regular file; give the path of a .smtp file`);
    const ran = await run('run', path('pipe.smtp'));
    assert.equal(ran.status, 2);
    assert.match(ran.stderr, /it is a named pipe \(FIFO\), not a regular file/);
  });

  it('refuses a named pipe for import too, naming what import reads', async () => {
    const imported = await run('import', path('pipe.smtp'));
    assert.equal(imported.status, 2);
    assert.equal(imported.stderr, `smtp-session: cannot read ${path('pipe.smtp')}: it is a named pipe (FIFO), not a regular file; give the path of the log or transcript to convert (or - for standard input)`);
  });

  it('refuses a device', async () => {
    const result = await run('check', '/dev/zero');
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read \/dev\/zero: it is a device, not a regular file/);
  });

  it(`refuses a 200 MB file by its size, naming the limit (${DEFAULT_MAX_FILE_SIZE / 1024 / 1024} MB) and --max-size`, async () => {
    const result = await run('check', path('huge.smtp'));
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `smtp-session: cannot read ${path('huge.smtp')}: it is larger than 32 MB, the limit for a transcript; raise it with --max-size (e.g. --max-size 100M) if the file really is one`);
  });

  it('takes a lower or higher limit from --max-size', async () => {
    assert.match((await run('check', '--max-size', '16', path('small.smtp'))).stderr, /larger than 16 bytes/);
    assert.equal((await run('check', '--max-size=1K', path('small.smtp'))).status, 0);
    assert.match((await run('run', '--max-size', '16', path('small.smtp'))).stderr, /larger than 16 bytes/);
    const wrong = await run('check', '--max-size', 'lots', path('small.smtp'));
    assert.equal(wrong.status, 2);
    assert.match(wrong.stderr, /--max-size must be a number of bytes such as 1000000, 64K or 10M, not "lots"/);
  });

  it('drops a UTF-8 byte order mark: line 1 is the greeting, not an unprefixed line', async () => {
    const result = await run('check', path('bom.smtp'));
    assert.equal(result.status, 0);
    assert.equal(result.stdout, '1 file checked: no problems.');
  });

  it('reports UTF-16 once, as an encoding error naming the file, with or without a byte order mark', async () => {
    for (const [name, encoding] of [['utf16le-bom.smtp', 'UTF-16 (little-endian, with a byte order mark)'], ['utf16le.smtp', 'UTF-16 (little-endian)'], ['utf16be.smtp', 'UTF-16 (big-endian)']]) {
      const result = await run('check', path(name));
      assert.equal(result.status, 2, name);
      assert.equal(result.stdout, '0 files checked: no problems.', name);
      assert.equal(result.stderr, `smtp-session: cannot read ${path(name)}: it is encoded as ${encoding}; .smtp files are UTF-8: save it as UTF-8 (most editors: "Save with Encoding")`);
    }
  });

  it('reports invalid UTF-8 once, with the line and byte of the first bad one', async () => {
    const result = await run('check', path('latin1.smtp'));
    assert.equal(result.status, 2);
    assert.equal(result.stderr, `smtp-session: cannot read ${path('latin1.smtp')}: it is not valid UTF-8 (line 2, byte 25: 0xe9); .smtp files are UTF-8: save it as UTF-8`);
  });
});

describe('readTranscriptFile', () => {
  it('accepts well-formed UTF-8 of every length and refuses overlong forms and surrogates', () => {
    writeFileSync(path('utf8.smtp'), 'C: NOOP é € 𝄞\n');
    assert.deepEqual(readTranscriptFile(path('utf8.smtp')), { ok: true, text: 'C: NOOP é € 𝄞\n' });
    for (const [bytes, at] of [[[0xc0, 0xaf], 9], [[0xed, 0xa0, 0x80], 9], [[0xe2, 0x82], 9], [[0xf8, 0x88, 0x80, 0x80, 0x80], 9]] as const) {
      writeFileSync(path('bad.smtp'), Buffer.concat([Buffer.from('C: NOOP '), Buffer.from(bytes)]));
      const read = readTranscriptFile(path('bad.smtp'));
      assert.equal(read.ok, false);
      assert.match(!read.ok ? read.message : '', new RegExp(`line 1, byte ${at}: 0x${bytes[0].toString(16)}`));
    }
  });
});
