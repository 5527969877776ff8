// The editor configurations the editor tests use are read from README.md, as a
// user copies them: a test that ran its own copy would pass while the README
// drifted. A block is found by the bold lead-in of its editor ("**Helix**")
// and its fence's language.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(__dirname, '..', '..', 'README.md');

/** The README's section "Other editors", up to the next `## ` heading. */
export function otherEditorsSection(): string {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf('\n## Other editors\n');
  if (start < 0) throw new Error('README.md has no "## Other editors" section');
  const end = text.indexOf('\n## ', start + 1);
  return text.slice(start, end < 0 ? undefined : end);
}

/** Every fenced block of `language` between the paragraph that starts with `**lead**` and the next bold lead-in. */
export function readmeBlocks(lead: string, language: string): string[] {
  const section = otherEditorsSection();
  const start = section.indexOf(`\n**${lead}`);
  if (start < 0) throw new Error(`README.md's "Other editors" has no paragraph starting with **${lead}`);
  const next = section.indexOf('\n**', start + 1);
  const part = section.slice(start, next < 0 ? undefined : next);
  const blocks = [...part.matchAll(new RegExp('^```' + language + '\\n([\\s\\S]*?)^```$', 'gm'))].map((match) => match[1]);
  if (blocks.length === 0) throw new Error(`README.md's **${lead}… paragraph has no \`\`\`${language} block`);
  return blocks;
}
