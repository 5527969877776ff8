import type { LookupFunction } from 'node:net';
import type { PlayOptions } from '../engine/playSession';
import type { SecretProvider } from '../engine/resolveVariables';
import type { CaptureServerAddress } from './runTranscript';
import type { RunTarget } from './sessionRouting';

/** What every run of a file shares, whatever plays it: a run once through (runTranscript) or over and over (loadTest). */
export interface PlayedFile extends RunTarget {
  filePath: string;
  workspaceRoot: string;
  insecure: boolean;
  timeoutSeconds: number | null;
  env?: NodeJS.ProcessEnv;
}

/**
 * The engine's options for one session of a run: where it connects (the
 * embedded capture server when the run goes there, whose certificate is made
 * at start-up and trusted so TLS to it verifies like any other), the run's
 * settings, the secrets it may use and the run's host name lookup. One mapping, so a run and a load test
 * cannot drift apart.
 */
export function playOptions(run: PlayedFile, capture: CaptureServerAddress | null, secrets: SecretProvider, signal: AbortSignal, lookup: LookupFunction): PlayOptions {
  const captureAddress = capture ? `${capture.host}:${capture.port}` : null;
  const options: PlayOptions = {
    filePath: run.filePath,
    workspaceRoot: run.workspaceRoot,
    server: run.local ? captureAddress : run.server,
    defaultServer: captureAddress,
    variables: run.variables,
    insecure: run.insecure,
    timeoutSeconds: run.timeoutSeconds,
    trustedCertificates: capture?.certificatePem ? [capture.certificatePem] : [],
    secrets,
    signal,
    lookup,
  };
  // Assigned, not spread: a session is played per call, and an object spread is the dearest way to build one.
  if (run.env) options.env = run.env;
  return options;
}
