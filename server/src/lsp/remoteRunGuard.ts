// The editor's guard before real mail: the run orchestrator works out which
// remote hosts a run would reach and what it would deliver
// (run/remoteDelivery.ts) and calls confirmRemote; this answers it for LSP
// clients — with the VS Code extension's smtp/confirmRemoteRun dialog, with
// window/showMessageRequest for other editors, or with a refusal that says
// how to allow the run when the client can ask neither.
import type { RemoteRunQuestion } from '../run/runTranscript';
import { describeDelivery, type RemoteDelivery } from '../run/remoteDelivery';
import { RunRequestError } from '../run/selectSessions';
import type { EditorClient } from './editorClient';

const RUN = 'Run';
const CANCEL = 'Cancel';

export class RemoteRunGuard {
  /** Hosts the user let runs reach: for as long as this server (the editor's window) runs. */
  private readonly confirmed = new Set<string>();

  constructor(private readonly client: EditorClient) {}

  /**
   * True to go ahead. `enabled` is the document's `smtp.confirmRemoteRuns`;
   * an environment's `"$confirm": "always"` asks even when it is off, and
   * even for hosts confirmed before.
   */
  async confirm(uri: string, question: RemoteRunQuestion, enabled: boolean, signal: AbortSignal): Promise<boolean> {
    if (!enabled && !question.always) return true;
    const deliveries = question.always ? question.deliveries : question.deliveries.filter((delivery) => !this.confirmed.has(delivery.host));
    if (deliveries.length === 0) return true;
    const allowed = await this.ask(uri, deliveries, question.always, signal);
    if (allowed && !question.always) for (const delivery of deliveries) this.confirmed.add(delivery.host);
    return allowed;
  }

  private async ask(uri: string, deliveries: RemoteDelivery[], always: boolean, signal: AbortSignal): Promise<boolean> {
    const how = this.client.remoteRunQuestion();
    const question = remoteRunQuestionText(deliveries);
    if (how === 'confirmRemoteRun') {
      const answer = await this.client.confirmRemoteRun({ uri, deliveries, question, always }, signal);
      return answer?.decision === 'run' || answer?.decision === 'remember';
    }
    if (how === 'showMessageRequest') {
      // No storage of its own: "Run" lasts while this server runs (the editor's session), which is what the VS Code client's "Run" means too.
      const picked = await this.client.askUser(`${question} Run it?${always ? '' : ' (Asked once per host while the language server runs.)'}`, [RUN, CANCEL], signal);
      return picked === RUN;
    }
    throw new RunRequestError(`${question} Nothing was sent: this editor cannot ask first (it declares no window.showMessage). To allow runs to remote hosts, set smtp.confirmRemoteRuns to false (through workspace/configuration, didChangeConfiguration or initializationOptions.smtp), and leave confirm: "always" off the run.`);
  }
}

/** "This run sends mail to a server that is not on this machine: mail.example.org:587 — 1 message to <bob@example.org>, with AUTH …" */
export function remoteRunQuestionText(deliveries: readonly RemoteDelivery[]): string {
  const lines = deliveries.map((delivery) => `${formatHost(delivery)}: ${describeDelivery(delivery)}`);
  const target = deliveries.length === 1 ? 'a server that is not on this machine' : 'servers that are not on this machine';
  return `This run goes to ${target} — ${lines.join('; ')}.`;
}

function formatHost(delivery: RemoteDelivery): string {
  return delivery.host.includes(':') ? `[${delivery.host}]:${delivery.port}` : `${delivery.host}:${delivery.port}`;
}
