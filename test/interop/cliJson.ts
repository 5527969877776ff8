// The CLI's JSON (`smtp-session run --format json`, `check --format json`),
// typed as far as the suite reads it, and the commands that produce it.

import { execFile } from 'node:child_process';
import { join } from 'node:path';

export const REPO = join(__dirname, '..', '..');
const CLI = join(REPO, 'dist', 'cli.js');

export interface ReplyJson {
  code: number;
  enhanced: string | null;
  lines: string[];
}

export interface StepJson {
  line: number;
  kind: string;
  sent: string | null;
  reply: ReplyJson | null;
  expected: string | null;
  ok: boolean | null;
  mismatch: string | null;
  skipped: boolean;
  /** LMTP and PRDR: the recipient whose delivery this reply after the message reports. */
  recipient?: string;
}

export interface RecipientJson {
  address: string;
  line: number;
  code: number | null;
  outcome: string;
  /** LMTP and PRDR: the reply after the message for this recipient, when it was accepted at RCPT. */
  delivery?: { line: number; code: number | null; enhanced: string | null } | null;
}

export interface SessionJson {
  name: string | null;
  ok: boolean;
  error: { message: string; line: number | null } | null;
  tls: { protocol: string } | null;
  steps: StepJson[];
  transactions: { line: number; from: string; recipients: RecipientJson[] }[];
}

/** One file of `run --format json` (the suite runs one file at a time). */
export interface RunJson {
  ok: boolean;
  sessions: SessionJson[];
}

export interface DiagnosticJson {
  line: number;
  severity: 'error' | 'warning' | 'information' | 'hint';
  code: string;
  message: string;
}

interface Completed {
  status: number;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<Completed> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [CLI, ...args], { cwd: REPO, env, timeout: 120_000, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const status = error && typeof error.code === 'number' ? error.code : error ? -1 : 0;
      if (status === -1) reject(new Error(`node dist/cli.js ${args.join(' ')} did not finish: ${String(error)}\n${stderr}`));
      else resolve({ status, stdout, stderr });
    });
  });
}

/**
 * `run --format json --server SERVER --insecure --record RECORDING FILE`, without `--server` when
 * `server` is null (the file names it): exit status 2 (could not run) is a result too.
 */
export async function runSession(file: string, server: string | null, recording: string, env: NodeJS.ProcessEnv): Promise<{ status: number; result: RunJson; stderr: string }> {
  const args = ['run', '--format', 'json', ...(server === null ? [] : ['--server', server]), '--insecure', '--record', recording, file];
  const { status, stdout, stderr } = await cli(args, env);
  try {
    return { status, result: (JSON.parse(stdout) as { files: RunJson[] }).files[0], stderr };
  } catch {
    throw new Error(`node dist/cli.js ${args.join(' ')} exited ${status} without JSON on stdout:\n${stdout}\n${stderr}`);
  }
}

/** `check --format json FILE`: the diagnostics of one file. */
export async function checkFile(file: string): Promise<DiagnosticJson[]> {
  const { status, stdout, stderr } = await cli(['check', '--format', 'json', file], process.env);
  if (status === 2) throw new Error(`node dist/cli.js check ${file} could not read it: ${stderr}`);
  const report = JSON.parse(stdout) as { diagnostics: DiagnosticJson[] }[];
  return report.flatMap((entry) => entry.diagnostics);
}
