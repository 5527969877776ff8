// `{{$secret NAME}}` and `{{$prompt LABEL}}` for a run started by an editor:
// asked of the editor with smtp/secret when it declared that it answers it;
// from the language server's environment otherwise, and when the editor
// answers with an error, with null (Eglot's answer to requests it does not
// know) or with something that is not `{ value }`. The run asks
// each name once (run/runSecrets.ts), so nothing is remembered here.
import { ErrorCodes } from 'vscode-languageserver';
import type { SecretRequest } from '../contract/messages';
import { describeSecretVariables, readEnvironmentSecret } from '../engine/environmentSecrets';
import { SessionError } from '../engine/sessionErrors';
import type { RunSecretSource } from '../run/runSecrets';
import type { EditorClient } from './editorClient';

/** Shared by every run of one connection: once the editor says it cannot answer, it is not asked again. */
export interface EditorSecretsState {
  clientLacksSecrets: boolean;
}

export function editorSecrets(client: EditorClient, state: EditorSecretsState, run: { runId: string; uri: string }, env: NodeJS.ProcessEnv, signal: AbortSignal): RunSecretSource {
  // The host goes with the question: the editor keeps a secret for the server it was entered for.
  const ask = (kind: SecretRequest.Params['kind'], name: string, host: string) => askEditor(client, state, { ...run, kind, name, host }, env, signal);
  return { secret: (name, host) => ask('secret', name, host), prompt: (label, host) => ask('prompt', label, host) };
}

async function askEditor(client: EditorClient, state: EditorSecretsState, params: SecretRequest.Params, env: NodeJS.ProcessEnv, signal: AbortSignal): Promise<string> {
  const written = `{{$${params.kind} ${params.name}}}`;
  if (state.clientLacksSecrets || !client.answersSecrets()) return fromEnvironment(params, written, env);
  let answer: unknown;
  try {
    answer = await client.secret(params, signal);
  } catch (error) {
    if (signal.aborted) throw new SessionError('cancelled', 'The session was cancelled.');
    if (!isMethodNotFound(error)) {
      throw new SessionError('usage', `${written}: the editor could not provide the value (${(error as Error).message ?? String(error)}); nothing that uses it was sent.`);
    }
    return withoutEditor(client, state, params, written, env);
  }
  const value = typeof answer === 'object' && answer !== null && 'value' in answer ? (answer as { value: unknown }).value : undefined;
  if (value === null) throw new SessionError('usage', `${written}: no value was given (the request was declined), so the session stopped before sending anything that uses it.`);
  // null or anything but { value }: the editor does not really implement the request.
  if (typeof value !== 'string') return withoutEditor(client, state, params, written, env);
  return value;
}

/** The editor cannot answer: it is not asked again, and this and later secrets come from the environment. */
function withoutEditor(client: EditorClient, state: EditorSecretsState, params: SecretRequest.Params, written: string, env: NodeJS.ProcessEnv): string {
  state.clientLacksSecrets = true;
  client.log('SMTP: this editor does not answer smtp/secret requests; {{$secret NAME}} now comes from the environment variable SMTP_SECRET_NAME or NAME.');
  return fromEnvironment(params, written, env);
}

function fromEnvironment(params: SecretRequest.Params, written: string, env: NodeJS.ProcessEnv): string {
  if (params.kind === 'prompt') {
    throw new SessionError('usage', `${written} needs the editor to ask you, and this editor does not implement the smtp/secret request. Use {{$secret NAME}} with the environment variable NAME set for the language server instead.`);
  }
  const value = readEnvironmentSecret(env, params.name);
  if (value === undefined) {
    throw new SessionError('usage', `${written}: this editor does not provide secrets (no smtp/secret request), and neither environment variable ${describeSecretVariables(params.name)} is set for the language server. Set one in the environment the editor starts the server from.`);
  }
  return value;
}

function isMethodNotFound(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === ErrorCodes.MethodNotFound;
}
