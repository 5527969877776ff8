// A rules file from disk, for `serve --rules` and the editor's
// `smtp.localServer.rules`: a regular file only (a FIFO would wait for a
// writer for ever), small (rules are written by hand), UTF-8 with a byte
// order mark dropped; anything wrong is one RulesError naming the path.
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import type { FaultRule } from './faultRule';
import { parseRules, RulesError } from './parseRules';

/** Far above any hand-written rules file. */
export const MAX_RULES_FILE_SIZE = 1024 * 1024;

export function readRulesFile(path: string): FaultRule[] {
  let text: string;
  try {
    const stats = statSync(path);
    if (!stats.isFile()) throw new RulesError(`rules file ${path} is ${stats.isDirectory() ? 'a directory' : 'not a regular file'}; give the path of a .json file of rules.`);
    if (stats.size > MAX_RULES_FILE_SIZE) throw new RulesError(`rules file ${path} holds ${stats.size} bytes, more than the ${MAX_RULES_FILE_SIZE} a rules file may have.`);
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if (error instanceof RulesError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new RulesError(code === 'ENOENT' ? `rules file ${path} does not exist.` : `cannot read rules file ${path}: ${(error as Error).message}`);
  }
  return parseRules(text.startsWith('\uFEFF') ? text.slice(1) : text, basename(path));
}
