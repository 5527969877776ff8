// The walkthrough's first step: a new, unsaved .smtp document holding a session
// for the local server (media/walkthrough/first-session.smtp), ready to run.
import { commands, Uri, window, workspace, type ExtensionContext } from 'vscode';

export const OPEN_WALKTHROUGH_EXAMPLE = 'smtp.walkthrough.openExample';

export function registerOpenExampleCommand(context: ExtensionContext): void {
  context.subscriptions.push(commands.registerCommand(OPEN_WALKTHROUGH_EXAMPLE, async () => {
    const file = Uri.joinPath(context.extensionUri, 'media', 'walkthrough', 'first-session.smtp');
    let content: string;
    try {
      content = new TextDecoder().decode(await workspace.fs.readFile(file));
    } catch (error) {
      void window.showErrorMessage(`The walkthrough's example ${file.fsPath} could not be read (${error instanceof Error ? error.message : String(error)}); the extension may be damaged — reinstall it.`);
      return;
    }
    // Unsaved, so trying things out changes no file of the person's.
    const document = await workspace.openTextDocument({ language: 'smtp', content });
    await window.showTextDocument(document);
  }));
}
