import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';
import type { CommandStep, Reply, SaslResponse, Session, Step } from '../../../server/src/transcript/ast';

/** The input is written one line per argument so each test reads like the file it parses. */
function parse(...lines: string[]) {
  return parseTranscript(lines.join('\n'));
}

function commands(session: Session): CommandStep[] {
  return session.steps.filter((step): step is CommandStep => step.kind === 'command');
}

function replies(session: Session): Reply[] {
  return session.steps.filter((step): step is Reply => step.kind === 'reply');
}

function codes(file: ReturnType<typeof parseTranscript>): string[] {
  return file.problems.map((problem) => problem.code);
}

function kinds(steps: Step[]): string[] {
  return steps.map((step) => step.kind);
}

describe('parseTranscript: lines and prefixes', () => {
  it('reads C: and S: lines, sending everything after the prefix and one optional space', () => {
    const file = parse('S: 220 mx.example.org', 'C:  EHLO  client.example', 'C:NOOP');
    const [ehlo, noop] = commands(file.sessions[0]);
    assert.equal(ehlo.text.text, ' EHLO  client.example');
    assert.equal(noop.text.text, 'NOOP');
    assert.deepEqual(noop.text.range, { start: { line: 2, character: 2 }, end: { line: 2, character: 6 } });
    assert.deepEqual(codes(file), []);
  });

  it('accepts prefixes in any case and the Client:/Server: aliases', () => {
    const file = parse('server: 220 ready', 'CLIENT: HELO a.example', 's: 250 ok', 'c: quit', 'Server: 221 bye');
    const session = file.sessions[0];
    assert.deepEqual(commands(session).map((c) => c.verbName), ['HELO', 'QUIT']);
    assert.deepEqual(replies(session).map((r) => r.code), ['220', '250', '221']);
    assert.equal(commands(session)[0].prefix.side, 'client');
    assert.deepEqual(codes(file), []);
  });

  it('ignores blank lines and keeps # and // comments as steps', () => {
    const file = parse('# a comment', '', '// another', 'C: NOOP');
    assert.deepEqual(kinds(file.sessions[0].steps), ['comment', 'comment', 'command']);
  });

  it('reports a line with no prefix as unprefixed-line and carries on', () => {
    const file = parse('C: EHLO a.example', 'MAIL FROM:<a@example.com>', 'C: NOOP');
    assert.deepEqual(codes(file), ['unprefixed-line']);
    assert.deepEqual(file.problems[0].range, { start: { line: 1, character: 0 }, end: { line: 1, character: 25 } });
    assert.equal(commands(file.sessions[0]).length, 2);
  });

  it('treats CRLF like LF but reports a lone CR inside a line as bare-line-ending', () => {
    const crlf = parseTranscript('S: 220 ok\r\nC: NOOP\r\nS: 250 ok\r\n');
    assert.deepEqual(codes(crlf), []);
    assert.equal(commands(crlf.sessions[0])[0].text.text, 'NOOP');
    const bare = parseTranscript('C: NOOP\rRSET\n');
    assert.deepEqual(codes(bare), ['bare-line-ending']);
    assert.deepEqual(bare.problems[0].range.start, { line: 0, character: 7 });
  });
});

describe('parseTranscript: commands', () => {
  it('splits a command into verb, argument and words', () => {
    const [auth] = commands(parse('C: auth PLAIN AGFsaWNlAHNlY3JldA==').sessions[0]);
    assert.equal(auth.verb.text, 'auth');
    assert.equal(auth.verbName, 'AUTH');
    assert.equal(auth.argument?.text, 'PLAIN AGFsaWNlAHNlY3JldA==');
    assert.deepEqual(auth.words.map((w) => w.text), ['PLAIN', 'AGFsaWNlAHNlY3JldA==']);
  });

  it('parses the path and ESMTP parameters of MAIL and RCPT', () => {
    const [mail, rcpt] = commands(parse(
      'C: MAIL FROM:<alice@example.com> SIZE=1024 BODY=8BITMIME SMTPUTF8',
      'C: RCPT TO:<"odd>local"@example.org> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;bob@example.org',
    ).sessions[0]);
    assert.equal(mail.path?.keyword.text, 'FROM:');
    assert.equal(mail.path?.address?.text, '<alice@example.com>');
    assert.deepEqual(mail.path?.address?.range, { start: { line: 0, character: 13 }, end: { line: 0, character: 32 } });
    assert.deepEqual(mail.parameters.map((p) => [p.name.text, p.value?.text ?? null]), [['SIZE', '1024'], ['BODY', '8BITMIME'], ['SMTPUTF8', null]]);
    assert.deepEqual(mail.parameters[0].value?.range, { start: { line: 0, character: 38 }, end: { line: 0, character: 42 } });
    assert.equal(rcpt.path?.address?.text, '<"odd>local"@example.org>');
    assert.deepEqual(rcpt.parameters.map((p) => p.name.text), ['NOTIFY', 'ORCPT']);
  });

  it('keeps the path when a space follows FROM: and the null path <>', () => {
    const [spaced, bounce] = commands(parse('C: MAIL FROM: <a@example.com>', 'C: MAIL FROM:<>').sessions[0]);
    assert.equal(spaced.path?.address?.text, '<a@example.com>');
    assert.equal(bounce.path?.address?.text, '<>');
  });

  it('leaves path null when MAIL has no KEYWORD: and address null when nothing follows it', () => {
    const [bare, empty] = commands(parse('C: MAIL <a@example.com>', 'C: MAIL FROM:').sessions[0]);
    assert.equal(bare.path, null);
    assert.deepEqual(empty.path?.address, null);
  });
});

describe('parseTranscript: replies', () => {
  it('joins continuation lines into one reply and ends it at a space or a bare code', () => {
    const file = parse('C: EHLO a.example', 'S: 250-mx.example.org', 'S: 250-PIPELINING', 'S: 250 8BITMIME', 'C: NOOP', 'S: 250');
    const [ehlo, noop] = replies(file.sessions[0]);
    assert.equal(ehlo.lines.length, 3);
    assert.deepEqual(ehlo.lines.map((l) => l.separator), ['-', '-', ' ']);
    assert.deepEqual(ehlo.lines.map((l) => l.text.text), ['mx.example.org', 'PIPELINING', '8BITMIME']);
    assert.equal(noop.lines[0].separator, '');
    assert.deepEqual(codes(file), []);
  });

  it('reads an enhanced status code at the start of the text, and x wildcards', () => {
    const file = parse('C: RCPT TO:<x@example.org>', 'S: 550 5.1.1 <x@example.org>: user unknown', 'C: NOOP', 'S: 2xx 2.0.x whatever');
    const [rcpt, noop] = replies(file.sessions[0]);
    assert.equal(rcpt.code, '550');
    assert.equal(rcpt.enhanced, '5.1.1');
    assert.equal(rcpt.lines[0].text.text, '<x@example.org>: user unknown');
    assert.deepEqual(rcpt.lines[0].enhanced?.range, { start: { line: 1, character: 7 }, end: { line: 1, character: 12 } });
    assert.equal(noop.code, '2xx');
    assert.equal(noop.enhanced, '2.0.x');
    assert.deepEqual(codes(file), []);
  });

  it('does not mistake a version number in the text for an enhanced code', () => {
    const [reply] = replies(parse('S: 220 mx ESMTP Postfix 3.7.11').sessions[0]);
    assert.equal(reply.enhanced, null);
  });

  it('reports lines that are not replies as invalid-reply', () => {
    const file = parse('S: hello', 'C: NOOP', 'S: 250ok', 'C: NOOP', 'S: 650 nope', 'C: NOOP', 'S: 260 odd second digit');
    assert.deepEqual(codes(file), ['invalid-reply', 'invalid-reply', 'invalid-reply', 'invalid-reply']);
  });

  it('reports continuation lines whose code changes, and a reply with no last line', () => {
    const changed = parse('C: EHLO a', 'S: 250-mx', 'S: 251 oops');
    assert.deepEqual(codes(changed), ['inconsistent-multiline']);
    assert.deepEqual(changed.problems[0].range.start, { line: 2, character: 3 });
    const unfinished = parse('C: EHLO a', 'S: 250-mx', 'S: 250-PIPELINING', 'C: QUIT');
    assert.deepEqual(codes(unfinished), ['inconsistent-multiline']);
    assert.equal(unfinished.problems[0].range.start.line, 2);
    assert.equal(replies(unfinished.sessions[0]).length, 1);
  });

  it('lets comments and blank lines sit inside a run of replies', () => {
    const file = parse('C: EHLO a', 'S: 250-mx', '# the server lists its extensions', '', 'S: 250 SIZE 1000');
    assert.equal(replies(file.sessions[0])[0].lines.length, 2);
    assert.deepEqual(codes(file), []);
  });

  it('lets 100,000 comment lines sit between the replies to a group that DATA ends', () => {
    const file = parse('C: MAIL FROM:<a@b>', 'C: DATA', 'S: 250 ok', ...Array<string>(100_000).fill('# note'), 'S: 354 go', 'hello', '.', 'S: 250 queued');
    const data = commands(file.sessions[0])[1];
    assert.equal(data.reply?.code, '354');
    assert.deepEqual(data.body?.lines.map((line) => line.text.text), ['hello']);
    assert.deepEqual(codes(file), []);
  });
});

describe('parseTranscript: which reply answers which command', () => {
  it('takes the first reply before any command as the greeting', () => {
    const file = parse('S: 220 mx.example.org ESMTP', 'C: EHLO a', 'S: 250 ok');
    const session = file.sessions[0];
    assert.equal(session.greeting?.code, '220');
    assert.equal(session.greeting?.greeting, true);
    assert.equal(session.greeting?.answers, null);
    assert.equal(commands(session)[0].reply?.code, '250');
  });

  it('pairs a pipelined group one to one, in order, and marks it pipelined (RFC 2920)', () => {
    const file = parse(
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: RCPT TO:<c@example.org>', 'C: DATA',
      'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 550 5.1.1 No such user', 'S: 354 Go ahead',
      'Subject: hi', '.', 'S: 250 queued',
    );
    const session = file.sessions[0];
    assert.deepEqual(commands(session).map((c) => c.reply?.code), ['250', '250', '550', '354']);
    assert.equal(session.groups[0].pipelined, true);
    assert.equal(session.groups[0].steps.length, 4);
    assert.equal(commands(session)[2].reply?.answers, commands(session)[2]);
  });

  it('gives the reply to the last waiting command and none to the one before it', () => {
    const file = parse('C: NOOP', 'C: RSET', 'S: 250 reset');
    const [noop, rset] = commands(file.sessions[0]);
    assert.equal(noop.reply, null);
    assert.equal(rset.reply?.code, '250');
    assert.equal(file.sessions[0].groups[0].pipelined, false);
    assert.equal(noop.group, rset.group);
  });

  it('does not hand a later reply to a command that was passed over', () => {
    const file = parse('C: NOOP', 'C: RSET', 'S: 250 reset', 'C: VRFY bob', 'S: 252 maybe', 'S: 250 extra');
    const [noop, , vrfy] = commands(file.sessions[0]);
    assert.equal(noop.reply, null);
    assert.equal(vrfy.reply?.code, '250');
    assert.deepEqual(codes(file), ['orphan-reply']);
    assert.equal(file.problems[0].range.start.line, 4);
  });

  it('pairs the end of a body and QUIT in order', () => {
    const file = parse('C: DATA', 'S: 354 go', 'hello', 'C: .', 'C: QUIT', 'S: 250 queued', 'S: 221 bye');
    const [data, quit] = commands(file.sessions[0]);
    assert.equal(data.body?.terminator?.reply?.code, '250');
    assert.equal(quit.reply?.code, '221');
    assert.equal(file.sessions[0].groups[1].pipelined, true);
  });

  it('accepts a script that records no replies at all', () => {
    const file = parse('C: EHLO a', 'C: MAIL FROM:<a@example.com>', 'C: QUIT');
    assert.ok(commands(file.sessions[0]).every((c) => c.reply === null && c.group === null));
    assert.deepEqual(codes(file), []);
  });

  it('reports a reply nobody waits for as orphan-reply, but not the greeting', () => {
    const file = parse('S: 220 hi', 'S: 220 again', 'C: NOOP', 'S: 250 ok', 'S: 250 more');
    assert.deepEqual(codes(file), ['orphan-reply', 'orphan-reply']);
    // Replies are aligned with the waiting steps from the end, so the first extra one is the orphan.
    assert.deepEqual(file.problems.map((p) => p.range.start.line), [1, 3]);
  });
});

describe('parseTranscript: message bodies', () => {
  it('reads the body after DATA and its 354 up to the "." line, wire form', () => {
    const file = parse('C: DATA', 'S: 354 go', 'Subject: hi', '', '..leading dot', 'C: with prefix', 'C:', '.', 'S: 250 ok');
    const [data] = commands(file.sessions[0]);
    const body = data.body!;
    assert.equal(body.kind, 'data');
    assert.deepEqual(body.lines.map((l) => l.text.text), ['Subject: hi', '', '..leading dot', 'with prefix', '']);
    assert.equal(body.lines[3].prefix?.side, 'client');
    assert.equal(body.lines[3].text.range.start.character, 3);
    assert.equal(body.terminator?.line, 7);
    assert.equal(body.terminator?.reply?.code, '250');
    assert.equal(body.octets, 11 + 2 + 0 + 2 + 13 + 2 + 11 + 2 + 0 + 2);
    assert.deepEqual(codes(file), []);
  });

  it('lets comments and blank lines sit between the replies to a pipelined group that DATA ends (as recordings of unmet expectations write them)', () => {
    const file = parse(
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA',
      'S: 250 OK', '# line 1: expected enhanced status 2.1.0, got none (250)', '', 'S: 250 Accepted', '// another note', 'S: 354 go',
      'hello', '.', 'S: 250 ok',
    );
    const [mail, rcpt, data] = commands(file.sessions[0]);
    assert.deepEqual([mail.reply?.code, rcpt.reply?.code, data.reply?.code], ['250', '250', '354']);
    assert.deepEqual(data.body?.lines.map((line) => line.text.text), ['hello']);
    assert.equal(data.body?.terminator?.reply?.code, '250');
    assert.deepEqual(codes(file), []);
  });

  it('starts the body at a comment that follows the 354, even when an S: line comes next', () => {
    const file = parse('C: MAIL FROM:<a@example.com>', 'C: DATA', 'S: 250 ok', 'S: 354 go', '# body text', 'S: body text too', '.', 'S: 250 ok');
    const data = commands(file.sessions[0])[1];
    assert.deepEqual(data.body?.lines.map((line) => line.text.text), ['# body text', 'S: body text too']);
    assert.deepEqual(codes(file), []);
  });

  it('keeps #, //, @, ### and S: lines inside a body as body text', () => {
    const file = parse('### one', 'C: DATA', 'S: 354 go', '# not a comment', '// nor this', '@x = 1', '### not a session', 'S: 250 not a reply', '.', 'S: 250 ok');
    assert.equal(file.sessions.length, 1);
    const body = commands(file.sessions[0])[0].body!;
    assert.deepEqual(body.lines.map((l) => l.text.text), ['# not a comment', '// nor this', '@x = 1', '### not a session', 'S: 250 not a reply']);
    assert.equal(file.sessions[0].variables.length, 0);
    assert.deepEqual(codes(file), []);
  });

  it('ends the body at "C: ." as well as "."', () => {
    const file = parse('C: DATA', 'C: hi', 'C: .', 'C: QUIT');
    const [data, quit] = commands(file.sessions[0]);
    assert.equal(data.body?.terminator?.prefix?.side, 'client');
    assert.equal(quit.verbName, 'QUIT');
  });

  it('ends the body at an indented "C: ." as every other prefix may be indented', () => {
    const file = parse('C: DATA', 'S: 354 go', 'hello', '   C: .', 'S: 250 ok', 'C: QUIT');
    const [data, quit] = commands(file.sessions[0]);
    assert.deepEqual(data.body?.lines.map((line) => line.text.text), ['hello']);
    assert.equal(data.body?.terminator?.reply?.code, '250');
    assert.equal(quit.verbName, 'QUIT');
    assert.deepEqual(codes(file), []);
  });

  it('reads a transcript pasted indented, as RFC examples are, body prefixes included', () => {
    const file = parse('   C: DATA', '   S: 354 go', '   C: Subject: hi', '   C:', '     indented text', '   C: .', '   S: 250 ok');
    const [data] = commands(file.sessions[0]);
    assert.deepEqual(data.body?.lines.map((line) => line.text.text), ['Subject: hi', '', '     indented text']);
    assert.equal(data.body?.terminator?.reply?.code, '250');
    // In a file written at the margin, indentation in a body stays content.
    assert.deepEqual(commands(parse('C: DATA', 'S: 354 go', '  C: hi', '.').sessions[0])[0].body?.lines.map((line) => line.text.text), ['  C: hi']);
  });

  it('reads no body when the reply recorded for DATA is not 3xx', () => {
    const file = parse('C: DATA', 'S: 554 5.5.1 No valid recipients', 'C: QUIT', 'S: 221 bye');
    const [data, quit] = commands(file.sessions[0]);
    assert.equal(data.body, null);
    assert.equal(quit.reply?.code, '221');
    assert.deepEqual(codes(file), []);
  });

  it('reads the body right after DATA when no reply is recorded, pairing 354 and 250 afterwards', () => {
    const file = parse('C: DATA', 'C: Subject: x', 'C:', 'C: body', 'C: .', 'S: 354 go', 'S: 250 ok');
    const [data] = commands(file.sessions[0]);
    assert.equal(data.body?.lines.length, 3);
    assert.equal(data.reply?.code, '354');
    assert.equal(data.body?.terminator?.reply?.code, '250');
  });

  it('reports a body without its "." line as unterminated-data on the DATA line', () => {
    const file = parse('C: DATA', 'S: 354 go', 'Subject: hi', '### still body');
    assert.deepEqual(codes(file), ['unterminated-data']);
    assert.equal(file.problems[0].range.start.line, 0);
    assert.equal(file.sessions.length, 1);
    const missing = parse('C: DATA', 'S: 354 go');
    assert.deepEqual(codes(missing), ['unterminated-data']);
  });
});

describe('parseTranscript: BDAT chunks', () => {
  it('reads exactly the declared octets, CRLF counted', () => {
    const file = parse('C: BDAT 14 LAST', 'Subject: x', '', 'S: 250 ok');
    const [bdat] = commands(file.sessions[0]);
    assert.equal(bdat.body?.kind, 'bdat');
    assert.equal(bdat.body?.declaredSize, 14);
    assert.deepEqual(bdat.body?.lines.map((l) => l.text.text), ['Subject: x', '']);
    assert.equal(bdat.reply?.code, '250');
    assert.deepEqual(codes(file), []);
  });

  it('sends a last line without CRLF when that makes the size exact', () => {
    const [bdat] = commands(parse('C: BDAT 5', 'hello', 'S: 250 ok').sessions[0]);
    assert.equal(bdat.body?.lines[0].withoutLineEnding, true);
    assert.equal(bdat.body?.octets, 5);
  });

  it('counts UTF-8 octets, not characters', () => {
    const file = parse('C: BDAT 8 LAST', 'héllo', 'S: 250 ok');
    assert.deepEqual(codes(file), []);
    assert.equal(commands(file.sessions[0])[0].body?.lines.length, 1);
  });

  it('reads no lines for BDAT 0 LAST', () => {
    const file = parse('C: BDAT 0 LAST', 'S: 250 ok');
    assert.equal(commands(file.sessions[0])[0].body?.lines.length, 0);
    assert.equal(commands(file.sessions[0])[0].reply?.code, '250');
  });

  it('reports bdat-size-mismatch when lines overshoot or the file ends first', () => {
    const over = parse('C: BDAT 3', 'hello', 'S: 250 ok');
    assert.deepEqual(codes(over), ['bdat-size-mismatch']);
    assert.deepEqual(over.problems[0].range, { start: { line: 0, character: 8 }, end: { line: 0, character: 9 } });
    const short = parse('C: BDAT 100', 'hello');
    assert.deepEqual(codes(short), ['bdat-size-mismatch']);
  });
});

describe('parseTranscript: SASL exchanges', () => {
  it('reads client lines after a 334 as SASL responses', () => {
    const file = parse('C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: YWxpY2U=', 'S: 334 UGFzc3dvcmQ6', 'C: c2VjcmV0', 'S: 235 2.7.0 ok', 'C: MAIL FROM:<a@example.com>');
    const session = file.sessions[0];
    assert.deepEqual(kinds(session.steps.filter((s) => s.kind !== 'reply')), ['command', 'sasl', 'sasl', 'command']);
    const sasl = session.steps.filter((s): s is SaslResponse => s.kind === 'sasl');
    assert.deepEqual(sasl.map((s) => s.text.text), ['YWxpY2U=', 'c2VjcmV0']);
    assert.deepEqual(sasl.map((s) => s.reply?.code), ['334', '235']);
  });

  it('treats the line after any command answered 334 as a SASL response, and * as one too', () => {
    const file = parse('C: XAUTH', 'S: 334 go on', 'C: *', 'S: 501 cancelled');
    assert.deepEqual(kinds(file.sessions[0].steps.filter((s) => s.kind !== 'reply')), ['command', 'sasl']);
  });

  it('reads a command, not a SASL response, when no 334 was recorded', () => {
    const file = parse('C: AUTH PLAIN AGEAYg==', 'S: 235 ok', 'C: NOOP');
    assert.deepEqual(kinds(file.sessions[0].steps.filter((s) => s.kind !== 'reply')), ['command', 'command']);
  });
});

describe('parseTranscript: sessions and variables', () => {
  it('starts a session at each ### line, named by the rest of the line', () => {
    const file = parse('### First one ', 'C: NOOP', '###', 'C: RSET', '###Second');
    assert.deepEqual(file.sessions.map((s) => s.name), ['First one', null, 'Second']);
    assert.deepEqual(file.sessions.map((s) => s.range.start.line), [0, 2, 4]);
    assert.equal(file.sessions[0].range.end.line, 1);
  });

  it('makes file-wide variables of a preamble without dialogue', () => {
    const file = parse('@server = 127.0.0.1:2525', '# settings', '### Send', '@from = a@example.com', 'C: NOOP');
    assert.equal(file.sessions.length, 1);
    assert.deepEqual(file.fileVariables.map((v) => [v.name.text, v.value.text]), [['server', '127.0.0.1:2525']]);
    assert.deepEqual(file.sessions[0].variables.map((v) => v.name.text), ['from']);
  });

  it('makes an unnamed first session of dialogue before the first ###', () => {
    const file = parse('@tls = none', 'C: NOOP', '### Named', 'C: RSET');
    assert.deepEqual(file.sessions.map((s) => s.name), [null, 'Named']);
    assert.equal(file.fileVariables.length, 1);
  });

  it('gives variable names and values exact ranges', () => {
    const [definition] = parse('@tls-verify  =   false  ').fileVariables;
    assert.deepEqual(definition.name.range, { start: { line: 0, character: 1 }, end: { line: 0, character: 11 } });
    assert.deepEqual(definition.value.range, { start: { line: 0, character: 17 }, end: { line: 0, character: 22 } });
    const [equalsValue] = parse('@a==').fileVariables;
    assert.equal(equalsValue.value.text, '=');
    assert.equal(equalsValue.value.range.start.character, 3);
  });

  it('reports an @ line that is not @name = value as invalid-variable', () => {
    assert.deepEqual(codes(parse('@server', '@1x = 2', '@ok = 1', '@cr = a\rb')), ['invalid-variable', 'invalid-variable', 'invalid-variable']);
  });

  it('keeps the blanks inside a value and drops those around it, however many', () => {
    const [definition] = parse(`\t@pad = a${' '.repeat(100_000)}b \t `).fileVariables;
    assert.equal(definition.value.text, `a${' '.repeat(100_000)}b`);
    assert.equal(definition.value.range.start.character, 8);
    const [empty] = parse('@empty =   ').fileVariables;
    assert.equal(empty.value.text, '');
    assert.equal(empty.value.range.start.character, 11);
  });

  it('finds {{…}} references in commands, replies, bodies and values', () => {
    const file = parse('@host = {{$env SMTP_HOST}}', 'C: EHLO {{client}}', 'S: 250 {{host}}', 'C: DATA', 'S: 354', 'To: {{to}}', '.');
    const session = file.sessions[0];
    assert.equal(file.fileVariables[0].variables[0].name.text, '$env');
    assert.equal(commands(session)[0].variables[0].name.text, 'client');
    assert.equal(replies(session)[0].lines[0].variables[0].name.text, 'host');
    assert.equal(commands(session)[1].body?.lines[0].variables[0].name.text, 'to');
  });
});

describe('parseTranscript: never throws', () => {
  const fragments = ['C: ', 'S: ', 'Client:', 'server:', '###', '#', '//', '@', '@x = ', '{{', '}}', '{{$authPlain ', 'DATA', 'BDAT ', 'AUTH LOGIN',
    '250', '250-', '334 ', '354', '554', '.', '..', '\r', '\n', '\r\n', ' ', '<', '>', 'MAIL FROM:', 'RCPT TO:<', '"', '5.1.1', 'x', '\u00e9', '\ud83d\ude00', '\ud800'];
  const transcriptText = fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 }), fc.nat(99999).map(String)), { maxLength: 120 }).map((parts) => parts.join(''));

  it('returns a tree with in-bounds ranges for any input', () => {
    fc.assert(fc.property(transcriptText, (text) => {
      const file = parseTranscript(text);
      const lineCount = text.split('\n').length;
      assert.equal(file.lineCount, lineCount);
      for (const problem of file.problems) {
        assert.ok(problem.range.start.line >= 0 && problem.range.end.line < lineCount, `problem ${problem.code} out of range`);
        assert.ok(problem.range.start.line < problem.range.end.line || problem.range.start.character <= problem.range.end.character);
      }
      for (const session of file.sessions) {
        for (const step of session.steps) {
          if (step.kind === 'reply') assert.ok(step.lines.length > 0);
        }
      }
    }), { numRuns: 2000 });
  });
});

describe('parseTranscript: where a body ends', () => {
  const bodyEnd = (file: ReturnType<typeof parseTranscript>) => {
    const body = commands(file.sessions[0]).find((command) => command.body)!.body!;
    return [body.range.start.line, body.range.end.line, body.range.end.character];
  };

  it('a DATA body reaches its "." line', () => {
    assert.deepEqual(bodyEnd(parse('S: 220', 'C: DATA', 'S: 354', 'Subject: x', '', 'text', '.', 'S: 250', 'C: QUIT')), [3, 6, 1]);
  });

  it('a body without its "." reaches the last line of the file', () => {
    assert.deepEqual(bodyEnd(parse('S: 220', 'C: DATA', 'S: 354', 'Subject: x', 'the last line')), [3, 4, 13]);
  });

  it('a body missing after DATA stays empty where it was due', () => {
    assert.deepEqual(bodyEnd(parse('S: 220', 'C: DATA', 'S: 354')), [1, 1, 0]);
  });

  it('a BDAT chunk reaches its last line, whether the size ends it or the file does', () => {
    assert.deepEqual(bodyEnd(parse('S: 220', 'C: BDAT 5 LAST', 'abc', 'S: 250')), [1, 2, 3]);
    assert.deepEqual(bodyEnd(parse('S: 220', 'C: BDAT 50 LAST', 'abc', 'defg')), [1, 3, 4]);
  });
});

describe('parseTranscript: LMTP, one reply per accepted recipient after the data', () => {
  // RFC 2033 §4.2's example.
  const RFC_2033 = [
    'S: 220 foo.edu LMTP server ready', 'C: LHLO foo.edu', 'S: 250-foo.edu', 'S: 250-PIPELINING', 'S: 250 SIZE',
    'C: MAIL FROM:<chris@bar.com>', 'S: 250 OK',
    'C: RCPT TO:<pat@foo.edu>', 'S: 250 OK', 'C: RCPT TO:<jones@foo.edu>', 'S: 550 No such user here', 'C: RCPT TO:<green@foo.edu>', 'S: 250 OK',
    'C: DATA', 'S: 354 Start mail input; end with <CRLF>.<CRLF>', 'C: Blah blah blah...', 'C: ...etc. etc. etc.', 'C: .',
    'S: 250 OK', 'S: 452 <green@foo.edu> is temporarily over quota',
    'C: QUIT', 'S: 221 foo.edu closing connection',
  ];

  it('pairs the replies after the final "." with the accepted recipients, in RCPT order, and none is an orphan', () => {
    const file = parse(...RFC_2033);
    assert.deepEqual(codes(file), []);
    const data = commands(file.sessions[0]).find((command) => command.verbName === 'DATA')!;
    const end = data.body!.terminator!;
    assert.deepEqual(end.deliveries!.map((delivery) => `${delivery.recipient.path!.address!.text} ${delivery.reply?.code}`), ['<pat@foo.edu> 250', '<green@foo.edu> 452']);
    assert.equal(end.reply?.code, '250');
    const [first, second] = end.deliveries!;
    assert.equal(second.reply!.answers, end);
    assert.equal(second.reply!.recipient, second.recipient);
    assert.equal(first.reply!.recipient, first.recipient);
    assert.equal(commands(file.sessions[0]).at(-1)!.reply?.code, '221');
  });

  it('waits for one reply only in SMTP, where the second is an orphan', () => {
    const smtp = parse(...RFC_2033.map((line) => line.replace('LHLO', 'EHLO')));
    assert.deepEqual(codes(smtp), ['orphan-reply']);
    assert.equal(commands(smtp.sessions[0]).find((command) => command.verbName === 'DATA')!.body!.terminator!.deliveries, null);
  });

  it('counts a recipient with no recorded reply as accepted, and starts over at each MAIL', () => {
    const file = parse('C: LHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: RCPT TO:<c@x.example>', 'C: DATA', 'x', '.', 'S: 250 b', 'S: 250 c',
      'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<d@x.example>', 'C: DATA', 'y', '.', 'S: 250 d');
    const ends = commands(file.sessions[0]).filter((command) => command.verbName === 'DATA').map((data) => data.body!.terminator!);
    assert.deepEqual(ends.map((end) => end.deliveries!.map((delivery) => delivery.reply?.lines[0].text.text)), [['b', 'c'], ['d']]);
    assert.deepEqual(codes(file), []);
  });
});

describe('parseTranscript: PRDR, per-recipient replies after the data when MAIL asks for them', () => {
  const PRDR = [
    'S: 220 mx.example.org ESMTP Exim', 'C: EHLO a.example', 'S: 250-mx.example.org', 'S: 250-PIPELINING', 'S: 250 PRDR',
    'C: MAIL FROM:<a@x.example> PRDR', 'S: 250 OK', 'C: RCPT TO:<b@x.example>', 'S: 250 Accepted', 'C: RCPT TO:<c@x.example>', 'S: 250 Accepted',
    'C: DATA', 'S: 354 Enter message', 'Subject: x', '.',
  ];

  it('reads the 353, one reply per accepted recipient and the reply for the message, and none is an orphan', () => {
    const file = parse(...PRDR, 'S: 353 PRDR content analysis beginning', 'S: 250 2.0.0 ok for b', 'S: 550 5.7.1 refused for c', 'S: 250 OK id=1tQa', 'C: QUIT', 'S: 221 bye');
    assert.deepEqual(codes(file), []);
    const end = commands(file.sessions[0]).find((command) => command.verbName === 'DATA')!.body!.terminator!;
    assert.equal(end.perRecipient, 'prdr');
    assert.equal(end.reply?.code, '353');
    assert.deepEqual(end.deliveries!.map((delivery) => `${delivery.recipient.path!.address!.text} ${delivery.reply?.code}`), ['<b@x.example> 250', '<c@x.example> 550']);
    assert.equal(end.finalReply?.lines[0].text.text, 'OK id=1tQa');
  });

  it('takes a single reply, as a server may answer the whole message at once, and stays SMTP without PRDR on MAIL', () => {
    const once = parse(...PRDR, 'S: 250 OK id=1tQa', 'C: QUIT', 'S: 221 bye');
    assert.deepEqual(codes(once), []);
    const end = commands(once.sessions[0]).find((command) => command.verbName === 'DATA')!.body!.terminator!;
    assert.equal(end.reply?.code, '250');
    assert.equal(end.finalReply, null);
    const plain = parse(...PRDR.map((line) => line.replace(' PRDR', '')), 'S: 250 OK');
    assert.equal(commands(plain.sessions[0]).find((command) => command.verbName === 'DATA')!.body!.terminator!.perRecipient, null);
  });
});

describe('parseTranscript: LMTP\'s last BDAT, answered per accepted recipient (RFC 2033 §4.3)', () => {
  it('pairs the replies after BDAT LAST with the recipients accepted in the same pipelined run', () => {
    const file = parse('C: LHLO a', 'S: 250 ok',
      'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: RCPT TO:<nobody@x.example>', 'C: RCPT TO:<c@x.example>', 'C: BDAT 4 LAST', 'hi',
      'S: 250 sender ok', 'S: 250 b ok', 'S: 550 no such user', 'S: 250 c ok', 'S: 250 delivered to b', 'S: 452 c over quota',
      'C: QUIT', 'S: 221 bye');
    assert.deepEqual(codes(file), []);
    const bdat = commands(file.sessions[0]).find((command) => command.verbName === 'BDAT')!;
    assert.deepEqual(bdat.deliveries!.map((delivery) => `${delivery.recipient.path!.address!.text} ${delivery.reply?.lines[0].text.text}`), ['<b@x.example> delivered to b', '<c@x.example> c over quota']);
    assert.equal(commands(file.sessions[0]).find((command) => command.path?.address?.text === '<nobody@x.example>')!.reply?.code, '550');
  });

  it('expects no reply at all when no recipient was accepted', () => {
    const file = parse('C: LHLO a', 'C: MAIL FROM:<a@x.example>', 'S: 250 ok', 'C: RCPT TO:<nobody@x.example>', 'S: 550 no', 'C: BDAT 2 LAST', 'hi', 'C: QUIT', 'S: 221 bye');
    assert.deepEqual(codes(file), []);
    assert.deepEqual(commands(file.sessions[0]).find((command) => command.verbName === 'BDAT')!.deliveries, []);
  });
});
