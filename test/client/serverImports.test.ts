// client/src is VS Code glue: all it knows of the server is the wire contract.
// An import of anything else under server/src (the engine's types, a feature)
// would tie the extension to the server's internals.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = join(__dirname, '../..');
const CLIENT = join(ROOT, 'client/src');
const SERVER = join(ROOT, 'server/src');
const CONTRACT = join(SERVER, 'contract/messages');

function sourceFiles(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('the client\'s imports from the server', () => {
  it('reach only server/src/contract/messages.ts', () => {
    const files = sourceFiles(CLIENT);
    assert.ok(files.length > 10, `found only ${files.length} client files`);
    const strays: string[] = [];
    for (const file of files) {
      for (const { fileName } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
        if (!fileName.startsWith('.')) continue;
        const target = resolve(dirname(file), fileName).replace(/\.ts$/, '');
        if (!relative(SERVER, target).startsWith('..') && target !== CONTRACT) strays.push(`${relative(ROOT, file)} imports ${fileName}`);
      }
    }
    assert.deepEqual(strays, []);
  });
});
