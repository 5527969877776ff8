// "SMTP: Import Transcript…": a transcript the user already has (swaks
// output, a >>>/<<< log, a telnet/nc/openssl session, an RFC example), from a
// file or the clipboard, converted by the server (smtp.lsp.importTranscript,
// the converter `smtp-session import` uses) and opened as a new, unsaved
// .smtp document.
import { commands, env, Uri, window, workspace, type Disposable } from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { ImportTranscriptCommand } from '../../server/src/contract/messages';
import { executeServerCommand } from './protocol';
import { errorMessage } from './runs/sessionRuns';

export const IMPORT_TRANSCRIPT = 'smtp.importTranscript';

const FORMAT_NAMES: Record<ImportTranscriptCommand.Result['format'], string> = {
  swaks: 'swaks output',
  arrows: 'a >>>/<<< log',
  telnet: 'a telnet/nc/openssl session',
  rfc: 'an RFC-style transcript',
};

type Source = 'file' | 'clipboard';

export function registerImportTranscript(client: LanguageClient): Disposable {
  // A Uri argument imports that file at once (the Explorer, or another extension); a string is the transcript itself.
  return commands.registerCommand(IMPORT_TRANSCRIPT, async (argument?: unknown) => {
    const text = argument instanceof Uri ? await readFile(argument) : typeof argument === 'string' ? argument : await askForText();
    if (text === undefined) return;
    if (text.trim() === '') {
      void window.showWarningMessage('SMTP: nothing to import — the text is empty. Copy swaks output, a >>>/<<< log, a telnet or openssl session or an RFC example first.');
      return;
    }
    let result: ImportTranscriptCommand.Result;
    try {
      result = await executeServerCommand<ImportTranscriptCommand.Result>(client, ImportTranscriptCommand.command, { text } satisfies ImportTranscriptCommand.Params);
    } catch (error) {
      void window.showErrorMessage(`SMTP: could not import this transcript. ${errorMessage(error)}`);
      return;
    }
    const document = await workspace.openTextDocument({ language: 'smtp', content: result.text });
    await window.showTextDocument(document, { preview: false });
    window.setStatusBarMessage(`SMTP: imported ${FORMAT_NAMES[result.format]}, ${result.dialogueLines} dialogue lines`, 5000);
  });
}

async function askForText(): Promise<string | undefined> {
  const picked = await window.showQuickPick<{ label: string; detail: string; source: Source }>([
    { label: '$(clippy) From the Clipboard', detail: 'Paste what you copied from a terminal, a log or an RFC.', source: 'clipboard' },
    { label: '$(file) From a File…', detail: 'A saved swaks run, sendmail -v or mailx -v log, terminal session or RFC text.', source: 'file' },
  ], { title: 'SMTP: Import Transcript', placeHolder: 'swaks output, a >>>/<<< log, a telnet/nc/openssl session or an RFC example' });
  if (!picked) return undefined;
  if (picked.source === 'clipboard') return env.clipboard.readText();
  const [file] = (await window.showOpenDialog({ title: 'SMTP: Import Transcript', canSelectMany: false, openLabel: 'Import' })) ?? [];
  return file ? readFile(file) : undefined;
}

async function readFile(uri: Uri): Promise<string | undefined> {
  try {
    return new TextDecoder('utf-8').decode(await workspace.fs.readFile(uri));
  } catch (error) {
    void window.showErrorMessage(`SMTP: cannot read ${uri.fsPath || uri.toString()}: ${errorMessage(error)}`);
    return undefined;
  }
}
