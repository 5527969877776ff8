// docs/interop.md, generated from the results of the last run of the
// interop suite (npm run test:interop): server × feature, with versions.

import { readFileSync, writeFileSync } from 'node:fs';
import { release } from 'node:os';
import type { RunningServer, ServerName } from './interopServers';

export type CellResult =
  | { kind: 'passed'; session: string }
  | { kind: 'failed'; session: string; reason: string }
  | { kind: 'known-failure'; session: string; explanation: string }
  | { kind: 'not-offered'; reason: string };

export interface ReportInput {
  servers: RunningServer[];
  features: string[];
  /** feature → server → result; a missing cell was not run (the suite stopped early). */
  results: Map<string, Map<ServerName, CellResult>>;
  startedAt: Date;
  seconds: number;
}

function cell(result: CellResult | undefined, notes: string[]): string {
  if (!result) return 'not run';
  const note = (text: string) => {
    if (!notes.includes(text)) notes.push(text);
    return `[${notes.indexOf(text) + 1}]`;
  };
  switch (result.kind) {
    case 'passed':
      return `✓ passed (\`${result.session}\`)`;
    case 'failed':
      return `✗ **failed** ${note(`\`${result.session}\`: ${result.reason.replace(/\s+/g, ' ')}`)}`;
    case 'known-failure':
      return `✗ known failure ${note(result.explanation)}`;
    case 'not-offered':
      return `— not offered ${note(result.reason)}`;
  }
}

function debianRelease(): string {
  try {
    return `Debian ${readFileSync('/etc/debian_version', 'utf8').trim()}`;
  } catch {
    return 'not Debian';
  }
}

/** How scripts/interop/ runs each server: the part of the report that only changes with the scripts. */
const HOW_THE_SERVERS_RUN = [
  '## How the servers run',
  '',
  'Everything runs as root on Debian, on 127.0.0.1 only, from a temporary folder that is removed at the end; every process started is stopped by its pid (`scripts/interop/run.sh`, also on failure or a signal). Debian\'s MTAs conflict with one another (each provides `mail-transport-agent`), so only Postfix is installed with apt:',
  '',
  '- **Postfix**: installed with apt, preseeded to "No configuration" (so its own service has nothing to start), then run as `master -c DIR -d` with its own `main.cf`, `master.cf`, queue and data directories. AUTH PLAIN/LOGIN through Cyrus SASL with a sasldb file of its own (no saslauthd). A second listener runs with `smtpd_hard_error_limit = 1`.',
  '- **Exim**: `exim4-daemon-light` is downloaded and extracted into `.interop-cache/` (never installed), with only its libraries installed, and run as `exim4 -C CONF -bdf`. The binary looks up its service user `Debian-exim` before reading any configuration, so it runs in a private mount namespace (`unshare --mount`) whose `/etc/passwd` and `/etc/group` are copies that add it; the machine\'s files are untouched. AUTH PLAIN/LOGIN with plaintext authenticators after TLS; messages stay queued in the temporary folder. A second port is refused by the connect ACL with 421.',
  '- **OpenSMTPD**: extracted the same way and run as `smtpd -d -f CONF` in a private mount namespace where its compiled-in paths (`/var/spool/smtpd`, `/var/lib/opensmtpd/empty`, `/run`, `/usr/libexec/opensmtpd`) and its users `opensmtpd`, `opensmtpq` come from the temporary folder. A second listener has a builtin filter answering EHLO with 421.',
  '- **aiosmtpd**: Debian\'s `python3-aiosmtpd`, run by `/usr/bin/python3` (`scripts/interop/servers/aiosmtpd_server.py`) with an authenticator, STARTTLS and SMTPUTF8; it keeps what it accepts, so the suite checks that dot-stuffed lines and a 998-octet line arrive intact. A second port allows two NOOPs. Its LMTP server (`aiosmtpd.lmtp.LMTP`, RFC 2033) listens on a third port and on a Unix socket in the temporary folder; the handler answers the end of the data once per recipient accepted at RCPT (a 452 for one user, a 550 for another, 250 for the rest) and adds PIPELINING to the LHLO reply, which RFC 2033 §5 requires and aiosmtpd does not advertise (it answers pipelined commands in order). The LMTP sessions get their server as an `@server = 127.0.0.1:PORT` or `@server = unix:/path` line written into a copy of the session, not through `--server`.',
  '',
  'Not covered: server-side idle timeouts (a `.smtp` file cannot pause between lines; the engine\'s own timeouts are tested against scripted servers in `test/server/engine/`).',
  '',
  'Servers word their replies and use enhanced status codes differently (Exim sends none; OpenSMTPD advertises ENHANCEDSTATUSCODES but refuses an unknown user with a bare `550 Invalid recipient`), so Postfix plays the `examples/` files as written and the others play sessions whose expectations are reply codes; VRFY/EXPN and 421 have one session per server.',
];

export function renderReport(input: ReportInput): string {
  const notes: string[] = [];
  const header = `| feature | ${input.servers.map((server) => server.version).join(' | ')} |`;
  const rule = `|---|${input.servers.map(() => '---').join('|')}|`;
  const rows = input.features.map((feature) => {
    const results = input.results.get(feature);
    return `| ${feature} | ${input.servers.map((server) => cell(results?.get(server.name), notes)).join(' | ')} |`;
  });
  return [
    '# Interop results',
    '',
    '<!-- Generated by `npm run test:interop` (test/interop/interopReport.ts): do not edit by hand. -->',
    '',
    `The last run of \`npm run test:interop\`: ${input.startedAt.toISOString()}, ${input.seconds.toFixed(1)} s for the sessions, on ${debianRelease()} (Linux ${release()}, Node ${process.version}).`,
    '',
    'Each cell is one session played with `smtp-session run --format json --server 127.0.0.1:PORT --insecure --record …` (the LMTP rows name their server in the file instead: `@server = 127.0.0.1:PORT` or `@server = unix:/path`) against a server started by `scripts/interop/run.sh` with a throwaway configuration (STARTTLS with a self-signed certificate, AUTH where offered, a local domain `example.org` whose unknown users are rejected, a fault port that ends sessions with 421). A cell passes when every expectation of the session held, the JSON shows what the feature needs (listed in `test/interop/interopCases.ts`), and `smtp-session check` finds no error or warning in the recorded dialogue, which is kept under `test/interop/recorded/`.',
    '',
    header,
    rule,
    ...rows,
    '',
    ...notes.map((text, index) => `${index + 1}. ${text}`),
    '',
    ...HOW_THE_SERVERS_RUN,
    '',
  ].join('\n');
}

export function writeReport(path: string, input: ReportInput) {
  writeFileSync(path, renderReport(input));
}
