import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MAX_RESOLVED_LENGTH, resolveReferences, variableValues, type ResolvedText, type SecretProvider } from '../../../server/src/engine/resolveVariables';
import { SessionError } from '../../../server/src/engine/sessionErrors';
import { scanVariableReferences } from '../../../server/src/transcript/variableReferences';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import { visibleVariables } from '../../../server/src/analysis/variableScope';
import type { CommandStep } from '../../../server/src/transcript/ast';

interface Asked {
  secrets: string[];
  prompts: string[];
}

function provider(values: Record<string, string>, asked: Asked = { secrets: [], prompts: [] }): SecretProvider {
  return {
    async secret(name) {
      asked.secrets.push(name);
      if (!(name in values)) throw new SessionError('usage', `no secret ${name}`);
      return values[name];
    },
    async prompt(label) {
      asked.prompts.push(label);
      return values[`prompt:${label}`] ?? '';
    },
  };
}

/**
 * Resolves the text after `C: ` on a transcript line (line index 4, so messages say "line 5").
 */
function resolve(
  line: string,
  scope: Record<string, string> = {},
  options: { env?: NodeJS.ProcessEnv; secrets?: Record<string, string>; asked?: Asked } = {},
): Promise<ResolvedText> {
  const startColumn = 3;
  const references = scanVariableReferences(line, 4, startColumn).references;
  return resolveReferences(line.slice(startColumn), references, startColumn, new Map(Object.entries(scope)), options.env ?? {}, provider(options.secrets ?? {}, options.asked));
}

function usageError(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof SessionError, `expected a SessionError, got ${String(error)}`);
    assert.equal(error.kind, 'usage');
    assert.equal(error.line, 5);
    assert.match(error.message, /^line 5: /);
    assert.match(error.message, pattern);
    return true;
  };
}

const b64 = (text: string) => Buffer.from(text, 'utf8').toString('base64');

describe('resolveReferences', () => {
  it('returns text without references unchanged', async () => {
    assert.deepEqual(await resolve('C: NOOP {{ unclosed'), { text: 'NOOP {{ unclosed', secrets: [], variablesUsed: [], environmentVariables: [] });
  });

  it('substitutes plain variables at their columns', async () => {
    const resolved = await resolve('C: MAIL FROM:<{{user}}@{{domain}}> SIZE=1', { user: 'alice', domain: 'example.com' });
    assert.equal(resolved.text, 'MAIL FROM:<alice@example.com> SIZE=1');
    assert.deepEqual(resolved.variablesUsed, ['user', 'domain']);
    assert.deepEqual(resolved.secrets, []);
  });

  it('resolves a variable whose value holds references, recursively', async () => {
    const resolved = await resolve('C: RCPT TO:<{{to}}>', { to: '{{local}}@{{host}}', local: 'bob', host: 'mx.{{tld}}', tld: 'example.org' });
    assert.equal(resolved.text, 'RCPT TO:<bob@mx.example.org>');
    assert.deepEqual(resolved.variablesUsed, ['to', 'local', 'host', 'tld']);
  });

  it('refuses a cycle and names it', async () => {
    await assert.rejects(resolve('C: EHLO {{a}}', { a: 'x{{b}}', b: '{{c}}', c: '{{a}}' }), usageError(/cycle, \{\{a\}\} → \{\{b\}\} → \{\{c\}\} → \{\{a\}\}/));
    await assert.rejects(resolve('C: EHLO {{self}}', { self: 'more {{self}}' }), usageError(/cycle, \{\{self\}\} → \{\{self\}\}/));
  });

  it('uses one variable twice without calling it a cycle', async () => {
    assert.equal((await resolve('C: EHLO {{a}}.{{a}}', { a: '{{b}}{{b}}', b: 'x' })).text, 'EHLO xx.xx');
  });

  it('refuses values that grow without bound', async () => {
    const scope: Record<string, string> = { v0: 'xxxxxxxxxx' };
    for (let i = 1; i <= 20; i++) scope[`v${i}`] = `{{v${i - 1}}}{{v${i - 1}}}`;
    await assert.rejects(resolve('C: EHLO {{v20}}', scope), usageError(new RegExp(`longer than ${MAX_RESOLVED_LENGTH} characters`)));
  });

  it('names an undefined variable, also when a value uses it', async () => {
    await assert.rejects(resolve('C: EHLO {{host}}'), usageError(/\{\{host\}\} is not defined here\. Define it with "@host = value"/));
    await assert.rejects(resolve('C: EHLO {{a}}', { a: '{{missing}}' }), usageError(/\{\{missing\}\} \(used in the value of \{\{a\}\}\) is not defined/));
  });

  it('refuses an empty reference and arguments to a plain variable', async () => {
    await assert.rejects(resolve('C: EHLO {{}}'), usageError(/names no variable/));
    await assert.rejects(resolve('C: EHLO {{host extra}}', { host: 'a' }), usageError(/takes no arguments/));
  });

  it('reads $env, and names a missing one with the export to do', async () => {
    assert.equal((await resolve('C: EHLO {{$env CLIENT_NAME}}', {}, { env: { CLIENT_NAME: 'client.example' } })).text, 'EHLO client.example');
    assert.equal((await resolve('C: EHLO x{{$env EMPTY}}', {}, { env: { EMPTY: '' } })).text, 'EHLO x');
    await assert.rejects(resolve('C: EHLO {{$env CLIENT_NAME}}'), usageError(/\{\{\$env CLIENT_NAME\}\}: the environment variable CLIENT_NAME is not set\. Export it/));
  });

  it('names the environment variables read, once each, never their values', async () => {
    const resolved = await resolve('C: {{$env A}} {{$env B}} {{$env A}} {{v}}', { v: '{{$env C}}' }, { env: { A: 'x', B: 'y', C: 'z' } });
    assert.equal(resolved.text, 'x y x z');
    assert.deepEqual(resolved.environmentVariables, ['A', 'B', 'C']);
  });

  it('refuses $env of an SMTP_SECRET_ variable, whose value would be shown, and names the $secret to use', async () => {
    const env = { SMTP_SECRET_PASS: 'hunter22' };
    await assert.rejects(resolve('C: AUTH PLAIN {{$env SMTP_SECRET_PASS}}', {}, { env }), usageError(/^line 5: \{\{\$env SMTP_SECRET_PASS\}\}: SMTP_SECRET_PASS holds a secret.*Write \{\{\$secret PASS\}\} instead/));
    await assert.rejects(resolve('C: X {{v}}', { v: '{{$env smtp_secret_pass}}' }, { env }), usageError(/holds a secret/));
    await assert.rejects(resolve('C: AUTH PLAIN {{$env SMTP_SECRET_PASS}}', {}, { env }), (error: Error) => !error.message.includes('hunter22'));
  });

  it('takes $secret from the provider and marks it and its base64 as secret', async () => {
    const asked: Asked = { secrets: [], prompts: [] };
    const resolved = await resolve('C: {{$secret SMTP_PASSWORD}}', {}, { secrets: { SMTP_PASSWORD: 'hunter22' }, asked });
    assert.equal(resolved.text, 'hunter22');
    assert.deepEqual(asked.secrets, ['SMTP_PASSWORD']);
    assert.deepEqual(new Set(resolved.secrets), new Set(['hunter22', b64('hunter22')]));
    assert.deepEqual(resolved.variablesUsed, ['$secret SMTP_PASSWORD']);
  });

  it('asks $prompt with its whole label and marks the answer secret', async () => {
    const asked: Asked = { secrets: [], prompts: [] };
    const resolved = await resolve('C: {{$prompt SMTP password for alice}}', {}, { secrets: { 'prompt:SMTP password for alice': 'pa ss' }, asked });
    assert.equal(resolved.text, 'pa ss');
    assert.deepEqual(asked.prompts, ['SMTP password for alice']);
    assert.ok(resolved.secrets.includes('pa ss'));
  });

  it('encodes $base64 of UTF-8 text, spaces kept, and nested references', async () => {
    assert.equal((await resolve('C: {{$base64 alice@example.com}}')).text, b64('alice@example.com'));
    assert.equal((await resolve('C: {{$base64 grüße  dich}}')).text, b64('grüße  dich'));
    const nested = await resolve('C: {{$base64 {{user}}@{{$env DOMAIN}}}}', { user: 'bob' }, { env: { DOMAIN: 'example.org' } });
    assert.equal(nested.text, b64('bob@example.org'));
    assert.deepEqual(nested.secrets, [], 'nothing secret went in');
    assert.deepEqual(nested.variablesUsed, ['$base64 {{user}}@{{$env DOMAIN}}', 'user', '$env DOMAIN']);
  });

  it('marks $base64 of a secret as secret', async () => {
    const resolved = await resolve('C: {{$base64 {{$secret PASS}}}}', {}, { secrets: { PASS: 'topsecret' } });
    assert.equal(resolved.text, b64('topsecret'));
    assert.ok(resolved.secrets.includes(b64('topsecret')));
    assert.ok(resolved.secrets.includes('topsecret'));
  });

  it('builds $authPlain (RFC 4616) and marks the result and its parts secret', async () => {
    const resolved = await resolve('C: AUTH PLAIN {{$authPlain {{user}} {{$secret PASS}}}}', { user: 'alice' }, { secrets: { PASS: 'hunter22' } });
    const expected = b64('\0alice\0hunter22');
    assert.equal(resolved.text, `AUTH PLAIN ${expected}`);
    for (const secret of [expected, 'alice', 'hunter22', b64('hunter22'), '\0alice\0hunter22']) {
      assert.ok(resolved.secrets.includes(secret), JSON.stringify(secret));
    }
    assert.ok(!resolved.secrets.includes(resolved.text), 'the command around it is not a secret');
  });

  it('marks literal $authPlain parts secret too', async () => {
    const resolved = await resolve('C: AUTH PLAIN {{$authPlain alice s3cret}}');
    assert.equal(resolved.text, `AUTH PLAIN ${b64('\0alice\0s3cret')}`);
    assert.ok(resolved.secrets.includes('s3cret'));
  });

  it('refuses $authPlain without exactly two arguments', async () => {
    await assert.rejects(resolve('C: AUTH PLAIN {{$authPlain alice}}'), usageError(/two arguments/));
  });

  it('taints a variable whose value holds a secret: its whole value is a secret', async () => {
    const resolved = await resolve('C: {{cred}}', { cred: 'alice:{{pass}}', pass: '{{$secret P}}' }, { secrets: { P: 'hunter22' } });
    assert.equal(resolved.text, 'alice:hunter22');
    assert.deepEqual(new Set(resolved.secrets), new Set(['hunter22', b64('hunter22'), 'alice:hunter22']));
  });

  it('asks for each secret once per call, even when a variable is used twice', async () => {
    const asked: Asked = { secrets: [], prompts: [] };
    await resolve('C: {{p}} {{p}}', { p: '{{$prompt pin}}' }, { secrets: { 'prompt:pin': '1234' }, asked });
    assert.deepEqual(asked.prompts, ['pin']);
  });

  it('refuses $file outside a body line of its own, and unknown functions', async () => {
    await assert.rejects(resolve('C: x {{$file body.eml}}'), usageError(/can only stand alone on a line of a message body/));
    await assert.rejects(resolve('C: {{$nope x}}'), usageError(/\$nope is not a system variable/));
    await assert.rejects(resolve('C: {{$secret}}'), usageError(/needs its NAME/));
  });

  it('lets provider errors through', async () => {
    await assert.rejects(resolve('C: {{$secret MISSING}}'), /no secret MISSING/);
  });

  it('never puts a value in an error message', async () => {
    await assert.rejects(resolve('C: {{a}} {{b}}', { a: '{{$secret P}}' }, { secrets: { P: 'hunter22' } }), (error: Error) => !error.message.includes('hunter22'));
  });

  it('rejects a startColumn that does not match the references', async () => {
    const line = 'C: EHLO {{host}}';
    const references = scanVariableReferences(line, 0, 3).references;
    await assert.rejects(resolveReferences(line.slice(8), references, 3, new Map([['host', 'a']]), {}, provider({})), RangeError);
  });
});

describe('variableValues', () => {
  it('maps the visible definitions to their raw values, references unresolved', async () => {
    const file = parseTranscript('@host = mx.example.org\n### one\n@to = bob@{{host}}\nC: RCPT TO:<{{to}}>\n');
    const session = file.sessions[0];
    const command = session.steps.find((step) => step.kind === 'command') as CommandStep;
    const scope = variableValues(visibleVariables(file, session, command.line));
    assert.deepEqual([...scope], [['host', 'mx.example.org'], ['to', 'bob@{{host}}']]);
    const resolved = await resolveReferences(command.text.text, command.variables, command.text.range.start.character, scope, {}, provider({}));
    assert.equal(resolved.text, 'RCPT TO:<bob@mx.example.org>');
  });
});
