import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CompletionRequest, createMessageConnection, DidChangeTextDocumentNotification, DidOpenTextDocumentNotification,
  ExitNotification, HoverRequest, InitializedNotification, InitializeRequest, PublishDiagnosticsNotification,
  ShutdownRequest, StreamMessageReader, StreamMessageWriter, type PublishDiagnosticsParams,
} from 'vscode-languageserver/node';
import { SERVER_NODE_FLAGS } from '../server/src/contract/messages';
import type { BenchRow } from './parser.bench';
import { generateTranscript } from './generateTranscript';
import { ms } from './measure';

const SERVER = join(__dirname, '..', 'dist', 'server.js');
const URI = 'file:///bench/large.smtp';

/**
 * CPU time (user + system) the server process has used so far, in ms, from
 * /proc (Linux); null elsewhere. On a shared machine the round trips' wall
 * time waits for other work too; the server's CPU per change does not.
 */
function processCpuMs(pid: number | undefined): number | null {
  try {
    // The fields after the command name, which is in parentheses and may hold spaces: utime and stime are the 12th and 13th.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return null;
  }
}

function percentiles(samples: number[]): { p50: number; p95: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  return { p50: sorted[Math.floor(sorted.length / 2)], p95: sorted[Math.floor(sorted.length * 0.95)] };
}

/**
 * Round trips to the bundled server over stdio on a 5,000-line document, with
 * the debounce set to 0 so the figure is the server's work plus transport. The
 * peer is a request the server has no handler for: the JSON-RPC floor.
 */
export async function benchLsp(): Promise<BenchRow[]> {
  const child = spawn(process.execPath, [...SERVER_NODE_FLAGS, SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const connection = createMessageConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const waiting = new Map<number, (params: PublishDiagnosticsParams) => void>();
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    if (params.version !== undefined) waiting.get(params.version)?.(params);
  });
  connection.listen();
  try {
    await connection.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri: null, capabilities: {}, workspaceFolders: null, initializationOptions: { validationDelayMs: 0 } });
    await connection.sendNotification(InitializedNotification.type, {});
    const text = generateTranscript(5_000);
    const lines = text.split('\n');
    let version = 1;
    const published = (v: number) => new Promise<PublishDiagnosticsParams>((resolve) => waiting.set(v, resolve));
    const opened = published(version);
    await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: URI, languageId: 'smtp', version, text } });
    await opened;

    // Type one character at the end of a command line, then take it back, as a person editing would.
    const line = lines.findIndex((l) => l.startsWith('C: EHLO'));
    const diagnostics: number[] = [];
    let cpuBefore: number | null = null;
    for (let i = 0; i < 120; i++) {
      if (i === 20) cpuBefore = processCpuMs(child.pid);
      version++;
      const end = lines[line].length;
      const edit = i % 2 === 0
        ? { range: { start: { line, character: end }, end: { line, character: end } }, text: 'x' }
        : { range: { start: { line, character: end }, end: { line, character: end + 1 } }, text: '' };
      const done = published(version);
      const start = performance.now();
      await connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: URI, version }, contentChanges: [edit] });
      await done;
      if (i >= 20) diagnostics.push(performance.now() - start);
    }
    const cpuAfter = processCpuMs(child.pid);
    const cpuPerChange = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / diagnostics.length : null;

    const replyLine = lines.findIndex((l) => l.startsWith('S: 250 2.1.5'));
    const commandLine = lines.findIndex((l) => l.startsWith('C: MAIL'));
    const time = async (request: () => Promise<unknown>) => {
      const samples: number[] = [];
      for (let i = 0; i < 300; i++) {
        const start = performance.now();
        await request();
        if (i >= 50) samples.push(performance.now() - start);
      }
      return percentiles(samples);
    };
    const hover = await time(() => connection.sendRequest(HoverRequest.type, { textDocument: { uri: URI }, position: { line: replyLine, character: 4 } }));
    const completion = await time(() => connection.sendRequest(CompletionRequest.type, { textDocument: { uri: URI }, position: { line: commandLine, character: 3 } }));
    const floor = await time(() => connection.sendRequest('smtp/benchNoSuchMethod').catch(() => undefined));

    const d = percentiles(diagnostics);
    const peer = `JSON-RPC floor (unhandled request): p50 ${ms(floor.p50)}, p95 ${ms(floor.p95)}`;
    const row = (name: string, p: { p50: number; p95: number }, aim: string): BenchRow => ({
      name, figure: `p50 ${ms(p.p50)}, p95 ${ms(p.p95)}`, peer, ratio: `${(p.p50 / floor.p50).toFixed(1)}×`, note: aim,
    });
    return [
      row('LSP didChange → publishDiagnostics, 5,000 lines', d, `aim p95 < 20 ms: incremental sync, a full re-parse and analysis, then the JSON of the diagnostics${cpuPerChange === null ? '' : `; the server's CPU per change: ${ms(cpuPerChange)} (mean of ${diagnostics.length}, from /proc)`}`),
      row('LSP hover, 5,000 lines', hover, 'aim p95 < 5 ms: the tree is cached per version, so hover is a lookup in it'),
      row('LSP completion, 5,000 lines', completion, 'aim p95 < 5 ms: the dialogue state up to the cursor, then the tables'),
    ];
  } finally {
    await connection.sendRequest(ShutdownRequest.type).catch(() => undefined);
    await connection.sendNotification(ExitNotification.type).catch(() => undefined);
    connection.dispose();
    if (child.exitCode === null && child.pid !== undefined) child.kill();
  }
}
