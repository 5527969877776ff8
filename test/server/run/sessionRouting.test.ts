import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { goesToCaptureServer, type RunTarget } from '../../../server/src/run/sessionRouting';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const file = parseTranscript([
  '### Names no server',
  'S: 220 mx',
  'C: QUIT',
  'S: 221 bye',
  '### Names one',
  '@server = mx.example.net:25',
  'S: 220 mx',
  'C: QUIT',
  'S: 221 bye',
].join('\n'));
const [unnamed, named] = file.sessions;
const asWritten: RunTarget = { server: null, local: false, variables: null };

describe('goesToCaptureServer: where a session is played', () => {
  it('sends a session that names no server to the embedded capture server', () => {
    assert.equal(goesToCaptureServer(file, unnamed, asWritten), true);
    assert.equal(goesToCaptureServer(file, named, asWritten), false);
  });

  it('follows a server named for the whole file above the first session', () => {
    const withFileServer = parseTranscript(['@server = mx.example.net', '### One', 'S: 220 mx', 'C: QUIT', 'S: 221 bye'].join('\n'));
    assert.equal(goesToCaptureServer(withFileServer, withFileServer.sessions[0], asWritten), false);
  });

  it('sends nothing there when the run names a server or an environment does', () => {
    assert.equal(goesToCaptureServer(file, unnamed, { ...asWritten, server: '127.0.0.1:2525' }), false);
    assert.equal(goesToCaptureServer(file, unnamed, { ...asWritten, variables: { server: 'staging.example.net' } }), false);
    assert.equal(goesToCaptureServer(file, unnamed, { ...asWritten, variables: { user: 'bob' } }), true);
  });

  it('sends every session there when the user asks for the local server', () => {
    assert.equal(goesToCaptureServer(file, named, { ...asWritten, local: true }), true);
  });
});
