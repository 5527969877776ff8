// Where `{{$file PATH}}` may read from: inside the workspace folder, by a
// relative path. A transcript is often someone else's (a cloned repository),
// and the file it names goes to whatever @server it names, so a path that
// leaves the folder — `..`, an absolute path — is refused unless the file says
// `@allow-outside-files = true`. The kernel's pseudo-files (/proc, /sys, /dev)
// are never message content: /proc/self/environ holds every environment
// variable, secrets included. This is the rule as far as the path's text
// shows it; the engine also follows symbolic links (engine/confineFile.ts).
import { isAbsolute, relative, resolve, sep } from 'node:path';

/** Where a transcript's `{{$file}}` paths start and where they must stay. Both absolute. */
export interface FileLocation {
  /** The folder relative paths start from: the .smtp file's. */
  base: string;
  /** The workspace folder (editor), or the file's repository or the current directory (CLI). */
  root: string;
}

export type OutsideKind =
  /** `/etc/passwd`: a transcript names files by where they are in its workspace. */
  | 'absolute'
  /** `../../x`: leaves the workspace folder. */
  | 'escapes'
  /** /proc, /sys, /dev: refused even with @allow-outside-files. */
  | 'system';

export interface OutsidePath {
  kind: OutsideKind;
  /** The path it stands for (absolute). */
  resolved: string;
}

/** Pseudo-file systems whose files are the state of the machine, not documents (Linux; elsewhere they do not exist). */
export const SYSTEM_FOLDERS: readonly string[] = ['/proc', '/sys', '/dev'];

/** `path` is `root` or below it (both absolute and normalised). */
export function isWithin(root: string, path: string): boolean {
  const rest = relative(root, path);
  return rest === '' || (rest !== '..' && !rest.startsWith(`..${sep}`) && !isAbsolute(rest));
}

export function isSystemPath(path: string): boolean {
  return SYSTEM_FOLDERS.some((folder) => isWithin(folder, path));
}

/**
 * Why `written` (a `{{$file}}` argument) reads from outside `location.root`
 * by its text alone, or null when it stays inside. Without a location only
 * what the text itself shows is judged: an absolute path, a system folder.
 */
export function outsidePath(written: string, location: FileLocation | null): OutsidePath | null {
  const resolved = resolve(location?.base ?? '/', written);
  if (isSystemPath(resolved) && (isAbsolute(written) || location !== null)) return { kind: 'system', resolved };
  if (isAbsolute(written)) return { kind: 'absolute', resolved };
  if (location && !isWithin(location.root, resolved)) return { kind: 'escapes', resolved };
  return null;
}

/** What a refusal or a warning says about the path, after `{{$file PATH}}`. */
export function describeOutside(outside: OutsidePath, root: string | null): string {
  const workspace = root === null ? 'the workspace folder' : `the workspace folder ${root}`;
  switch (outside.kind) {
    case 'system':
      return `reads ${outside.resolved}, a file of the system (/proc, /sys and /dev hold the environment, memory and devices, never message content); it is never sent, @allow-outside-files or not.`;
    case 'absolute':
      return `is an absolute path: {{$file}} reads only inside ${workspace}, by a path relative to the .smtp file. Move the file into the workspace and write its relative path, or add "@allow-outside-files = true" to the session if you mean to send it.`;
    case 'escapes':
      return `leads outside ${workspace} (to ${outside.resolved}). Move the file into the workspace, or add "@allow-outside-files = true" to the session if you mean to send it.`;
  }
}
