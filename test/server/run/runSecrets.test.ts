import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { SessionError } from '../../../server/src/engine/sessionErrors';
import { secretsForOneRun, type RunSecretSource } from '../../../server/src/run/runSecrets';

function countingProvider(answer: (name: string) => Promise<string>): { provider: RunSecretSource; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    provider: {
      secret: (name, host) => {
        asked.push(`secret ${name} for ${host}`);
        return answer(name);
      },
      prompt: (label, host) => {
        asked.push(`prompt ${label} for ${host}`);
        return answer(label);
      },
    },
  };
}

describe('secretsForOneRun: each secret asked once per run', () => {
  it('asks each name and each label once, however often the run uses them', async () => {
    const { provider, asked } = countingProvider(async (name) => `value of ${name}`);
    const secrets = secretsForOneRun(provider, new AbortController().signal).forHost('mail.example.org');
    assert.equal(await secrets.secret('PASS'), 'value of PASS');
    assert.equal(await secrets.secret('PASS'), 'value of PASS');
    assert.equal(await secrets.prompt('PASS'), 'value of PASS');
    assert.equal(await secrets.prompt('PASS'), 'value of PASS');
    assert.deepEqual(asked, ['secret PASS for mail.example.org', 'prompt PASS for mail.example.org']);
  });

  it('asks two questions for the same name only once even while the first is open', async () => {
    let release: (value: string) => void = () => undefined;
    const { provider, asked } = countingProvider(() => new Promise((resolve) => (release = resolve)));
    const secrets = secretsForOneRun(provider, new AbortController().signal).forHost('mail.example.org');
    const first = secrets.secret('PASS');
    const second = secrets.secret('PASS');
    release('typed once');
    assert.deepEqual(await Promise.all([first, second]), ['typed once', 'typed once']);
    assert.deepEqual(asked, ['secret PASS for mail.example.org']);
  });

  it('asks again after a refusal instead of remembering the failure', async () => {
    let refuse = true;
    const { provider, asked } = countingProvider(async () => {
      if (refuse) throw new SessionError('usage', 'declined');
      return 'given';
    });
    const secrets = secretsForOneRun(provider, new AbortController().signal).forHost('mail.example.org');
    await assert.rejects(secrets.secret('PASS'), /declined/);
    refuse = false;
    assert.equal(await secrets.secret('PASS'), 'given');
    assert.equal(asked.length, 2);
  });

  it('stops waiting for an answer as soon as the run is cancelled', async () => {
    const { provider } = countingProvider(() => new Promise<string>(() => undefined));
    const controller = new AbortController();
    const secrets = secretsForOneRun(provider, controller.signal).forHost('mail.example.org');
    const waiting = secrets.prompt('SMTP password');
    controller.abort();
    await assert.rejects(waiting, (error: unknown) => error instanceof SessionError && error.kind === 'cancelled');
  });

  it('asks again for another host: a value given for one server never answers a session bound for another', async () => {
    const { provider, asked } = countingProvider(async (name) => `value of ${name}`);
    const secrets = secretsForOneRun(provider, new AbortController().signal);
    await secrets.forHost('mail.example.org').secret('PASS');
    await secrets.forHost('mail.example.org').secret('PASS');
    await secrets.forHost('attacker.example').secret('PASS');
    assert.deepEqual(asked, ['secret PASS for mail.example.org', 'secret PASS for attacker.example']);
  });

  it('every run asks anew: nothing outlives the run', async () => {
    const { provider, asked } = countingProvider(async () => 'v');
    await secretsForOneRun(provider, new AbortController().signal).forHost('mail.example.org').secret('PASS');
    await secretsForOneRun(provider, new AbortController().signal).forHost('mail.example.org').secret('PASS');
    assert.equal(asked.length, 2);
  });
});
