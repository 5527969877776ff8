// The wire contract is the one file any editor implements from: it must stand
// alone (no import reaches the engine or any other part of the server), and
// its names must be unique and in the server's own namespaces.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import * as messages from '../../../server/src/contract/messages';

const CONTRACT = join(__dirname, '../../../server/src/contract/messages.ts');

describe('the wire contract', () => {
  it('imports nothing, so its types are the wire\'s own and not another layer\'s', () => {
    const { importedFiles, referencedFiles, typeReferenceDirectives } = ts.preProcessFile(readFileSync(CONTRACT, 'utf8'), true, true);
    assert.deepEqual([...importedFiles, ...referencedFiles, ...typeReferenceDirectives].map((file) => file.fileName), []);
  });

  it('lists every command once, each in the smtp.lsp. namespace', () => {
    assert.equal(new Set(messages.SERVER_COMMANDS).size, messages.SERVER_COMMANDS.length);
    for (const command of messages.SERVER_COMMANDS) assert.match(command, /^smtp\.lsp\.[a-z][A-Za-z]+$/);
  });

  it('names every notification and request in the smtp/ namespace, each once', () => {
    const methods = [messages.SessionEventNotification.method, messages.LocalServerStatusNotification.method, messages.CapturedMessageNotification.method, messages.DocumentSessionsNotification.method, messages.SecretRequest.method];
    assert.equal(new Set(methods).size, methods.length);
    for (const method of methods) assert.match(method, /^smtp\/[a-z][A-Za-z]+$/);
  });
});
