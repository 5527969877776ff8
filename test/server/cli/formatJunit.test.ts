// `run --format junit` checked the way CI reads it: parsed by libxml2 (xmllint,
// compiled to WebAssembly) and validated against the JUnit schema Jenkins' xUnit
// plugin reads reports with (fixtures/junit-10.xsd, its source named inside).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { runCli } from '../../../server/src/cli/runCli';
import { runToJunit } from '../../../server/src/cli/formatJunit';
import { summarize } from '../../../server/src/cli/runSummary';
import type { FileRun } from '../../../server/src/cli/runFiles';

const SCHEMA = readFileSync(join(__dirname, 'fixtures', 'junit-10.xsd'), 'utf8');

async function validate(xml: string) {
  const result = await validateXML({ xml: [{ fileName: 'report.xml', contents: xml }], schema: [{ fileName: 'junit-10.xsd', contents: SCHEMA }] });
  return { valid: result.valid, errors: result.errors.map((error) => error.message).join('\n') };
}

async function run(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const status = await runCli(args, { stdout: (text) => out.push(text), stderr: (text) => err.push(text) });
  return { status, stdout: out.join('\n'), stderr: err.join('\n') };
}

const TIMEOUT = { timeout: 30_000 };
let folder: string;
const write = (name: string, lines: string[]) => {
  const path = join(folder, name);
  writeFileSync(path, lines.join('\n'));
  return path;
};
before(() => {
  folder = mkdtempSync(join(tmpdir(), 'smtp-session-junit-'));
});
after(() => rmSync(folder, { recursive: true, force: true }));

describe('run --format junit', () => {
  it('is valid against the JUnit schema with a pass, a failure (line, expected, actual), an error and a missing file', TIMEOUT, async () => {
    const pass = write('pass.smtp', ['### Greets & quits', 'S: 220', 'C: QUIT', 'S: 221']);
    const fail = write('fail.smtp', ['### Wants <550>', 'S: 220', 'C: NOOP', 'S: 550 5.0.0', 'C: QUIT', 'S: 221']);
    const error = write('error.smtp', ['@server = 127.0.0.1:1', '### Unreachable', 'S: 220', 'C: QUIT', 'S: 221']);
    const result = await run('run', '--format', 'junit', pass, fail, error, join(folder, 'missing.smtp'));
    assert.equal(result.status, 2);
    const xml = result.stdout;
    const { valid, errors } = await validate(xml);
    assert.ok(valid, `${errors}\n${xml}`);
    assert.match(xml, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="smtp-session run" tests="4" failures="1" errors="2" time="\d+\.\d{3}">/);
    assert.match(xml, new RegExp(`<testsuite name="${escape(pass)}" tests="1" failures="0" errors="0" skipped="0" time="\\d+\\.\\d{3}" timestamp="\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d" file="${escape(pass)}">`));
    assert.match(xml, /<testcase name="Greets &amp; quits" classname="[^"]*\.pass" file="[^"]*pass\.smtp" line="1" time="\d+\.\d{3}">\n {6}<system-out>### Greets &amp; quits/);
    assert.match(xml, /<testcase name="Wants &lt;550&gt;" classname="[^"]*\.fail"[^>]*>\n {6}<failure message="line 3: expected 550 5\.0\.0, got 250 2\.0\.0 OK" type="expectation">line 3 \(expectation at line 4\): expected 550 5\.0\.0, got 250 2\.0\.0 OK\nexpected: 550 5\.0\.0\nactual: {3}250 2\.0\.0 OK\n\nnot played: line 5<\/failure>/);
    assert.match(xml, /<error message="Could not connect to 127\.0\.0\.1:1: nothing is listening there[^"]*" type="session">/);
    assert.match(xml, /<testcase name="the file" classname="[^"]*\.missing" file="[^"]*missing\.smtp">\n {6}<error message="cannot read [^"]*missing\.smtp: no such file \(check the path\)" type="file">/);
  });

  it('marks sessions --bail left unplayed as skipped, still valid', TIMEOUT, async () => {
    const bail = write('bail.smtp', ['### Fails', 'S: 220', 'C: NOOP', 'S: 550', '### Never', 'S: 220', 'C: QUIT', 'S: 221']);
    const result = await run('run', '--bail', '--format', 'junit', bail);
    assert.equal(result.status, 1);
    const { valid, errors } = await validate(result.stdout);
    assert.ok(valid, errors);
    assert.match(result.stdout, /tests="2" failures="1" errors="0" skipped="1"/);
    assert.match(result.stdout, /<testcase name="Never" classname="[^"]*\.bail" file="[^"]*" line="5" time="0\.000">\n {6}<skipped message="not run: the run stopped before this session \(--bail after a failure, or cancelled\)"\/>/);
  });

  it('--report FILE.xml writes the JUnit report while the terminal shows text, and FILE.json the JSON', TIMEOUT, async () => {
    const pass = write('report.smtp', ['### Quick', 'S: 220', 'C: QUIT', 'S: 221']);
    const xmlPath = join(folder, 'junit.xml');
    const result = await run('run', '--report', xmlPath, pass);
    assert.equal(result.status, 0);
    assert.match(result.stdout, /^### Quick/m);
    const { valid, errors } = await validate(readFileSync(xmlPath, 'utf8'));
    assert.ok(valid, errors);
    const jsonPath = join(folder, 'report.json');
    await run('run', '--report', jsonPath, pass);
    assert.equal(JSON.parse(readFileSync(jsonPath, 'utf8')).summary.passed, 1);
  });

  it('escapes markup and writes characters XML cannot hold as \\xNN, so a hostile reply cannot break the report', async () => {
    const hostile = 'no\x00such <user> & "friends"\x1b[31m \uFFFF \uD800';
    const files: FileRun[] = [{
      file: 'dir/hostile.smtp', error: null, notPlayed: [], startedAt: new Date(0), ms: 5, transcript: null, inputs: { environment: [], files: [] },
      sessions: [{ ms: 3, result: {
        name: ']]> "quoted"', line: 1, server: 'mx', ok: false, error: null, tls: null, warnings: [],
        steps: [{ line: 2, kind: 'command', sent: 'RCPT TO:<a@b>', reply: { code: 550, enhanced: null, lines: [`550 ${hostile}`] }, expected: '250', expectedLine: 3, ok: false, mismatch: `expected 250, got 550 ${hostile}`, skipped: false, ms: 1 }],
      } }],
    }];
    const xml = runToJunit({ files, summary: summarize(files, 5), ok: false });
    const { valid, errors } = await validate(xml);
    assert.ok(valid, `${errors}\n${xml}`);
    assert.match(xml, /no\\x00such &lt;user&gt; &amp; &quot;friends&quot;\\x1b\[31m \\uffff \\ud800/);
    assert.match(xml, /classname="dir\.hostile"/);
  });

  it('examples/ci/ passes against the embedded server, and its report is valid: what .ci/run shows', TIMEOUT, async () => {
    const examples = join(__dirname, '..', '..', '..', 'examples', 'ci');
    const result = await run('run', '--format', 'junit', examples);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    const { valid, errors } = await validate(result.stdout);
    assert.ok(valid, errors);
    assert.match(result.stdout, /<testsuites name="smtp-session run" tests="3" failures="0" errors="0"/);
    assert.match(result.stdout, /<testcase name="Two messages, the second naming the first" classname="examples\.ci\.02-delivery"/);
    assert.match(result.stdout, /# captured @qid = \w+ \(line 24\)/);
  });

  it('the schema check can fail: a report without the tests count every CI requires is rejected', async () => {
    const { valid, errors } = await validate('<?xml version="1.0"?>\n<testsuites><testsuite name="x"><testcase name="y"/></testsuite></testsuites>\n');
    assert.equal(valid, false);
    assert.match(errors, /tests.*required|required.*tests/);
  });
});

function escape(path: string): string {
  return path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
