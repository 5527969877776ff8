// "SMTP: Explain Reply Code": what `smtp-session explain` prints, from the
// server (smtp.lsp.explain), shown as a Markdown preview of a read-only
// virtual document. The text to explain is the selection, the word at the
// cursor, or what the user types: the server decides what it is.
import { commands, EventEmitter, Uri, window, workspace, type Disposable, type TextDocumentContentProvider } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ExplainCommand } from '../../server/src/contract/messages';
import { executeServerCommand } from './protocol';
import { errorMessage } from './runs/sessionRuns';

const EXPLAIN_SCHEME = 'smtp-explain';
/** Explanations kept for their previews at most. */
const MAX_KEPT = 20;

export class ExplainReplyCode implements Disposable, TextDocumentContentProvider {
  private readonly explanations = new Map<string, string>();
  private readonly changed = new EventEmitter<Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: Disposable;

  constructor(private readonly client: LanguageClient) {
    this.registration = workspace.registerTextDocumentContentProvider(EXPLAIN_SCHEME, this);
  }

  provideTextDocumentContent(uri: Uri): string {
    return this.explanations.get(uri.path) ?? 'This explanation is no longer kept; run "SMTP: Explain Reply Code" again.';
  }

  async explain(argument?: unknown): Promise<void> {
    let text = typeof argument === 'string' && argument.trim() !== '' ? argument.trim() : textAtCursor();
    let problem: string | null = null;
    // What the cursor is on is explained at once; when the server cannot tell what it is, the user may correct it.
    for (;;) {
      if (text === undefined || problem !== null) text = (await askText(text ?? '', problem))?.trim();
      if (!text) return;
      try {
        const { markdown } = await executeServerCommand<ExplainCommand.Result>(this.client, ExplainCommand.command, { text } satisfies ExplainCommand.Params);
        await this.show(text, markdown);
        return;
      } catch (error) {
        problem = errorMessage(error);
      }
    }
  }

  private async show(text: string, markdown: string): Promise<void> {
    const path = `/${text.replace(/[\\/]/g, ' ')}.md`;
    this.explanations.delete(path);
    this.explanations.set(path, markdown);
    while (this.explanations.size > MAX_KEPT) this.explanations.delete(this.explanations.keys().next().value as string);
    const uri = Uri.from({ scheme: EXPLAIN_SCHEME, path });
    this.changed.fire(uri);
    try {
      await commands.executeCommand('markdown.showPreviewToSide', uri);
    } catch {
      // Without the built-in Markdown extension, the Markdown source still reads well.
      await window.showTextDocument(await workspace.openTextDocument(uri), { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

/** The selection (one line), else the word under the cursor, else nothing. */
function textAtCursor(): string | undefined {
  const editor = window.activeTextEditor;
  if (!editor) return undefined;
  const selected = editor.document.getText(editor.selection).trim();
  if (selected !== '' && !selected.includes('\n')) return selected;
  const word = editor.document.getWordRangeAtPosition(editor.selection.active);
  return word ? editor.document.getText(word) : undefined;
}

function askText(suggestion: string, problem: string | null): Thenable<string | undefined> {
  return window.showInputBox({
    title: 'SMTP: Explain Reply Code',
    prompt: `${problem ? `${problem} ` : ''}A reply code (550), with its enhanced code (550 5.1.1), an enhanced code (5.7.1), a command (MAIL) or an EHLO keyword (PIPELINING).`,
    value: suggestion,
    ignoreFocusOut: true,
  });
}
