// The interop suite (npm run test:interop, through scripts/interop/run.sh,
// which starts the servers first). Not a *.test.ts file: `npm run test:unit`
// must not pick it up, since it needs the servers.
//
// For every server × feature of interopCases.ts: play the session through
// the CLI's JSON, assert its outcome, record the real dialogue (--record),
// check the recording with `smtp-session check` (no error or warning: a
// real server's correct dialogue is not wrong), and keep it, normalised, as
// a fixture under test/interop/recorded/. docs/interop.md is written from
// the results at the end, failures included.

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkFile, REPO, runSession } from './cliJson';
import { INTEROP_CASES, type CasePlan } from './interopCases';
import { writeReport, type CellResult } from './interopReport';
import { loadRunningServers, type RunningServer, type ServerName } from './interopServers';
import { normaliseRecording } from './normaliseRecording';

/** The line of an LMTP session where the suite writes the server's address. */
const SERVER_LINE = /^# @server: .*$/m;

/**
 * What to play and the --server to play it with: the main and fault ports by
 * --server; the LMTP port and socket by an `@server` line written into a copy
 * of the session in place of its `# @server:` line (line numbers unchanged).
 */
function playTarget(plan: Extract<CasePlan, { session: string }>, server: RunningServer, copy: string): { file: string; server: string | null } {
  if (plan.port === 'main' || plan.port === 'fault') {
    const port = plan.port === 'fault' ? server.faultPort : server.port;
    assert.ok(port, `${server.name} has no fault port (scripts/interop/servers/${server.name}.sh)`);
    return { file: plan.session, server: `127.0.0.1:${port}` };
  }
  const address = plan.port === 'lmtp' ? (server.lmtpPort ? `127.0.0.1:${server.lmtpPort}` : null) : server.lmtpSocket ? `unix:${server.lmtpSocket}` : null;
  assert.ok(address, `${server.name} runs no LMTP server on ${plan.port === 'lmtp' ? 'a TCP port' : 'a Unix socket'} (scripts/interop/servers/${server.name}.sh)`);
  const text = readFileSync(join(REPO, plan.session), 'utf8');
  assert.match(text, SERVER_LINE, `${plan.session} has no "# @server: …" line for the suite to write the LMTP server's address on`);
  writeFileSync(copy, text.replace(SERVER_LINE, `@server = ${address}`));
  return { file: copy, server: null };
}

const servers = loadRunningServers();
const password = process.env.INTEROP_PASSWORD;
if (!password) throw new Error('INTEROP_PASSWORD is not set: scripts/interop/run.sh sets it to the password the servers were configured with.');

const scratch = mkdtempSync(join(tmpdir(), 'smtp-session-interop-recordings-'));
const fixtures = join(REPO, 'test', 'interop', 'recorded');
const results = new Map<string, Map<ServerName, CellResult>>();
const startedAt = new Date();

function remember(feature: string, server: ServerName, result: CellResult) {
  if (!results.has(feature)) results.set(feature, new Map());
  results.get(feature)?.set(server, result);
}

after(() => {
  writeReport(join(REPO, 'docs', 'interop.md'), {
    servers,
    features: INTEROP_CASES.map((interopCase) => interopCase.feature),
    results,
    startedAt,
    seconds: (Date.now() - startedAt.getTime()) / 1000,
  });
  rmSync(scratch, { recursive: true, force: true });
});

// The servers are independent, so they are played side by side; each
// server's cases run one after another (aiosmtpd's last message is the
// current case's).
describe('interop', { concurrency: servers.length }, () => {
  for (const server of servers) {
    describe(`${server.version} on 127.0.0.1:${server.port}`, { concurrency: 1 }, () => {
      for (const interopCase of INTEROP_CASES) {
        const plan = interopCase.plan(server.name);
        if ('notOffered' in plan) {
          it(`${interopCase.feature}: not offered`, () => remember(interopCase.feature, server.name, { kind: 'not-offered', reason: plan.notOffered }));
          continue;
        }
        it(interopCase.feature, async () => {
          try {
            const target = playTarget(plan, server, join(scratch, `${server.name}-${interopCase.id}-played.smtp`));
            const recordingPath = join(scratch, `${server.name}-${interopCase.id}.smtp`);
            const { status, result, stderr } = await runSession(target.file, target.server, recordingPath, {
              ...process.env,
              SMTP_PASSWORD: password,
            });
            assert.equal(result.sessions.length, 1, `${plan.session} should hold one session`);
            const [session] = result.sessions;

            const unmet = session.steps.filter((step) => step.ok === false).map((step) => `line ${step.line}: ${step.mismatch}`);
            if (plan.knownFailure) {
              const failure = session.error?.message ?? unmet[0];
              assert.ok(failure, `expected the known failure (${plan.knownFailure.error}) but the session passed: has ${server.name} been fixed? Then drop knownFailure from interopCases.ts.`);
              assert.match(failure, plan.knownFailure.error);
            } else {
              assert.equal(session.error, null, `the session could not run: ${session.error?.message}\n${stderr}`);
              assert.deepEqual(unmet, [], 'every expectation should hold');
              assert.equal(status, 0);
            }

            // A copy made for its @server line is named by the session it copies.
            const recording = readFileSync(recordingPath, 'utf8').split(target.file).join(plan.session);
            if (!plan.knownFailure) interopCase.verify?.(session, server, recording);
            const problems = (await checkFile(recordingPath))
              .filter((problem) => problem.severity === 'error' || problem.severity === 'warning')
              .map((problem) => `line ${problem.line}: ${problem.severity} ${problem.code}: ${problem.message}`);
            assert.deepEqual(problems, [], `smtp-session check reports problems in the real dialogue (${recordingPath})`);

            mkdirSync(join(fixtures, server.name), { recursive: true });
            writeFileSync(join(fixtures, server.name, `${interopCase.id}.smtp`), normaliseRecording(recording));
            remember(interopCase.feature, server.name, plan.knownFailure
              ? { kind: 'known-failure', session: plan.session, explanation: plan.knownFailure.explanation }
              : { kind: 'passed', session: plan.session });
          } catch (error) {
            remember(interopCase.feature, server.name, { kind: 'failed', session: plan.session, reason: error instanceof Error ? error.message.split('\n')[0] : String(error) });
            throw error;
          }
        });
      }
    });
  }
});
