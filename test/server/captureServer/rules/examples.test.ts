import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../../server/src/cli/runCli';
import { startLocalServer, type RunningLocalServer } from '../../../../server/src/captureServer/localServer';
import { readRulesFile } from '../../../../server/src/captureServer/rules/readRulesFile';

// Each example rules file of examples/rules/ comes with the .smtp sessions it is
// written for: they pass against a capture server with the rules, and fail
// against one without (so the rules, not the server, make the faults).
const examples = join(__dirname, '..', '..', '..', '..', 'examples', 'rules');

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function serve(example: string | null): Promise<RunningLocalServer> {
  const server = await startLocalServer({ port: 0, tls: 'none', rules: example === null ? [] : readRulesFile(join(examples, `${example}.jsonc`)) });
  cleanups.push(() => server.close());
  return server;
}

/** `smtp-session run` of the example's .smtp (or one of its sessions) against `server`: the exit status and the output. */
async function play(server: RunningLocalServer, example: string, ...options: string[]): Promise<{ status: number; output: string }> {
  const out: string[] = [];
  const status = await runCli(['run', '--server', `127.0.0.1:${server.port}`, ...options, join(examples, `${example}.smtp`)], { stdout: (text) => out.push(text), stderr: (text) => out.push(text) });
  return { status, output: out.join('\n') };
}

describe('the example rules files', () => {
  it('are four, each with its sessions', () => {
    const files = readdirSync(examples).sort();
    assert.deepEqual(files, ['bouncing-domain.jsonc', 'bouncing-domain.smtp', 'greylisting.jsonc', 'greylisting.smtp', 'rate-limit.jsonc', 'rate-limit.smtp', 'size-limit.jsonc', 'size-limit.smtp']);
  });

  for (const example of ['bouncing-domain', 'greylisting', 'size-limit']) {
    it(`${example}: its sessions pass with the rules and fail without them`, async () => {
      const played = await play(await serve(example), example);
      assert.equal(played.status, 0, played.output);
      const without = await play(await serve(null), example);
      assert.equal(without.status, 1, without.output);
    });
  }

  it('greylisting: the retry is accepted because the first attempt was the one deferred', async () => {
    const server = await serve('greylisting');
    assert.equal((await play(server, 'greylisting', '--session', '2')).status, 1, 'played first, the retry session meets the 451');
  });

  it('rate-limit: ten messages pass, the eleventh within the minute gets the 421', async () => {
    const server = await serve('rate-limit');
    for (let i = 0; i < 10; i++) {
      const one = await play(server, 'rate-limit', '--session', '1');
      assert.equal(one.status, 0, `message ${i + 1}: ${one.output}`);
    }
    const eleventh = await play(server, 'rate-limit', '--session', '2');
    assert.equal(eleventh.status, 0, eleventh.output);
    assert.equal(server.messages.length, 10);
    assert.equal((await play(await serve(null), 'rate-limit', '--session', '2')).status, 1, 'without the rule, MAIL is accepted');
  });
});
