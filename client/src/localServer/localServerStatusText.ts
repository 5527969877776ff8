// What the status bar says about the embedded local server. No `vscode`
// import, so it is tested without an editor.
import type { LocalServerStatus } from '../../../server/src/contract/messages';

type RunningStatus = Extract<LocalServerStatus, { running: true }>;

/** `127.0.0.1:2525`, or `[::1]:2525` for an IPv6 loopback. */
export function localServerAddress(status: RunningStatus): string {
  return `${status.host.includes(':') ? `[${status.host}]` : status.host}:${status.port}`;
}

export interface StatusBarText {
  /** With codicons: `$(mail) SMTP :2525`. */
  text: string;
  tooltip: string;
}

export function localServerStatusBarText(status: LocalServerStatus): StatusBarText {
  if (!status.running) {
    return {
      text: '$(circle-slash) SMTP server off',
      tooltip: 'The local SMTP capture server is not running. Click to start it (port: setting smtp.localServer.port).',
    };
  }
  return {
    text: `$(mail) SMTP :${status.port}`,
    tooltip: [
      `Local SMTP server listening on ${localServerAddress(status)} (STARTTLS: ${status.tls === 'none' ? 'not offered' : status.tls}).`,
      status.dir === null ? 'Messages are kept in memory only.' : `Messages are saved in ${status.dir}`,
      status.certificateFingerprint256 ? `Certificate SHA-256: ${status.certificateFingerprint256}` : null,
      'Click for the inbox, the address, the folder, or to stop it.',
    ].filter((line): line is string => line !== null).join('\n'),
  };
}
