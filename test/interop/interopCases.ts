// The interop matrix: each feature, which session plays it against which
// server, and what its JSON must show beyond every expectation being met.
//
// Postfix plays the examples/ files as written (they were modelled on its
// replies, enhanced codes included); the other servers play the generic
// sessions under test/interop/sessions/, whose expectations are reply codes
// only. Behaviour that differs by server (VRFY/EXPN, how a 421 comes about)
// has one session per server.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO, type SessionJson, type StepJson } from './cliJson';
import type { RunningServer, ServerName } from './interopServers';

export type CasePlan =
  /**
   * Play `session` (relative to the repository) on the main or the fault port, or on the
   * server's LMTP port or LMTP Unix socket, whose address the suite writes into a copy
   * of the session on its `# @server:` line (so `@server = unix:/path` is what is played).
   */
  | { session: string; port: 'main' | 'fault' | 'lmtp' | 'lmtp-unix'; knownFailure?: KnownFailure }
  /** The server does not offer the feature: why, for docs/interop.md. */
  | { notOffered: string };

/** A failure that is this server build's, asserted so that a fix is noticed. */
export interface KnownFailure {
  /** What the session's error, or else its first unmet expectation, must match. */
  error: RegExp;
  /** For docs/interop.md: what fails, the server's own log line, the upstream issue. */
  explanation: string;
}

export interface InteropCase {
  /** The row of docs/interop.md. */
  feature: string;
  /** File-safe name of the recording. */
  id: string;
  plan(server: ServerName): CasePlan;
  /** Assertions on the session's JSON and its recording beyond its expectations (which must all hold). */
  verify?(session: SessionJson, server: RunningServer, recording: string): void;
}

const SESSIONS = 'test/interop/sessions';
const generic = (file: string): CasePlan => ({ session: `${SESSIONS}/${file}`, port: 'main' });

const OPENSMTPD_TLS: KnownFailure = {
  error: /TLS with 127\.0\.0\.1 failed: .*alert internal error/,
  explanation:
    'OpenSMTPD 6.8.0p2 as built for Debian 12 fails every TLS handshake with OpenSSL 3: the client gets alert 80 (internal error) and the server logs `smtp disconnected reason="io-error: error:0A080006:SSL routines::EVP lib"`, with RSA or ECDSA keys alike (upstream OpenSMTPD issues #1171 and #1239). OpenSMTPD offers AUTH only over TLS, so AUTH cannot be tested against it either; STARTTLS and AUTH are covered by Postfix, Exim and aiosmtpd.',
};

const OPENSMTPD_NOTIFY: KnownFailure = {
  error: /expected 250, got 553 NOTIFY option NEVER cannot be combined with other options/,
  explanation:
    'OpenSMTPD 6.8.0p2 keeps the NOTIFY flags of the previous RCPT of a transaction: after `RCPT TO:<accounts@example.org> NOTIFY=SUCCESS,FAILURE`, a `RCPT TO:<archive@example.org> NOTIFY=NEVER` gets `553 NOTIFY option NEVER cannot be combined with other options`, although NOTIFY is per recipient (RFC 3461 §4.1). The same RCPT is accepted as the transaction\'s first. MAIL with RET and ENVID, and the first RCPT with NOTIFY and ORCPT, are accepted.',
};

function played(session: SessionJson): StepJson[] {
  return session.steps.filter((step) => !step.skipped && step.reply !== null);
}

function stepSending(session: SessionJson, prefix: string): StepJson {
  const step = session.steps.find((candidate) => candidate.sent?.startsWith(prefix));
  assert.ok(step, `no step sent "${prefix}…"`);
  return step;
}

function messageStep(session: SessionJson): StepJson {
  const step = session.steps.find((candidate) => candidate.kind === 'data');
  assert.ok(step, 'no message body was played');
  return step;
}

const LMTP_SESSION = `${SESSIONS}/lmtp.smtp`;

/** Only aiosmtpd runs an LMTP server; the MTAs speak LMTP only as clients, delivering to one. */
function lmtpPlan(server: ServerName, port: 'lmtp' | 'lmtp-unix'): CasePlan {
  switch (server) {
    case 'aiosmtpd':
      return { session: LMTP_SESSION, port };
    case 'postfix':
      return { notOffered: 'Postfix speaks LMTP only as a client (its lmtp(8) delivery agent): it runs no LMTP server.' };
    case 'exim':
      return { notOffered: 'Exim speaks LMTP only as a client (its lmtp transport, or the smtp transport with protocol = lmtp): it runs no LMTP server.' };
    case 'opensmtpd':
      return { notOffered: 'OpenSMTPD speaks LMTP only as a client (its lmtp delivery action): it runs no LMTP server.' };
  }
}

/**
 * LMTP (RFC 2033 §4.2): after the data, one reply per recipient accepted at RCPT, each a
 * step naming its recipient — the first on the `.` line (the message's own step), the
 * others on their `S:` lines — and the run's summary reports each recipient by that reply.
 */
function assertLmtpDeliveries(session: SessionJson) {
  const file = readFileSync(join(REPO, LMTP_SESSION), 'utf8').split('\n');
  const dot = file.indexOf('.') + 1;
  assert.deepEqual(file.slice(dot, dot + 3), ['S: 250', 'S: 550', 'S: 452'], `${LMTP_SESSION} changed: update what this case expects`);
  const deliveries = session.steps.filter((step) => step.recipient !== undefined);
  assert.deepEqual(deliveries.map((step) => [step.recipient, step.line, step.reply?.code]), [
    ['<alice@example.org>', dot, 250],
    ['<carol@example.org>', dot + 2, 550],
    ['<dave@example.org>', dot + 3, 452],
  ], 'the replies after the data are not on the lines of their recipients');
  assert.equal(session.transactions.length, 1);
  assert.deepEqual(session.transactions[0].recipients.map((recipient) => [recipient.address, recipient.code, recipient.outcome, recipient.delivery?.line ?? null, recipient.delivery?.code ?? null]), [
    ['<alice@example.org>', 250, 'accepted', dot + 1, 250],
    ['<nobody@example.org>', 550, 'refused', null, null],
    ['<carol@example.org>', 250, 'refused', dot + 2, 550],
    ['<dave@example.org>', 250, 'deferred', dot + 3, 452],
  ], 'the per-recipient summary does not report each recipient by its reply after the data');
}

/** STARTTLS happened, and the AUTH exchange (AUTH, then a SASL response per 334) ended with 235. */
function assertTlsThenAuth(session: SessionJson) {
  assert.ok(session.tls, 'the session never switched to TLS');
  const start = session.steps.indexOf(stepSending(session, 'AUTH'));
  let end = start;
  while (session.steps[end]?.reply?.code === 334) end++;
  assert.equal(session.steps[end]?.reply?.code, 235, 'the AUTH exchange did not end with 235');
}

export const INTEROP_CASES: InteropCase[] = [
  {
    feature: 'Plain delivery',
    id: 'plain-delivery',
    plan: () => generic('plain-delivery.smtp'),
    verify(session) {
      assert.equal(messageStep(session).reply?.code, 250, 'the message was not accepted');
    },
  },
  {
    feature: 'STARTTLS, AUTH PLAIN, delivery',
    id: 'starttls-auth-plain',
    plan: (server) =>
      server === 'postfix' ? { session: 'examples/submission-starttls-auth.smtp', port: 'main' }
      : server === 'opensmtpd' ? { ...generic('starttls-auth-plain.smtp'), knownFailure: OPENSMTPD_TLS }
      : generic('starttls-auth-plain.smtp'),
    verify: assertTlsThenAuth,
  },
  {
    feature: 'STARTTLS, AUTH LOGIN, delivery',
    id: 'starttls-auth-login',
    plan: (server) =>
      server === 'opensmtpd' ? { notOffered: 'STARTTLS fails in this build (see the row above), and AUTH is offered only over TLS.' }
      : generic('starttls-auth-login.smtp'),
    verify: assertTlsThenAuth,
  },
  {
    feature: 'RFC 2920 pipelined transaction',
    id: 'pipelining',
    plan: (server) => (server === 'postfix' ? { session: 'examples/pipelining.smtp', port: 'main' } : generic('pipelining.smtp')),
    verify(session, _server, recording) {
      // The engine pipelines only what PIPELINING allows; without it the same
      // file is played one command at a time. The recording shows which.
      const offered = stepSending(session, 'EHLO').reply?.lines.some((line) => /^250[ -]PIPELINING\b/i.test(line)) ?? false;
      const grouped = /^C: MAIL FROM:.*\nC: RCPT TO:.*\nC: RCPT TO:.*\nC: DATA\n/m.test(recording);
      assert.equal(grouped, offered, offered ? 'PIPELINING was offered but the commands were not sent as one group' : 'commands were pipelined to a server that does not offer PIPELINING');
      assert.equal(messageStep(session).reply?.code, 250, 'the message was not accepted');
    },
  },
  {
    feature: 'Rejected recipient (550, 5.1.1 family)',
    id: 'rejected-recipient',
    plan: (server) => (server === 'postfix' ? { session: 'examples/relay-rejected-recipient.smtp', port: 'main' } : generic('rejected-recipient.smtp')),
    verify(session) {
      const rejected = stepSending(session, 'RCPT TO:<nobody@');
      assert.equal(rejected.reply?.code, 550, 'the unknown user was not refused with 550');
      const enhanced = rejected.reply?.enhanced ?? null;
      assert.ok(enhanced === null || /^5\.1\.\d+$/.test(enhanced), `the refusal's enhanced code ${enhanced} is not 5.1.x`);
    },
  },
  {
    feature: 'DSN parameters (RFC 3461)',
    id: 'dsn',
    plan: (server) =>
      server === 'postfix' ? { session: 'examples/dsn.smtp', port: 'main' }
      : server === 'aiosmtpd' ? { notOffered: 'aiosmtpd does not offer DSN (MAIL with RET= gets 555).' }
      : server === 'opensmtpd' ? { ...generic('dsn.smtp'), knownFailure: OPENSMTPD_NOTIFY }
      : generic('dsn.smtp'),
    verify(session) {
      assert.equal(stepSending(session, 'MAIL FROM:').reply?.code, 250, 'MAIL with RET and ENVID was refused');
    },
  },
  {
    feature: 'SMTPUTF8 addresses (RFC 6531)',
    id: 'smtputf8',
    plan: (server) =>
      server === 'postfix' ? { session: 'examples/smtputf8.smtp', port: 'main' }
      : server === 'opensmtpd' ? { notOffered: 'OpenSMTPD 6.8 does not offer SMTPUTF8 (a UTF-8 sender gets 553 5.1.0).' }
      : generic('smtputf8.smtp'),
    verify(session) {
      assert.equal(stepSending(session, 'RCPT TO:<用户@').reply?.code, 250, 'the UTF-8 recipient was refused');
    },
  },
  {
    feature: 'BDAT chunks (RFC 3030)',
    id: 'bdat',
    plan: (server) =>
      server === 'postfix' || server === 'exim' ? generic('bdat.smtp')
      : { notOffered: `${server === 'opensmtpd' ? 'OpenSMTPD' : 'aiosmtpd'} does not offer CHUNKING.` },
    verify(session) {
      const chunks = session.steps.filter((step) => step.sent?.startsWith('BDAT'));
      assert.equal(chunks.length, 2);
      for (const chunk of chunks) assert.equal(chunk.reply?.code, 250, `${chunk.sent} was not accepted`);
    },
  },
  {
    feature: 'Several transactions in one session (RSET, null sender, second EHLO)',
    id: 'several-transactions',
    plan: (server) => generic(server === 'opensmtpd' ? 'several-transactions-opensmtpd.smtp' : 'several-transactions.smtp'),
    verify(session) {
      const messages = session.steps.filter((step) => step.kind === 'data');
      assert.deepEqual(messages.map((step) => step.reply?.code), [250, 250, 250], 'three messages should be accepted');
      assert.equal(stepSending(session, 'RSET').reply?.code, 250);
      assert.equal(stepSending(session, 'RCPT TO:<nobody@').reply?.code, 550);
    },
  },
  {
    feature: 'STARTTLS, AUTH CRAM-MD5 ({{$cramMd5}}), delivery',
    id: 'starttls-auth-cram-md5',
    plan: (server) =>
      server === 'opensmtpd' ? { notOffered: 'STARTTLS fails in this build (see STARTTLS, AUTH PLAIN), and OpenSMTPD offers only PLAIN and LOGIN.' }
      : server === 'aiosmtpd' ? { notOffered: 'aiosmtpd offers only PLAIN and LOGIN.' }
      : generic('starttls-auth-cram-md5.smtp'),
    verify(session) {
      assertTlsThenAuth(session);
      assert.equal(stepSending(session, 'AUTH').sent, 'AUTH CRAM-MD5');
      assert.equal(session.steps.find((step) => step.kind === 'sasl')?.sent, '***', 'the CRAM-MD5 response is shown');
    },
  },
  {
    feature: 'Queue id captured from a reply and used later ({{$reply /…/}})',
    id: 'capture-queue-id',
    plan: (server) => (server === 'postfix' ? { session: 'examples/capture-queue-id.smtp', port: 'main' } : generic('capture-queue-id.smtp')),
    verify(session) {
      const [first] = session.steps.filter((step) => step.kind === 'data');
      // Postfix plays the example, which sends the id in a NOOP; the generic session sends it in the next sender.
      const use = session.steps.find((step) => step.sent?.startsWith('NOOP ')) ?? stepSending(session, 'MAIL FROM:<after-');
      const id = /^NOOP (\S+)$|^MAIL FROM:<after-(\S+)@example\.com>$/.exec(use.sent!)!.slice(1).find((group) => group !== undefined)!;
      assert.ok(id.length >= 4 && first.reply!.lines.some((line) => line.includes(id)), `"${use.sent}" does not carry the id in the reply "${first.reply!.lines.join(' ')}"`);
      assert.equal(use.reply?.code, 250);
    },
  },
  {
    feature: 'AUTH refused, cancelled, then accepted',
    id: 'auth-refused',
    plan: (server) =>
      server === 'opensmtpd' ? { notOffered: 'STARTTLS fails in this build (see STARTTLS, AUTH PLAIN), and AUTH is offered only over TLS.' }
      : generic('auth-refused.smtp'),
    verify(session) {
      assert.ok(session.tls, 'the session never switched to TLS');
      const auth = session.steps.filter((step) => step.sent?.startsWith('AUTH') || step.kind === 'sasl');
      assert.deepEqual(auth.map((step) => step.reply?.code), [535, 334, 501, 334, 235, 503]);
    },
  },
  {
    feature: 'VRFY and EXPN answers',
    id: 'vrfy-expn',
    plan: (server) => ({ session: `${SESSIONS}/vrfy-expn/${server}.smtp`, port: 'main' }),
    verify(session) {
      const vrfy = stepSending(session, 'VRFY');
      assert.ok(vrfy.reply && [250, 251, 252, 500, 502].includes(vrfy.reply.code), `VRFY got ${vrfy.reply?.code}`);
    },
  },
  {
    feature: '421 (service closing)',
    id: 'limits',
    plan: (server) => ({ session: `${SESSIONS}/limits/${server}.smtp`, port: 'fault' }),
    verify(session) {
      const steps = played(session);
      assert.equal(steps.at(-1)?.reply?.code, 421, 'the last reply was not 421');
      assert.ok(!session.steps.some((step) => step.sent === 'QUIT'), 'QUIT was sent after 421 closed the session');
    },
  },
  {
    feature: 'Body with leading dots and a 998-octet line',
    id: 'dots-long-lines',
    plan: () => generic('dots-long-lines.smtp'),
    verify(session, server) {
      assert.equal(messageStep(session).reply?.code, 250, 'the message was not accepted');
      if (server.messagesDir) assertDotsArrivedUnstuffed(server.messagesDir);
    },
  },
  {
    feature: 'LMTP over TCP (RFC 2033): pipelined RCPTs, one reply per recipient after the data',
    id: 'lmtp-tcp',
    plan: (server) => lmtpPlan(server, 'lmtp'),
    verify(session, _server, recording) {
      assertLmtpDeliveries(session);
      assert.match(recording, /^@server = 127\.0\.0\.1:\d+$/m, 'the session did not go to the LMTP port its @server line names');
      assert.match(recording, /^C: MAIL FROM:.*\n(C: RCPT TO:.*\n){4}C: DATA\n/m, 'MAIL, the RCPTs and DATA were not sent as one pipelined group');
    },
  },
  {
    feature: 'LMTP over a Unix socket (@server = unix:/path)',
    id: 'lmtp-unix',
    plan: (server) => lmtpPlan(server, 'lmtp-unix'),
    verify(session, server, recording) {
      assertLmtpDeliveries(session);
      assert.ok(recording.includes(`@server = unix:${server.lmtpSocket}\n`), 'the session did not go to the Unix socket its @server line names');
    },
  },
];

/** What aiosmtpd kept of the last message: the dots unstuffed, the long line whole. */
function assertDotsArrivedUnstuffed(messagesDir: string) {
  const files = readdirSync(messagesDir).sort();
  assert.ok(files.length > 0, `no message in ${messagesDir}`);
  const message = readFileSync(join(messagesDir, files[files.length - 1]), 'latin1');
  const body = message.slice(message.indexOf('\r\n\r\n') + 4);
  const expected = `.one leading dot\r\n..two leading dots\r\n.\r\n${'L'.repeat(990)}-998-end\r\nthe end\r\n`;
  assert.equal(body, expected, 'the body did not arrive as the wire form says (dot-stuffing undone once, the 998-octet line whole)');
}
