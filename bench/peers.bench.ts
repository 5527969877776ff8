// Side by side with the tools people would otherwise use (issue 6), against
// the same Postfix smtp-sink started here: smtp-source for many transactions
// and many sessions, swaks for one session, a raw socket for a large body.
// Every figure is whole-process wall time (median), start-up included.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';
import { CLI_PATH, cliPhaseFigures, cliPhases, describePhases, median, medianMs, nodeOutsideMs, OUTSIDE_PHASES, ratio, timeProcess, type ProcessRun } from './benchProcess';
import { writeBodyWorkload } from './bodyWorkload';
import { ms } from './measure';
import type { BenchRow } from './parser.bench';
import { findPeerTools } from './peerTools';
import { CLIENT_NAME, endOfDataPipelinedSession, lockStepSession, messageFile, pipelinedSession, RECIPIENT, SENDER, separateSessions } from './peerTranscripts';
import { rawBody, rawPipelinedTransactions, rawSeparateSessions } from './rawClient';
import { startSmtpSink } from './smtpSink';

const TRANSACTIONS = 1_000;
/** The steps of the pipelined session's result: the greeting, EHLO, MAIL, RCPT, DATA and the message per transaction, QUIT. */
const PIPELINED_STEPS = 1 + 1 + 4 * TRANSACTIONS + 1;
const SESSIONS = 100;
/** smtp-session load against smtp-source -s C -m N: the same sessions over the same number of connections. */
const LOAD_SESSIONS = 1_000;
const LOAD_CONNECTIONS = 10;
const BODY_MB = 50;
const RUNS = 7;
const BODY_RUNS = 3;
/** Extra runs that report where the time goes (the CLI's SMTP_SESSION_TIMINGS line); not part of the figures. */
const PHASE_RUNS = 3;

export interface PeerReport {
  rows: BenchRow[];
  /** Tool versions, what was not measured and why, Node's start-up: lines for the report's head. */
  lines: string[];
}

interface SideBySide {
  ours: number;
  peer: number;
  /** The fastest runs: the least disturbed by other work on a shared machine. */
  oursMin: number;
  peerMin: number;
}

/** Runs ours and the peer turn about, so both meet the same load on a shared machine. */
async function alternate(runs: number, ours: () => Promise<ProcessRun>, peer: () => Promise<number>): Promise<SideBySide> {
  const oursMs: number[] = [];
  const peerMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const run = await ours();
    if (run.status !== 0) throw new Error(`smtp-session run exited with ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
    oursMs.push(run.ms);
    peerMs.push(await peer());
  }
  return { ours: median(oursMs), peer: median(peerMs), oursMin: Math.min(...oursMs), peerMin: Math.min(...peerMs) };
}

/** The figure, peer and ratio columns of a side-by-side row: medians, with the minimums beside them. */
function sideBySide(result: SideBySide, peerName: string, peerNote = ''): Pick<BenchRow, 'figure' | 'peer' | 'ratio'> {
  return {
    figure: `median ${ms(result.ours)}, min ${ms(result.oursMin)} (whole process)`,
    peer: `${peerName}: median ${ms(result.peer)}, min ${ms(result.peerMin)}${peerNote}`,
    ratio: `${ratio(result.ours, result.peer)} (minimums: ${ratio(result.oursMin, result.peerMin)})`,
  };
}

async function processMs(command: string, args: string[]): Promise<number> {
  const run = await timeProcess(command, args);
  if (run.status !== 0) throw new Error(`${command} exited with ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
  return run.ms;
}

async function inProcessMs(work: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

/**
 * Wall and CPU time of work in this process (the CPU of everything the process does meanwhile, which is only
 * this), and the MB it allocated on the JS heap: what the heap grew by plus what each collection freed, as the
 * CLI's SMTP_SESSION_ALLOCATIONS counts it.
 */
async function inProcessFigures(work: () => Promise<void>): Promise<{ wall: number; cpu: number; allocatedMb: number }> {
  const profiler = new GCProfiler();
  const usedBefore = getHeapStatistics().used_heap_size;
  profiler.start();
  const cpu = process.cpuUsage();
  const wall = await inProcessMs(work);
  const used = process.cpuUsage(cpu);
  const collections = profiler.stop()?.statistics ?? [];
  const freed = collections.reduce((sum, collection) => sum + collection.beforeGC.heapStatistics.usedHeapSize - collection.afterGC.heapStatistics.usedHeapSize, 0);
  return { wall, cpu: (used.user + used.system) / 1000, allocatedMb: (getHeapStatistics().used_heap_size - usedBefore + freed) / 1_000_000 };
}

export async function benchPeers(): Promise<PeerReport> {
  const tools = findPeerTools();
  const lines = [...tools.versions.map((version) => `Peer: ${version}.`), ...tools.missing.map((missing) => `Not measured: ${missing}.`)];
  // What every whole-process figure of ours starts with.
  const nodeStart: number[] = [];
  const cliLoad: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    nodeStart.push(await processMs(process.execPath, ['-e', '0']));
    cliLoad.push(await processMs(process.execPath, [CLI_PATH, '--version']));
  }
  const startup = median(nodeStart);
  const loaded = median(cliLoad);
  // The part of a whole process that its own clock does not see (OUTSIDE_PHASES), for Node doing nothing.
  const nodeOutside = await nodeOutsideMs(RUNS);
  lines.push(`Start-up in this run: \`node -e 0\` ${ms(startup)}, \`node dist/cli.js --version\` ${ms(loaded)} (median of ${RUNS}); ${ms(nodeOutside)} of \`node -e 0\` is outside its own clock (spawning it before the clock starts, its exit after), the part of the CLI's whole process that the phases below call "${OUTSIDE_PHASES}".`);
  if (!tools.smtpSink) return { rows: [], lines };

  const folder = mkdtempSync(join(tmpdir(), 'smtp-session-peers-'));
  const sink = await startSmtpSink(tools.smtpSink);
  try {
    const server = `127.0.0.1:${sink.port}`;
    const write = (name: string, text: string) => {
      const path = join(folder, name);
      writeFileSync(path, text);
      return path;
    };
    const pipelined = write('pipelined.smtp', pipelinedSession(TRANSACTIONS));
    const endOfDataPipelined = write('end-of-data-pipelined.smtp', endOfDataPipelinedSession(TRANSACTIONS));
    const lockStep = write('lock-step.smtp', lockStepSession(TRANSACTIONS));
    const sessions = write('sessions.smtp', separateSessions(SESSIONS));
    const single = write('single.smtp', pipelinedSession(1));
    const oneSession = write('one-session.smtp', separateSessions(1));
    const message = write('message.txt', messageFile());
    const body = writeBodyWorkload(folder, BODY_MB);
    const runArgs = (transcript: string) => ['run', '--server', server, '--format', 'json', transcript];
    const ours = (transcript: string) => () => timeProcess(process.execPath, [CLI_PATH, ...runArgs(transcript)]);
    const phases = (transcript: string) => cliPhases(PHASE_RUNS, runArgs(transcript));
    const envelope = ['-F', message, '-f', SENDER, '-t', RECIPIENT, '-M', CLIENT_NAME];
    const rows: BenchRow[] = [];

    const rawRuns: { wall: number; cpu: number; allocatedMb: number }[] = [];
    for (let i = 0; i < RUNS; i++) rawRuns.push(await inProcessFigures(() => rawPipelinedTransactions(sink.port, TRANSACTIONS)));
    const raw = median(rawRuns.map((run) => run.wall));
    const rawCpu = median(rawRuns.map((run) => run.cpu));
    const rawAllocatedMb = median(rawRuns.map((run) => run.allocatedMb));
    const startupNote = `\`node -e 0\` alone takes ${ms(startup)}`;

    if (tools.smtpSource) {
      const source = (args: string[]) => () => processMs(tools.smtpSource!, [...args, ...envelope, server]);
      const many = await alternate(RUNS, ours(pipelined), source(['-d', '-m', String(TRANSACTIONS)]));
      const manyPhases = await cliPhaseFigures(PHASE_RUNS, runArgs(pipelined));
      const manySessions = manyPhases.get('sessions') ?? { wall: Number.NaN, cpu: Number.NaN, allocatedMb: Number.NaN };
      const perStep = (cpuMs: number) => ((cpuMs * 1000) / PIPELINED_STEPS).toFixed(1);
      const allocatedPerStep = (mb: number) => ((mb * 1_000_000) / PIPELINED_STEPS / 1024).toFixed(1);
      rows.push({
        name: `smtp-session run: ${TRANSACTIONS.toLocaleString('en')} transactions, one connection, pipelined (smtp-sink)`,
        ...sideBySide(many, `smtp-source -d -m ${TRANSACTIONS}`, ' (lock-step: it does not pipeline)'),
        note: `aim ≤ 1.5×, ${many.ours <= 1.5 * many.peer ? 'met' : 'not met'}. ${describePhases(manyPhases)} — start-up is Node and loading the CLI (${startupNote}); parse is the ${pipelinedSession(TRANSACTIONS).trimEnd().split('\n').length.toLocaleString('en')}-line file; sessions is ${PIPELINED_STEPS.toLocaleString('en')} steps in 2,002 writes and as many waits for the sink, ${perStep(manySessions.cpu)} µs CPU and ${allocatedPerStep(manySessions.allocatedMb)} KB allocated on the JS heap per step (${manySessions.allocatedMb.toFixed(1)} MB in all). A raw Node socket doing the same writes and waits in-process: ${ms(raw)} (cpu ${rawCpu.toFixed(0)} ms, ${perStep(rawCpu)} µs and ${allocatedPerStep(rawAllocatedMb)} KB per step); the sessions part is ${ratio(manySessions.wall, raw)} of it in wall time (aim ≤ 1.5×, ${manySessions.wall <= 1.5 * raw ? 'met' : 'not met'}) and ${ratio(manySessions.cpu, rawCpu)} in CPU. Its median is a run whose code V8 has warmed; its first run in this process, before that (the CLI's sessions always run cold), took ${ms(rawRuns[0].wall)} (cpu ${rawRuns[0].cpu.toFixed(0)} ms): the sessions part is ${ratio(manySessions.wall, rawRuns[0].wall)} of that in wall time and ${ratio(manySessions.cpu, rawRuns[0].cpu)} in CPU`,
      });
      const fewer = await alternate(RUNS, ours(endOfDataPipelined), source(['-d', '-m', String(TRANSACTIONS)]));
      rows.push({
        name: `smtp-session run: ${TRANSACTIONS.toLocaleString('en')} transactions, one connection, end of data pipelined with the next MAIL (smtp-sink)`,
        ...sideBySide(fewer, `smtp-source -d -m ${TRANSACTIONS}`, ' (lock-step)'),
        note: `the same transactions written with each "." in one group with the next MAIL, RCPT and DATA (RFC 2920 §3.1): 1,001 round trips and 1,002 writes. ${await phases(endOfDataPipelined)}`,
      });
      const same = await alternate(RUNS, ours(lockStep), source(['-d', '-m', String(TRANSACTIONS)]));
      rows.push({
        name: `smtp-session run: ${TRANSACTIONS.toLocaleString('en')} transactions, one connection, lock-step with HELO (smtp-sink)`,
        ...sideBySide(same, `smtp-source -d -m ${TRANSACTIONS}`),
        note: `the same work as smtp-source, command by command: 4,001 round trips each. ${await phases(lockStep)}`,
      });
      const separate = await alternate(RUNS, ours(sessions), source(['-m', String(SESSIONS)]));
      const separatePhases = await cliPhaseFigures(PHASE_RUNS, runArgs(sessions));
      const separateCli = separatePhases.get('sessions') ?? { wall: Number.NaN, cpu: Number.NaN };
      const rawSeparate: { wall: number; cpu: number }[] = [];
      for (let i = 0; i < RUNS; i++) rawSeparate.push(await inProcessFigures(() => rawSeparateSessions(sink.port, SESSIONS)));
      const perConnection = (totalMs: number) => `${(totalMs / SESSIONS).toFixed(2)} ms`;
      rows.push({
        name: `smtp-session run: ${SESSIONS} sessions of one transaction, lock-step, one process (smtp-sink)`,
        ...sideBySide(separate, `smtp-source -m ${SESSIONS}`),
        note: `a connection, greeting, HELO, transaction and QUIT each. ${describePhases(separatePhases)}. Per connection: our sessions part ${perConnection(separateCli.wall)} wall, ${perConnection(separateCli.cpu)} CPU; smtp-source ${perConnection(separate.peer)} wall (whole process, its start-up included), so ${ratio(separateCli.wall, separate.peer)}; a raw Node socket doing the same in-process ${perConnection(median(rawSeparate.map((run) => run.wall)))} wall, ${perConnection(median(rawSeparate.map((run) => run.cpu)))} CPU. Aim ≤ 2× smtp-source for the whole process, ${separate.ours <= 2 * separate.peer ? 'met' : 'not met'}${startup > 2 * separate.peer ? `: below Node's own floor on this machine, \`node -e 0\` alone (${ms(startup)}) being more than twice smtp-source's whole run` : ''}`,
      });
      const loadArgs = ['load', oneSession, '--server', server, '--connections', String(LOAD_CONNECTIONS), '--count', String(LOAD_SESSIONS), '--format', 'json'];
      const load = await alternate(RUNS, () => timeProcess(process.execPath, [CLI_PATH, ...loadArgs]), source(['-s', String(LOAD_CONNECTIONS), '-m', String(LOAD_SESSIONS)]));
      const perSecond = (wallMs: number) => (LOAD_SESSIONS / (wallMs / 1000)).toFixed(0);
      rows.push({
        name: `smtp-session load: ${LOAD_SESSIONS.toLocaleString('en')} sessions of one transaction over ${LOAD_CONNECTIONS} connections (smtp-sink)`,
        ...sideBySide(load, `smtp-source -s ${LOAD_CONNECTIONS} -m ${LOAD_SESSIONS}`),
        note: `messages/s, whole process: ours ${perSecond(load.ours)}, smtp-source ${perSecond(load.peer)}; aim: at least smtp-source's, ${load.ours <= load.peer ? 'met' : 'not met'}. Each session: connection, greeting, HELO, MAIL, RCPT, DATA, the message, QUIT`,
      });
    }
    if (tools.swaks) {
      const swaks = () => processMs(tools.swaks!, ['--server', server, '--from', SENDER, '--to', RECIPIENT, '--helo', CLIENT_NAME, '--data', `@${message}`, '--pipeline']);
      const one = await alternate(RUNS, ours(single), swaks);
      rows.push({
        name: 'smtp-session run: one session, one pipelined transaction (smtp-sink)',
        ...sideBySide(one, 'swaks --pipeline, same envelope and message'),
        note: `mostly start-up on both sides (Perl and its modules for swaks): ${await phases(single)}; ${startupNote}, ${ms(nodeOutside)} of it outside its own clock`,
      });
    }
    const bodyOurs: ProcessRun[] = [];
    const bodyRaw: number[] = [];
    for (let i = 0; i < BODY_RUNS; i++) {
      const run = await timeProcess(process.execPath, [CLI_PATH, 'run', '--server', server, '--format', 'json', body.transcript], { nodeMaxRss: true });
      if (run.status !== 0) throw new Error(`the ${BODY_MB} MB run exited with ${run.status}: ${run.stderr.trim().slice(0, 500)}`);
      bodyOurs.push(run);
      bodyRaw.push(await inProcessMs(() => rawBody(sink.port, body.wireBytes)));
    }
    const bodyMs = medianMs(bodyOurs);
    rows.push({
      name: `smtp-session run: ${BODY_MB} MB {{$file}} body (smtp-sink)`,
      figure: `median ${ms(bodyMs)} (${(BODY_MB / (bodyMs / 1000)).toFixed(0)} MB/s, whole process), peak memory ${Math.max(...bodyOurs.map((run) => run.maxRssMb ?? 0)).toFixed(0)} MB`,
      peer: `raw socket writing the same bytes: median ${ms(median(bodyRaw))} (in-process)`,
      ratio: ratio(bodyMs, median(bodyRaw)),
      note: `the file is read in 64 KiB chunks, each checked and sent as it is when already in wire form (CRLF, no leading dot), else normalised and dot-stuffed; one write per chunk. ${await phases(body.transcript)}`,
    });
    return { rows, lines };
  } finally {
    await sink.stop();
    rmSync(folder, { recursive: true, force: true });
  }
}
