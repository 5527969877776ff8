// A captured message made readable (headers, decoded text body, attachments
// listed) in a read-only editor: the text comes from the language server
// (smtp.lsp.previewCapturedMessage); this provider only hands it to VS Code.
import { Uri, type TextDocumentContentProvider } from 'vscode';
import type { CapturedMessageSummary } from '../../../server/src/contract/messages';
import { previewFileName } from './capturedMessageText';
import type { LocalServerRequests } from './localServerRequests';

export const PREVIEW_SCHEME = 'smtp-message';
/** Previews kept for documents VS Code may ask for again; the server holds the rest. */
const CACHED_PREVIEWS = 20;

export class MessagePreviewProvider implements TextDocumentContentProvider {
  private readonly cache = new Map<string, string>();

  constructor(private readonly requests: LocalServerRequests) {}

  uriFor(message: Pick<CapturedMessageSummary, 'id' | 'subject'>): Uri {
    return Uri.from({ scheme: PREVIEW_SCHEME, path: `/${previewFileName(message)}`, query: new URLSearchParams({ id: message.id }).toString() });
  }

  /** Fetches the text (errors reach the caller, who can explain them), and keeps it for the editor. */
  async load(id: string): Promise<void> {
    const { text } = await this.requests.preview(id);
    this.remember(id, text);
  }

  async provideTextDocumentContent(uri: Uri): Promise<string> {
    const id = new URLSearchParams(uri.query).get('id') ?? '';
    const cached = this.cache.get(id);
    if (cached !== undefined) return cached;
    try {
      await this.load(id);
      return this.cache.get(id) ?? '';
    } catch (error) {
      return `This message (id ${id}) cannot be shown: ${error instanceof Error ? error.message : String(error)}\n\nThe local server keeps the last 200 messages while it runs; its saved .eml file, if any, is still in its folder.\n`;
    }
  }

  private remember(id: string, text: string): void {
    this.cache.delete(id);
    this.cache.set(id, text);
    for (const oldest of this.cache.keys()) {
      if (this.cache.size <= CACHED_PREVIEWS) break;
      this.cache.delete(oldest);
    }
  }
}
