// Every adversarial .smtp family through the parser and the analysis, the
// editor's features and the TextMate grammar, at n and 4n: linear time, no
// exception, and 800 KB within the CPU budget (measureScaling.ts).
import { describe, it } from 'node:test';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkTranscript } from '../../server/src/analysis/checkTranscript';
import { getCodeActions } from '../../server/src/features/codeActions';
import { getCodeLenses } from '../../server/src/features/codeLenses';
import { getCompletions } from '../../server/src/features/completion';
import { toDiagnostics } from '../../server/src/features/diagnostics';
import { getDocumentSymbols } from '../../server/src/features/documentSymbols';
import { getFoldingRanges } from '../../server/src/features/foldingRanges';
import { getFormattingEdits } from '../../server/src/features/formatting';
import { getHover } from '../../server/src/features/hover';
import { getInlayHints } from '../../server/src/features/inlayHints';
import { getSemanticTokens } from '../../server/src/features/semanticTokens';
import { splitLines } from '../../server/src/transcript/lines';
import { parseTranscript } from '../../server/src/transcript/parseTranscript';
import { TRANSCRIPT_FAMILIES } from './adversarialFamilies';
import { assertScales, measure } from './measureScaling';

describe('parse and analysis scale linearly on adversarial transcripts', () => {
  for (const family of TRANSCRIPT_FAMILIES) {
    it(family.name, () => {
      assertScales('parse + analysis', family, measure(family, (text) => void checkTranscript(parseTranscript(text))));
    });
  }
});

/** Every feature the editor asks for, at the places where the input is: each line's start, middle and end. */
function allFeatures(text: string): void {
  const file = parseTranscript(text);
  const lines = splitLines(text);
  const diagnostics = toDiagnostics(checkTranscript(file)).slice(0, 1000);
  const whole = { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } };
  getSemanticTokens(file, lines);
  getFoldingRanges(file);
  getDocumentSymbols(file);
  getCodeLenses(file, 'file:///a.smtp');
  getInlayHints(file, whole);
  getFormattingEdits(file, lines);
  getCodeActions(file, 'file:///a.smtp', lines, diagnostics, whole);
  // The longest line and the last one: where a long word or a run of characters is.
  let longest = 0;
  for (let i = 1; i < lines.length; i++) if (lines[i].length > lines[longest].length) longest = i;
  for (const line of new Set([longest, lines.length - 2, Math.floor(lines.length / 2)])) {
    const lineText = lines[line] ?? '';
    for (const character of [4, Math.floor(lineText.length / 2), lineText.length]) {
      getHover(file, { line, character });
      getCompletions(file, lineText.slice(0, character), { line, character });
    }
  }
}

describe('editor features scale linearly on adversarial transcripts', () => {
  for (const family of TRANSCRIPT_FAMILIES) {
    it(family.name, () => {
      assertScales('editor features', family, measure(family, allFeatures));
    });
  }
});

describe('the TextMate grammar colours adversarial transcripts in linear time', async () => {
  const { grammar, tokenize } = await loadGrammar();
  for (const family of TRANSCRIPT_FAMILIES) {
    it(family.name, () => {
      assertScales('grammar', family, measure(family, (text) => tokenize(grammar, text)));
    });
  }
});

async function loadGrammar() {
  const textmate = await import('vscode-textmate');
  const oniguruma = await import('vscode-oniguruma');
  const wasm = readFileSync(join(__dirname, '..', '..', 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new textmate.Registry({
    onigLib: Promise.resolve({ createOnigScanner: (sources) => new oniguruma.OnigScanner(sources), createOnigString: (text) => new oniguruma.OnigString(text) }),
    loadGrammar: async (scopeName) => (scopeName === 'source.smtp'
      ? textmate.parseRawGrammar(readFileSync(join(__dirname, '..', '..', 'syntaxes', 'smtp.tmLanguage.json'), 'utf8'), 'smtp.tmLanguage.json')
      : null),
  });
  const grammar = (await registry.loadGrammar('source.smtp'))!;
  // VS Code's own cut-off is 20,000 characters a line (editor.maxTokenizationLineLength); the test goes past it on purpose.
  const tokenize = (g: typeof grammar, text: string) => {
    let state = textmate.INITIAL;
    for (const line of text.split('\n')) state = g.tokenizeLine(line, state).ruleStack;
  };
  return { grammar, tokenize };
}
