import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ANY_COMMAND_REPLIES, COMMANDS, allowedReplyCodes, findCommand, isRfcRef, nearestCommand } from '../../../server/src/protocol/commands';
import { findEhloKeyword } from '../../../server/src/protocol/ehloKeywords';
import { formatRfc } from '../../../server/src/protocol/rfc';

function command(verb: string) {
  const found = findCommand(verb);
  assert.ok(found, `${verb} should be in COMMANDS`);
  return found;
}

describe('COMMANDS table', () => {
  it('holds every command the brief names, each once', () => {
    const verbs = COMMANDS.map((row) => row.verb);
    const expected = ['EHLO', 'HELO', 'MAIL', 'RCPT', 'DATA', 'RSET', 'VRFY', 'EXPN', 'HELP', 'NOOP', 'QUIT', 'STARTTLS', 'AUTH', 'BDAT', 'ETRN', 'ATRN', 'BURL', 'SEND', 'SOML', 'SAML', 'TURN', 'XCLIENT', 'XFORWARD', 'LHLO'];
    assert.deepEqual([...verbs].sort(), [...expected].sort());
    assert.equal(new Set(verbs).size, verbs.length);
  });

  it('gives every row an RFC reference with a section, and a purpose sentence', () => {
    for (const row of COMMANDS) {
      assert.ok(Number.isInteger(row.ref.rfc) && row.ref.rfc > 0, `${row.verb}: rfc number`);
      assert.match(row.ref.section, /^[0-9A-Z][0-9.]*$/, `${row.verb}: section`);
      assert.match(row.purpose, /^[A-Z].*\.$/, `${row.verb}: purpose is one sentence`);
      assert.ok(row.syntax.startsWith(row.verb), `${row.verb}: syntax starts with the verb`);
    }
  });

  it('gives every reply row a source and at least one code, all three-digit codes from 2yz to 5yz', () => {
    for (const row of COMMANDS) {
      assert.ok(row.replies.length > 0, `${row.verb}: has replies`);
      for (const set of row.replies) {
        const codes = [...(set.success ?? []), ...(set.intermediate ?? []), ...(set.error ?? [])];
        assert.ok(codes.length > 0, `${row.verb}: empty reply row`);
        for (const code of codes) assert.ok(code >= 200 && code <= 559, `${row.verb}: ${code}`);
        (set.success ?? []).forEach((code) => assert.equal(Math.floor(code / 100), 2, `${row.verb}: success ${code}`));
        (set.intermediate ?? []).forEach((code) => assert.equal(Math.floor(code / 100), 3, `${row.verb}: intermediate ${code}`));
        (set.error ?? []).forEach((code) => assert.ok(code >= 400, `${row.verb}: error ${code}`));
        if (isRfcRef(set.from)) assert.ok(set.from.section.length > 0);
        else assert.ok(set.from.vendor && set.from.document);
      }
    }
  });

  it('ties every extension command to an EHLO keyword the keyword table knows, and base and LMTP commands to none', () => {
    for (const row of COMMANDS) {
      if (row.status === 'standard' || row.status === 'lmtp') assert.equal(row.ehloKeyword, null, row.verb);
      else {
        assert.ok(row.ehloKeyword, `${row.verb} needs a keyword`);
        assert.ok(findEhloKeyword(row.ehloKeyword), `${row.ehloKeyword} missing from EHLO_KEYWORDS`);
      }
    }
    assert.equal(command('BDAT').ehloKeyword, 'CHUNKING');
  });

  it('marks the retired commands obsolete with the RFC 5321 appendix that retired them, and only those', () => {
    const obsolete = COMMANDS.filter((row) => row.obsolete).map((row) => row.verb).sort();
    assert.deepEqual(obsolete, ['SAML', 'SEND', 'SOML', 'TURN']);
    for (const row of COMMANDS) {
      assert.equal(row.obsolete, row.status === 'obsolete', row.verb);
      assert.equal(row.retiredBy !== null, row.obsolete, row.verb);
    }
    assert.equal(formatRfc(command('TURN').retiredBy!), 'RFC 5321 §F.1');
    assert.deepEqual(command('XCLIENT').vendorDocument, { vendor: 'Postfix', document: 'XCLIENT_README' });
  });

  it('follows RFC 2920 §3.1 on which commands end a pipelined group', () => {
    for (const verb of ['EHLO', 'DATA', 'VRFY', 'EXPN', 'TURN', 'QUIT', 'NOOP', 'STARTTLS', 'AUTH']) assert.equal(command(verb).endsPipelineGroup, true, verb);
    for (const verb of ['RSET', 'MAIL', 'SEND', 'SOML', 'SAML', 'RCPT', 'BDAT']) assert.equal(command(verb).endsPipelineGroup, false, verb);
  });

  it('records which commands take arguments', () => {
    assert.equal(command('DATA').arguments, 'none');
    assert.equal(command('QUIT').arguments, 'none');
    assert.equal(command('RSET').arguments, 'none');
    assert.equal(command('STARTTLS').arguments, 'none');
    assert.equal(command('HELP').arguments, 'optional');
    assert.equal(command('NOOP').arguments, 'optional');
    assert.equal(command('MAIL').arguments, 'required');
    assert.equal(command('BDAT').arguments, 'required');
  });
});

describe('findCommand', () => {
  it('finds verbs regardless of case and surrounding space', () => {
    assert.equal(findCommand('ehlo')?.verb, 'EHLO');
    assert.equal(findCommand(' StartTls ')?.verb, 'STARTTLS');
    assert.equal(findCommand('xForward')?.verb, 'XFORWARD');
  });

  it('returns null for unknown verbs', () => {
    assert.equal(findCommand('EHL0'), null);
    assert.equal(findCommand(''), null);
  });
});

describe('allowedReplyCodes', () => {
  it('joins the RFC 5321 §4.3.2 codes with the extension codes and the codes any command may get', () => {
    const mail = allowedReplyCodes(command('MAIL'));
    assert.deepEqual(mail.success, [250]);
    for (const code of [455, 555, 552, 530, 521, 421, 500, 501]) assert.ok(mail.error.includes(code), `MAIL may get ${code}`);
    assert.ok(!mail.error.includes(354));
    assert.ok(allowedReplyCodes(command('RCPT')).error.includes(556));
  });

  it('splits DATA into the reply to the command and the reply after the content', () => {
    const atCommand = allowedReplyCodes(command('DATA'));
    const afterContent = allowedReplyCodes(command('DATA'), 'after-content');
    assert.deepEqual(atCommand.intermediate, [354]);
    assert.deepEqual(atCommand.success, []);
    assert.deepEqual(afterContent.success, [250]);
    // PRDR's 353 (draft-hall-prdr): the per-recipient replies follow.
    assert.deepEqual(afterContent.intermediate, [353]);
    assert.ok(afterContent.error.includes(552) && afterContent.error.includes(421));
    assert.ok(!afterContent.error.includes(503));
  });

  it('lets a repeated HELO/EHLO be refused with 503, as OpenSMTPD and Sendmail do (seen by the interop suite)', () => {
    for (const verb of ['EHLO', 'HELO']) {
      const row = command(verb).replies.find((set) => set.error?.includes(503));
      assert.ok(row, `${verb}: no row allows 503`);
      assert.ok(!isRfcRef(row.from) && /OpenSMTPD/.test(row.from.vendor), `${verb}: the 503 row names the servers that send it`);
    }
  });

  it('lists AUTH challenges as intermediate and sorts without repeats', () => {
    const auth = allowedReplyCodes(command('AUTH'));
    assert.deepEqual(auth.success, [235]);
    assert.deepEqual(auth.intermediate, [334]);
    assert.deepEqual(auth.error, [...new Set(auth.error)].sort((a, b) => a - b));
    assert.ok(auth.error.includes(535) && auth.error.includes(538));
    assert.deepEqual(ANY_COMMAND_REPLIES.error, [421, 500, 501]);
  });
});

describe('nearestCommand', () => {
  it('suggests EHLO for EHL0', () => {
    assert.equal(nearestCommand('EHL0'), 'EHLO');
  });

  it('catches MAIL typos: a swap, a missing, an extra and a wrong letter', () => {
    for (const typo of ['MIAL', 'MAL', 'MAILL', 'NAIL', 'mial']) assert.equal(nearestCommand(typo), 'MAIL', typo);
    assert.equal(nearestCommand('RCTP'), 'RCPT');
    assert.equal(nearestCommand('QIUT'), 'QUIT');
  });

  it('allows two edits for long verbs', () => {
    assert.equal(nearestCommand('STRATTSL'), 'STARTTLS');
    assert.equal(nearestCommand('STARTLS'), 'STARTTLS');
  });

  it('prefers the earlier, more common command on a tie', () => {
    assert.equal(nearestCommand('DAT'), 'DATA');
  });

  it('returns a known verb as itself', () => {
    assert.equal(nearestCommand('helo'), 'HELO');
  });

  it('returns null when nothing is close', () => {
    assert.equal(nearestCommand('GET'), null);
    assert.equal(nearestCommand('FOOO'), null);
    assert.equal(nearestCommand('LOGOUT'), null);
    assert.equal(nearestCommand(''), null);
  });

  it('suggests nothing for a word longer than every verb by more than two edits (a 1 MB word is not compared at all)', () => {
    assert.equal(nearestCommand('STARTTLSXY'), 'STARTTLS');
    assert.equal(nearestCommand('STARTTLSXYZ'), null);
    assert.equal(nearestCommand('a'.repeat(1_000_000)), null);
  });
});
