import { SymbolKind, type DocumentSymbol, type Range } from 'vscode-languageserver';
import type { CommandStep, Session, TranscriptFile } from '../transcript/ast';

/** The outline: each session, and inside it each mail transaction (MAIL … end of data). */
export function getDocumentSymbols(file: TranscriptFile): DocumentSymbol[] {
  return file.sessions.map((session, index) => {
    const name = session.name ?? `Session ${index + 1}`;
    const selection = session.separator?.range ?? session.range;
    return symbol(name, SymbolKind.Namespace, session.range, selection, sessionDetail(session), transactions(session));
  });
}

function sessionDetail(session: Session): string {
  const verbs = session.steps.filter((step): step is CommandStep => step.kind === 'command').map((step) => step.verbName);
  const count = verbs.length;
  return `${count} command${count === 1 ? '' : 's'}`;
}

// Grouped by the commands as written: a transaction runs from MAIL to the end
// of its data, or to the RSET, QUIT or next MAIL that abandons it.
function transactions(session: Session): DocumentSymbol[] {
  const symbols: DocumentSymbol[] = [];
  let mail: CommandStep | null = null;
  let recipients = 0;
  let end: Range | null = null;
  const close = () => {
    if (mail && end) symbols.push(symbol(transactionName(mail), SymbolKind.Event, { start: mail.range.start, end: end.end }, mail.range, `${recipients} recipient${recipients === 1 ? '' : 's'}`));
    mail = null;
    recipients = 0;
  };
  for (const step of session.steps) {
    if (step.kind !== 'command') continue;
    const verb = step.verbName;
    if (verb === 'MAIL') {
      close();
      mail = step;
      end = step.range;
    } else if (verb === 'RSET' || verb === 'QUIT') {
      close();
    } else if (mail) {
      if (verb === 'RCPT') recipients++;
      end = step.body ? step.body.range : step.range;
      const last = verb === 'DATA' || (verb === 'BDAT' && step.words.some((word) => word.text.toUpperCase() === 'LAST'));
      if (last) close();
    }
  }
  close();
  return symbols;
}

function transactionName(mail: CommandStep): string {
  const sender = mail.path?.address?.text;
  return sender ? `MAIL FROM:${sender}` : mail.text.text;
}

function symbol(name: string, kind: SymbolKind, range: Range, selectionRange: Range, detail: string, children?: DocumentSymbol[]): DocumentSymbol {
  return children ? { name, kind, range, selectionRange, detail, children } : { name, kind, range, selectionRange, detail };
}
