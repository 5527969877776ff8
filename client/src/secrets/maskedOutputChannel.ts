// The "SMTP" log channel as the language client sees it: everything written
// goes through the secret mask first. vscode-languageclient writes its
// protocol trace (smtp.trace.server = verbose prints every response, the
// answers to smtp/secret included) and its errors to this channel, so no
// value the extension handed out can reach the log.
import type { Event, LogLevel, LogOutputChannel, ViewColumn } from 'vscode';
import type { SecretMask } from './secretMask';

export class MaskedOutputChannel implements LogOutputChannel {
  constructor(
    private readonly channel: LogOutputChannel,
    private readonly secrets: SecretMask,
  ) {}

  get name(): string {
    return this.channel.name;
  }

  get logLevel(): LogLevel {
    return this.channel.logLevel;
  }

  get onDidChangeLogLevel(): Event<LogLevel> {
    return this.channel.onDidChangeLogLevel;
  }

  trace(message: string, ...args: unknown[]): void {
    this.channel.trace(this.mask(message), ...this.maskAll(args));
  }

  debug(message: string, ...args: unknown[]): void {
    this.channel.debug(this.mask(message), ...this.maskAll(args));
  }

  info(message: string, ...args: unknown[]): void {
    this.channel.info(this.mask(message), ...this.maskAll(args));
  }

  warn(message: string, ...args: unknown[]): void {
    this.channel.warn(this.mask(message), ...this.maskAll(args));
  }

  error(error: string | Error, ...args: unknown[]): void {
    this.channel.error(typeof error === 'string' ? this.mask(error) : this.maskError(error), ...this.maskAll(args));
  }

  append(value: string): void {
    this.channel.append(this.mask(value));
  }

  appendLine(value: string): void {
    this.channel.appendLine(this.mask(value));
  }

  replace(value: string): void {
    this.channel.replace(this.mask(value));
  }

  clear(): void {
    this.channel.clear();
  }

  show(columnOrPreserveFocus?: ViewColumn | boolean, preserveFocus?: boolean): void {
    if (typeof columnOrPreserveFocus === 'boolean' || columnOrPreserveFocus === undefined) this.channel.show(columnOrPreserveFocus);
    else this.channel.show(columnOrPreserveFocus, preserveFocus);
  }

  hide(): void {
    this.channel.hide();
  }

  dispose(): void {
    this.channel.dispose();
  }

  private mask(text: string): string {
    return this.secrets.mask(text);
  }

  private maskAll(args: unknown[]): unknown[] {
    return args.map((arg) => {
      if (typeof arg === 'string') return this.mask(arg);
      if (arg instanceof Error) return this.maskError(arg);
      if (arg === null || arg === undefined || typeof arg === 'number' || typeof arg === 'boolean') return arg;
      try {
        return this.mask(JSON.stringify(arg));
      } catch {
        return '[unprintable]';
      }
    });
  }

  private maskError(error: Error): Error {
    const masked = new Error(this.mask(error.message));
    masked.name = error.name;
    masked.stack = error.stack === undefined ? undefined : this.mask(error.stack);
    return masked;
  }
}
