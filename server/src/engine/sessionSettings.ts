import type { Session, TranscriptFile } from '../transcript/ast';
import { visibleVariables } from '../analysis/variableScope';
import { SessionError } from './sessionErrors';

export type TlsMode = 'none' | 'implicit';

/** How to run one session: from its `@` variables, with command-line or editor overrides on top. */
export interface SessionSettings {
  host: string;
  port: number;
  /** `@server = unix:/path`: a Unix socket (an LMTP delivery agent, a local MTA); host and port then only name it. */
  socketPath: string | null;
  tls: TlsMode;
  verifyTls: boolean;
  /** Replaces every RFC 5321 §4.5.3.2 timeout when set. */
  timeoutMs: number | null;
  strict: boolean;
  stopOnMismatch: boolean;
  allowRaw: boolean;
  /** Lets AUTH send readable credentials over an unencrypted connection to a non-loopback host. */
  allowPlaintextAuth: boolean;
  /** Lets `{{$file}}` read outside the workspace folder (engine/confineFile.ts). */
  allowOutsideFiles: boolean;
}

export interface SettingOverrides {
  /** `host:port` from --server or the editor; wins over @server. */
  server?: string | null;
  /** Where to go when neither @server nor an override names a server (the embedded local server). */
  defaultServer?: string | null;
  insecure?: boolean;
  timeoutSeconds?: number | null;
  /**
   * Values from outside the file (the editor's selected environment), as if
   * defined above the file's own variables: an `@name` line in the file wins.
   */
  variables?: Readonly<Record<string, string>> | null;
}

/** A connection variable's value and where it was written, so a wrong one can be named. */
interface SettingValue {
  text: string;
  /** `line 4: @tls` or `the environment's "tls"`. */
  where: string;
  /** 1-based line in the file, or null when it came from the environment. */
  line: number | null;
}

/** The `@` variables sessionSettings reads: a session that defines none of them runs with its file's settings. */
const SETTING_NAMES: ReadonlySet<string> = new Set(['server', 'tls', 'timeout', 'tls-verify', 'strict', 'on-mismatch', 'allow-raw', 'allow-plaintext-auth', 'allow-outside-files']);

/** The settings of a file's sessions that define none of their own, for the overrides they were read with. */
interface FileSettings {
  overrides: SettingOverrides;
  settings: SessionSettings;
}

/**
 * One entry per file (the last overrides asked for): a run, and a load test
 * playing one session over and over, read them once instead of once per
 * session — the address parsed with its regular expressions, nine lookups,
 * a map of the visible variables. Weak, so it goes with the parsed file.
 */
const fileSettings = new WeakMap<TranscriptFile, FileSettings>();

/**
 * Reads the session's connection variables; a wrong value is a usage error
 * naming its line. The object returned may be shared by the file's other
 * sessions: read it, never change it.
 */
export function sessionSettings(file: TranscriptFile, session: Session, overrides: SettingOverrides = {}): SessionSettings {
  if (session.variables.some((definition) => SETTING_NAMES.has(definition.name.text))) return readSettings(file, session, overrides);
  const known = fileSettings.get(file);
  if (known !== undefined && sameOverrides(known.overrides, overrides)) return known.settings;
  // A setting that is wrong (or no server at all) throws each time, naming the session: nothing is kept.
  const settings = readSettings(file, session, overrides);
  fileSettings.set(file, {
    overrides: { server: overrides.server, defaultServer: overrides.defaultServer, insecure: overrides.insecure, timeoutSeconds: overrides.timeoutSeconds, variables: overrides.variables },
    settings,
  });
  return settings;
}

/** The same values (the environment's variables: the same object, as a run passes one to all its sessions). */
function sameOverrides(a: SettingOverrides, b: SettingOverrides): boolean {
  return a.server === b.server && a.defaultServer === b.defaultServer && a.insecure === b.insecure && a.timeoutSeconds === b.timeoutSeconds && a.variables === b.variables;
}

function readSettings(file: TranscriptFile, session: Session, overrides: SettingOverrides): SessionSettings {
  const definitions = visibleVariables(file, session, Number.MAX_SAFE_INTEGER);
  const setting = (name: string): SettingValue | undefined => {
    const definition = definitions.get(name);
    if (definition) return { text: definition.value.text, where: `line ${definition.line + 1}: @${name}`, line: definition.line + 1 };
    const value = overrides.variables?.[name];
    return value === undefined ? undefined : { text: value, where: `the environment's "${name}"`, line: null };
  };
  const tlsSetting = setting('tls');
  const writtenTls = choice(tlsSetting, ['none', 'implicit'], 'none') as TlsMode;
  const serverSetting = overrides.server ? undefined : setting('server');
  const serverText = overrides.server ?? serverSetting?.text ?? overrides.defaultServer ?? null;
  if (!serverText) {
    throw new SessionError('usage', 'No server to connect to: add "@server = host:port" to the file, or pass --server host:port.', session.range.start.line + 1);
  }
  const { host, port, socketPath } = parseServer(serverText, writtenTls, serverSetting ?? null);
  // Port 465 is implicit TLS (RFC 8314 §3.3) unless the file says `@tls = none` outright.
  const tls: TlsMode = tlsSetting ? writtenTls : port === 465 ? 'implicit' : 'none';
  const timeout = setting('timeout');
  let timeoutMs: number | null = overrides.timeoutSeconds != null ? overrides.timeoutSeconds * 1000 : null;
  if (timeoutMs === null && timeout) {
    const seconds = Number(timeout.text);
    if (!Number.isFinite(seconds) || seconds <= 0) throw usage(timeout, `must be a number of seconds greater than 0, not "${timeout.text}"`);
    timeoutMs = seconds * 1000;
  }
  return {
    host,
    port,
    socketPath,
    tls,
    verifyTls: !overrides.insecure && choice(setting('tls-verify'), ['true', 'false'], 'true') === 'true',
    timeoutMs,
    strict: choice(setting('strict'), ['true', 'false'], 'false') === 'true',
    stopOnMismatch: choice(setting('on-mismatch'), ['stop', 'continue'], 'stop') === 'stop',
    allowRaw: choice(setting('allow-raw'), ['true', 'false'], 'false') === 'true',
    allowPlaintextAuth: choice(setting('allow-plaintext-auth'), ['true', 'false'], 'false') === 'true',
    allowOutsideFiles: choice(setting('allow-outside-files'), ['true', 'false'], 'false') === 'true',
  };
}

function choice(value: SettingValue | undefined, allowed: string[], fallback: string): string {
  if (!value) return fallback;
  const lower = value.text.toLowerCase();
  if (!allowed.includes(lower)) throw usage(value, `must be ${allowed.join(' or ')}, not "${value.text}"`);
  return lower;
}

/**
 * `host`, `host:port`, `[v6]:port` or a bare IPv6 address (default port 25,
 * or 465 for implicit TLS), or `unix:/path/to/socket`: a Unix socket, which
 * never leaves the machine (its host is "localhost", its port 0).
 */
export function parseServer(text: string, tls: TlsMode, written: SettingValue | null): { host: string; port: number; socketPath: string | null } {
  const fail = () => (written ? usage(written, `must be host, host:port or unix:/path/to/socket, not "${text}"`) : new SessionError('usage', `--server must be host, host:port or unix:/path/to/socket, not "${text}".`));
  if (/^unix:/i.test(text)) {
    const path = text.slice('unix:'.length);
    if (path === '' || /[\r\n\0]/.test(path)) throw fail();
    return { host: 'localhost', port: 0, socketPath: path };
  }
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
  return { host, port, socketPath: null };
}

function usage(value: SettingValue, message: string): SessionError {
  return new SessionError('usage', `${value.where} ${message}.`, value.line);
}
