import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { codeLensMiddleware } from '../../client/src/codeLensCommands';

describe('code lens commands', () => {
  it('shows the server\'s lenses as it made them: their command and arguments are the run\'s', () => {
    const middleware = codeLensMiddleware(async () => undefined);
    assert.equal(middleware.provideCodeLenses, undefined);
    assert.equal(middleware.resolveCodeLens, undefined);
  });
  it('hands smtp.lsp.runSession\'s argument, unchanged, to the extension\'s run, and every other command to the server', async () => {
    const routed: unknown[] = [];
    const middleware = codeLensMiddleware(async (params) => routed.push(params));
    const execute = middleware.executeCommand as (command: string, args: unknown[], next: (c: string, a: unknown[]) => unknown) => unknown;
    const lensArgument = { uri: 'file:///a.smtp', session: 1, record: true };
    await execute('smtp.lsp.runSession', [lensArgument], () => assert.fail('sent to the server directly'));
    assert.equal(routed[0], lensArgument);
    assert.equal(execute('smtp.lsp.listSessions', [], (command) => command), 'smtp.lsp.listSessions');
  });
});
