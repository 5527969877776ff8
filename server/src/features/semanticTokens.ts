import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import type { Session, TranscriptFile } from '../transcript/ast';

/**
 * Semantic tokens only where they know more than the grammar: the grammar
 * cannot follow replies, so it cannot tell that the line after a 334 is a SASL
 * response rather than a command, nor count the octets of a BDAT chunk. The
 * parser can; these tokens colour those lines as data.
 */
export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: ['string'],
  tokenModifiers: [],
};

const STRING = 0;

export function getSemanticTokens(file: TranscriptFile): SemanticTokens {
  const builder = new SemanticTokensBuilder();
  for (const session of file.sessions) addSession(builder, session);
  return builder.build();
}

function addSession(builder: SemanticTokensBuilder, session: Session): void {
  for (const step of session.steps) {
    if (step.kind === 'sasl' && step.text.text.length > 0) {
      const { start } = step.text.range;
      builder.push(start.line, start.character, step.text.text.length, STRING, 0);
    }
    if (step.kind === 'command' && step.body?.kind === 'bdat') {
      for (const line of step.body.lines) {
        if (line.text.text.length === 0) continue;
        const { start } = line.text.range;
        builder.push(start.line, start.character, line.text.text.length, STRING, 0);
      }
    }
  }
}
