// The language server over real LSP connections: the bundled dist/server.js as a
// child process on stdio (what any editor sees), and startServer in-process over
// memory streams where a test needs to break a feature on purpose. Every wait is
// on a real message; a missing one fails the test by its timeout.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import {
  createConnection,
  CodeActionRequest,
  CompletionRequest,
  ConfigurationRequest,
  createMessageConnection,
  DidChangeConfigurationNotification,
  DidChangeTextDocumentNotification,
  DidCloseTextDocumentNotification,
  DidOpenTextDocumentNotification,
  CodeLensRequest,
  DocumentSymbolRequest,
  ExecuteCommandRequest,
  HoverRequest,
  InlayHintRequest,
  MarkupContent,
  FoldingRangeRequest,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  MessageType,
  NotificationType,
  PublishDiagnosticsNotification,
  RequestType,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  TextDocumentSyncKind,
  WorkDoneProgress,
  WorkDoneProgressCreateRequest,
  type CodeAction,
  type DocumentSymbol,
  type InitializeResult,
  type LogMessageParams,
  type MessageConnection,
  type ProgressToken,
  type PublishDiagnosticsParams,
  type TextDocumentContentChangeEvent,
  type WorkDoneProgressBegin,
  type WorkDoneProgressEnd,
  type WorkDoneProgressReport,
} from 'vscode-languageserver/node';
import { startServer, type ServerOptions } from '../../../server/src/lsp/languageServer';
import { ALL_SMTP_EXTENSIONS, Queue } from './lspHarness';
import {
  CancelSessionCommand,
  LocalServerStatusNotification,
  RunSessionCommand,
  SecretRequest,
  SERVER_COMMANDS,
  SessionEventNotification,
  type LocalServerStatus,
} from '../../../server/src/contract/messages';
import { startLocalServer, type RunningLocalServer } from '../../../server/src/captureServer/localServer';
import { startScriptedServer, type ScriptedServer } from '../engine/scriptedServer';
import type { TranscriptFile } from '../../../server/src/transcript/ast';

const SERVER = join(__dirname, '..', '..', '..', 'dist', 'server.js');
const TIMEOUT = { timeout: 10_000 };

/** The client end of an LSP connection, with a queue per kind of notification the tests wait on. */
class TestClient {
  private readonly diagnostics = new Queue<PublishDiagnosticsParams>();
  readonly logs = new Queue<LogMessageParams>();

  constructor(readonly connection: MessageConnection) {
    connection.onNotification(PublishDiagnosticsNotification.type, (params) => this.diagnostics.push(params));
    connection.onNotification(LogMessageNotification.type, (params) => this.logs.push(params));
    connection.listen();
  }

  /** processId null: in-process, the node connection's parent-process watchdog would outlive the test. */
  async initialize(processId: number | null, workspaceFolders: { uri: string; name: string }[] | null = null): Promise<InitializeResult> {
    const result = await this.connection.sendRequest(InitializeRequest.type, {
      processId,
      rootUri: null,
      capabilities: {},
      workspaceFolders,
    });
    await this.connection.sendNotification(InitializedNotification.type, {});
    return result;
  }

  open(uri: string, text: string, version = 1): Promise<void> {
    return this.connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'smtp', version, text } });
  }

  change(uri: string, version: number, ...contentChanges: TextDocumentContentChangeEvent[]): Promise<void> {
    return this.connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges });
  }

  close(uri: string): Promise<void> {
    return this.connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  }

  /** The next diagnostics published for this document. */
  nextDiagnostics(uri: string): Promise<PublishDiagnosticsParams> {
    return this.diagnostics.next((params) => params.uri === uri);
  }
}

/**
 * The server in this process over memory streams, and the client end of it (not initialized).
 * Reader and writer rather than raw streams: given streams, the node connection
 * calls process.exit when they close, which would end the test run.
 */
function startInProcess(options: ServerOptions): { client: TestClient; dispose: () => void } {
  const toServer = new PassThrough();
  const toClient = new PassThrough();
  startServer(createConnection(new StreamMessageReader(toServer), new StreamMessageWriter(toClient)), options);
  const client = new TestClient(createMessageConnection(toClient, toServer));
  return {
    client,
    dispose: () => {
      client.connection.dispose();
      toServer.destroy();
      toClient.destroy();
    },
  };
}

describe('dist/server.js over stdio', () => {
  let child: ChildProcess;
  let client: TestClient;
  let exited: Promise<number | null>;
  let stderr = '';
  const uri = 'file:///work/broken.smtp';

  before(() => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    client = new TestClient(createMessageConnection(child.stdout!, child.stdin!));
  });

  after(() => {
    client.connection.dispose();
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid);
  });

  it('initializes with incremental text sync', TIMEOUT, async () => {
    const result = await client.initialize(process.pid);
    assert.equal(result.capabilities.textDocumentSync, TextDocumentSyncKind.Incremental);
    assert.equal(result.serverInfo?.name, 'SMTP Session');
  });

  it('publishes unprefixed-line for a line with no prefix when a document opens', TIMEOUT, async () => {
    await client.open(uri, 'hello\nS: 220 mx.example.org ESMTP\nC: QUIT\nS: 221 bye\n');
    const published = await client.nextDiagnostics(uri);
    assert.equal(published.version, 1);
    assert.equal(published.diagnostics.length, 1, JSON.stringify(published.diagnostics));
    const [diagnostic] = published.diagnostics;
    assert.equal(diagnostic.code, 'unprefixed-line');
    assert.equal(diagnostic.source, 'smtp');
    assert.equal(diagnostic.severity, 1);
    assert.equal(diagnostic.range.start.line, 0);
    assert.equal(diagnostic.range.end.line, 0);
    assert.match(String(diagnostic.message), /\S/);
  });

  it('applies an incremental edit and clears the diagnostic once the line is fixed', TIMEOUT, async () => {
    // Insert "# " before "hello": the line becomes a comment.
    await client.change(uri, 2, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# ' });
    const published = await client.nextDiagnostics(uri);
    assert.equal(published.version, 2);
    assert.deepEqual(published.diagnostics, []);
  });

  it('validates only the newest version after a burst of changes', TIMEOUT, async () => {
    // Three versions sent back to back, well inside the debounce delay: the
    // first diagnostics to arrive must already be those of the last version.
    await Promise.all([
      client.change(uri, 3, { text: 'oops\n' }),
      client.change(uri, 4, { text: 'oops\nagain\n' }),
      client.change(uri, 5, { text: 'S: 220 ready\nwhat\n' }),
    ]);
    const published = await client.nextDiagnostics(uri);
    assert.equal(published.version, 5);
    assert.deepEqual(published.diagnostics.map((d) => [d.code, d.range.start.line]), [['unprefixed-line', 1]]);

    // And only once: the next publication is for the next change, not a repeat
    // left over from a validation that the burst should have cancelled.
    await client.change(uri, 6, { text: 'S: 220 ready\n' });
    const next = await client.nextDiagnostics(uri);
    assert.equal(next.version, 6);
    assert.deepEqual(next.diagnostics, []);
  });

  it('debounces each document on its own', TIMEOUT, async () => {
    // A change to one document must not cancel the pending validation of another.
    const other = 'file:///work/other.smtp';
    await Promise.all([client.open(other, 'S: 220 ready\n\nbye\n'), client.change(uri, 7, { text: 'hi\n' })]);
    const [mine, theirs] = await Promise.all([client.nextDiagnostics(uri), client.nextDiagnostics(other)]);
    assert.deepEqual(mine.diagnostics.map((d) => [d.code, d.range.start.line]), [['unprefixed-line', 0]]);
    assert.deepEqual(theirs.diagnostics.map((d) => [d.code, d.range.start.line]), [['unprefixed-line', 2]]);
    await client.close(other);
    assert.deepEqual((await client.nextDiagnostics(other)).diagnostics, []);
  });

  it('answers folding ranges, document symbols and code lenses from the parsed tree', TIMEOUT, async () => {
    const outlined = 'file:///work/outline.smtp';
    await client.open(outlined, '### Send one\nC: MAIL FROM:<a@example.com>\nC: RCPT TO:<b@example.org>\nC: DATA\nSubject: x\n.\n### Quit\nC: QUIT\n');
    const folds = await client.connection.sendRequest(FoldingRangeRequest.type, { textDocument: { uri: outlined } });
    assert.deepEqual(folds?.map((f) => [f.startLine, f.endLine]), [[0, 5], [3, 5], [6, 7]]);
    const symbols = (await client.connection.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: outlined } })) as DocumentSymbol[];
    assert.deepEqual(symbols.map((s) => s.name), ['Send one', 'Quit']);
    const lenses = await client.connection.sendRequest(CodeLensRequest.type, { textDocument: { uri: outlined } });
    assert.deepEqual(lenses?.map((lens) => [lens.range.start.line, lens.command?.title, lens.command?.command]), [
      [0, '▶ Run session', 'smtp.lsp.runSession'], [0, 'Run against local server', 'smtp.lsp.runSession'], [0, 'Record', 'smtp.lsp.runSession'],
      [6, '▶ Run session', 'smtp.lsp.runSession'], [6, 'Run against local server', 'smtp.lsp.runSession'], [6, 'Record', 'smtp.lsp.runSession'],
    ]);
    assert.deepEqual(symbols[0].selectionRange, { start: { line: 0, character: 0 }, end: { line: 0, character: 12 } });
    assert.equal(symbols[0].children?.[0].name, 'MAIL FROM:<a@example.com>');
    await client.close(outlined);
    await client.nextDiagnostics(outlined);
  });

  it('answers hover and inlay hints from the parsed tree', TIMEOUT, async () => {
    const explained = 'file:///work/explained.smtp';
    await client.open(explained, 'C: RCPT TO:<x@example.org>\nS: 550 5.1.1 No such user\nC: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\n');
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri: explained }, position: { line: 1, character: 4 } });
    assert.ok(hover && MarkupContent.is(hover.contents), 'a markdown hover');
    assert.match((hover.contents as MarkupContent).value, /550/);
    assert.deepEqual(hover.range, { start: { line: 1, character: 3 }, end: { line: 1, character: 6 } });
    const hints = await client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri: explained }, range: { start: { line: 0, character: 0 }, end: { line: 4, character: 0 } } });
    const labels = (hints ?? []).map((hint) => (typeof hint.label === 'string' ? hint.label : hint.label.map((part) => part.value).join('')));
    assert.ok(labels.some((label) => /mailbox unavailable/i.test(label)), labels.join(' | '));
    assert.ok(labels.some((label) => label.includes('Username:')), labels.join(' | '));
    await client.close(explained);
    await client.nextDiagnostics(explained);
  });

  it('completes the commands the dialogue allows, and offers quick fixes for diagnostics', TIMEOUT, async () => {
    const edited = 'file:///work/edited.smtp';
    await client.open(edited, 'S: 220 mx\nC: EHLO a.example\nS: 250 ok\nC: \nC: EHL0 a.example\n');
    const diagnostics = await client.nextDiagnostics(edited);
    const completion = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri: edited }, position: { line: 3, character: 3 } });
    const items = Array.isArray(completion) ? completion : completion?.items ?? [];
    const labels = items.map((item) => item.label);
    assert.ok(labels.indexOf('MAIL') >= 0 && labels.indexOf('MAIL') < labels.indexOf('RCPT'), labels.join(' '));
    const unknown = diagnostics.diagnostics.find((d) => d.code === 'unknown-command' && d.range.start.line === 4);
    assert.ok(unknown, JSON.stringify(diagnostics.diagnostics));
    const actions = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: edited }, range: unknown.range, context: { diagnostics: [unknown] } })) as CodeAction[];
    const change = actions.find((action) => action.title.includes('EHLO'));
    assert.deepEqual(change?.edit?.changes?.[edited], [{ range: unknown.range, newText: 'EHLO' }]);
    const sourceOnly = (await client.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri: edited }, range: unknown.range, context: { diagnostics: [unknown], only: ['source'] } })) as CodeAction[];
    assert.ok(sourceOnly.length > 0 && sourceOnly.every((action) => action.kind?.startsWith('source')), JSON.stringify(sourceOnly.map((a) => a.kind)));
    await client.close(edited);
    await client.nextDiagnostics(edited);
  });

  it('clears the diagnostics when the document closes', TIMEOUT, async () => {
    await client.close(uri);
    const published = await client.nextDiagnostics(uri);
    assert.deepEqual(published.diagnostics, []);
  });

  it('shuts down and exits with status 0', TIMEOUT, async () => {
    await client.connection.sendRequest(ShutdownRequest.type);
    await client.connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
  });
});

describe('running sessions: dist/server.js over stdio', () => {
  // The client side an editor implements from contract/messages.ts: session events,
  // the local server's status, server-created progress, and smtp/secret.
  const sessionEvent = new NotificationType<SessionEventNotification.Params>(SessionEventNotification.method);
  const localServerStatus = new NotificationType<LocalServerStatusNotification.Params>(LocalServerStatusNotification.method);
  const secretRequest = new RequestType<SecretRequest.Params, SecretRequest.Result, void>(SecretRequest.method);
  const password = 'Tr0ub4dor&3 is not a good one';
  let child: ChildProcess;
  let connection: MessageConnection;
  let exited: Promise<number | null>;
  let stderr = '';
  /** Every byte the server wrote to the client. */
  let wire = '';
  const events = new Queue<SessionEventNotification.Params>();
  const statuses = new Queue<LocalServerStatus>();
  const progress = new Queue<{ token: ProgressToken; value: WorkDoneProgressBegin | WorkDoneProgressReport | WorkDoneProgressEnd }>();
  const secretsAsked: SecretRequest.Params[] = [];
  let smtpWithUsers: RunningLocalServer;
  let silent: ScriptedServer;
  let embeddedPort = 0;
  let initialized: InitializeResult;

  const run = (params: RunSessionCommand.Params) => connection.sendRequest(ExecuteCommandRequest.type, { command: RunSessionCommand.command, arguments: [params] }) as Promise<RunSessionCommand.Result>;
  const open = (uri: string, text: string) => connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'smtp', version: 1, text } });

  before(async () => {
    assert.ok(existsSync(SERVER), `${SERVER} is missing: run \`npm run build\` first`);
    smtpWithUsers = await startLocalServer({ port: 0, tls: 'none', users: [{ user: 'alice', pass: password }] });
    // Accepts, never greets, and hangs up when the client says QUIT.
    silent = await startScriptedServer(async (smtp) => {
      while ((await smtp.line()) !== 'QUIT') { /* silent */ }
      smtp.socket.destroy();
    });
    child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => (wire += chunk.toString()));
    exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    connection = createMessageConnection(child.stdout!, child.stdin!);
    connection.onNotification(sessionEvent, (params) => events.push(params));
    connection.onNotification(localServerStatus, (params) => statuses.push(params));
    connection.onRequest(WorkDoneProgressCreateRequest.type, ({ token }) => {
      connection.onProgress(WorkDoneProgress.type, token, (value) => progress.push({ token, value }));
    });
    connection.onRequest(secretRequest, (params) => {
      secretsAsked.push(params);
      return { value: params.name === 'SMTP_PASSWORD' ? password : null };
    });
    connection.listen();
    // It declares the extensions it implements, as the VS Code client does.
    const capabilities = { window: { workDoneProgress: true }, experimental: { smtp: ALL_SMTP_EXTENSIONS } };
    initialized = await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities, workspaceFolders: null });
    await connection.sendNotification(InitializedNotification.type, {});
  });

  after(async () => {
    connection.dispose();
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) process.kill(child.pid);
    await smtpWithUsers.close();
    await silent.close();
  });

  it('lists the session commands it executes', TIMEOUT, () => {
    assert.deepEqual(initialized.capabilities.executeCommandProvider?.commands, [...SERVER_COMMANDS]);
  });

  it('runs a session without @server against the embedded server, reporting each step as it comes', TIMEOUT, async () => {
    const uri = 'file:///work/deliver.smtp';
    await open(uri, 'S: 220\nC: EHLO client.example\nS: 250\nC: MAIL FROM:<a@example.com>\nS: 250\nC: RCPT TO:<b@example.org>\nS: 250\nC: QUIT\nS: 221\n');
    const running = run({ uri, session: 0 });
    const status = await statuses.next();
    assert.ok(status.running, 'the embedded server started for the run');
    embeddedPort = status.port;
    const greeting = await events.next((params) => params.event.type === 'step');
    assert.ok(greeting.event.type === 'step');
    assert.deepEqual([greeting.event.step.kind, greeting.event.step.reply?.code, greeting.event.step.ok], ['greeting', 220, true]);
    assert.equal(greeting.uri, uri);
    const result = await running;
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.equal(greeting.runId, result.runId);
    assert.equal(result.sessions[0].result.server, `127.0.0.1:${status.port}`);
    const steps = events.all.filter((params) => params.runId === result.runId).flatMap((params) => (params.event.type === 'step' ? [params.event.step] : []));
    assert.deepEqual(steps.map((step) => [step.line, step.reply?.code, step.ok]), [[1, 220, true], [2, 250, true], [4, 250, true], [6, 250, true], [8, 221, true]]);
    const types = events.all.filter((params) => params.runId === result.runId).map((params) => params.event.type);
    assert.deepEqual([types[0], types[types.length - 1]], ['started', 'finished']);
    const begin = await progress.next((p) => p.value.kind === 'begin');
    assert.ok(begin.value.kind === 'begin');
    assert.equal(begin.value.title, 'SMTP: session 1 (deliver.smtp)');
    await progress.next((p) => p.token === begin.token && p.value.kind === 'end');
  });

  it('asks the client for {{$secret}} and authenticates, against a server given by the run', TIMEOUT, async () => {
    const uri = 'file:///work/auth.smtp';
    await open(uri, 'S: 220\nC: EHLO client.example\nS: 250\nC: AUTH PLAIN {{$authPlain alice {{$secret SMTP_PASSWORD}}}}\nS: 235 2.7.0\nC: QUIT\nS: 221\n');
    const result = await run({ uri, server: `127.0.0.1:${smtpWithUsers.port}` });
    assert.equal(result.ok, true, JSON.stringify(result));
    assert.deepEqual(secretsAsked, [{ runId: result.runId, uri, kind: 'secret', name: 'SMTP_PASSWORD', host: '127.0.0.1' }]);
    assert.equal(result.sessions[0].result.steps[2].sent, 'AUTH PLAIN ***');
    assert.ok(!wire.includes(password), 'the password never comes back from the server');
  });

  it('cancels a run against a server that never greets: a cancelled error at once, and QUIT', TIMEOUT, async () => {
    const uri = 'file:///work/silent.smtp';
    await open(uri, `@server = 127.0.0.1:${silent.port}\nS: 220\nC: QUIT\nS: 221\n`);
    const running = run({ uri, runId: 'silent-run' });
    await events.next((params) => params.runId === 'silent-run' && params.event.type === 'connected');
    const cancel = await connection.sendRequest(ExecuteCommandRequest.type, { command: CancelSessionCommand.command, arguments: [{ runId: 'silent-run' }] });
    assert.deepEqual(cancel, { cancelled: true });
    const result = await running;
    assert.equal(result.cancelled, true);
    assert.equal(result.sessions[0].result.error?.message, 'The session was cancelled.');
    assert.equal(silent.connections[0].received().toString(), 'QUIT\r\n');
  });

  it('stops the embedded server on shutdown and exits with status 0', TIMEOUT, async () => {
    assert.ok(embeddedPort > 0);
    await connection.sendRequest(ShutdownRequest.type);
    // Checked before exit: the process is still alive, so only the shutdown can have freed the port.
    const refused = await new Promise<string>((resolve) => {
      const socket = connect(embeddedPort, '127.0.0.1', () => {
        socket.destroy();
        resolve('connected');
      });
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
    });
    assert.equal(refused, 'ECONNREFUSED');
    await connection.sendNotification(ExitNotification.type);
    assert.equal(await exited, 0, stderr);
  });
});

describe('startServer in-process', () => {
  let client: TestClient;
  let dispose: () => void;
  let checks = 0;

  before(async () => {
    // An analyzer that throws the first time it runs, then works.
    const check = (file: TranscriptFile) => {
      checks++;
      if (checks === 1) throw new Error('analyzer broke');
      return file.problems;
    };
    ({ client, dispose } = startInProcess({ check, validationDelayMs: 0 }));
    await client.initialize(null);
  });

  after(() => dispose());

  it('logs an error thrown while analysing, still publishes the parser\'s diagnostics with one saying so, and keeps serving', TIMEOUT, async () => {
    await client.open('file:///first.smtp', 'hello\n');
    const log = await client.logs.next((params) => params.type === MessageType.Error);
    assert.match(log.message, /analysing file:\/\/\/first\.smtp/);
    assert.match(log.message, /analyzer broke/);
    const first = await client.nextDiagnostics('file:///first.smtp');
    assert.deepEqual(first.diagnostics.map((d) => d.code), ['internal-error', 'unprefixed-line']);
    assert.match(String(first.diagnostics[0].message), /^An internal error \(Error\) stopped the language server while analysing this file/);

    await client.open('file:///second.smtp', 'hello\n');
    const published = await client.nextDiagnostics('file:///second.smtp');
    assert.deepEqual(published.diagnostics.map((d) => d.code), ['unprefixed-line']);
  });
});

describe('hostile documents', () => {
  let client: TestClient;
  let dispose: () => void;

  before(async () => {
    ({ client, dispose } = startInProcess({ validationDelayMs: 0 }));
    await client.initialize(null);
  });

  after(() => dispose());

  const DATA = 'C: EHLO a\nS: 250 ok\nC: MAIL FROM:<a@b>\nS: 250 ok\nC: RCPT TO:<c@d>\nS: 250 ok\nC: DATA\nS: 354 go\n';

  it('publishes the first 1,000 of 200,000 dot-stuffing warnings and one diagnostic counting the rest', TIMEOUT, async () => {
    const uri = 'file:///dots.smtp';
    await client.open(uri, `${DATA}${'.x\n'.repeat(200_000)}.\nS: 250 ok\n`);
    const { diagnostics } = await client.nextDiagnostics(uri);
    assert.equal(diagnostics.length, 1001);
    assert.equal(diagnostics[999].code, 'dot-stuffing');
    assert.deepEqual([diagnostics[1000].code, diagnostics[1000].range.start.line], ['too-many-problems', 1008]);
    assert.equal(diagnostics[1000].message, '199,000 more problems from here on are not shown (the editor shows the first 1,000); `smtp-session check` lists them all.');
  });

  it('checks 20,000 nested {{ and a 1 MB unknown word, and answers hover and completion on them', TIMEOUT, async () => {
    const uri = 'file:///nested.smtp';
    await client.open(uri, `C: EHLO a\nS: 250 ok\nC: NOOP ${'{{'.repeat(20_000)}\nC: ${'a'.repeat(1_000_000)}\n`);
    const codes = (await client.nextDiagnostics(uri)).diagnostics.map((d) => d.code);
    assert.deepEqual(codes, ['line-too-long', ...Array<string>(6).fill('unclosed-variable'), 'unknown-command', 'line-too-long']);
    const hover = await client.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 3, character: 500_000 } });
    assert.equal(MarkupContent.is(hover?.contents) && hover.contents.value, `\`${'a'.repeat(40)}…\` is not an SMTP command this tool knows; a server answers it with \`500\` (RFC 5321 §4.2.4).`);
    const completion = await client.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line: 2, character: 40_008 } });
    assert.deepEqual(completion, []);
  });

  it('checks the first 2,000,000 characters of a larger file and says so in one diagnostic where it stops', TIMEOUT, async () => {
    const uri = 'file:///large.smtp';
    // 312,500 lines of 8 characters: the first 250,000 are checked; the unknown command on the last one is not.
    await client.open(uri, `${'C: NOOP\n'.repeat(312_499)}C: BOGUS\n`);
    const { diagnostics } = await client.nextDiagnostics(uri);
    assert.deepEqual(diagnostics.map((d) => [d.code, d.range.start.line]), [['file-too-large', 250_000]]);
    assert.match(String(diagnostics[0].message), /^This file has 2,500,001 characters: the editor checks the first 2,000,000 and nothing from here on/);
  });
});

describe('settings', () => {
  let client: TestClient;
  let dispose: () => void;
  let inlayHintsEnabled = false;
  let environments: unknown = {};

  before(async () => {
    ({ client, dispose } = startInProcess({ validationDelayMs: 0 }));
    // The client answers workspace/configuration like VS Code does, from its `smtp` section.
    client.connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({ inlayHints: { enabled: inlayHintsEnabled }, environments })));
    await client.connection.sendRequest(InitializeRequest.type, { processId: null, rootUri: null, capabilities: { workspace: { configuration: true } }, workspaceFolders: null });
    await client.connection.sendNotification(InitializedNotification.type, {});
  });

  after(() => dispose());

  it('turns inlay hints off and on with smtp.inlayHints.enabled', TIMEOUT, async () => {
    const uri = 'file:///hints.smtp';
    await client.open(uri, 'C: NOOP\nS: 250 ok\n');
    const hints = () => client.connection.sendRequest(InlayHintRequest.type, { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 2, character: 0 } } });
    assert.deepEqual(await hints(), []);
    inlayHintsEnabled = true;
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.equal((await hints())?.length, 1);
  });

  it('knows the names smtp.environments defines, and checks again when the setting changes', TIMEOUT, async () => {
    const uri = 'file:///environment.smtp';
    await client.open(uri, 'S: 220\nC: EHLO client.example\nS: 250\nC: MAIL FROM:<{{user}}>\nS: 250\n');
    assert.deepEqual((await client.nextDiagnostics(uri)).diagnostics.map((d) => d.code), ['unknown-variable']);
    environments = { local: { server: '127.0.0.1:2525' }, staging: { server: 'smtp.staging.example:587', user: 'ci@example.com' }, broken: 'not an object' };
    await client.connection.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    assert.deepEqual((await client.nextDiagnostics(uri)).diagnostics, []);
  });
});

describe('diagnostics for {{$file}} against the workspace folders the client named', () => {
  it('warns on a path that leaves the workspace folder, and not on one that stays in it', TIMEOUT, async () => {
    const { client, dispose } = startInProcess({ validationDelayMs: 0 });
    try {
      // No such folder on disk is needed: the check reads only the path's text.
      await client.initialize(null, [{ uri: 'file:///work/project', name: 'project' }]);
      const body = (line: string) => ['C: EHLO a.example', 'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 354 go', line, '.', 'S: 250 ok'].join('\n');
      await client.open('file:///work/project/mail/out.smtp', body('{{$file ../../secrets.txt}}'));
      const outside = await client.nextDiagnostics('file:///work/project/mail/out.smtp');
      const found = outside.diagnostics.filter((d) => d.code === 'file-outside-workspace');
      assert.deepEqual(found.map((d) => [d.range.start.line, d.severity]), [[5, 2]]);
      assert.match(String(found[0].message), /leads outside the workspace folder \/work\/project \(to \/work\/secrets\.txt\)/);
      await client.open('file:///work/project/mail/in.smtp', body('{{$file ../shared/body.txt}}'));
      const inside = await client.nextDiagnostics('file:///work/project/mail/in.smtp');
      assert.deepEqual(inside.diagnostics.filter((d) => d.code === 'file-outside-workspace'), []);
    } finally {
      dispose();
    }
  });
});
