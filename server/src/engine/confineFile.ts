// Resolves a `{{$file PATH}}` of a message body to the file the engine will
// stream, or refuses it before anything of the message is sent: outside the
// workspace folder by its path (analysis/fileConfinement.ts) or through a
// symbolic link, a system pseudo-file, or not a regular file at all (a FIFO
// or a device would hang the session or never end).
// node:fs's `promises`, read where used: importing node:fs/promises loads it with the CLI, for every run,
// while only a session with a {{$file}} needs it.
import { constants as fsConstants, promises as fsPromises } from 'node:fs';
import { relative, resolve } from 'node:path';
import { describeOutside, isSystemPath, isWithin, outsidePath, type FileLocation, type OutsidePath } from '../analysis/fileConfinement';
import { atLine, SessionError } from './sessionErrors';

export interface FileAccess extends FileLocation {
  /** `@allow-outside-files = true`: paths outside `root` are read (system pseudo-files still are not). */
  allowOutside: boolean;
}

export interface ConfinedFile {
  /** The file's real path (symbolic links resolved): what is streamed. */
  path: string;
  /** Outside the workspace folder (allowed by @allow-outside-files). */
  outside: boolean;
  /** For summaries: relative to the workspace folder, or the real path when outside it. */
  shown: string;
}

/**
 * The real path of the file `written` names, checked: inside `where.root`
 * after symbolic links unless `allowOutside`, a regular readable file, not
 * under /proc, /sys or /dev. A refusal is SessionError('usage') naming the
 * line, the path, why, and how to allow it when it can be allowed.
 */
export async function confineFile(written: string, where: FileAccess, line: number): Promise<ConfinedFile> {
  const refuse = (why: string) => new SessionError('usage', `${atLine(line)}{{$file ${written}}} ${why} Nothing of the message was sent.`, line);
  const byText = outsidePath(written, where);
  if (byText && (byText.kind === 'system' || !where.allowOutside)) throw refuse(describeOutside(byText, where.root));
  const resolved = byText?.resolved ?? resolve(where.base, written);
  let real: string;
  try {
    real = await fsPromises.realpath(resolved);
  } catch (error) {
    throw refuse(`cannot be read: ${unreadable(error)}. Check the path (it is relative to the .smtp file).`);
  }
  if (isSystemPath(real)) throw refuse(describeOutside({ kind: 'system', resolved: real }, where.root));
  const root = await realRoot(where.root);
  const outside = !isWithin(root, real);
  if (outside && !where.allowOutside) {
    const link: OutsidePath = { kind: 'escapes', resolved: real };
    throw refuse(`goes through a symbolic link: it ${describeOutside(link, where.root)}`);
  }
  const kind = await fileKind(real);
  if (kind !== 'file') throw refuse(`names ${kind}, not a regular file: only files are sent as message lines (reading ${kind === 'a directory' ? 'it' : 'one'} would not end, or not be a message).`);
  try {
    await fsPromises.access(real, fsConstants.R_OK);
  } catch (error) {
    throw refuse(`cannot be read: ${unreadable(error)}.`);
  }
  return { path: real, outside, shown: outside ? real : relative(root, real) };
}

/** The root with its own links resolved, so a workspace under a linked folder (/tmp → /private/tmp) still holds its files. */
async function realRoot(root: string): Promise<string> {
  try {
    return await fsPromises.realpath(root);
  } catch {
    return root;
  }
}

async function fileKind(path: string): Promise<string> {
  const stats = await fsPromises.stat(path);
  if (stats.isFile()) return 'file';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'something other than a file';
}

function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  const reasons: Record<string, string> = { ENOENT: 'it does not exist', EACCES: 'permission denied', EPERM: 'permission denied', ENOTDIR: 'a folder on its path is a file', ELOOP: 'its symbolic links loop' };
  return reasons[code] ?? (error as Error).message;
}
