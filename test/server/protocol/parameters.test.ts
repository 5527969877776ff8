import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { findEhloKeyword } from '../../../server/src/protocol/ehloKeywords';
import { ESMTP_PARAMETERS, checkDateTime, checkXtext, findParameter, validateParameterValue } from '../../../server/src/protocol/parameters';

function parameter(command: string, name: string) {
  const found = findParameter(command, name);
  assert.ok(found, `${command} ${name} should be in ESMTP_PARAMETERS`);
  return found;
}

/** The message for `value`, failing the test when the value is accepted. */
function rejection(command: string, name: string, value: string | null): string {
  const message = validateParameterValue(parameter(command, name), value);
  assert.ok(message, `${name}=${value} should be rejected`);
  return message;
}

function accepts(command: string, name: string, value: string | null): void {
  assert.equal(validateParameterValue(parameter(command, name), value), null, `${name}=${value} should be accepted`);
}

describe('ESMTP_PARAMETERS table', () => {
  it('holds each parameter once, with an RFC reference, a purpose and a known enabling keyword', () => {
    const names = ESMTP_PARAMETERS.map((row) => row.name);
    assert.deepEqual([...names].sort(), ['AUTH', 'BODY', 'BY', 'ENVID', 'HOLDFOR', 'HOLDUNTIL', 'MT-PRIORITY', 'NOTIFY', 'ORCPT', 'REQUIRETLS', 'RET', 'RRVS', 'SIZE', 'SMTPUTF8']);
    for (const row of ESMTP_PARAMETERS) {
      assert.ok(row.ref.rfc > 0 && row.ref.section.length > 0, row.name);
      assert.ok(row.purpose.endsWith('.') && row.valueSyntax.length > 0, row.name);
      assert.ok(row.commands.length > 0, row.name);
      for (const keyword of row.ehloKeywords) assert.ok(findEhloKeyword(keyword), `${row.name}: unknown keyword ${keyword}`);
    }
  });

  it('puts each parameter on the right command', () => {
    assert.equal(findParameter('RCPT', 'NOTIFY')?.ref.section, '4.1');
    assert.equal(findParameter('MAIL', 'NOTIFY'), null);
    assert.equal(findParameter('RCPT', 'SIZE'), null);
    assert.equal(findParameter('MAIL', 'ORCPT'), null);
    assert.deepEqual(parameter('MAIL', 'AUTH').ref, { rfc: 4954, section: '5' });
  });

  it('finds parameters regardless of case', () => {
    assert.equal(findParameter('mail', 'body')?.name, 'BODY');
    assert.equal(findParameter('Rcpt', 'Orcpt')?.name, 'ORCPT');
    assert.equal(findParameter('MAIL', 'X-UNKNOWN'), null);
    assert.equal(findParameter(' MAIL ', ' size ')?.name, 'SIZE');
    assert.equal(findParameter('RCPT', 'SIZE'), null);
    assert.equal(findParameter('VRFY', 'SIZE'), null);
  });
});

describe('validateParameterValue', () => {
  it('accepts NOTIFY=NEVER alone and lists of the other three', () => {
    accepts('RCPT', 'NOTIFY', 'NEVER');
    accepts('RCPT', 'NOTIFY', 'SUCCESS,FAILURE,DELAY');
    accepts('RCPT', 'NOTIFY', 'failure');
  });

  it('rejects NOTIFY=NEVER combined with other values, and unknown or empty items', () => {
    assert.match(rejection('RCPT', 'NOTIFY', 'NEVER,SUCCESS'), /NEVER cannot be combined/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCESS,ALWAYS'), /unknown value "ALWAYS"/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCESS,'), /empty item/);
  });

  it('reads NOTIFY lists at their edges: any case per item, no empty item at either end or between, NEVER only alone', () => {
    accepts('RCPT', 'NOTIFY', 'never');
    accepts('RCPT', 'NOTIFY', 'Delay,success');
    accepts('RCPT', 'NOTIFY', 'DELAY');
    assert.match(rejection('RCPT', 'NOTIFY', ',SUCCESS'), /empty item/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCESS,,DELAY'), /empty item/);
    assert.match(rejection('RCPT', 'NOTIFY', ''), /needs a value/);
    assert.match(rejection('RCPT', 'NOTIFY', 'NEVER,NEVER'), /NEVER cannot be combined/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCES'), /unknown value "SUCCES"/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCESS,DELAYS'), /unknown value "DELAYS"/);
    assert.match(rejection('RCPT', 'NOTIFY', 'SUCCESS DELAY'), /unknown value "SUCCESS DELAY"/);
    // The letter-case rule is JavaScript's upper-casing, beyond ASCII too: U+017F (long s) upper-cases to S.
    accepts('RCPT', 'NOTIFY', '\u017fUCCESS');
  });

  it('accepts ORCPT=rfc822;bob@example.org and xtext escapes in it', () => {
    accepts('RCPT', 'ORCPT', 'rfc822;bob@example.org');
    accepts('RCPT', 'ORCPT', 'rfc822;bob+2Bdsn@example.org');
  });

  it('rejects ORCPT without an address type, without an address, or with a raw "+"', () => {
    assert.match(rejection('RCPT', 'ORCPT', 'bob@example.org'), /missing ";"/);
    assert.match(rejection('RCPT', 'ORCPT', 'rfc822;'), /no address/);
    assert.match(rejection('RCPT', 'ORCPT', 'rfc822;bob+dsn@example.org'), /\+2B/);
    assert.match(rejection('RCPT', 'ORCPT', 'rfc@822;bob@example.org'), /not an address type/);
  });

  it('checks ENVID as xtext of at most 100 characters', () => {
    accepts('MAIL', 'ENVID', 'QQ314159+2B2718');
    assert.match(rejection('MAIL', 'ENVID', 'a+b'), /\+XX hex escape/);
    assert.match(rejection('MAIL', 'ENVID', 'a+2b'), /upper-case hex digits: \+2B/);
    assert.match(rejection('MAIL', 'ENVID', 'x'.repeat(101)), /at most 100/);
  });

  it('rejects MT-PRIORITY outside -9..9', () => {
    for (const value of ['-9', '0', '3', '+3', '9']) accepts('MAIL', 'MT-PRIORITY', value);
    for (const value of ['10', '-10', '-0', '1.5', 'high']) assert.match(rejection('MAIL', 'MT-PRIORITY', value), /-9 to 9/, value);
  });

  it('checks SIZE, BODY and RET', () => {
    accepts('MAIL', 'SIZE', '1048576');
    assert.match(rejection('MAIL', 'SIZE', '10MB'), /digits/);
    assert.match(rejection('MAIL', 'SIZE', '1'.repeat(21)), /1 to 20 digits/);
    accepts('MAIL', 'BODY', '8BITMIME');
    accepts('MAIL', 'BODY', 'binarymime');
    assert.match(rejection('MAIL', 'BODY', '8BIT'), /7BIT, 8BITMIME or BINARYMIME/);
    accepts('MAIL', 'RET', 'HDRS');
    assert.match(rejection('MAIL', 'RET', 'HEADERS'), /FULL .* or HDRS/);
  });

  it('checks the AUTH sender as <> or xtext', () => {
    accepts('MAIL', 'AUTH', '<>');
    accepts('MAIL', 'AUTH', 'e+3Dmc2@example.com');
    assert.match(rejection('MAIL', 'AUTH', 'a=b@example.com'), /\+3D/);
  });

  it('checks BY as seconds;mode with an optional trace flag', () => {
    accepts('MAIL', 'BY', '3600;R');
    accepts('MAIL', 'BY', '-60;NT');
    assert.match(rejection('MAIL', 'BY', '0;R'), /more than 0/);
    assert.match(rejection('MAIL', 'BY', '3600'), /seconds;mode/);
    assert.match(rejection('MAIL', 'BY', '1234567890;N'), /seconds;mode/);
  });

  it('checks the FUTURERELEASE and RRVS values', () => {
    accepts('MAIL', 'HOLDFOR', '86400');
    assert.match(rejection('MAIL', 'HOLDFOR', '-1'), /seconds/);
    accepts('MAIL', 'HOLDUNTIL', '2026-05-01T09:30:00Z');
    accepts('MAIL', 'HOLDUNTIL', '2026-05-01t11:30:00.5+02:00');
    assert.match(rejection('MAIL', 'HOLDUNTIL', '2026-02-30T09:30:00Z'), /day 30/);
    assert.match(rejection('MAIL', 'HOLDUNTIL', '2026-05-01 09:30:00'), /RFC 3339/);
    accepts('RCPT', 'RRVS', '2014-04-03T23:01:00Z');
    accepts('RCPT', 'RRVS', '1997-11-24T14:22:01-08:00;C');
    assert.match(rejection('RCPT', 'RRVS', '2014-04-03T23:01:00Z;X'), /C \(continue\) or R \(reject\)/);
  });

  it('wants no value for flags and a value for everything else', () => {
    accepts('MAIL', 'SMTPUTF8', null);
    accepts('MAIL', 'REQUIRETLS', null);
    assert.match(rejection('MAIL', 'SMTPUTF8', 'YES'), /takes no value/);
    assert.match(rejection('RCPT', 'NOTIFY', null), /needs a value: NEVER/);
    assert.match(rejection('MAIL', 'SIZE', ''), /needs a value/);
  });

  it('starts its messages with the parameter and the value it rejects', () => {
    assert.match(rejection('MAIL', 'MT-PRIORITY', '10'), /^Invalid MT-PRIORITY value "10": /);
  });
});

describe('checkXtext', () => {
  it('accepts printable ASCII and upper-case +XX escapes', () => {
    assert.equal(checkXtext('bob+2Bfilter@example.org'), null);
    assert.equal(checkXtext(''), null);
  });

  it('rejects a raw "+", a raw "=", a space and non-ASCII', () => {
    assert.match(checkXtext('a+b') ?? '', /literal plus as \+2B/);
    assert.match(checkXtext('a+') ?? '', /\+XX/);
    assert.match(checkXtext('a=b') ?? '', /\+3D/);
    assert.match(checkXtext('a b') ?? '', /a space .*\+20/);
    assert.match(checkXtext('jörg') ?? '', /"ö"/);
    assert.match(checkXtext('a\tb') ?? '', /U\+0009/);
  });
});

describe('checkDateTime', () => {
  it('accepts a leap day and a leap second, rejects impossible dates and times', () => {
    assert.equal(checkDateTime('2024-02-29T23:59:60Z'), null);
    assert.match(checkDateTime('2023-02-29T12:00:00Z') ?? '', /day 29/);
    assert.match(checkDateTime('2023-13-01T12:00:00Z') ?? '', /month 13/);
    assert.match(checkDateTime('2023-01-01T24:00:00Z') ?? '', /time of day/);
    assert.match(checkDateTime('2023-01-01T12:00:00+24:00') ?? '', /offset/);
  });
});
