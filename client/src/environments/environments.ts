// Environments like REST Client's: `smtp.environments` names sets of
// variables; the one selected (per workspace, in workspaceState) gives every
// run its values, over `smtp.defaultServer` (sent as the `server` beneath
// them); the file's own `@name = value` lines win over both (the server
// applies that order). A
// status bar item shows the choice while a `.smtp` editor is active.
import { EventEmitter, StatusBarAlignment, window, workspace, type Disposable, type ExtensionContext, type QuickPickItem, type Uri } from 'vscode';
import { confirmsEveryRun, readEnvironments, runVariables, type Environments as EnvironmentMap } from './runVariables';

const SELECTED_KEY = 'smtp.selectedEnvironment';

export class Environments implements Disposable {
  private readonly item = window.createStatusBarItem('smtp.environment', StatusBarAlignment.Right, 100);
  private readonly subscriptions: Disposable[] = [];
  private readonly changed = new EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  /** Problems already reported, so a broken setting is said once, not on every run. */
  private reported = '';

  constructor(private readonly context: ExtensionContext) {
    this.item.name = 'SMTP Environment';
    this.item.command = 'smtp.selectEnvironment';
    this.subscriptions.push(
      this.item,
      this.changed,
      window.onDidChangeActiveTextEditor(() => this.show()),
      workspace.onDidChangeConfiguration((change) => {
        if (change.affectsConfiguration('smtp.environments')) this.show();
      }),
    );
    this.show();
  }

  /** The selected environment's name, or null (none selected, or no longer in the setting). */
  get selected(): string | null {
    const name = this.context.workspaceState.get<string>(SELECTED_KEY);
    return name !== undefined && name in this.environments() ? name : null;
  }

  /** What a run of this document gets as `variables`. */
  variablesFor(uri: Uri): Record<string, string> | null {
    const configuration = workspace.getConfiguration('smtp', uri);
    const name = this.selected;
    return runVariables(configuration.get<string>('defaultServer', ''), name === null ? undefined : this.environments(uri)[name]);
  }

  /** The selected environment says `"$confirm": "always"`. */
  confirmsEveryRun(uri: Uri): boolean {
    const name = this.selected;
    return name !== null && confirmsEveryRun(this.environments(uri)[name]);
  }

  async select(): Promise<void> {
    const environments = this.environments();
    const names = Object.keys(environments);
    const current = this.selected;
    const none: QuickPickItem = { label: 'No environment', description: current === null ? 'selected' : undefined, detail: 'Sessions use only their own @variables (and smtp.defaultServer).' };
    const items: QuickPickItem[] = [none, ...names.map((name): QuickPickItem => ({
      label: name,
      description: name === current ? 'selected' : undefined,
      // Variable names only: values may be anything the user would rather not have on screen share.
      detail: Object.keys(environments[name]).filter((variable) => !variable.startsWith('$')).join(', ') || '(no variables)',
    }))];
    const picked = await window.showQuickPick(items, {
      title: 'SMTP: Select Environment',
      placeHolder: names.length === 0 ? 'No environments yet: define them in the setting smtp.environments' : 'Variables every session gets (the file\'s own @name lines win)',
    });
    if (!picked) return;
    await this.context.workspaceState.update(SELECTED_KEY, picked === none ? undefined : picked.label);
    this.show();
    this.changed.fire();
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }

  private environments(uri?: Uri): EnvironmentMap {
    const { environments, problems } = readEnvironments(workspace.getConfiguration('smtp', uri).get('environments'));
    const report = problems.join('\n');
    if (report !== '' && report !== this.reported) void window.showWarningMessage(`SMTP: ${problems.join(' ')}`);
    this.reported = report;
    return environments;
  }

  private show(): void {
    if (window.activeTextEditor?.document.languageId !== 'smtp') {
      this.item.hide();
      return;
    }
    const name = this.selected;
    this.item.text = `$(server-environment) ${name ?? 'No environment'}`;
    this.item.tooltip = name === null ? 'SMTP: no environment selected. Click to select one (setting smtp.environments).' : `SMTP environment "${name}": its variables go to every run. Click to change.`;
    this.item.show();
  }
}
