import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findCommand } from '../../../server/src/protocol/commands';
import { EHLO_KEYWORDS, SASL_MECHANISMS, ehloSizeLimit, findEhloKeyword, findSaslMechanism, parseEhloReply } from '../../../server/src/protocol/ehloKeywords';
import { findParameter } from '../../../server/src/protocol/parameters';

// What Postfix sends, including the AUTH= line it adds for old Outlook clients (broken_sasl_auth_clients).
const POSTFIX_EHLO_REPLY = [
  '250-mx.example.org',
  '250-PIPELINING',
  '250-SIZE 10240000',
  '250-VRFY',
  '250-ETRN',
  '250-STARTTLS',
  '250-AUTH PLAIN LOGIN',
  '250-AUTH=PLAIN LOGIN',
  '250-ENHANCEDSTATUSCODES',
  '250-8BITMIME',
  '250-DSN',
  '250-SMTPUTF8',
  '250 CHUNKING',
];

describe('EHLO_KEYWORDS table', () => {
  it('holds the keywords the brief names, each once', () => {
    const names = EHLO_KEYWORDS.map((row) => row.keyword);
    for (const keyword of ['SIZE', 'PIPELINING', '8BITMIME', 'BINARYMIME', 'CHUNKING', 'DSN', 'ENHANCEDSTATUSCODES', 'STARTTLS', 'AUTH', 'SMTPUTF8', 'ETRN', 'ATRN', 'BURL', 'DELIVERBY', 'MT-PRIORITY', 'REQUIRETLS', 'FUTURERELEASE', 'LIMITS', 'VRFY', 'HELP', 'EXPN', 'XCLIENT', 'XFORWARD', 'AUTH=', 'TURN', 'ONEX', 'VERB', 'XUSR']) {
      assert.ok(names.includes(keyword), keyword);
    }
    assert.equal(new Set(names).size, names.length);
  });

  it('gives every row an RFC reference, parameter and purpose text, and vendor rows their document', () => {
    for (const row of EHLO_KEYWORDS) {
      assert.ok(row.ref.rfc > 0 && row.ref.section.length > 0, row.keyword);
      assert.ok(row.parameters.length > 0 && row.purpose.endsWith('.'), row.keyword);
      if (row.status === 'vendor') assert.ok(row.vendorDocument, `${row.keyword} needs its vendor document`);
    }
    assert.equal(findEhloKeyword('ONEX')?.status, 'deprecated');
    assert.equal(findEhloKeyword('XCLIENT')?.vendorDocument?.vendor, 'Postfix');
  });

  it('only enables commands and parameters the other tables know', () => {
    for (const row of EHLO_KEYWORDS) {
      for (const verb of row.enablesCommands) assert.ok(findCommand(verb), `${row.keyword} enables unknown ${verb}`);
      for (const name of row.enablesMailParameters) assert.ok(findParameter('MAIL', name), `${row.keyword} enables unknown MAIL ${name}`);
      for (const name of row.enablesRcptParameters) assert.ok(findParameter('RCPT', name), `${row.keyword} enables unknown RCPT ${name}`);
    }
    assert.deepEqual(findEhloKeyword('DSN')?.enablesRcptParameters, ['NOTIFY', 'ORCPT']);
    assert.deepEqual(findEhloKeyword('CHUNKING')?.enablesCommands, ['BDAT']);
  });

  it('finds keywords regardless of case', () => {
    assert.equal(findEhloKeyword('pipelining')?.keyword, 'PIPELINING');
    assert.equal(findEhloKeyword('Mt-Priority')?.keyword, 'MT-PRIORITY');
    assert.equal(findEhloKeyword('X-UNKNOWN'), null);
  });
});

describe('SASL_MECHANISMS table', () => {
  it('names where each mechanism is defined, an RFC section or another document', () => {
    for (const row of SASL_MECHANISMS) {
      assert.ok(row.document.length > 0, row.name);
      if (row.ref) assert.equal(row.document, `RFC ${row.ref.rfc}`, row.name);
      assert.ok(row.whatCrossesTheWire.endsWith('.'), row.name);
    }
    assert.equal(findSaslMechanism('LOGIN')?.ref, null);
    assert.equal(findSaslMechanism('DIGEST-MD5')?.retiredBy?.rfc, 6331);
  });

  it('flags the mechanisms whose secret anyone on the wire can read', () => {
    const inClear = SASL_MECHANISMS.filter((row) => row.sendsSecretInClear).map((row) => row.name).sort();
    assert.deepEqual(inClear, ['LOGIN', 'OAUTHBEARER', 'PLAIN', 'XOAUTH2']);
  });

  it('finds mechanisms regardless of case', () => {
    assert.equal(findSaslMechanism('cram-md5')?.name, 'CRAM-MD5');
    assert.equal(findSaslMechanism('scram-sha-256-plus')?.ref?.rfc, 7677);
    assert.equal(findSaslMechanism('KERBEROS_V4'), null);
  });
});

describe('parseEhloReply', () => {
  const keywords = parseEhloReply(POSTFIX_EHLO_REPLY);

  it('skips the greeting line and reads one entry per keyword', () => {
    assert.deepEqual([...keywords.keys()], ['PIPELINING', 'SIZE', 'VRFY', 'ETRN', 'STARTTLS', 'AUTH', 'ENHANCEDSTATUSCODES', '8BITMIME', 'DSN', 'SMTPUTF8', 'CHUNKING']);
    assert.equal(keywords.has('MX.EXAMPLE.ORG'), false);
  });

  it('keeps parameters and folds the old AUTH= line into AUTH without repeats', () => {
    assert.deepEqual(keywords.get('SIZE'), ['10240000']);
    assert.deepEqual(keywords.get('AUTH'), ['PLAIN', 'LOGIN']);
    assert.deepEqual(keywords.get('PIPELINING'), []);
    assert.equal(keywords.has('AUTH=PLAIN'), false);
  });

  it('adds mechanisms that only the AUTH= line lists', () => {
    const merged = parseEhloReply(['250-mx', '250-AUTH=LOGIN', '250 AUTH PLAIN login CRAM-MD5']);
    assert.deepEqual(merged.get('AUTH'), ['LOGIN', 'PLAIN', 'CRAM-MD5']);
  });

  it('upper-cases keywords and accepts lines without reply codes', () => {
    const bare = parseEhloReply(['mx.example.org Hello client.example.net', 'size 5000', 'auth=login', '8bitmime']);
    assert.deepEqual(bare.get('SIZE'), ['5000']);
    assert.deepEqual(bare.get('AUTH'), ['login']);
    assert.deepEqual(bare.get('8BITMIME'), []);
  });

  it('reads a one-line reply as no keywords at all', () => {
    assert.equal(parseEhloReply(['250 mx.example.org']).size, 0);
    assert.equal(parseEhloReply([]).size, 0);
  });
});

describe('ehloSizeLimit', () => {
  it('returns the announced limit in octets', () => {
    assert.equal(ehloSizeLimit(parseEhloReply(POSTFIX_EHLO_REPLY)), 10240000);
  });

  it('returns null when no fixed limit is announced', () => {
    assert.equal(ehloSizeLimit(parseEhloReply(['250-mx', '250 SIZE'])), null);
    assert.equal(ehloSizeLimit(parseEhloReply(['250-mx', '250 SIZE 0'])), null);
    assert.equal(ehloSizeLimit(parseEhloReply(['250-mx', '250 SIZE ten'])), null);
    assert.equal(ehloSizeLimit(parseEhloReply(['250-mx', '250 PIPELINING'])), null);
  });
});
