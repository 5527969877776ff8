// The packaged extension under test: `npm run package`, as a user would
// install it. `npm run test:e2e` packages once and sets E2E_PACKAGED=1 so each
// test file does not package again.
import { execFile } from 'node:child_process';
import { copyFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const REPO = resolve(__dirname, '../../..');
const VSIX = join(REPO, 'smtp-session.vsix');

let packaged: Promise<void> | undefined;

/** Packages the extension (once per process) and copies the .vsix to `target`, so a later `npm run package` in the checkout cannot change it under a running test. */
export async function packagedExtension(target: string): Promise<string> {
  packaged ??= process.env.E2E_PACKAGED === '1' ? Promise.resolve() : packageExtension();
  await packaged;
  await stat(VSIX).catch(() => {
    throw new Error(`${VSIX} is missing: run "npm run package" (E2E_PACKAGED=1 says it was done).`);
  });
  await copyFile(VSIX, target);
  return target;
}

async function packageExtension(): Promise<void> {
  try {
    await promisify(execFile)('npm', ['run', 'package'], { cwd: REPO, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run package failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
}
