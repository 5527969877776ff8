import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { LogOutputChannel } from 'vscode';
import { MaskedOutputChannel } from '../../../client/src/secrets/maskedOutputChannel';
import { SecretMask } from '../../../client/src/secrets/secretMask';

/** A channel that keeps what it is given, as the language client would write it. */
function recordingChannel(): { channel: LogOutputChannel; written: string[] } {
  const written: string[] = [];
  const log = (level: string) => (message: unknown, ...args: unknown[]) => {
    written.push(`${level} ${message instanceof Error ? `${message.message}\n${message.stack}` : String(message)} ${args.map((arg) => (arg instanceof Error ? arg.message : String(arg))).join(' ')}`);
  };
  const channel = {
    name: 'SMTP', logLevel: 1, onDidChangeLogLevel: () => ({ dispose() {} }),
    trace: log('trace'), debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'),
    append: log('append'), appendLine: log('appendLine'), replace: log('replace'),
    clear() {}, show() {}, hide() {}, dispose() {},
  } as unknown as LogOutputChannel;
  return { channel, written };
}

describe('masked output channel', () => {
  it('masks secrets in the trace of a response, however they are written', () => {
    const mask = new SecretMask();
    const { channel, written } = recordingChannel();
    const masked = new MaskedOutputChannel(channel, mask);
    mask.add('hunter"2');
    // How vscode-languageclient traces a response with verbose tracing.
    masked.trace(`Sending response 'smtp/secret - (3)'.\nResult: ${JSON.stringify({ value: 'hunter"2' }, null, 4)}`);
    masked.info('plain hunter"2', 'arg hunter"2', { nested: 'hunter"2' });
    masked.error(new Error('failed with hunter"2'), new Error('hunter"2 again'));
    masked.appendLine('line hunter"2');
    assert.equal(written.some((line) => line.includes('hunter')), false, written.join('\n'));
    assert.match(written[0], /"value": "\*\*\*"/);
  });
  it('passes everything else through unchanged', () => {
    const { channel, written } = recordingChannel();
    const masked = new MaskedOutputChannel(channel, new SecretMask());
    masked.debug('nothing secret', 42);
    assert.deepEqual(written, ['debug nothing secret 42']);
    assert.equal(masked.name, 'SMTP');
  });
});
