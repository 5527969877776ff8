import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CodeLens, TextDocument, CancellationToken } from 'vscode';
import { codeLensMiddleware, commandForRunParams } from '../../client/src/codeLensCommands';

const lens = (args: object): CodeLens => ({ range: {} as CodeLens['range'], isResolved: true, command: { title: 'x', command: 'smtp.lsp.runSession', arguments: [args] } });

describe('code lens commands', () => {
  it('maps the server\'s run params to the extension\'s commands', () => {
    assert.equal(commandForRunParams({ uri: 'file:///a.smtp', session: 0 }), 'smtp.runSession');
    assert.equal(commandForRunParams({ uri: 'file:///a.smtp', session: 0, local: true }), 'smtp.runSessionAgainstLocalServer');
    assert.equal(commandForRunParams({ uri: 'file:///a.smtp', session: 0, record: true }), 'smtp.recordSession');
    assert.equal(commandForRunParams(undefined), 'smtp.runSession');
  });
  it('swaps each lens\'s command and keeps its title and argument', async () => {
    const middleware = codeLensMiddleware(async () => undefined);
    const params = { uri: 'file:///a.smtp', session: 1, record: true };
    const provide = middleware.provideCodeLenses as (d: TextDocument, t: CancellationToken, next: unknown) => Promise<CodeLens[]>;
    const [mapped, other] = await provide({} as TextDocument, {} as CancellationToken, () => [lens(params), { ...lens({}), command: { title: 'y', command: 'other' } }]);
    assert.equal(mapped.command?.command, 'smtp.recordSession');
    assert.deepEqual(mapped.command?.arguments, [params]);
    assert.equal(other.command?.command, 'other');
  });
  it('routes smtp.lsp.runSession executed as a VS Code command through the extension', async () => {
    const routed: unknown[] = [];
    const middleware = codeLensMiddleware(async (params) => routed.push(params));
    const execute = middleware.executeCommand as (command: string, args: unknown[], next: (c: string, a: unknown[]) => unknown) => unknown;
    await execute('smtp.lsp.runSession', [{ uri: 'file:///a.smtp' }], () => assert.fail('sent to the server directly'));
    assert.deepEqual(routed, [{ uri: 'file:///a.smtp' }]);
    assert.equal(execute('smtp.lsp.listSessions', [], (command) => command), 'smtp.lsp.listSessions');
  });
});
