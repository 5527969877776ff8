// The language server reads smtp.localServer when a run starts the embedded
// server on demand. The folder and rules settings may be relative, `~/…` or
// use `${workspaceFolder}`, which only the editor can resolve: this middleware
// hands the server the same absolute paths the Start command would use.
import type { ExtensionContext } from 'vscode';
import type { Middleware } from 'vscode-languageclient/node';
import { readLocalServerSettings } from './localServerSettings';

export function localServerConfigurationMiddleware(context: ExtensionContext): NonNullable<Middleware['workspace']> {
  return {
    async configuration(params, token, next) {
      const answers = await next(params, token);
      if (!Array.isArray(answers)) return answers;
      return params.items.map((item, index) => {
        if (item.section !== 'smtp.localServer') return answers[index];
        const settings = readLocalServerSettings(context);
        // A wrong setting: the server keeps its last folder and port; the Start command shows the error.
        if ('error' in settings) return null;
        return { port: settings.params.port, folder: settings.params.dir ?? '', rules: settings.params.rules ?? '' };
      });
    },
  };
}
