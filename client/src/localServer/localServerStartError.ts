// Turns the server's reason for not starting the local server into a message
// that names the editor's settings (the server words it for its command line).
// No `vscode` import, so it is tested without an editor.

export interface StartAttempt {
  port: number;
  dir: string | null;
}

export function describeStartFailure(reason: string, attempt: StartAttempt): string {
  if (/\bin use\b|EADDRINUSE/i.test(reason)) {
    return `The local SMTP server could not start: port ${attempt.port} is already in use by another program. Change the setting smtp.localServer.port (0 picks any free port) or stop the program that uses it.`;
  }
  if (/administrator|EACCES.*listen|needs .*rights/i.test(reason)) {
    return `The local SMTP server could not start: port ${attempt.port} needs administrator rights. Change the setting smtp.localServer.port to a port above 1023, or to 0 for any free port.`;
  }
  if (attempt.dir !== null && /cannot use .* for messages/i.test(reason)) {
    return `The local SMTP server could not start: it cannot save messages in ${attempt.dir} (${stripPrefix(reason)}). Change the setting smtp.localServer.folder, or leave it empty for the extension's own folder.`;
  }
  return `The local SMTP server could not start: ${stripPrefix(reason)}`;
}

/** Does the message concern a setting, so the notification should offer to open it? */
export function settingToChange(reason: string): 'smtp.localServer.port' | 'smtp.localServer.folder' | null {
  if (/\bin use\b|EADDRINUSE|administrator|needs .*rights/i.test(reason)) return 'smtp.localServer.port';
  if (/cannot use .* for messages/i.test(reason)) return 'smtp.localServer.folder';
  return null;
}

function stripPrefix(reason: string): string {
  return reason.replace(/^The embedded local SMTP server could not start:\s*/i, '');
}
