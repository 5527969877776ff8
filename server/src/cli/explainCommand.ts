import { explainQuery, ExplainQueryError } from '../features/explainQuery';
import type { CliIo } from './io';
import { parseArguments, UsageError } from './parseArguments';

/** `smtp-session explain CODE [ENHANCED]`: prints what the editor's hover shows; 0 on success, usage errors exit 2. */
export function explainCliCommand(args: string[], io: CliIo): number {
  const { positionals } = parseArguments(args, new Set(), new Set());
  let sections: string[];
  try {
    sections = explainQuery(positionals);
  } catch (error) {
    if (error instanceof ExplainQueryError) throw new UsageError(error.message);
    throw error;
  }
  io.stdout(sections.map(markdownToText).join(`\n\n${'─'.repeat(40)}\n\n`));
  return 0;
}

/**
 * The hover's markdown as terminal text: code spans lose their backticks,
 * bold loses its stars, escapes lose their backslash. The builders use no
 * other markup.
 */
export function markdownToText(markdown: string): string {
  return markdown.replace(/(`+) ?(.*?) ?\1(?!`)|\*\*|\\([!-/:-@[-`{-~])/g, (_match, fence: string | undefined, code: string | undefined, escaped: string | undefined) => {
    if (fence !== undefined) return code ?? '';
    return escaped ?? '';
  });
}
