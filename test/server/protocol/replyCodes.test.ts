import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  REPLY_CODES,
  REPLY_FIRST_DIGITS,
  REPLY_SECOND_DIGITS,
  describeReplyCodeFromDigits,
  describeReplyDigits,
  findReplyCode,
  replyOutcome,
} from '../../../server/src/protocol/replyCodes';

// RFC 5321 §4.2.3, copied by hand from the numeric list.
const RFC_5321_CODES = [211, 214, 220, 221, 250, 251, 252, 354, 421, 450, 451, 452, 455, 500, 501, 502, 503, 504, 550, 551, 552, 553, 554, 555];

describe('REPLY_CODES table', () => {
  it('holds every code of RFC 5321 §4.2.3, each citing RFC 5321', () => {
    for (const code of RFC_5321_CODES) {
      assert.equal(findReplyCode(code)?.ref.rfc, 5321, `reply code ${code}`);
    }
  });

  it('holds the extension codes, each citing the RFC that defines it', () => {
    const expected: Record<number, number> = { 235: 4954, 334: 4954, 432: 4954, 454: 3207, 521: 7504, 530: 4954, 534: 4954, 535: 4954, 538: 4954, 556: 7504 };
    for (const [code, rfc] of Object.entries(expected)) {
      assert.equal(findReplyCode(Number(code))?.ref.rfc, rfc, `reply code ${code}`);
    }
    assert.deepEqual(findReplyCode(454)?.alsoIn.map((ref) => ref.rfc), [4954]);
    assert.deepEqual(findReplyCode(530)?.alsoIn.map((ref) => ref.rfc), [3207]);
  });

  it('has one row per code, in numeric order', () => {
    const codes = REPLY_CODES.map((row) => row.code);
    assert.equal(new Set(codes).size, codes.length);
    assert.deepEqual(codes, [...codes].sort((a, b) => a - b));
  });

  it('gives every row and every further reference an RFC number and a dotted section', () => {
    for (const row of REPLY_CODES) {
      for (const ref of [row.ref, ...row.alsoIn]) {
        assert.ok(Number.isInteger(ref.rfc) && ref.rfc > 0, `${row.code}: RFC number ${ref.rfc}`);
        assert.match(ref.section, /^[1-9][0-9]*(\.[1-9][0-9]*)*$/, `${row.code}: section "${ref.section}"`);
      }
    }
  });

  it('keeps short meanings to two to four words and meanings to one line', () => {
    for (const row of REPLY_CODES) {
      const words = row.shortMeaning.split(' ').length;
      assert.ok(words >= 2 && words <= 4, `${row.code}: "${row.shortMeaning}" has ${words} words`);
      assert.ok(row.meaning.length > 0 && !row.meaning.includes('\n'), `${row.code}: meaning`);
    }
  });

  it('says what a client should do for exactly the 4yz and 5yz codes', () => {
    for (const row of REPLY_CODES) {
      const negative = row.code >= 400;
      assert.equal(row.clientAction !== null && row.clientAction.length > 0, negative, `${row.code}: client action`);
    }
  });

  it('only holds codes that fit the Reply-code grammar of RFC 5321 §4.2', () => {
    for (const row of REPLY_CODES) {
      assert.match(String(row.code), /^[2-5][0-5][0-9]$/);
    }
  });
});

describe('findReplyCode', () => {
  it('finds a code given as a number or as three digits', () => {
    assert.equal(findReplyCode(550)?.shortMeaning, 'mailbox unavailable');
    assert.equal(findReplyCode('550'), findReplyCode(550));
    assert.equal(findReplyCode('354')?.shortMeaning, 'start mail input');
  });

  it('returns null for unknown, malformed and wildcard codes', () => {
    assert.equal(findReplyCode(259), null);
    assert.equal(findReplyCode('55'), null);
    assert.equal(findReplyCode(' 550'), null);
    assert.equal(findReplyCode('5xx'), null);
    assert.equal(findReplyCode(550.5), null);
    assert.equal(findReplyCode(1550), null);
  });
});

describe('digit tables', () => {
  it('describe first digits 2 to 5 and second digits 0 to 5, from RFC 5321 §4.2.1', () => {
    assert.deepEqual(REPLY_FIRST_DIGITS.map((row) => row.digit), [2, 3, 4, 5]);
    assert.deepEqual(REPLY_SECOND_DIGITS.map((row) => row.digit), [0, 1, 2, 3, 4, 5]);
    for (const row of [...REPLY_FIRST_DIGITS, ...REPLY_SECOND_DIGITS]) {
      assert.deepEqual(row.ref, { rfc: 5321, section: '4.2.1' });
    }
  });
});

describe('describeReplyDigits', () => {
  it('names each digit of a code', () => {
    const digits = describeReplyDigits(550);
    assert.equal(digits?.first.name, 'permanent negative completion');
    assert.equal(digits?.second.name, 'mail system');
    assert.equal(digits?.third.digit, '0');
    assert.equal(describeReplyDigits('214')?.second.name, 'information');
    assert.equal(describeReplyDigits('421')?.second.name, 'connections');
    assert.equal(describeReplyDigits('501')?.second.name, 'syntax');
  });

  it('reads x as any digit', () => {
    const digits = describeReplyDigits('25x');
    assert.equal(digits?.first.name, 'positive completion');
    assert.equal(digits?.third.name, 'any');
    assert.equal(describeReplyDigits('5XX')?.second.name, 'any');
  });

  it('returns null for codes outside the Reply-code grammar', () => {
    for (const code of [150, 650, 261, '2a0', '25', '2500', '']) {
      assert.equal(describeReplyDigits(code), null, `code ${code}`);
    }
  });
});

describe('replyOutcome', () => {
  it('follows the first digit', () => {
    assert.equal(replyOutcome(250), 'success');
    assert.equal(replyOutcome(334), 'intermediate');
    assert.equal(replyOutcome('421'), 'transient');
    assert.equal(replyOutcome('5xx'), 'permanent');
  });

  it('agrees with the first digit of every table row', () => {
    const byDigit = { 2: 'success', 3: 'intermediate', 4: 'transient', 5: 'permanent' } as const;
    for (const row of REPLY_CODES) {
      assert.equal(replyOutcome(row.code), byDigit[Math.floor(row.code / 100) as 2 | 3 | 4 | 5]);
    }
  });

  it('is null for malformed codes and a wildcard first digit', () => {
    assert.equal(replyOutcome(150), null);
    assert.equal(replyOutcome('x50'), null);
    assert.equal(replyOutcome('abc'), null);
  });
});

describe('describeReplyCodeFromDigits', () => {
  it('describes a well-formed code that no table holds', () => {
    assert.equal(describeReplyCodeFromDigits(259), 'positive completion, mail system');
    assert.equal(describeReplyCodeFromDigits(431), 'transient negative completion, unspecified');
    assert.equal(describeReplyCodeFromDigits('509'), 'permanent negative completion, syntax');
  });

  it('leaves wildcard digits out', () => {
    assert.equal(describeReplyCodeFromDigits('5xx'), 'permanent negative completion');
    assert.equal(describeReplyCodeFromDigits('x2x'), 'connections');
    assert.equal(describeReplyCodeFromDigits('xxx'), 'any reply');
  });

  it('returns null for malformed codes', () => {
    assert.equal(describeReplyCodeFromDigits(270), null);
    assert.equal(describeReplyCodeFromDigits(199), null);
  });
});
