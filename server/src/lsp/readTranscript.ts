import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TranscriptFile } from '../transcript/ast';
import { invalidParams } from './commandArguments';

/** The documents a command can read: the open ones' trees from the language server's cache, else files on disk. */
export interface RunDocuments {
  /** The open document's parsed tree, text and version, or undefined when it is not open. */
  open(uri: string): { file: TranscriptFile; text: string; version: number } | undefined;
  /** Parses a file read from disk (not cached: a closed document changes without telling). */
  parse(text: string): TranscriptFile;
  /** The folder a file's `{{$file}}` paths must stay in (lsp/workspaceFolders.ts). */
  workspaceRoot(filePath: string): string;
}

export interface ReadTranscript {
  file: TranscriptFile;
  /** The text `file` was parsed from: what a run's line numbers refer to. */
  text: string;
  /** The open document's version; null when it was read from disk. */
  version: number | null;
  /** `{{$file}}` paths are relative to its folder. */
  filePath: string;
  /** …and must stay inside this one. */
  workspaceRoot: string;
}

/** A command's document: open in the editor (its cached tree), or a `file:` URI read from disk; else InvalidParams saying what to do. */
export async function readTranscript(documents: RunDocuments, uri: string): Promise<ReadTranscript> {
  const path = filePathOf(uri);
  const open = documents.open(uri);
  // A document that is no file has no folder, so the working directory stands in.
  if (open) {
    const filePath = path ?? join(process.cwd(), 'untitled.smtp');
    return { file: open.file, text: open.text, version: open.version, filePath, workspaceRoot: documents.workspaceRoot(filePath) };
  }
  if (path === null) throw invalidParams(`${uri} is not open in the editor and is not a file: URI, so the server cannot read it. Send textDocument/didOpen before running it.`);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message;
    throw invalidParams(`${uri} is not open in the editor, and ${path} cannot be read: ${reason}.`);
  }
  return { file: documents.parse(text), text, version: null, filePath: path, workspaceRoot: documents.workspaceRoot(path) };
}

export function filePathOf(uri: string): string | null {
  if (!uri.startsWith('file:')) return null;
  try {
    return fileURLToPath(uri);
  } catch {
    return null;
  }
}
