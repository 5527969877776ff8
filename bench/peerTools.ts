// The tools the engine is measured against (issue 6): Postfix's smtp-sink and
// smtp-source, and swaks. Each may be missing; the report says so.
import { execFileSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

export interface PeerTools {
  smtpSink: string | null;
  smtpSource: string | null;
  swaks: string | null;
  /** "postfix 3.7.11", "swaks 20201014.0", … for the report. */
  versions: string[];
  /** What is missing and how to get it, for the report. */
  missing: string[];
}

function findExecutable(name: string): string | null {
  const folders = [...(process.env.PATH ?? '').split(delimiter), '/usr/sbin', '/usr/bin', '/usr/local/sbin', '/usr/local/bin'];
  for (const folder of folders) {
    if (!folder) continue;
    const path = join(folder, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // not here
    }
  }
  return null;
}

/** First line of a command's output, or null when it cannot run. */
function firstLine(command: string, args: string[]): string | null {
  try {
    const output = execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10_000 });
    return output.split('\n').find((line) => line.trim() !== '')?.trim() ?? null;
  } catch {
    return null;
  }
}

function postfixVersion(): string | null {
  // smtp-sink and smtp-source have no --version; they ship with Postfix, whose version postconf knows.
  const postconf = findExecutable('postconf');
  const fromPostconf = postconf ? firstLine(postconf, ['-d', '-h', 'mail_version']) : null;
  if (fromPostconf) return fromPostconf;
  return firstLine('dpkg-query', ['-W', '-f=${Version}', 'postfix']);
}

export function findPeerTools(): PeerTools {
  const smtpSink = findExecutable('smtp-sink');
  const smtpSource = findExecutable('smtp-source');
  const swaks = findExecutable('swaks');
  const versions: string[] = [];
  const missing: string[] = [];
  if (smtpSink || smtpSource) versions.push(`Postfix ${postfixVersion() ?? '(version unknown)'} (smtp-sink, smtp-source)`);
  if (swaks) versions.push((firstLine(swaks, ['--version']) ?? 'swaks (version unknown)').replace(/^swaks version /, 'swaks '));
  if (!smtpSink) missing.push('smtp-sink is not installed, so nothing was measured against it (Debian: apt-get install postfix)');
  else if (!smtpSource) missing.push('smtp-source is not installed (Debian: apt-get install postfix)');
  if (!swaks) missing.push('swaks is not installed (Debian: apt-get install swaks)');
  return { smtpSink, smtpSource, swaks, versions, missing };
}
