// The arguments of the server's commands, checked: they come from any client,
// so each one is validated here and a wrong one fails the request with
// InvalidParams and a message that says what to send instead.
import { ErrorCodes, ResponseError } from 'vscode-languageserver';
import {
  CancelSessionCommand,
  ClearRunResultsCommand,
  ExplainCommand,
  ImportTranscriptCommand,
  ListSessionsCommand,
  CapturedSessionTranscriptCommand,
  PreviewCapturedMessageCommand,
  RunSessionCommand,
  StartLocalServerCommand,
} from '../contract/messages';
import { IMPORT_FROM_NAMES, type ImportFrom } from '../import/importTranscript';

/** At most this many environment values per run: an environment is a handful of names, not a data store. */
const MAX_VARIABLES = 500;
const MAX_VARIABLE_VALUE_LENGTH = 100_000;

export function invalidParams(message: string): ResponseError<void> {
  return new ResponseError(ErrorCodes.InvalidParams, message);
}

function argumentObject(command: string, argument: unknown): Record<string, unknown> {
  if (argument === undefined || argument === null) return {};
  if (typeof argument !== 'object' || Array.isArray(argument)) throw invalidParams(`${command} takes one object argument, not ${describeValue(argument)}.`);
  return argument as Record<string, unknown>;
}

export function runParams(argument: unknown): RunSessionCommand.Params {
  const command = RunSessionCommand.command;
  const object = argumentObject(command, argument);
  const { uri, session, server, insecure, timeoutSeconds, runId, local, variables, record, confirm } = object;
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${command} needs "uri", the document's URI, as a string.`);
  if (session != null && !(Number.isInteger(session) && (session as number) >= 0)) throw invalidParams(`${command}: "session" must be a 0-based session index or null (every session), not ${describeValue(session)}.`);
  if (server != null && (typeof server !== 'string' || server.trim() === '')) throw invalidParams(`${command}: "server" must be "host:port" or null, not ${describeValue(server)}.`);
  if (insecure !== undefined && typeof insecure !== 'boolean') throw invalidParams(`${command}: "insecure" must be true or false, not ${describeValue(insecure)}.`);
  if (timeoutSeconds != null && !(typeof timeoutSeconds === 'number' && Number.isFinite(timeoutSeconds) && timeoutSeconds > 0)) {
    throw invalidParams(`${command}: "timeoutSeconds" must be a number of seconds greater than 0, or null, not ${describeValue(timeoutSeconds)}.`);
  }
  if (runId !== undefined && (typeof runId !== 'string' || runId === '' || runId.length > 200)) throw invalidParams(`${command}: "runId" must be a non-empty string of at most 200 characters, not ${describeValue(runId)}.`);
  if (local !== undefined && typeof local !== 'boolean') throw invalidParams(`${command}: "local" must be true or false, not ${describeValue(local)}.`);
  if (local === true && server != null) throw invalidParams(`${command}: give "server" or "local: true", not both: one names a server, the other the embedded local server.`);
  if (record !== undefined && typeof record !== 'boolean') throw invalidParams(`${command}: "record" must be true or false, not ${describeValue(record)}.`);
  if (confirm != null && confirm !== 'always') throw invalidParams(`${command}: "confirm" must be "always" or absent, not ${describeValue(confirm)}.`);
  return {
    uri,
    session: (session as number | null | undefined) ?? null,
    server: (server as string | null | undefined) ?? null,
    insecure: insecure === true,
    timeoutSeconds: (timeoutSeconds as number | null | undefined) ?? null,
    ...(runId !== undefined ? { runId: runId as string } : {}),
    local: local === true,
    variables: variablesParam(command, variables),
    record: record === true,
    ...(confirm === 'always' ? { confirm: 'always' as const } : {}),
  };
}

function variablesParam(command: string, variables: unknown): Record<string, string> | null {
  if (variables == null) return null;
  if (typeof variables !== 'object' || Array.isArray(variables)) throw invalidParams(`${command}: "variables" must be an object of names to text values, not ${describeValue(variables)}.`);
  const entries = Object.entries(variables as Record<string, unknown>);
  if (entries.length > MAX_VARIABLES) throw invalidParams(`${command}: "variables" has ${entries.length} names; at most ${MAX_VARIABLES} are taken.`);
  const checked: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [name, value] of entries) {
    if (!/^[A-Za-z_][\w.-]*$/.test(name)) throw invalidParams(`${command}: "variables" has the name ${describeValue(name)}; a variable name starts with a letter or _ and holds letters, digits, _, . and - (as in @name = value).`);
    if (typeof value !== 'string' || value.length > MAX_VARIABLE_VALUE_LENGTH) throw invalidParams(`${command}: the variable "${name}" must be a text value of at most ${MAX_VARIABLE_VALUE_LENGTH} characters, not ${describeValue(value)}.`);
    checked[name] = value;
  }
  return checked;
}

export function previewParams(argument: unknown): PreviewCapturedMessageCommand.Params {
  const { id } = argumentObject(PreviewCapturedMessageCommand.command, argument);
  if (typeof id !== 'string' || id === '') throw invalidParams(`${PreviewCapturedMessageCommand.command} needs "id", the message's queue id, as a string.`);
  return { id };
}

export function sessionTranscriptParams(argument: unknown): CapturedSessionTranscriptCommand.Params {
  const { id } = argumentObject(CapturedSessionTranscriptCommand.command, argument);
  if (typeof id !== 'string' || id === '') throw invalidParams(`${CapturedSessionTranscriptCommand.command} needs "id", the captured session's id (a message's sessionId), as a string.`);
  return { id };
}

export function listSessionsParams(argument: unknown): ListSessionsCommand.Params {
  const { uri } = argumentObject(ListSessionsCommand.command, argument);
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${ListSessionsCommand.command} needs "uri", the document's URI, as a string.`);
  return { uri };
}

export function clearRunResultsParams(argument: unknown): ClearRunResultsCommand.Params {
  // No argument (or no uri) clears every document, as VS Code's Clear Results with no editor does.
  const { uri } = argumentObject(ClearRunResultsCommand.command, argument);
  if (uri === undefined) return {};
  if (typeof uri !== 'string' || uri === '') throw invalidParams(`${ClearRunResultsCommand.command} takes "uri", the document's URI, as a string, or no "uri" for every document.`);
  return { uri };
}

export function explainParams(argument: unknown): ExplainCommand.Params {
  const { text } = argumentObject(ExplainCommand.command, argument);
  if (typeof text !== 'string' || text.trim() === '' || text.length > 200) throw invalidParams(`${ExplainCommand.command} needs "text", what to explain (550, 550 5.1.1, 5.7.1, MAIL, PIPELINING…), as a string of at most 200 characters.`);
  return { text };
}

export function cancelParams(argument: unknown): CancelSessionCommand.Params {
  const { runId } = argumentObject(CancelSessionCommand.command, argument);
  if (typeof runId !== 'string' || runId === '') throw invalidParams(`${CancelSessionCommand.command} needs "runId", the id of the run to stop, as a string.`);
  return { runId };
}

export function startParams(argument: unknown): StartLocalServerCommand.Params {
  const command = StartLocalServerCommand.command;
  const { port, dir, rules } = argumentObject(command, argument);
  if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 0 && (port as number) <= 65535)) throw invalidParams(`${command}: "port" must be an integer from 0 (any free port) to 65535, not ${describeValue(port)}.`);
  if (dir != null && (typeof dir !== 'string' || dir === '')) throw invalidParams(`${command}: "dir" must be a folder path or null, not ${describeValue(dir)}.`);
  if (rules != null && (typeof rules !== 'string' || rules === '')) throw invalidParams(`${command}: "rules" must be the path of a rules file or null, not ${describeValue(rules)}.`);
  return { ...(port !== undefined ? { port: port as number } : {}), dir: (dir as string | null | undefined) ?? null, rules: (rules as string | null | undefined) ?? null };
}

export function describeValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

// A pasted log is a few kilobytes; a bound keeps a stray huge file from holding the server.
const IMPORT_TEXT_LIMIT = 10 * 1024 * 1024;

export function importParams(argument: unknown): ImportTranscriptCommand.Params {
  const command = ImportTranscriptCommand.command;
  const { text, from } = argumentObject(command, argument);
  if (typeof text !== 'string' || text.length > IMPORT_TEXT_LIMIT) throw invalidParams(`${command} needs "text", the transcript to convert, as a string of at most ${IMPORT_TEXT_LIMIT} characters.`);
  if (from !== undefined && !(IMPORT_FROM_NAMES as readonly unknown[]).includes(from)) throw invalidParams(`${command}: "from" must be one of ${IMPORT_FROM_NAMES.join(', ')}, not ${describeValue(from)}.`);
  return { text, from: from as ImportFrom | undefined };
}
