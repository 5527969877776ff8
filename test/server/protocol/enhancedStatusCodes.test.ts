import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ENHANCED_STATUS_CLASSES,
  ENHANCED_STATUS_DETAILS,
  ENHANCED_STATUS_SUBJECTS,
  describeEnhancedStatusCode,
  enhancedCodeLength,
  explainInvalidEnhancedStatusCode,
  findEnhancedStatusDetail,
  parseEnhancedStatusCode,
} from '../../../server/src/protocol/enhancedStatusCodes';

// RFC 3463 §3.1–§3.8, every detail code, copied by hand from its collected list.
const RFC_3463_DETAILS = [
  '0.0',
  '1.0', '1.1', '1.2', '1.3', '1.4', '1.5', '1.6', '1.7', '1.8',
  '2.0', '2.1', '2.2', '2.3', '2.4',
  '3.0', '3.1', '3.2', '3.3', '3.4', '3.5',
  '4.0', '4.1', '4.2', '4.3', '4.4', '4.5', '4.6', '4.7',
  '5.0', '5.1', '5.2', '5.3', '5.4', '5.5',
  '6.0', '6.1', '6.2', '6.3', '6.4', '6.5',
  '7.0', '7.1', '7.2', '7.3', '7.4', '7.5', '7.6', '7.7',
];

function detail(code: string) {
  const [subject, detailNumber] = code.split('.').map(Number);
  return findEnhancedStatusDetail(subject, detailNumber);
}

describe('enhanced status code tables', () => {
  it('hold the three classes and eight subjects of RFC 3463 §2', () => {
    assert.deepEqual(ENHANCED_STATUS_CLASSES.map((row) => row.classDigit), [2, 4, 5]);
    assert.deepEqual(ENHANCED_STATUS_SUBJECTS.map((row) => row.subject), [0, 1, 2, 3, 4, 5, 6, 7]);
    for (const row of [...ENHANCED_STATUS_CLASSES, ...ENHANCED_STATUS_SUBJECTS]) {
      assert.deepEqual(row.ref, { rfc: 3463, section: '2' });
    }
  });

  it('hold every detail code of RFC 3463, in the §3 subsection of its subject', () => {
    for (const code of RFC_3463_DETAILS) {
      const row = detail(code);
      assert.equal(row?.ref.rfc, 3463, `X.${code}`);
      assert.equal(row?.ref.section, `3.${Number(code.split('.')[0]) + 1}`, `X.${code}`);
    }
  });

  it('hold later registry entries with the RFC that defines each', () => {
    const expected: Record<string, number> = {
      '1.10': 7505, '5.6': 4954, '6.7': 6531, '6.8': 6531, '6.9': 6531,
      '7.8': 4954, '7.9': 4954, '7.10': 5248, '7.11': 4954, '7.12': 4954, '7.13': 5248, '7.14': 5248,
      '7.20': 7372, '7.21': 7372, '7.22': 7372, '7.23': 7372, '7.24': 7372, '7.25': 7372, '7.26': 7372,
      '7.27': 7505, '7.29': 8617, '7.30': 8689,
    };
    for (const [code, rfc] of Object.entries(expected)) {
      assert.equal(detail(code)?.ref.rfc, rfc, `X.${code}`);
    }
    assert.equal(ENHANCED_STATUS_DETAILS.length, RFC_3463_DETAILS.length + Object.keys(expected).length);
  });

  it('have one row per code, ordered by subject and then detail', () => {
    const codes = ENHANCED_STATUS_DETAILS.map((row) => row.code);
    assert.equal(new Set(codes).size, codes.length);
    const order = (code: string) => code.split('.').map(Number).reduce((subject, detailNumber) => subject * 1000 + detailNumber);
    assert.deepEqual(codes, [...codes].sort((a, b) => order(a) - order(b)));
  });

  it('give every row a subject.detail code, a title, a one-line meaning and an RFC section', () => {
    for (const row of ENHANCED_STATUS_DETAILS) {
      assert.match(row.code, /^[0-7]\.(0|[1-9][0-9]{0,2})$/);
      assert.ok(row.title.length > 0, `X.${row.code}: title`);
      assert.ok(row.meaning.length > 0 && !row.meaning.includes('\n'), `X.${row.code}: meaning`);
      assert.ok(Number.isInteger(row.ref.rfc) && row.ref.rfc > 0, `X.${row.code}: RFC`);
      assert.match(row.ref.section, /^[1-9][0-9]*(\.[1-9][0-9]*)*$/, `X.${row.code}: section`);
    }
  });

  it('only list classes 2, 4 and 5 and well-formed reply codes', () => {
    for (const row of ENHANCED_STATUS_DETAILS) {
      for (const classDigit of row.classes ?? []) assert.ok([2, 4, 5].includes(classDigit), `X.${row.code}: class ${classDigit}`);
      if (Array.isArray(row.replyCodes)) {
        for (const code of row.replyCodes) assert.match(String(code), /^[2-5][0-5][0-9]$/, `X.${row.code}: reply ${code}`);
      }
    }
  });

  it('record the classes the definitions state', () => {
    assert.deepEqual(detail('1.1')?.classes, [5]);
    assert.deepEqual(detail('1.5')?.classes, [2]);
    assert.deepEqual(detail('2.2')?.classes, [4]);
    assert.deepEqual(detail('7.7')?.classes, [2, 4, 5]);
    assert.equal(detail('1.4')?.classes, null);
  });
});

describe('enhancedCodeLength (the scan the reply reader and the parser share)', () => {
  const length = (text: string, wildcards: boolean) => enhancedCodeLength(text, 0, text.length, wildcards);

  it('measures class.subject.detail followed by a space or the end', () => {
    assert.equal(length('5.1.1 Unknown user', false), 5);
    assert.equal(length('2.0.0', false), 5);
    assert.equal(length('4.7.123 Try later', false), 7);
    assert.equal(length('5.123.456', false), 9);
  });

  it('takes x wildcards only when asked (an expectation may write them, a server may not)', () => {
    assert.equal(length('5.x.x anything', true), 5);
    assert.equal(length('5.X.1', true), 5);
    assert.equal(length('5.x.x anything', false), 0);
  });

  it('is 0 for what is not one: another class, four digits, no separator after, a missing part', () => {
    for (const text of ['3.1.1 x', '5.1234.1', '5.1.1234', '5.1.1; text', '5.1. text', '5..1', 'Ok', '5.1']) {
      assert.equal(length(text, true), 0, text);
    }
  });

  it('reads at an offset and stops at the end it is given', () => {
    assert.equal(enhancedCodeLength('250 2.1.5 Ok', 4, 12, false), 5);
    assert.equal(enhancedCodeLength('250 2.1.5Ok', 4, 9, false), 5);
  });
});

describe('parseEnhancedStatusCode', () => {
  it('reads class, subject and detail', () => {
    assert.deepEqual(parseEnhancedStatusCode('5.1.1'), { text: '5.1.1', classDigit: 5, subject: 1, detail: 1 });
    assert.deepEqual(parseEnhancedStatusCode('2.0.0'), { text: '2.0.0', classDigit: 2, subject: 0, detail: 0 });
    assert.equal(parseEnhancedStatusCode('4.7.999')?.detail, 999);
    assert.equal(parseEnhancedStatusCode('5.100.3')?.subject, 100);
  });

  it('reads x wildcards as null sub-codes', () => {
    assert.deepEqual(parseEnhancedStatusCode('5.1.x'), { text: '5.1.x', classDigit: 5, subject: 1, detail: null });
    assert.deepEqual(parseEnhancedStatusCode('4.X.x'), { text: '4.X.x', classDigit: 4, subject: null, detail: null });
  });

  it('refuses what the RFC 3463 §2 grammar does not allow', () => {
    const invalid = ['6.1.1', '1.1.1', '3.1.1', 'x.1.1', '5.01.1', '5.1.01', '5.00.0', '5.1', '5.1.1.1', '5.1000.1', '5.1.1000', '', '5..1', '05.1.1', '5.-1.1', '5.1.a', ' 5.1.1', '5.1.1 ', '5.1.xx'];
    for (const text of invalid) {
      assert.equal(parseEnhancedStatusCode(text), null, `"${text}"`);
      assert.notEqual(explainInvalidEnhancedStatusCode(text), null, `"${text}"`);
    }
  });
});

describe('explainInvalidEnhancedStatusCode', () => {
  it('is null for valid codes', () => {
    assert.equal(explainInvalidEnhancedStatusCode('5.7.1'), null);
    assert.equal(explainInvalidEnhancedStatusCode('4.x.x'), null);
  });

  it('names the part that is wrong', () => {
    assert.match(explainInvalidEnhancedStatusCode('6.1.1') ?? '', /class .* 2, 4 or 5/);
    assert.match(explainInvalidEnhancedStatusCode('5.01.1') ?? '', /subject "01" has a leading zero/);
    assert.match(explainInvalidEnhancedStatusCode('5.1.00') ?? '', /detail "00" has a leading zero/);
    assert.match(explainInvalidEnhancedStatusCode('5.1') ?? '', /three parts.* has 2/);
    assert.match(explainInvalidEnhancedStatusCode('5.1.1.1') ?? '', /has 4/);
    assert.match(explainInvalidEnhancedStatusCode('5.1000.1') ?? '', /subject .* one to three digits/);
  });
});

describe('describeEnhancedStatusCode', () => {
  it('describes class, subject and detail', () => {
    const description = describeEnhancedStatusCode('5.1.1');
    assert.equal(description?.classMeaning, 'permanent failure');
    assert.equal(description?.subjectMeaning, 'addressing');
    assert.equal(description?.detailMeaning, 'Bad destination mailbox address');
    assert.equal(description?.detailInfo?.ref.section, '3.2');
    assert.equal(describeEnhancedStatusCode('4.2.2')?.classMeaning, 'persistent transient failure');
    assert.equal(describeEnhancedStatusCode('2.0.0')?.detailMeaning, 'Other undefined status');
  });

  it('accepts an already parsed code', () => {
    const parsed = parseEnhancedStatusCode('5.7.30');
    assert.ok(parsed);
    assert.equal(describeEnhancedStatusCode(parsed)?.detailMeaning, 'REQUIRETLS support required');
  });

  it('describes wildcards as any', () => {
    const subjectOnly = describeEnhancedStatusCode('5.1.x');
    assert.equal(subjectOnly?.subjectMeaning, 'addressing');
    assert.equal(subjectOnly?.detailMeaning, 'any');
    assert.equal(subjectOnly?.detailInfo, null);
    const classOnly = describeEnhancedStatusCode('4.x.x');
    assert.equal(classOnly?.classMeaning, 'persistent transient failure');
    assert.equal(classOnly?.subjectMeaning, 'any');
    assert.equal(classOnly?.detailMeaning, 'any');
  });

  it('keeps class and subject for unregistered details, and gives none to a detail under a wildcard subject', () => {
    const unregistered = describeEnhancedStatusCode('5.1.99');
    assert.equal(unregistered?.classMeaning, 'permanent failure');
    assert.equal(unregistered?.subjectMeaning, 'addressing');
    assert.equal(unregistered?.detailMeaning, null);
    assert.equal(describeEnhancedStatusCode('5.9.1')?.subjectMeaning, null);
    assert.equal(describeEnhancedStatusCode('5.9.1')?.detailMeaning, null);
    assert.equal(describeEnhancedStatusCode('5.x.1')?.detailMeaning, null);
  });

  it('returns null for text that is not a code', () => {
    assert.equal(describeEnhancedStatusCode('6.1.1'), null);
    assert.equal(describeEnhancedStatusCode('5.1'), null);
  });
});
