// Resolves a `{{$file PATH}}` of a message body to the file the engine will
// stream, or refuses it before anything of the message is sent: outside the
// workspace folder by its path (analysis/fileConfinement.ts) or through a
// symbolic link, a system pseudo-file, or not a regular file at all (a FIFO
// or a device would hang the session or never end).
//
// Checking a path and then opening it by name is a race: a symbolic link
// swapped in between (the file itself, or any folder on its path) would be
// followed to wherever it points. So the file is opened once and the check is
// made on what was opened: the last component with O_NOFOLLOW, the
// descriptor's own path (/proc/self/fd on Linux) and its device and inode
// against the checked path. The body is read only from that descriptor
// (openConfinedFile); confineFile alone is the early check before DATA.
// node:fs's `promises`, read where used: importing node:fs/promises loads it with the CLI, for every run,
// while only a session with a {{$file}} needs it.
import { constants as fsConstants, promises as fsPromises, type Stats } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
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

export interface OpenedConfinedFile extends ConfinedFile {
  /** Open for reading, and checked: read the file only from it, and close it. */
  handle: FileHandle;
}

/** O_NONBLOCK: opening a FIFO swapped in for reading would otherwise wait for a writer before fstat could refuse it. */
const OPEN_FLAGS = fsConstants.O_RDONLY | (fsConstants.O_NOFOLLOW ?? 0) | (fsConstants.O_NONBLOCK ?? 0);

/**
 * The real path of the file `written` names, checked: inside `where.root`
 * after symbolic links unless `allowOutside`, a regular readable file, not
 * under /proc, /sys or /dev. A refusal is SessionError('usage') naming the
 * line, the path, why, and how to allow it when it can be allowed.
 * The check before DATA; the body itself is read through openConfinedFile.
 */
export async function confineFile(written: string, where: FileAccess, line: number): Promise<ConfinedFile> {
  const { handle, ...confined } = await openConfinedFile(written, where, line);
  await handle.close();
  return confined;
}

export interface OpenOptions {
  /** Opened while its message is being sent (after DATA's 354): a refusal then cuts the message off. */
  inBody?: boolean;
  /** Runs between the path's check and the open, where a swap would land: tests use it to make one. */
  afterCheck?: () => Promise<void>;
}

/**
 * confineFile's checks made on the opened file itself: what the handle reads
 * is the file that was checked, whatever is swapped on its path meanwhile
 * (a swap is refused, never followed).
 */
export async function openConfinedFile(written: string, where: FileAccess, line: number, options: OpenOptions = {}): Promise<OpenedConfinedFile> {
  const consequence = options.inBody ? 'The message was cut off before its end, so the server does not deliver it.' : 'Nothing of the message was sent.';
  const refuse = (why: string) => new SessionError('usage', `${atLine(line)}{{$file ${written}}} ${why} ${consequence}`, line);
  const checked = await checkPath(written, where, refuse);
  await options.afterCheck?.();
  let handle: FileHandle;
  try {
    handle = await fsPromises.open(checked.path, OPEN_FLAGS);
  } catch (error) {
    throw refuse((error as NodeJS.ErrnoException).code === 'ELOOP' ? swapped(checked.path) : `cannot be read: ${unreadable(error)}.`);
  }
  try {
    const opened = await handle.stat();
    if (!opened.isFile()) throw refuse(`names ${kindOf(opened)}, not a regular file: only files are sent as message lines.`);
    const now = await fsPromises.stat(checked.path).catch(() => null);
    const openedPath = await descriptorPath(handle.fd);
    if (now?.dev !== opened.dev || now?.ino !== opened.ino || (openedPath !== null && openedPath !== checked.path)) {
      throw refuse(swapped(checked.path));
    }
    return { ...checked, handle };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

async function checkPath(written: string, where: FileAccess, refuse: (why: string) => SessionError): Promise<ConfinedFile> {
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
  // By path first, so that a device or FIFO named outright is never opened (opening some devices acts).
  let kind: string;
  try {
    kind = kindOf(await fsPromises.stat(real));
  } catch (error) {
    throw refuse(`cannot be read: ${unreadable(error)}.`);
  }
  if (kind !== 'a file') throw refuse(`names ${kind}, not a regular file: only files are sent as message lines (reading ${kind === 'a directory' ? 'it' : 'one'} would not end, or not be a message).`);
  try {
    await fsPromises.access(real, fsConstants.R_OK);
  } catch (error) {
    throw refuse(`cannot be read: ${unreadable(error)}.`);
  }
  return { path: real, outside, shown: outside ? real : relative(root, real) };
}

function swapped(path: string): string {
  return `changed while it was being opened: ${path} or a folder on its path was replaced (by a symbolic link?) after it was checked, so it was not read. Run again once the files stay put.`;
}

/** The path the kernel holds for an open descriptor (Linux's /proc/self/fd), or null where there is no such view. */
async function descriptorPath(fd: number): Promise<string | null> {
  try {
    return await fsPromises.readlink(`/proc/self/fd/${fd}`);
  } catch {
    return null;
  }
}

/** The root with its own links resolved, so a workspace under a linked folder (/tmp → /private/tmp) still holds its files. */
async function realRoot(root: string): Promise<string> {
  try {
    return await fsPromises.realpath(root);
  } catch {
    return root;
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
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
