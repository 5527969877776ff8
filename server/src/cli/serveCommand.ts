import { findCommand } from '../protocol/commands';
import { isLoopbackHost } from '../protocol/loopbackHosts';
import { describeRule } from '../captureServer/rules/describeRule';
import { RulesError } from '../captureServer/rules/parseRules';
import { readRulesFile } from '../captureServer/rules/readRulesFile';
import { DEFAULT_MAX_SIZE, DEFAULT_PORT, LocalServerError, MAX_MESSAGES_KEPT, startLocalServer, type LocalServerOptions, type LocalServerTls, type RunningLocalServer } from '../captureServer/localServer';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';
import { sizeOption } from './sizeOption';

const VALUED = new Set(['host', 'port', 'dir', 'tls', 'user', 'size', 'reject-rcpt', 'tempfail-rcpt', 'disconnect-after', 'delay', 'rules']);
const TLS_MODES = new Set<LocalServerTls>(['none', 'starttls', 'implicit']);
const TLS_SHOWN: Record<LocalServerTls, string> = { none: 'no TLS', starttls: 'STARTTLS', implicit: 'implicit TLS' };

/**
 * `smtp-session serve`: runs the embedded local server until SIGINT or SIGTERM
 * (or `stop`, for tests), printing a line per message. Resolves to 0 after a
 * clean stop, 2 when the server cannot start.
 */
export async function serveCommand(args: string[], io: CliIo, stop: AbortSignal = signalsToStop()): Promise<number> {
  let options: LocalServerOptions;
  try {
    options = serveOptions(args);
  } catch (error) {
    // A rules file that cannot be used: the server does not start, and the message names the rule and the field.
    if (!(error instanceof RulesError)) throw error;
    io.stderr(`smtp-session: ${error.message}`);
    return 2;
  }
  let received = 0;
  let server: RunningLocalServer;
  try {
    server = await startLocalServer({ ...options, log: (line) => io.stdout(line), onMessage: () => received++ });
  } catch (error) {
    if (!(error instanceof LocalServerError)) throw error;
    io.stderr(`smtp-session: ${error.message}`);
    return 2;
  }
  const where = `${server.host.includes(':') ? `[${server.host}]` : server.host}:${server.port}`;
  const tls = server.certificateFingerprint256 ? `${TLS_SHOWN[server.tls]}, self-signed certificate SHA-256 ${server.certificateFingerprint256}` : TLS_SHOWN[server.tls];
  io.stdout(`Listening on ${where} (${tls})`);
  for (const line of describeSetup(options)) io.stdout(line);
  io.stdout('Press Ctrl+C to stop.');

  if (!stop.aborted) await new Promise<void>((resolve) => stop.addEventListener('abort', () => resolve(), { once: true }));
  await server.close();
  io.stdout(`Stopped: ${received === 1 ? '1 message' : `${received} messages`} received.`);
  return 0;
}

/** Aborts on the first SIGINT or SIGTERM; the handlers go away once it has. */
function signalsToStop(): AbortSignal {
  const controller = new AbortController();
  const onSignal = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return controller.signal;
}

/** The command line as LocalServerOptions; UsageError for anything malformed. */
export function serveOptions(args: string[]): LocalServerOptions {
  const { positionals, options, allValues } = parseArguments(args, VALUED, new Set());
  if (positionals.length > 0) throw new UsageError(`serve takes no file or other argument ("${positionals[0]}"); see the options under "serve".`);
  const text = (name: string) => {
    const value = options.get(name);
    return typeof value === 'string' ? value : undefined;
  };

  const tls = text('tls') ?? 'starttls';
  if (!TLS_MODES.has(tls as LocalServerTls)) throw new UsageError(`--tls must be "none", "starttls" or "implicit", not "${tls}".`);
  const disconnectAfter = text('disconnect-after');
  if (disconnectAfter !== undefined && !findCommand(disconnectAfter)) throw new UsageError(`--disconnect-after takes an SMTP verb such as MAIL, RCPT or DATA, not "${disconnectAfter}".`);
  const host = text('host');
  const rulesFile = text('rules');
  if (host !== undefined && host.trim() === '') throw new UsageError('--host needs an address, such as 127.0.0.1.');

  return {
    host: host ?? '127.0.0.1',
    port: integerOption('port', text('port'), 0, 65535) ?? DEFAULT_PORT,
    dir: text('dir') ?? null,
    tls: tls as LocalServerTls,
    users: (allValues.get('user') ?? []).map(parseUser),
    size: sizeOption('size', text('size')) ?? DEFAULT_MAX_SIZE,
    rejectRcpt: (allValues.get('reject-rcpt') ?? []).map((pattern) => compilePattern('reject-rcpt', pattern)),
    tempfailRcpt: (allValues.get('tempfail-rcpt') ?? []).map((pattern) => compilePattern('tempfail-rcpt', pattern)),
    disconnectAfter: disconnectAfter?.toUpperCase() ?? null,
    delayMs: integerOption('delay', text('delay'), 0, 600_000) ?? 0,
    rules: rulesFile === undefined ? [] : readRulesFile(rulesFile),
  };
}

function integerOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const number = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) throw new UsageError(`--${name} must be a whole number from ${min} to ${max}, not "${value}".`);
  return number;
}

function parseUser(value: string): { user: string; pass: string } {
  const colon = value.indexOf(':');
  if (colon <= 0) throw new UsageError('--user takes NAME:PASSWORD (the password may contain ":").');
  return { user: value.slice(0, colon), pass: value.slice(colon + 1) };
}

/** A JavaScript regular expression, case-insensitive, tested against the address without angle brackets. */
function compilePattern(option: string, pattern: string): RegExp {
  try {
    return new RegExp(pattern, 'i');
  } catch (error) {
    throw new UsageError(`--${option} "${pattern}" is not a valid regular expression: ${(error as Error).message}.`);
  }
}

/** What the server will do beyond the default, one line each; never a password. */
function describeSetup(options: LocalServerOptions): string[] {
  const lines: string[] = [];
  if (options.host !== undefined && !isLoopbackHost(options.host)) lines.push(`Warning: ${options.host} may be reachable from other machines, and this server accepts mail from anyone who can connect.`);
  lines.push(options.dir ? `Messages are saved as .eml files in ${options.dir}, each connection's dialogue beside them as a .smtp transcript.` : `Messages and each connection's .smtp transcript are kept in memory (the last ${MAX_MESSAGES_KEPT}); pass --dir DIR to save them.`);
  if (options.users?.length) lines.push(`AUTH PLAIN LOGIN CRAM-MD5 for ${options.users.map((user) => user.user).join(', ')}${options.tls === 'starttls' ? ' (after STARTTLS)' : ''}.`);
  if (options.size !== DEFAULT_MAX_SIZE) lines.push(`Messages over ${options.size} bytes are refused (552).`);
  for (const pattern of options.rejectRcpt ?? []) lines.push(`Recipients matching /${pattern.source}/i are refused (550 5.1.1).`);
  for (const pattern of options.tempfailRcpt ?? []) lines.push(`Recipients matching /${pattern.source}/i are deferred (450 4.2.1).`);
  if (options.disconnectAfter) lines.push(`The connection is dropped without a reply when ${options.disconnectAfter} arrives.`);
  if (options.delayMs) lines.push(`Every reply waits ${options.delayMs} ms.`);
  if (options.rules?.length) lines.push(`Rules, tried in order before the options above:`, ...options.rules.map((rule) => `  ${describeRule(rule)}`));
  return lines;
}
