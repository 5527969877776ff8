// What the editor tests share: the transcript each editor opens, and running
// that editor headless until its driver has written the report of what it saw.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';

// Session 1 runs against the embedded capture server, which accepts every
// recipient: its `S: 550 5.1.1` is an unmet expectation. Session 2 is being
// written: its `C: ` line is where completion is asked, and diagnostics come
// from its RCPT before MAIL.
export const EDITOR_TRANSCRIPT = [
  '### Unknown recipient is refused',
  'S: 220',
  'C: EHLO client.example',
  'S: 250',
  'C: MAIL FROM:<alice@example.com>',
  'S: 250',
  'C: RCPT TO:<nobody@example.org>',
  'S: 550 5.1.1',
  'C: QUIT',
  'S: 221',
  '',
  '### Draft',
  'S: 220',
  'C: EHLO client.example',
  'S: 250',
  'C: RCPT TO:<bob@example.org>',
  'C: ',
  '',
].join('\n');

/**
 * Runs the editor in `folder` with `env` added to this process's environment,
 * and returns the JSON report its driver wrote to `reportPath`; an editor that
 * exits with an error fails with everything it printed.
 */
export async function runEditor<Report>(command: string, args: string[], folder: string, env: NodeJS.ProcessEnv, reportPath: string): Promise<Report> {
  const child = spawn(command, args, { cwd: folder, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const status = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(status, 0, `${command} exited with ${status}:\n${output}`);
  return JSON.parse(readFileSync(reportPath, 'utf8')) as Report;
}
