// The folder a test opens: copies of the examples it needs and any files it
// writes itself, in a temporary folder, so a test never edits the checkout.
import { copyFile, mkdir, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

const EXAMPLES = resolve(__dirname, '../../../examples');

export interface WorkspaceFiles {
  /** Names of files in examples/ to copy in. */
  examples?: readonly string[];
  /** Files to write: name → content. */
  files?: Readonly<Record<string, string>>;
}

export async function createFixtureWorkspace(folder: string, contents: WorkspaceFiles): Promise<string> {
  await mkdir(folder, { recursive: true });
  for (const name of contents.examples ?? []) await copyFile(join(EXAMPLES, name), join(folder, name));
  for (const [name, text] of Object.entries(contents.files ?? {})) await writeFile(join(folder, name), text);
  return folder;
}
