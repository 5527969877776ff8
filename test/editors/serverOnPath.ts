// The README's configurations start `smtp-session lsp` by name, as after
// `npm install -g smtp-session`: the editor tests put a `smtp-session` that
// runs this checkout's bin/smtp-session.js first on PATH.
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/** Writes `folder/bin/smtp-session` and returns a PATH that finds it first. */
export function serverOnPath(folder: string): string {
  const bin = join(folder, 'bin');
  mkdirSync(bin, { recursive: true });
  const script = join(bin, 'smtp-session');
  writeFileSync(script, `#!/bin/sh\nexec '${process.execPath}' '${join(ROOT, 'bin', 'smtp-session.js')}' "$@"\n`);
  chmodSync(script, 0o755);
  return `${bin}${delimiter}${process.env.PATH ?? ''}`;
}
