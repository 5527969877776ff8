// `smtp-session run` over many files: directories, --bail, --parallel, --grep,
// the summary and the exit status, against the embedded server and scripted ones.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../server/src/cli/runCli';
import { greetAndEhlo, startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

const TIMEOUT = { timeout: 30_000 };
let folder: string;
/** Every NOOP argument the slow server received, in arrival order. */
const noops: string[] = [];
let slow: ScriptedServer;

before(async () => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-run-many-'));
  // Answers each NOOP after 150 ms, so files that run at once overlap visibly.
  slow = await startScriptedServer(async (connection) => {
    connection.send('220 slow.test ESMTP\r\n');
    for (;;) {
      const line = await connection.line();
      if (/^QUIT/i.test(line)) {
        connection.send('221 bye\r\n');
        return;
      }
      noops.push(line.replace(/^NOOP /i, ''));
      await new Promise((resolve) => setTimeout(resolve, 150));
      connection.send('250 ok\r\n');
    }
  });
});
after(async () => {
  await slow.close();
  rmSync(folder, { recursive: true, force: true });
});

function write(path: string, lines: string[]): string {
  const full = join(folder, path);
  mkdirSync(join(full, '..'), { recursive: true });
  writeFileSync(full, lines.join('\n'));
  return full;
}

const passing = (name: string) => [`### ${name}`, 'S: 220', 'C: NOOP', 'S: 250', 'C: QUIT', 'S: 221'];
const failing = (name: string) => [`### ${name}`, 'S: 220', 'C: NOOP', 'S: 550', 'C: QUIT', 'S: 221'];

describe('smtp-session run FILE|DIR…', () => {
  it('runs every .smtp file below a directory in name order and sums them up; exit 1 when an expectation fails', TIMEOUT, async () => {
    const dir = join(folder, 'suite');
    write('suite/b-second.smtp', [...passing('B one'), ...failing('B two')]);
    write('suite/a-first.smtp', passing('A one'));
    write('suite/nested/c-third.smtp', passing('C one'));
    write('suite/notes.txt', ['not a transcript']);
    const result = await run('run', dir);
    assert.equal(result.status, 1, result.stdout + result.stderr);
    const headings = [...result.stdout.matchAll(/^=== (.*)$/gm)].map((match) => match[1].slice(dir.length + 1));
    assert.deepEqual(headings, ['a-first.smtp', 'b-second.smtp', 'nested/c-third.smtp']);
    assert.match(result.stdout, /\n3 files, 4 sessions: 3 passed, 1 failed; 10 of 12 expectations met; \d+\.\d\d s$/);
  });

  it('exits 0 when everything passes, and 2 when a file cannot be read or a session cannot run — still running the rest', TIMEOUT, async () => {
    const good = write('exit/good.smtp', passing('Good'));
    assert.equal((await run('run', good)).status, 0);
    const unreachable = write('exit/unreachable.smtp', ['@server = 127.0.0.1:1', ...passing('Nowhere')]);
    const result = await run('run', '--format', 'json', join(folder, 'exit', 'missing.smtp'), unreachable, good);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /cannot read .*missing\.smtp: no such file/);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.files.map((file: { ok: boolean; error: string | null }) => [file.ok, file.error !== null]), [[false, true], [false, false], [true, false]]);
    assert.deepEqual({ ...report.summary, ms: 0 }, { files: 3, sessions: 3, passed: 1, failed: 0, errored: 2, notRun: 0, expectationsMet: 3, expectations: 5, ms: 0 });
  });

  it('--bail stops at the first failed session: the one in flight ends, later sessions and files are not run', TIMEOUT, async () => {
    const dir = join(folder, 'bail');
    write('bail/1.smtp', [...passing('First'), ...failing('Fails'), ...passing('After it')]);
    write('bail/2.smtp', passing('Next file'));
    const result = await run('run', '--bail', '--format', 'json', dir);
    assert.equal(result.status, 1);
    const report = JSON.parse(result.stdout);
    assert.deepEqual(report.files.map((file: { sessions: { name: string }[]; notPlayed: { name: string }[] }) => [file.sessions.map((s) => s.name), file.notPlayed.map((s) => s.name)]), [
      [['First', 'Fails'], ['After it']],
      [[], ['Next file']],
    ]);
    assert.equal(report.summary.notRun, 2);
    const text = await run('run', '--bail', dir);
    assert.match(text.stdout, /^### After it {2}\(not run\)$/m);
    assert.match(text.stdout, /4 sessions: 1 passed, 1 failed, 2 not run/);
  });

  it('--parallel N plays N files at once, each file\'s sessions in their order, and prints files in the order given', TIMEOUT, async () => {
    const server = `@server = 127.0.0.1:${slow.port}`;
    const session = (name: string) => [`### ${name}`, 'S: 220', `C: NOOP ${name}`, 'S: 250', 'C: QUIT', 'S: 221'];
    const a = write('parallel/a.smtp', [server, ...session('a1'), ...session('a2'), ...session('a3')]);
    const b = write('parallel/b.smtp', [server, ...session('b1'), ...session('b2')]);
    noops.length = 0;
    const serial = await run('run', a, b);
    assert.equal(serial.status, 0, serial.stdout + serial.stderr);
    assert.deepEqual(noops, ['a1', 'a2', 'a3', 'b1', 'b2']);

    noops.length = 0;
    const parallel = await run('run', '--parallel', '2', a, b);
    assert.equal(parallel.status, 0, parallel.stdout + parallel.stderr);
    assert.deepEqual(noops.filter((name) => name.startsWith('a')), ['a1', 'a2', 'a3']);
    assert.deepEqual(noops.filter((name) => name.startsWith('b')), ['b1', 'b2']);
    assert.ok(noops.indexOf('b1') < noops.indexOf('a2'), `the files overlapped: ${noops.join(' ')}`);
    assert.ok(parallel.stdout.indexOf('=== ') === parallel.stdout.indexOf(`=== ${a}`) && parallel.stdout.indexOf(`=== ${b}`) > parallel.stdout.indexOf(`=== ${a}`), 'a.smtp is printed first although b.smtp finished first');
  });

  it('--grep PATTERN runs the sessions whose name it finds (case-insensitive) in every file', TIMEOUT, async () => {
    const one = write('grep/one.smtp', [...passing('Deliver to alice'), ...failing('Relay refused')]);
    const two = write('grep/two.smtp', [...passing('deliver to bob'), ...failing('Unnamed follows')]);
    const result = await run('run', '--grep', '^deliver', '--format', 'json', one, two);
    assert.equal(result.status, 0, result.stdout);
    assert.deepEqual(JSON.parse(result.stdout).files.map((file: { sessions: { name: string }[] }) => file.sessions.map((s) => s.name)), [['Deliver to alice'], ['deliver to bob']]);
    const bad = await run('run', '--grep', '(', one);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--grep "\(" is not a valid regular expression/);
  });

  it('refuses options that do not fit together, saying what to write', async () => {
    const file = write('usage/one.smtp', passing('One'));
    const cases: [string[], RegExp][] = [
      [['--session', '1', '--grep', 'x', file], /--session and --grep both choose sessions/],
      [['--parallel', '0', file], /--parallel must be a whole number of files from 1 to 64, not "0"/],
      [['--record', join(folder, 'r.smtp'), file, file], /--record writes one file's dialogue/],
      [['--format', 'xml', file], /--format must be "text", "json" or "junit"/],
      [['--report', join(folder, 'report.txt'), file], /name the file \.json for the JSON report or \.xml for JUnit XML/],
      [['--var', 'no-equals', file], /--var "no-equals": write --var name=value/],
      [[], /run needs at least one \.smtp file or directory/],
    ];
    for (const [args, message] of cases) {
      const result = await run('run', ...args);
      assert.equal(result.status, 2, args.join(' '));
      assert.match(result.stderr, message);
    }
  });
});

describe('smtp-session run --env / --var', () => {
  let echo: ScriptedServer;
  before(async () => {
    echo = await startScriptedServer(async (connection) => {
      await greetAndEhlo(connection);
      for (;;) {
        const line = await connection.line();
        if (/^QUIT/i.test(line)) return void connection.send('221 bye\r\n');
        connection.send('250 ok\r\n');
      }
    });
  });
  after(() => echo.close());

  function project(): string {
    write('project/.vscode/settings.json', [
      '{',
      '  // The same file the editor reads: comments and trailing commas are fine.',
      '  "editor.tabSize": 2,',
      '  "smtp.environments": {',
      `    "ci": { "server": "127.0.0.1:${echo.port}", "user": "from-env", "size": 1024, },`,
      '    /* another */ "staging": {},',
      '  },',
      '}',
    ]);
    return write('project/tests/deep/user.smtp', ['S: 220', 'C: EHLO client.test', 'S: 250', 'C: NOOP {{user}} {{size}}', 'S: 250', 'C: QUIT', 'S: 221']);
  }
  const sentNoop = (stdout: string) => JSON.parse(stdout).files[0].sessions[0].steps.find((step: { sent: string | null }) => step.sent?.startsWith('NOOP')).sent;

  it('--env NAME takes the environment from the nearest .vscode/settings.json above the first file (JSON with comments)', TIMEOUT, async () => {
    const file = project();
    const result = await run('run', '--env', 'ci', '--format', 'json', file);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal(sentNoop(result.stdout), 'NOOP from-env 1024');
    assert.equal(JSON.parse(result.stdout).files[0].sessions[0].server, `127.0.0.1:${echo.port}`, 'the environment\'s server is used, not the embedded one');
  });

  it('--var wins over the environment, and the file\'s own @ lines win over both', TIMEOUT, async () => {
    const file = project();
    const overVar = await run('run', '--env', 'ci', '--var', 'user=from-var', '--var', 'size=7', '--format', 'json', file);
    assert.equal(sentNoop(overVar.stdout), 'NOOP from-var 7');
    const own = write('project/tests/own.smtp', ['@user = from-file', 'S: 220', 'C: EHLO client.test', 'S: 250', 'C: NOOP {{user}} {{size}}', 'S: 250', 'C: QUIT', 'S: 221']);
    const overFile = await run('run', '--env', 'ci', '--var', 'user=from-var', '--format', 'json', own);
    assert.equal(sentNoop(overFile.stdout), 'NOOP from-file 1024');
    const varOnly = await run('run', '--var', `server=127.0.0.1:${echo.port}`, '--var', 'user=v', '--var', 'size=', '--format', 'json', file);
    assert.equal(sentNoop(varOnly.stdout), 'NOOP v ');
  });

  it('--env with an unknown name, or without a settings file, is a usage error that lists what there is', TIMEOUT, async () => {
    const file = project();
    const unknown = await run('run', '--env', 'prod', file);
    assert.equal(unknown.status, 2);
    assert.match(unknown.stderr, /--env prod: "smtp.environments" in .*settings\.json has no environment "prod"; it has: ci, staging\./);
    const lonely = mkdtempSync(join(tmpdir(), 'smtp-session-no-settings-'));
    try {
      const alone = join(lonely, 'alone.smtp');
      writeFileSync(alone, passing('Alone').join('\n'));
      const none = await run('run', '--env', 'ci', alone);
      assert.equal(none.status, 2);
      assert.match(none.stderr, /--env ci: no \.vscode[\\/]settings\.json in .* or any folder above it/);
    } finally {
      rmSync(lonely, { recursive: true, force: true });
    }
    write('broken/.vscode/settings.json', ['{', '  "smtp.environments": { "ci": { "server": } }', '}']);
    const broken = await run('run', '--env', 'ci', write('broken/x.smtp', passing('X')));
    assert.equal(broken.status, 2);
    assert.match(broken.stderr, /settings\.json line 2: ValueExpected; fix the JSON/);
  });
});
