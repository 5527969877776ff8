import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { COMMANDS, isRfcRef } from '../../../server/src/protocol/commands';
import { EHLO_KEYWORDS, findEhloKeyword } from '../../../server/src/protocol/ehloKeywords';
import { ENHANCED_STATUS_DETAILS, replyCodesOfClass, type EnhancedStatusClass } from '../../../server/src/protocol/enhancedStatusCodes';
import { ESMTP_PARAMETERS } from '../../../server/src/protocol/parameters';
import { findReplyCode, REPLY_CODES } from '../../../server/src/protocol/replyCodes';
import { formatRfc, type RfcRef } from '../../../server/src/protocol/rfc';
import { explainEnhancedStatusCode, explainReplyCode } from '../../../server/src/features/explain';

/**
 * One fact lives in one place, and where two tables touch the same fact they
 * must say the same thing: these tests fail the day a row is added to one
 * table and the other is not told.
 */

function codesOf(set: (typeof COMMANDS)[number]['replies'][number]): number[] {
  return [...(set.success ?? []), ...(set.intermediate ?? []), ...(set.error ?? [])];
}

describe('the protocol tables agree', () => {
  it('knows every reply code a command lists: explain never says "No RFC this tool knows" for one', () => {
    const unknown: string[] = [];
    for (const command of COMMANDS) {
      for (const set of command.replies) {
        for (const code of codesOf(set)) {
          if (!findReplyCode(code) || /No RFC this tool knows/.test(explainReplyCode(String(code)) ?? '')) unknown.push(`${command.verb} ${code}`);
        }
      }
    }
    assert.deepEqual(unknown, []);
  });

  it('cites the same section in the command table and the reply-code table when both cite one RFC for a code', () => {
    const disagreements: string[] = [];
    for (const command of COMMANDS) {
      for (const set of command.replies) {
        if (!isRfcRef(set.from) || set.from.rfc === 5321) continue;
        const from = set.from;
        for (const code of codesOf(set)) {
          const row = findReplyCode(code);
          if (!row) continue;
          const citations = [row.ref, ...row.alsoIn].filter((ref: RfcRef) => ref.rfc === from.rfc);
          if (citations.length > 0 && !citations.some((ref) => ref.section === from.section)) {
            disagreements.push(`${command.verb} ${code}: commands cite ${formatRfc(from)}, replyCodes ${citations.map(formatRfc).join(', ')}`);
          }
        }
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it('gives every extension command a keyword row from the same RFC', () => {
    const problems: string[] = [];
    for (const command of COMMANDS) {
      if (command.ehloKeyword === null) continue;
      const keyword = findEhloKeyword(command.ehloKeyword);
      if (!keyword) problems.push(`${command.verb}: no EHLO keyword row ${command.ehloKeyword}`);
      // A retired command's keyword is defined where it was retired (RFC 5321 Appendix F lets servers keep listing it).
      else if (keyword.ref.rfc !== command.ref.rfc && formatRfc(keyword.ref) !== (command.retiredBy && formatRfc(command.retiredBy))) problems.push(`${command.verb}: ${formatRfc(command.ref)} but keyword ${formatRfc(keyword.ref)}`);
      else if (!keyword.enablesCommands.includes(command.verb)) problems.push(`${command.verb}: keyword ${keyword.keyword} does not enable it`);
    }
    assert.deepEqual(problems, []);
  });

  it('names only known commands and keywords across tables', () => {
    const verbs = new Set(COMMANDS.map((command) => command.verb));
    const keywords = new Set(EHLO_KEYWORDS.map((row) => row.keyword));
    const dangling = [
      ...EHLO_KEYWORDS.flatMap((row) => row.enablesCommands.filter((verb) => !verbs.has(verb)).map((verb) => `${row.keyword} enables ${verb}`)),
      ...ESMTP_PARAMETERS.flatMap((row) => row.ehloKeywords.filter((keyword) => !keywords.has(keyword)).map((keyword) => `${row.name} needs ${keyword}`)),
    ];
    assert.deepEqual(dangling, []);
  });

  it('pairs an enhanced code only with reply codes of its own class (RFC 3463 §2)', () => {
    const strays: string[] = [];
    for (const detail of ENHANCED_STATUS_DETAILS) {
      for (const classDigit of [2, 4, 5] as EnhancedStatusClass[]) {
        const codes = replyCodesOfClass(detail, classDigit);
        if (Array.isArray(codes)) for (const code of codes) if (Math.floor(code / 100) !== classDigit) strays.push(`${classDigit}.${detail.code} with ${code}`);
      }
    }
    assert.deepEqual(strays, []);
    assert.match(explainEnhancedStatusCode('4.7.0')!, /Seen with reply codes `450`, `454`\./);
    assert.doesNotMatch(explainEnhancedStatusCode('5.7.1')!, /`45\d`/);
    assert.doesNotMatch(explainEnhancedStatusCode('4.7.0')!, /`220`|`235`|`5\d\d`/);
  });

  it('keeps reply codes in order and each once, so explain and completion list them predictably', () => {
    const codes = REPLY_CODES.map((row) => row.code);
    assert.deepEqual(codes, [...codes].sort((a, b) => a - b));
    assert.equal(new Set(codes).size, codes.length);
  });
});
