import type { Session, TranscriptFile, VariableDefinition } from '../transcript/ast';
import { visibleVariables } from '../analysis/variableScope';
import { SessionError } from './sessionErrors';

export type TlsMode = 'none' | 'implicit';

/** How to run one session: from its `@` variables, with command-line or editor overrides on top. */
export interface SessionSettings {
  host: string;
  port: number;
  tls: TlsMode;
  verifyTls: boolean;
  /** Replaces every RFC 5321 §4.5.3.2 timeout when set. */
  timeoutMs: number | null;
  strict: boolean;
  stopOnMismatch: boolean;
  allowRaw: boolean;
  /** Lets AUTH send readable credentials over an unencrypted connection to a non-loopback host. */
  allowPlaintextAuth: boolean;
}

export interface SettingOverrides {
  /** `host:port` from --server or the editor; wins over @server. */
  server?: string | null;
  /** Where to go when neither @server nor an override names a server (the embedded local server). */
  defaultServer?: string | null;
  insecure?: boolean;
  timeoutSeconds?: number | null;
}

/** Reads the session's connection variables; a wrong value is a usage error naming its line. */
export function sessionSettings(file: TranscriptFile, session: Session, overrides: SettingOverrides = {}): SessionSettings {
  const variables = visibleVariables(file, session, Number.MAX_SAFE_INTEGER);
  const tlsDefinition = variables.get('tls');
  const writtenTls = choice(tlsDefinition, ['none', 'implicit'], 'none') as TlsMode;
  const serverText = overrides.server ?? variables.get('server')?.value.text ?? overrides.defaultServer ?? null;
  if (!serverText) {
    throw new SessionError('usage', 'No server to connect to: add "@server = host:port" to the file, or pass --server host:port.', session.range.start.line + 1);
  }
  const { host, port } = parseServer(serverText, writtenTls, overrides.server ? null : variables.get('server') ?? null);
  // Port 465 is implicit TLS (RFC 8314 §3.3) unless the file says `@tls = none` outright.
  const tls: TlsMode = tlsDefinition ? writtenTls : port === 465 ? 'implicit' : 'none';
  const timeout = variables.get('timeout');
  let timeoutMs: number | null = overrides.timeoutSeconds != null ? overrides.timeoutSeconds * 1000 : null;
  if (timeoutMs === null && timeout) {
    const seconds = Number(timeout.value.text);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage(timeout, `@timeout must be a number of seconds greater than 0, not "${timeout.value.text}"`);
    timeoutMs = seconds * 1000;
  }
  return {
    host,
    port,
    tls,
    verifyTls: !overrides.insecure && choice(variables.get('tls-verify'), ['true', 'false'], 'true') === 'true',
    timeoutMs,
    strict: choice(variables.get('strict'), ['true', 'false'], 'false') === 'true',
    stopOnMismatch: choice(variables.get('on-mismatch'), ['stop', 'continue'], 'stop') === 'stop',
    allowRaw: choice(variables.get('allow-raw'), ['true', 'false'], 'false') === 'true',
    allowPlaintextAuth: choice(variables.get('allow-plaintext-auth'), ['true', 'false'], 'false') === 'true',
  };
}

function choice(definition: VariableDefinition | undefined, allowed: string[], fallback: string): string {
  if (!definition) return fallback;
  const value = definition.value.text.toLowerCase();
  if (!allowed.includes(value)) throw usage(definition, `@${definition.name.text} must be ${allowed.join(' or ')}, not "${definition.value.text}"`);
  return value;
}

/** `host`, `host:port`, `[v6]:port` or a bare IPv6 address; default port 25, or 465 for implicit TLS. */
export function parseServer(text: string, tls: TlsMode, definition: VariableDefinition | null): { host: string; port: number } {
  const fail = () => (definition ? usage(definition, `@server must be host or host:port, not "${text}"`) : new SessionError('usage', `--server must be host or host:port, not "${text}".`));
  const defaultPort = tls === 'implicit' ? 465 : 25;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let host: string;
  let portText: string | undefined;
  if (bracketed) {
    host = bracketed[1];
    portText = bracketed[2];
  } else if ((text.match(/:/g) ?? []).length > 1) {
    host = text; // a bare IPv6 address
  } else {
    const [name, port] = text.split(':');
    host = name;
    portText = port;
  }
  if (!host || /\s/.test(host)) throw fail();
  const port = portText === undefined ? defaultPort : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw fail();
  return { host, port };
}

function usage(definition: VariableDefinition, message: string): SessionError {
  return new SessionError('usage', `line ${definition.line + 1}: ${message}.`, definition.line + 1);
}
