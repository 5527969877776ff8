import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { checkAddressLiteral, checkDomain, checkHeloArgument, checkPath, type PathOptions } from '../../../server/src/analysis/mailboxSyntax';

const MAIL: PathOptions = { nullAllowed: true, postmasterAllowed: false, utf8: false };
const RCPT: PathOptions = { nullAllowed: false, postmasterAllowed: true, utf8: false };
const UTF8: PathOptions = { nullAllowed: false, postmasterAllowed: false, utf8: true };

describe('checkDomain (RFC 5321 §4.1.2)', () => {
  it('accepts labels of letters, digits and inner hyphens, one character long too', () => {
    assert.equal(checkDomain('example.com'), null);
    assert.equal(checkDomain('a'), null);
    assert.equal(checkDomain('x-1.b2.c'), null);
  });

  it('refuses a hyphen at either end of a label, and names the label', () => {
    assert.equal(checkDomain('-a.example'), '"-a" is not a valid domain label: letters, digits and inner hyphens only');
    assert.equal(checkDomain('a.b-'), '"b-" is not a valid domain label: letters, digits and inner hyphens only');
    assert.equal(checkDomain('a_b.example'), '"a_b" is not a valid domain label: letters, digits and inner hyphens only');
  });

  it('names an empty label: a leading, trailing or doubled dot', () => {
    for (const domain of ['.example', 'example.', 'a..b']) assert.equal(checkDomain(domain), `"${domain}" has an empty label (two dots, or a dot at an end)`);
    assert.equal(checkDomain(''), 'the domain is empty');
  });

  it('takes non-ASCII labels only with SMTPUTF8 (RFC 6531 §3.3)', () => {
    assert.equal(checkDomain('bücher.example'), '"bücher.example" has non-ASCII characters: use the A-label (xn--…) form, or SMTPUTF8 (RFC 6531)');
    assert.equal(checkDomain('bücher.example', true), null);
    assert.equal(checkDomain('ü', true), null);
  });

  it('counts the limit in octets: 255 is allowed, 256 is not, and a non-ASCII label counts its UTF-8 octets', () => {
    const labels = (count: number, last: string) => `${'a'.repeat(63)}.`.repeat(count) + last;
    assert.equal(checkDomain(labels(3, 'a'.repeat(63))), null);
    assert.equal(checkDomain(labels(4, 'aa').slice(0, 255)), null);
    assert.equal(checkDomain(labels(4, 'aa')), 'the domain is 258 octets, over the limit of 255 (RFC 5321 §4.5.3.1.2)');
    assert.equal(checkDomain('ü'.repeat(128), true), 'the domain is 256 octets, over the limit of 255 (RFC 5321 §4.5.3.1.2)');
  });
});

describe('checkHeloArgument (RFC 5321 §4.1.1.1)', () => {
  it('takes a domain, UTF-8 allowed, or an address literal', () => {
    assert.equal(checkHeloArgument('client.example'), null);
    assert.equal(checkHeloArgument('bücher.example'), null);
    assert.equal(checkHeloArgument('[192.0.2.1]'), null);
    assert.equal(checkHeloArgument('[IPv6:2001:db8::1]'), null);
    assert.equal(checkHeloArgument('[300.0.0.1]'), '"[300.0.0.1]" is not an address literal: write [192.0.2.1] or [IPv6:2001:db8::1]');
  });
});

describe('checkPath (RFC 5321 §4.1.2)', () => {
  it('needs the angle brackets, and a bracket alone is not a path', () => {
    assert.equal(checkPath('a@example.com', MAIL), 'the address must be in angle brackets: <a@example.com>');
    assert.equal(checkPath('<', MAIL), 'the address must be in angle brackets: <>');
    assert.equal(checkPath('>', MAIL), 'the address must be in angle brackets: <>');
    assert.equal(checkPath('<a@example.com', MAIL), 'the address must be in angle brackets: <a@example.com>');
  });

  it('takes the null path only in MAIL, and <Postmaster> in any case only in RCPT', () => {
    assert.equal(checkPath('<>', MAIL), null);
    assert.equal(checkPath('<>', RCPT), 'the null path <> is only allowed in MAIL FROM (RFC 5321 §4.5.5)');
    assert.equal(checkPath('<PostMaster>', RCPT), null);
    assert.equal(checkPath('<postmaster>', MAIL), '"postmaster" has no "@domain" part');
    assert.equal(checkPath('<postmastex>', RCPT), '"postmastex" has no "@domain" part');
  });

  it('skips a source route, and reads the domain after the last "@"', () => {
    assert.equal(checkPath('<@relay.example,@b.example:a@example.com>', MAIL), null);
    assert.equal(checkPath('<@relay.example:>', MAIL), '"" has no "@domain" part');
    assert.equal(checkPath('<@relay.example>', MAIL), 'the local part before "@" is empty');
    assert.equal(checkPath('<"a@b"@example.com>', MAIL), null);
  });

  it('checks the local part: atoms of atext, dots only between them, quoted strings', () => {
    assert.equal(checkPath("<!#$%&'*+-/=?^_`{|}~.z@example.com>", MAIL), null);
    assert.equal(checkPath('<a..b@example.com>', MAIL), 'the local part "a..b" has an empty atom (a leading, trailing or doubled dot)');
    assert.equal(checkPath('<.a@example.com>', MAIL), 'the local part ".a" has an empty atom (a leading, trailing or doubled dot)');
    assert.equal(checkPath('<a b@example.com>', MAIL), 'the local part "a b" has characters that must be quoted');
    assert.equal(checkPath('<@example.com>', MAIL), 'the local part before "@" is empty');
    assert.equal(checkPath('<"a b"@example.com>', MAIL), null);
    assert.equal(checkPath('<"a"b"@example.com>', MAIL), '"a"b" is not a valid quoted local part');
  });

  it('takes non-ASCII local parts only with SMTPUTF8 (RFC 6531 §3.3)', () => {
    assert.equal(checkPath('<jürgen@example.com>', MAIL), 'the local part "jürgen" has non-ASCII characters, which need SMTPUTF8 on MAIL (RFC 6531)');
    assert.equal(checkPath('<jürgen@bücher.example>', UTF8), null);
  });

  it('counts the limits in octets: a 64-octet local part and a 256-octet path pass, one more does not', () => {
    assert.equal(checkPath(`<${'a'.repeat(64)}@example.com>`, MAIL), null);
    assert.equal(checkPath(`<${'a'.repeat(65)}@example.com>`, MAIL), 'the local part is 65 octets, over the limit of 64 (RFC 5321 §4.5.3.1.1)');
    assert.equal(checkPath(`<${'ü'.repeat(33)}@example.com>`, UTF8), 'the local part is 66 octets, over the limit of 64 (RFC 5321 §4.5.3.1.1)');
    const domain = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(51)}`;
    assert.equal(checkPath(`<${'x'.repeat(10)}@${domain}>`, MAIL), null);
    assert.equal(checkPath(`<${'x'.repeat(11)}@${domain}>`, MAIL), 'the path is 257 octets, over the limit of 256 (RFC 5321 §4.5.3.1.3)');
  });

  it('checks a domain literal after the "@"', () => {
    assert.equal(checkPath('<a@[192.0.2.1]>', MAIL), null);
    assert.equal(checkPath('<a@[192.0.2.1>', MAIL), '"[192" is not a valid domain label: letters, digits and inner hyphens only');
    assert.equal(checkPath('<a@>', MAIL), 'the domain is empty');
  });
});

// The grammar as regular expressions, as the checks were first written: the char-code scans must decide every input as these do.
const octets = (text: string) => Buffer.byteLength(text, 'utf8');
const GRAMMAR = {
  atext: /^[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+$/,
  atextUtf8: /^(?:[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]|[^\x00-\x7f])+$/,
  subDomain: /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/,
  subDomainUtf8: /^(?:[A-Za-z0-9]|[^\x00-\x7f])(?:(?:[A-Za-z0-9-]|[^\x00-\x7f])*(?:[A-Za-z0-9]|[^\x00-\x7f]))?$/,
};

function grammarDomain(domain: string, utf8: boolean): 'ok' | 'empty' | 'long' | 'non-ascii' | 'empty-label' | 'label' {
  if (domain === '') return 'empty';
  if (octets(domain) > 255) return 'long';
  const bad = domain.split('.').find((label) => !(utf8 ? GRAMMAR.subDomainUtf8 : GRAMMAR.subDomain).test(label));
  if (bad === undefined) return 'ok';
  if (!utf8 && /[^\x00-\x7f]/.test(bad)) return 'non-ascii';
  return bad === '' ? 'empty-label' : 'label';
}

function grammarPath(path: string, options: PathOptions): string {
  if (!path.startsWith('<') || !path.endsWith('>') || path.length < 2) return 'brackets';
  if (octets(path) > 256) return 'long';
  let inner = path.slice(1, -1);
  if (inner === '') return options.nullAllowed ? 'ok' : 'null';
  if (options.postmasterAllowed && inner.toLowerCase() === 'postmaster') return 'ok';
  const route = /^@[^:]*:/.exec(inner);
  if (route) inner = inner.slice(route[0].length);
  const at = inner.lastIndexOf('@');
  if (at === -1) return 'no-at';
  const local = inner.slice(0, at);
  const domain = inner.slice(at + 1);
  if (local === '') return 'local-empty';
  if (octets(local) > 64) return 'local-long';
  if (local.startsWith('"')) {
    if (!/^"(?:[\x20\x21\x23-\x5b\x5d-\x7e]|\\[\x20-\x7e]|[^\x00-\x7f])*"$/.test(local)) return 'quoted';
  } else {
    const bad = local.split('.').find((atom) => !(options.utf8 ? GRAMMAR.atextUtf8 : GRAMMAR.atext).test(atom));
    if (bad !== undefined) return !options.utf8 && /[^\x00-\x7f]/.test(local) ? 'local-non-ascii' : bad === '' ? 'empty-atom' : 'must-quote';
  }
  if (domain.startsWith('[') && domain.endsWith(']')) return checkAddressLiteral(domain) === null ? 'ok' : 'literal';
  const verdict = grammarDomain(domain, options.utf8);
  return verdict === 'ok' ? 'ok' : `domain-${verdict}`;
}

/** The same verdicts, read from the messages. */
function verdictOfDomain(message: string | null): string {
  if (message === null) return 'ok';
  if (message === 'the domain is empty') return 'empty';
  if (message.includes('octets, over the limit')) return 'long';
  if (message.includes('non-ASCII')) return 'non-ascii';
  if (message.includes('empty label')) return 'empty-label';
  return 'label';
}

function verdictOfPath(message: string | null): string {
  if (message === null) return 'ok';
  if (message.startsWith('the address must be in angle brackets')) return 'brackets';
  if (message.startsWith('the path is')) return 'long';
  if (message.startsWith('the null path')) return 'null';
  if (message.endsWith('has no "@domain" part')) return 'no-at';
  if (message === 'the local part before "@" is empty') return 'local-empty';
  if (message.startsWith('the local part is')) return 'local-long';
  if (message.endsWith('is not a valid quoted local part')) return 'quoted';
  if (message.endsWith('which need SMTPUTF8 on MAIL (RFC 6531)')) return 'local-non-ascii';
  if (message.includes('empty atom')) return 'empty-atom';
  if (message.endsWith('must be quoted')) return 'must-quote';
  if (message.includes('address literal')) return 'literal';
  return `domain-${verdictOfDomain(message)}`;
}

describe('the char-code scans decide as the grammar does', () => {
  const pieces = ['a', 'Z', '0', '-', '.', '@', '<', '>', '"', ' ', '\\', ':', ',', '[', ']', '_', '!', 'ü', '\ud83d\ude00', '\ud800', 'postmaster', 'a'.repeat(60)];
  const text = fc.array(fc.constantFrom(...pieces), { maxLength: 12 }).map((parts) => parts.join(''));

  it('for domains, with and without SMTPUTF8', () => {
    fc.assert(fc.property(text, fc.boolean(), (domain, utf8) => {
      assert.equal(verdictOfDomain(checkDomain(domain, utf8)), grammarDomain(domain, utf8));
    }), { numRuns: 3000 });
  });

  it('judges an ASCII path alike with and without SMTPUTF8 (the rules look for SMTPUTF8 only for an address beyond ASCII)', () => {
    const ascii = fc.array(fc.constantFrom(...pieces.filter((piece) => /^[\x00-\x7f]*$/.test(piece))), { maxLength: 12 }).map((parts) => parts.join(''));
    fc.assert(fc.property(ascii, fc.boolean(), (inner, mail) => {
      const path = `<${inner}>`;
      const options = mail ? MAIL : RCPT;
      assert.equal(checkPath(path, { ...options, utf8: true }), checkPath(path, { ...options, utf8: false }), path);
    }), { numRuns: 3000 });
  });

  it('for paths, as MAIL, RCPT and with SMTPUTF8', () => {
    fc.assert(fc.property(text, fc.constantFrom(MAIL, RCPT, UTF8), (inner, options) => {
      for (const path of [`<${inner}>`, inner, `<${inner}@example.com>`, `<a@${inner}>`]) {
        assert.equal(verdictOfPath(checkPath(path, options)), grammarPath(path, options), path);
      }
    }), { numRuns: 3000 });
  });
});
