// How editors start the server: `smtp-session lsp`, `smtp-session --stdio`,
// `node dist/server.js --stdio`; and what a newcomer reads when no transport is named.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import { serverStart, SERVER_USAGE } from '../../../server/src/lsp/serverArguments';
import { Harness, SERVER, TIMEOUT } from './lspHarness';

const BIN = join(__dirname, '..', '..', '..', 'bin', 'smtp-session.js');

describe('serverStart: the command line of the language server', () => {
  it('starts on stdio when the CLI is asked for `lsp` without a transport', () => {
    assert.deepEqual(serverStart(['node', 'bin', 'lsp']), { kind: 'start', argv: ['node', 'bin', '--stdio'] });
  });

  it('keeps the transport an editor names, with or without `lsp`', () => {
    assert.deepEqual(serverStart(['node', 'bin', 'lsp', '--stdio']), { kind: 'start', argv: ['node', 'bin', '--stdio'] });
    assert.deepEqual(serverStart(['node', 'bin', '--stdio']), { kind: 'start', argv: ['node', 'bin', '--stdio'] });
    assert.deepEqual(serverStart(['node', 'server.js', '--node-ipc']), { kind: 'start', argv: ['node', 'server.js', '--node-ipc'] });
    assert.deepEqual(serverStart(['node', 'bin', 'lsp', '--socket=6010']), { kind: 'start', argv: ['node', 'bin', '--socket=6010'] });
  });

  it('explains how to start it, instead of failing on a missing stream, when dist/server.js gets no transport', () => {
    const start = serverStart(['node', 'server.js']);
    assert.equal(start.kind, 'exit');
    assert.equal(start.kind === 'exit' && start.status, 2);
    assert.match(start.kind === 'exit' ? start.text : '', /start it as `smtp-session lsp`.*--stdio, --node-ipc, --socket=PORT or --pipe=NAME/s);
  });

  it('prints its usage for --help', () => {
    assert.deepEqual(serverStart(['node', 'bin', 'lsp', '--help']), { kind: 'exit', text: SERVER_USAGE, status: 0 });
  });
});

describe('the server command as a process', () => {
  let harness: Harness | undefined;
  afterEach(() => harness?.dispose());

  for (const args of [['lsp'], ['lsp', '--stdio'], ['--stdio']]) {
    it(`answers initialize when started as \`smtp-session ${args.join(' ')}\``, TIMEOUT, async () => {
      harness = new Harness({ args: [BIN, ...args] }, null);
      const result = await harness.initialize();
      assert.equal(result.serverInfo?.name, 'SMTP Session');
      assert.ok(result.capabilities.hoverProvider);
    });
  }

  it('`node dist/server.js` without a flag exits 2 and says how to start it', () => {
    const child = spawnSync(process.execPath, [SERVER], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(child.status, 2);
    assert.match(child.stderr, /needs to be told how to talk to the editor: start it as `smtp-session lsp`/);
    assert.doesNotMatch(child.stderr, /Connection input stream is not set/);
  });

  it('`smtp-session lsp --help` prints the server usage and exits 0', () => {
    const child = spawnSync(process.execPath, [BIN, 'lsp', '--help'], { encoding: 'utf8', timeout: 10_000 });
    assert.equal(child.status, 0);
    assert.equal(child.stdout.trim(), SERVER_USAGE);
  });
});
