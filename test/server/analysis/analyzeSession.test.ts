import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { analyzeSession } from '../../../server/src/analysis/analyzeSession';
import { checkTranscript } from '../../../server/src/analysis/checkTranscript';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** "line code severity" for each problem the analysis finds in the lines (1-based lines). */
function analyze(...lines: string[]): string[] {
  const file = parseTranscript(lines.join('\n'));
  return file.sessions.flatMap((session) => analyzeSession(file, session)).map((p) => `${p.range.start.line + 1} ${p.code} ${p.severity}`);
}

/** Like analyze, keeping only one code: for tests whose input breaks other rules on the way. */
function only(code: string, ...lines: string[]): string[] {
  return analyze(...lines).filter((found) => found.split(' ')[1] === code);
}

function messages(...lines: string[]): string[] {
  const file = parseTranscript(lines.join('\n'));
  return file.sessions.flatMap((session) => analyzeSession(file, session)).map((p) => p.message);
}

describe('analyzeSession: a correct dialogue', () => {
  it('finds nothing in a full submission with STARTTLS, AUTH and two transactions', () => {
    assert.deepEqual(analyze(
      'S: 220 mx', 'C: EHLO a.example', 'S: 250-mx', 'S: 250 STARTTLS', 'C: STARTTLS', 'S: 220 go', 'C: EHLO a.example', 'S: 250-mx', 'S: 250-PIPELINING', 'S: 250-CHUNKING', 'S: 250 AUTH PLAIN LOGIN',
      'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: YQ==', 'S: 334 UGFzc3dvcmQ6', 'C: Yg==', 'S: 235 2.7.0 ok',
      'C: MAIL FROM:<a@example.com>', 'S: 250 ok', 'C: RCPT TO:<b@example.org>', 'S: 250 ok', 'C: DATA', 'S: 354 go', 'hi', '.', 'S: 250 ok',
      'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<c@example.org>', 'C: BDAT 4 LAST', 'hi', 'S: 250', 'S: 250', 'S: 250',
      'C: QUIT', 'S: 221 bye',
    ), []);
  });

  it('finds nothing in OpenSMTPD refusing a second EHLO with 503 (recorded by the interop suite)', () => {
    assert.deepEqual(analyze(
      'S: 220 opensmtpd.interop.test ESMTP OpenSMTPD', 'C: EHLO client.example.com', 'S: 250-opensmtpd.interop.test Hello', 'S: 250 HELP',
      'C: MAIL FROM:<a@example.com>', 'S: 250 2.0.0 Ok', 'C: RCPT TO:<b@example.org>', 'S: 250 2.1.5 Destination address valid', 'C: DATA', 'S: 354 Enter mail', 'hi', '.', 'S: 250 2.0.0 Message accepted',
      'C: EHLO client.example.com', 'S: 503 5.5.1 Invalid command: Already identified', 'C: QUIT', 'S: 221 2.0.0 Bye',
    ), []);
  });

  it('finds nothing in a script that records no replies', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: AUTH PLAIN AGEAYg==', 'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'x', '.', 'C: QUIT'), []);
  });
});

describe('analyzeSession: bad-sequence', () => {
  it('flags MAIL before HELO/EHLO, naming the rule, the RFC section, the reply and the fix', () => {
    assert.deepEqual(analyze('C: MAIL FROM:<a@example.com>'), ['1 bad-sequence error']);
    assert.deepEqual(messages('C: MAIL FROM:<a@example.com>'), [
      'MAIL before HELO/EHLO (RFC 5321 §4.1.4): servers reply 503 5.5.1. To fix it, add "C: EHLO <your domain>" before it.',
    ]);
  });

  it('flags RCPT before MAIL, and RCPT after a MAIL the server refused', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: RCPT TO:<b@example.org>'), ['2 bad-sequence error']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@example.com>', 'S: 550 no', 'C: RCPT TO:<b@example.org>'), ['4 bad-sequence error']);
  });

  it('flags MAIL inside a transaction, but not after RSET or a new EHLO', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: MAIL FROM:<b@x.example>'), ['3 bad-sequence error']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RSET', 'C: MAIL FROM:<b@x.example>'), []);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: EHLO a', 'C: MAIL FROM:<b@x.example>'), []);
  });

  it('flags DATA without MAIL and DATA without RCPT', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: DATA', 'S: 503 no'), ['2 bad-sequence information']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: DATA', 'x', '.'), ['3 bad-sequence error']);
  });

  it('flags MAIL after STARTTLS without a new EHLO (RFC 3207 §4.2)', () => {
    const found = messages('C: EHLO a', 'C: STARTTLS', 'S: 220 go', 'C: MAIL FROM:<a@x.example>');
    assert.equal(found.length, 1);
    assert.match(found[0], /^MAIL after STARTTLS without a new EHLO \(RFC 3207 §4\.2\)/);
  });

  it('does not change state when STARTTLS is refused', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: STARTTLS', 'S: 454 4.7.0 TLS not available', 'C: MAIL FROM:<a@x.example>'), []);
  });

  it('flags AUTH twice, AUTH inside a transaction, AUTH after HELO, and STARTTLS twice', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: AUTH PLAIN AGEAYg==', 'S: 235 ok', 'C: AUTH PLAIN AGEAYg=='), ['4 bad-sequence error']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: AUTH PLAIN AGEAYg=='), ['3 bad-sequence error']);
    assert.deepEqual(only('bad-sequence', 'C: HELO a', 'C: AUTH PLAIN AGEAYg=='), ['2 bad-sequence error']);
    assert.deepEqual(analyze('C: EHLO a', 'C: STARTTLS', 'S: 220 go', 'C: EHLO a', 'C: STARTTLS'), ['5 bad-sequence error']);
  });

  it('allows a second AUTH after the first one failed, through a SASL exchange', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: YQ==', 'S: 334 UGFzc3dvcmQ6', 'C: Yg==', 'S: 535 5.7.8 bad', 'C: AUTH PLAIN AGEAYg=='), []);
  });

  it('flags anything after QUIT, a 221 or a 421', () => {
    assert.deepEqual(analyze('C: QUIT', 'C: NOOP'), ['2 bad-sequence error']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'S: 421 4.3.2 shutting down', 'C: RCPT TO:<b@x.example>'), ['4 bad-sequence error']);
    assert.ok(messages('C: NOOP', 'S: 221 bye', 'C: RSET').some((m) => /^RSET after the 221 reply: the server has closed the connection/.test(m)));
  });

  it('flags DATA after BDAT in one transaction', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: BDAT 3', 'abc', 'C: DATA'), ['6 bad-sequence error']);
  });

  it('reports a rule the transcript expects the server to enforce as information', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: RCPT TO:<b@example.org>', 'S: 503 5.5.1 need MAIL first'), ['2 bad-sequence information']);
    assert.match(messages('C: RCPT TO:<b@example.org>', 'S: 503 5.5.1 Error')[0], /The transcript expects the refusal \(503\), so this tests the server\.$/);
  });
});

describe('analyzeSession: no-recipients and too-many-recipients', () => {
  it('warns about DATA after every RCPT was rejected', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'S: 550 no', 'C: DATA'), ['5 no-recipients warning']);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'S: 550 no', 'C: DATA', 'S: 554 5.5.1 no valid recipients'), ['5 no-recipients information']);
  });

  it('notes the 101st recipient of a transaction once', () => {
    const rcpts = Array.from({ length: 102 }, (_, i) => `C: RCPT TO:<r${i}@x.example>`);
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', ...rcpts), ['103 too-many-recipients information']);
  });
});

describe('analyzeSession: lines', () => {
  it('flags a command line over 512 octets with CRLF, but allows AUTH up to 12288', () => {
    assert.deepEqual(only('line-too-long', `C: NOOP ${'x'.repeat(506)}`), ['1 line-too-long error']);
    assert.deepEqual(only('line-too-long', `C: NOOP ${'x'.repeat(505)}`), []);
    assert.deepEqual(only('line-too-long', 'C: EHLO a', `C: AUTH PLAIN ${'A'.repeat(2000)}`), []);
  });

  it('flags a body line over 1000 octets with CRLF', () => {
    assert.deepEqual(only('line-too-long', 'C: DATA', 'S: 354', 'x'.repeat(999), '.'), ['3 line-too-long error']);
    assert.deepEqual(only('line-too-long', 'C: DATA', 'S: 354', 'x'.repeat(998), '.'), []);
  });

  it('warns about a single leading dot in a DATA body, not a doubled one', () => {
    assert.deepEqual(only('dot-stuffing', 'C: DATA', 'S: 354', '.hidden', '..shown', '.'), ['3 dot-stuffing warning']);
    assert.match(messages('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: DATA', 'S: 354', '.hidden', '.')[0], /arrives as "hidden"\. Write "\.\.hidden" to send it as written\./);
  });

  it('does not ask for dot-stuffing in BDAT chunks', () => {
    assert.deepEqual(only('dot-stuffing', 'C: BDAT 7 LAST', '.hidden'), []);
  });

  it('warns when an enhanced status code has another class than its reply', () => {
    assert.deepEqual(analyze('C: NOOP', 'S: 250 5.1.0 odd'), ['2 enhanced-status-mismatch warning']);
    assert.deepEqual(analyze('C: NOOP', 'S: 250 2.0.0 ok', 'C: NOOP', 'S: 5xx 5.x.x any'), []);
  });
});

describe('checkTranscript', () => {
  it('merges parser and analysis problems in document order', () => {
    const problems = checkTranscript(parseTranscript('C: RCPT TO:<a@x.example>\nhello\nC: QUIT'));
    assert.deepEqual(problems.map((p) => `${p.range.start.line} ${p.code}`), ['0 bad-sequence', '1 unprefixed-line']);
  });
});

describe('analyzeSession: commands', () => {
  it('flags an unknown verb and suggests the nearest one; information when the transcript expects 500', () => {
    assert.deepEqual(analyze('C: EHL0 a'), ['1 unknown-command error']);
    assert.match(messages('C: EHL0 a')[0], /"EHL0" is not an SMTP command: servers answer 500 5\.5\.1 \(RFC 5321 §4\.2\.4\)\. Did you mean EHLO\?/);
    assert.deepEqual(analyze('C: FROB', 'S: 500 5.5.1 unknown'), ['1 unknown-command information']);
  });

  it('warns about obsolete commands, TURN as insecure', () => {
    assert.deepEqual(only('obsolete-command', 'C: EHLO a', 'C: SEND FROM:<a@x.example>'), ['2 obsolete-command warning']);
    assert.match(messages('C: EHLO a', 'C: TURN').join('\n'), /TURN is obsolete.*insecure/);
  });

  it('hints EHLO for HELO, unless EHLO was refused first', () => {
    assert.deepEqual(analyze('C: HELO a.example'), ['1 helo-deprecated hint']);
    assert.deepEqual(analyze('C: EHLO a.example', 'S: 502 5.5.1 no', 'C: HELO a.example'), []);
  });

  it('checks EHLO/HELO arguments', () => {
    assert.deepEqual(analyze('C: EHLO'), ['1 syntax error']);
    assert.deepEqual(analyze('C: EHLO -bad-.example'), ['1 syntax error']);
    assert.deepEqual(analyze('C: EHLO [192.0.2.1]'), []);
    assert.deepEqual(analyze('C: EHLO [300.0.0.1]'), ['1 syntax error']);
    assert.deepEqual(analyze('### s', 'C: EHLO {{client}}', '@client = x'), ['2 unknown-variable error']);
  });

  it('checks MAIL and RCPT paths (RFC 5321 §4.1.2)', () => {
    const mail = (path: string) => only('syntax', 'C: EHLO a', `C: MAIL ${path}`);
    assert.deepEqual(mail('FROM:<a@example.com>'), []);
    assert.deepEqual(mail('FROM:<>'), []);
    assert.deepEqual(mail('TO:<a@example.com>'), ['2 syntax error']);
    assert.deepEqual(mail('FROM: <a@example.com>'), ['2 syntax error']);
    assert.deepEqual(mail('FROM:a@example.com'), ['2 syntax error']);
    assert.deepEqual(mail(`FROM:<${'a'.repeat(65)}@example.com>`), ['2 syntax error']);
    assert.deepEqual(mail('FROM:<a..b@example.com>'), ['2 syntax error']);
    assert.deepEqual(mail('FROM:<"a b"@example.com>'), []);
    assert.deepEqual(mail('FROM:<jürgen@example.com>'), ['2 syntax error']);
    assert.deepEqual(mail('FROM:<jürgen@example.com> SMTPUTF8'), []);
    const rcpt = (path: string) => only('syntax', 'C: EHLO a', 'C: MAIL FROM:<a@example.com>', `C: RCPT ${path}`);
    assert.deepEqual(rcpt('TO:<>'), ['3 syntax error']);
    assert.deepEqual(rcpt('TO:<Postmaster>'), []);
    assert.deepEqual(rcpt('TO:<user@[IPv6:2001:db8::1]>'), []);
  });

  it('checks ESMTP parameter values, and takes a 501/555 reply as a deliberate test', () => {
    const rcpt = (params: string, ...after: string[]) => only('syntax', 'C: EHLO a', 'C: MAIL FROM:<a@example.com>', `C: RCPT TO:<b@example.org> ${params}`, ...after);
    assert.deepEqual(rcpt('NOTIFY=SUCCESS,FAILURE'), []);
    assert.deepEqual(rcpt('NOTIFY=NEVER,SUCCESS'), ['3 syntax error']);
    assert.deepEqual(rcpt('NOTIFY=NEVER,SUCCESS', 'S: 501 5.5.4 bad NOTIFY'), ['3 syntax information']);
  });

  it('checks AUTH initial responses and BDAT arguments', () => {
    assert.deepEqual(only('syntax', 'C: EHLO a', 'C: AUTH PLAIN not*base64'), ['2 syntax error']);
    assert.deepEqual(only('syntax', 'C: EHLO a', 'C: AUTH PLAIN ='), []);
    assert.deepEqual(only('syntax', 'C: BDAT ten'), ['1 syntax error']);
    assert.deepEqual(only('syntax', 'C: BDAT 0 FIRST'), ['1 syntax error']);
    assert.deepEqual(only('syntax', 'C: DATA now'), ['1 syntax error']);
  });
});

describe('analyzeSession: not-advertised and auth-before-tls', () => {
  const ehlo = (...keywords: string[]) => ['C: EHLO a', 'S: 250-mx', ...keywords.map((k, i) => `S: 250${i === keywords.length - 1 ? ' ' : '-'}${k}`)];

  it('warns about extensions the EHLO reply did not advertise', () => {
    assert.deepEqual(only('not-advertised', ...ehlo('8BITMIME'), 'C: STARTTLS'), ['4 not-advertised warning']);
    assert.deepEqual(only('not-advertised', ...ehlo('AUTH PLAIN'), 'C: AUTH CRAM-MD5'), ['4 not-advertised warning']);
    assert.deepEqual(only('not-advertised', ...ehlo('8BITMIME'), 'C: MAIL FROM:<a@x.example> BODY=8BITMIME SMTPUTF8'), ['4 not-advertised warning']);
    assert.deepEqual(only('not-advertised', ...ehlo('SIZE 1000'), 'C: MAIL FROM:<a@x.example> SIZE=5000'), ['4 not-advertised warning']);
    assert.deepEqual(only('not-advertised', ...ehlo('SIZE 1000'), 'C: MAIL FROM:<a@x.example> SIZE=500'), []);
  });

  it('does not guess when no EHLO reply was recorded', () => {
    assert.deepEqual(only('not-advertised', 'C: EHLO a', 'C: STARTTLS', 'C: MAIL FROM:<a@x.example> BODY=8BITMIME'), []);
  });

  it('warns about a pipelined group without PIPELINING', () => {
    assert.deepEqual(only('not-advertised', ...ehlo('8BITMIME'), 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'S: 250 ok', 'S: 250 ok'), ['4 not-advertised warning']);
    assert.deepEqual(only('not-advertised', ...ehlo('PIPELINING'), 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'S: 250 ok', 'S: 250 ok'), []);
  });

  it('warns about AUTH PLAIN in clear text when STARTTLS is offered or on port 587', () => {
    assert.deepEqual(only('auth-before-tls', ...ehlo('STARTTLS', 'AUTH PLAIN'), 'C: AUTH PLAIN AGEAYg=='), ['5 auth-before-tls warning']);
    assert.deepEqual(only('auth-before-tls', '@server = smtp.example.com:587', 'C: EHLO a', 'C: AUTH PLAIN AGEAYg=='), ['3 auth-before-tls warning']);
    assert.deepEqual(only('auth-before-tls', '@server = smtp.example.com:465', 'C: EHLO a', 'C: AUTH PLAIN AGEAYg=='), []);
    assert.deepEqual(only('auth-before-tls', ...ehlo('STARTTLS'), 'C: STARTTLS', 'S: 220 go', ...ehlo('AUTH PLAIN'), 'C: AUTH PLAIN AGEAYg=='), []);
  });
});

describe('analyzeSession: replies and variables', () => {
  it('warns about a reply code the command cannot get', () => {
    assert.deepEqual(analyze('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'S: 354 what'), ['3 unexpected-reply warning']);
    assert.deepEqual(analyze('S: 250 hello'), ['1 unexpected-reply warning']);
    assert.deepEqual(analyze('S: 2xx hello', 'C: EHLO a', 'S: 5xx no'), []);
  });

  it('knows DATA gets 354 first and 250 after the body', () => {
    assert.deepEqual(only('unexpected-reply', 'C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: DATA', 'S: 250 ok', 'S: 250 ok', 'S: 250 huh'), ['7 unexpected-reply warning']);
  });

  it('flags undefined variables and unknown or misplaced system functions', () => {
    assert.deepEqual(analyze('C: EHLO {{host}}'), ['1 unknown-variable error']);
    assert.deepEqual(analyze('@host = a.example', 'C: EHLO {{host}}'), []);
    // Inside a session a variable exists from its line on; before the first ### it is file-wide.
    assert.deepEqual(analyze('### s', 'C: EHLO {{host}}', '@host = late.example'), ['2 unknown-variable error']);
    assert.deepEqual(analyze('C: EHLO {{host}}', '@host = file.example'), []);
    assert.deepEqual(analyze('C: EHLO {{$nope X}}'), ['1 unknown-variable error']);
    assert.deepEqual(analyze('C: EHLO {{$file a.txt}}'), ['1 unknown-variable error']);
    assert.deepEqual(only('unknown-variable', 'C: DATA', '{{$file a.txt}}', '.'), []);
    assert.deepEqual(analyze('C: EHLO a', 'C: AUTH PLAIN {{$authPlain {{user}} {{$secret P}}}}'), ['2 unknown-variable error']);
  });
});

describe('analyzeSession: values from replies', () => {
  it('treats a capture as defined from its line on, and checks its pattern', () => {
    const reply = ['S: 220 mx', 'C: EHLO a', 'S: 250 mx', 'C: MAIL FROM:<a@x.example>', 'S: 250 2.1.0 Ok: queued as 4XyZ1'];
    assert.deepEqual(only('unknown-variable', ...reply, '@qid = {{$reply /queued as (\\S+)/}}', 'C: VRFY {{qid}}'), []);
    assert.deepEqual(only('unknown-variable', ...reply, 'C: VRFY {{qid}}', '@qid = {{$reply /queued as (\\S+)/i}}'), []);
    assert.deepEqual(only('unknown-variable', '### s', ...reply, 'C: VRFY {{qid}}', '@qid = {{$reply /x/}}'), ['7 unknown-variable error']);
    assert.deepEqual(messages(...reply, '@qid = {{$reply /queued as (\\S+/}}').filter((m) => m.includes('$reply')), ['{{$reply …}}: /queued as (\\S+/ is not a valid regular expression: Unterminated group.']);
    assert.deepEqual(messages(...reply, '@qid = {{$reply queued}}').filter((m) => m.includes('$reply')), ['{{$reply …}}: "queued" is not a pattern: write it between slashes, e.g. {{$reply /queued as (\\S+)/}}.']);
    assert.deepEqual(messages(...reply, '@qid = {{$reply /x/g}}').filter((m) => m.includes('$reply')), ['{{$reply …}}: "g" after the pattern: only the flags i, m, s and u are allowed, each once.']);
    assert.deepEqual(only('unknown-variable', ...reply, '@whole = {{$reply}}', '@code = {{$reply.code}}'), []);
  });

  it('flags $reply and $cramMd5 where no reply has come yet in the session', () => {
    assert.deepEqual(messages('### s', '@early = {{$reply /x/}}', 'S: 220 mx').filter((m) => m.includes('$reply')), ['$reply reads the most recent reply, and no S: line comes before it in this session: use it after the reply it should read.']);
    assert.deepEqual(only('unknown-variable', 'S: 220 mx', 'C: EHLO a', 'S: 250 mx', 'C: AUTH CRAM-MD5', 'S: 334 PDE4OTY+', 'C: {{$cramMd5 alice {{$secret P}}}}', 'S: 235'), []);
    assert.deepEqual(only('unknown-variable', 'S: 220 mx', 'C: EHLO a', 'S: 250 mx', 'C: AUTH XOAUTH2 {{$xoauth2 a@x.example {{$secret T}}}}', 'S: 235'), []);
    assert.deepEqual(only('unknown-variable', 'S: 220 mx', 'C: AUTH XOAUTH2 {{$xoauth2 a@x.example}}'), ['2 unknown-variable error']);
  });
});

describe('analyzeSession: TURN', () => {
  it('stops applying the client rules once TURN is answered 250, and only then', () => {
    assert.deepEqual(only('bad-sequence', 'C: EHLO a', 'C: TURN', 'S: 250 OK', 'C: MAIL FROM:<a@x.example>', 'C: DATA'), []);
    assert.deepEqual(only('bad-sequence', 'C: EHLO a', 'C: TURN', 'S: 502 no', 'C: DATA'), ['4 bad-sequence error']);
  });
});

describe('analyzeSession: dialogues from the RFCs, and the gaps they showed', () => {
  it('finds nothing in RFC 2920 §3.1\'s pipelined example where every RCPT fails and DATA gets 554', () => {
    assert.deepEqual(analyze(
      'S: 220 innosoft.com SMTP service ready', 'C: EHLO dbc.mtview.ca.us', 'S: 250-innosoft.com', 'S: 250 PIPELINING',
      'C: MAIL FROM:<mrose@dbc.mtview.ca.us>', 'C: RCPT TO:<nsb@thumper.bellcore.com>', 'C: RCPT TO:<galvin@tis.com>', 'C: DATA',
      'S: 250 sender <mrose@dbc.mtview.ca.us> OK', 'S: 550 remote mail to <nsb@thumper.bellore.com> not allowed', 'S: 550 remote mail to <galvin@tis.com> not allowed', 'S: 554 no valid recipients given',
      'C: QUIT', 'S: 221 goodbye',
    ), []);
  });

  it('finds nothing in RFC 2920\'s example where DATA still gets 354 and the client sends a lone "."', () => {
    assert.deepEqual(analyze(
      'S: 220 innosoft.com SMTP service ready', 'C: EHLO dbc.mtview.ca.us', 'S: 250-innosoft.com', 'S: 250 PIPELINING',
      'C: MAIL FROM:<mrose@dbc.mtview.ca.us>', 'C: RCPT TO:<nsb@thumper.bellcore.com>', 'C: RCPT TO:<galvin@tis.com>', 'C: DATA',
      'S: 250 sender <mrose@dbc.mtview.ca.us> OK', 'S: 550 remote mail to <nsb@thumper.bellore.com> not allowed', 'S: 550 remote mail to <galvin@tis.com> not allowed', 'S: 354 enter mail, end with line containing only "."',
      'C: .', 'C: QUIT', 'S: 554 no valid recipients', 'S: 221 goodbye',
    ), []);
  });

  it('warns when a pipelined DATA got 354 after every recipient failed and a real body follows (RFC 2920 §3.1)', () => {
    const lines = ['C: EHLO a', 'S: 250-mx', 'S: 250 PIPELINING', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'C: DATA', 'S: 250 ok', 'S: 550 no', 'S: 354 go', 'Subject: hi', '.', 'S: 554 no valid recipients'];
    assert.deepEqual(analyze(...lines), ['6 no-recipients warning']);
    assert.match(messages(...lines)[0], /^A message body after every pipelined recipient was refused \(RFC 2920 §3\.1\).*send a lone "\." after the 354/);
  });

  it('says what a server answering 354 does when DATA follows refusals the client had read', () => {
    const found = messages('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'S: 250 ok', 'C: RCPT TO:<b@x.example>', 'S: 550 no', 'C: DATA', 'S: 354 go', 'x', '.', 'S: 554 no valid recipients');
    assert.equal(found.length, 1);
    assert.match(found[0], /^DATA after every recipient was refused \(RFC 5321 §3\.3\): servers reply 503 or 554 \(no valid recipients\) to DATA; this one answered 354, so it refuses the message after the final "\." instead\./);
    assert.doesNotMatch(messages('C: EHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<b@x.example>', 'S: 550 no', 'C: DATA')[0], /354/);
  });

  it('flags STARTTLS before any EHLO, as it does MAIL (RFC 3207 §3)', () => {
    assert.deepEqual(analyze('S: 220 mx', 'C: STARTTLS', 'S: 220 go'), ['2 bad-sequence error']);
    assert.match(messages('C: STARTTLS')[0], /^STARTTLS before EHLO \(RFC 3207 §3, RFC 5321 §4\.1\.4\): servers reply 503 5\.5\.1\. To fix it, add "C: EHLO <your domain>" before it/);
    assert.deepEqual(analyze('S: 220 mx', 'C: STARTTLS', 'S: 503 5.5.1 send EHLO first'), ['2 bad-sequence information']);
    assert.deepEqual(analyze('C: EHLO a', 'S: 250-mx', 'S: 250 STARTTLS', 'C: STARTTLS', 'S: 220 go'), []);
  });

  it('flags ATRN on a session that has not authenticated: RFC 2645 §5.2.1 says it must get 530', () => {
    const ehlo = ['S: 220 EXAMPLE.NET on-demand mail relay server ready', 'C: EHLO example.org', 'S: 250-EXAMPLE.NET', 'S: 250-AUTH CRAM-MD5 EXTERNAL', 'S: 250 ATRN'];
    assert.deepEqual(analyze(...ehlo, 'C: ATRN example.org,example.com'), ['6 bad-sequence error']);
    assert.match(messages(...ehlo, 'C: ATRN')[0], /^ATRN before a successful AUTH \(RFC 2645 §5\.2\.1\): servers reply 530/);
    assert.deepEqual(analyze(...ehlo, 'C: ATRN', 'S: 530 5.7.0 authentication required'), ['6 bad-sequence information']);
  });

  it('finds nothing in RFC 2645 §6\'s example up to the turn, and applies no client rule after ATRN\'s 250', () => {
    assert.deepEqual(analyze(
      'S: 220 EXAMPLE.NET on-demand mail relay server ready', 'C: EHLO example.org', 'S: 250-EXAMPLE.NET', 'S: 250-AUTH CRAM-MD5 EXTERNAL', 'S: 250 ATRN',
      'C: AUTH CRAM-MD5', 'S: 334 MTg5Ni42OTcxNzA5NTJASVNQLkNPTQo=', 'C: Zm9vYmFyLm5ldCBiOTEzYTYwMmM3ZWRhN2E0OTViNGU2ZTczMzRkMzg5MAo=', 'S: 235 now authenticated as example.org',
      'C: ATRN example.org,example.com', 'S: 250 OK now reversing the connection', 'C: 220 example.org ready to receive email',
    ), []);
  });

  it('warns about AUTH PLAIN or LOGIN to a remote server that offers no TLS at all, as `run` refuses it', () => {
    const ehlo = ['C: EHLO a.example', 'S: 250-mx.example.org', 'S: 250 AUTH PLAIN LOGIN'];
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', ...ehlo, 'C: AUTH PLAIN AGEAYg=='), ['5 auth-before-tls warning']);
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org:2525', ...ehlo, 'C: AUTH LOGIN'), ['5 auth-before-tls warning']);
    assert.match(messages('@server = mx.example.org', ...ehlo, 'C: AUTH LOGIN')[0], /mx\.example\.org offers no STARTTLS here, so a run refuses to send it .*"@allow-plaintext-auth = true"/);
    // What `run` allows, the check does not flag: loopback, the local capture server, the file's own permission, a mechanism that sends no password.
    assert.deepEqual(only('auth-before-tls', '@server = 127.0.0.1:2525', ...ehlo, 'C: AUTH PLAIN AGEAYg=='), []);
    assert.deepEqual(only('auth-before-tls', '@server = [::1]:25', ...ehlo, 'C: AUTH PLAIN AGEAYg=='), []);
    assert.deepEqual(only('auth-before-tls', ...ehlo, 'C: AUTH PLAIN AGEAYg=='), []);
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', '@allow-plaintext-auth = true', ...ehlo, 'C: AUTH PLAIN AGEAYg=='), []);
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', ...ehlo, 'C: AUTH CRAM-MD5'), []);
  });
});

describe('analyzeSession: one diagnostic for one mistake', () => {
  it('reports a space after FROM: and missing angle brackets once, with a fix that is a valid line', () => {
    const found = messages('C: EHLO a', 'C: MAIL FROM: user@host.example>');
    assert.deepEqual(found, ['No space is allowed after "FROM:", and the address needs angle brackets (RFC 5321 §3.3, §4.1.2); many servers answer 501. Write FROM:<user@host.example>.']);
    assert.deepEqual(messages('C: EHLO a', 'C: MAIL FROM: <user@host.example>'), ['No space is allowed after "FROM:" (RFC 5321 §3.3, §4.1.2); many servers answer 501. Write FROM:<user@host.example>.']);
  });

  it('reads "FROM::" as one colon too many, not as an address that starts with ":"', () => {
    assert.deepEqual(messages('C: EHLO a', 'C: MAIL FROM::<a@b.example>'), ['One ":" too many after "FROM:" (RFC 5321 §4.1.1.2); servers answer 501. Write FROM:<a@b.example>.']);
  });

  it('does not call a stray word after the path an extension the server lacks', () => {
    const lines = ['C: EHLO a', 'S: 250-mx', 'S: 250 SIZE', 'C: MAIL FROM:<a@b.example> .COM>'];
    assert.deepEqual(analyze(...lines), ['4 syntax error']);
    assert.equal(messages(...lines)[0].split('.COM>').length, 2, 'quotes the user\'s text once');
  });
});

describe('analyzeSession: LMTP (RFC 2033)', () => {
  const LMTP = [
    'S: 220 foo.edu LMTP server ready', 'C: LHLO foo.edu', 'S: 250-foo.edu', 'S: 250-PIPELINING', 'S: 250 SIZE',
    'C: MAIL FROM:<chris@bar.com>', 'S: 250 OK',
    'C: RCPT TO:<pat@foo.edu>', 'S: 250 OK', 'C: RCPT TO:<jones@foo.edu>', 'S: 550 No such user here', 'C: RCPT TO:<green@foo.edu>', 'S: 250 OK',
    'C: DATA', 'S: 354 Start mail input; end with <CRLF>.<CRLF>', 'C: Blah blah blah...', 'C: .',
  ];

  it('finds nothing in RFC 2033 §4.2\'s example: LHLO greets like EHLO, one reply per accepted recipient', () => {
    assert.deepEqual(analyze(...LMTP, 'S: 250 OK', 'S: 452 <green@foo.edu> is temporarily over quota', 'C: QUIT', 'S: 221 foo.edu closing connection'), []);
  });

  it('says which recipient still needs its reply when fewer replies follow the data than recipients were accepted', () => {
    const lines = [...LMTP, 'S: 250 OK', 'C: QUIT'];
    assert.deepEqual(only('lmtp-replies', ...lines), ['17 lmtp-replies warning']);
    assert.match(messages(...lines).find((message) => message.startsWith('LMTP'))!, /2 recipients were accepted but 1 reply follows\. Add the reply for <pat@foo\.edu> first\./);
  });

  it('checks the last BDAT like the end of DATA: one reply per accepted recipient (RFC 2033 §4.3)', () => {
    const chunk = ['C: LHLO a', 'S: 250-a', 'S: 250 CHUNKING', 'C: MAIL FROM:<a@x.example>', 'S: 250 ok', 'C: RCPT TO:<b@x.example>', 'S: 250 ok', 'C: RCPT TO:<c@x.example>', 'S: 250 ok', 'C: BDAT 4 LAST', 'hi'];
    assert.deepEqual(analyze(...chunk, 'S: 250 b', 'S: 250 c', 'C: QUIT', 'S: 221 bye'), []);
    assert.deepEqual(only('lmtp-replies', ...chunk, 'S: 250 c', 'C: QUIT'), ['10 lmtp-replies warning']);
  });

  it('flags EHLO or HELO in an LMTP session, and LHLO in an SMTP one (RFC 2033 §4.1)', () => {
    assert.deepEqual(only('bad-sequence', 'C: LHLO a', 'S: 250 ok', 'C: EHLO a'), ['3 bad-sequence error']);
    assert.match(messages('C: LHLO a', 'C: HELO a')[0], /^HELO in an LMTP session \(RFC 2033 §4\.1\): servers reply 500/);
    assert.deepEqual(only('bad-sequence', 'C: EHLO a', 'S: 250 ok', 'C: LHLO a'), ['3 bad-sequence error']);
  });

  it('warns about LMTP on port 25, and not on a Unix socket or another port (RFC 2033 §5)', () => {
    assert.deepEqual(only('lmtp-port', '@server = mail.example.org', 'C: LHLO a'), ['2 lmtp-port warning']);
    assert.deepEqual(only('lmtp-port', '@server = mail.example.org:24', 'C: LHLO a'), []);
    assert.deepEqual(only('lmtp-port', '@server = unix:/var/run/dovecot/lmtp', 'C: LHLO a'), []);
  });

  it('reads @server = unix:/path as a local connection: AUTH PLAIN there is not flagged', () => {
    assert.deepEqual(only('auth-before-tls', '@server = unix:/run/lmtp.sock', 'C: LHLO a', 'S: 250-a', 'S: 250 AUTH PLAIN', 'C: AUTH PLAIN AGEAYg=='), []);
  });
});

describe('analyzeSession: $file outside the workspace, $env of a secret', () => {
  const data = (bodyLine: string, ...settings: string[]) => [...settings, 'C: EHLO a.example', 'C: MAIL FROM:<a@example.com>', 'C: RCPT TO:<b@example.org>', 'C: DATA', 'S: 354 go', bodyLine, '.', 'S: 250 ok'];
  const location = { base: '/work/project/mail', root: '/work/project' };
  function inWorkspace(...lines: string[]): { line: string; message: string }[] {
    const file = parseTranscript(lines.join('\n'));
    return file.sessions.flatMap((session) => analyzeSession(file, session, { fileLocation: location }))
      .filter((p) => p.code === 'file-outside-workspace')
      .map((p) => ({ line: `${p.range.start.line + 1} ${p.severity} ${p.range.start.character}-${p.range.end.character}`, message: p.message }));
  }

  it('warns on a path that climbs out of the workspace folder, with the rule and how to allow it', () => {
    const found = inWorkspace(...data('{{$file ../../secrets/id_rsa}}'));
    assert.deepEqual(found.map((f) => f.line), ['6 warning 0-30']);
    assert.match(found[0].message, /^\{\{\$file \.\.\/\.\.\/secrets\/id_rsa\}\} leads outside the workspace folder \/work\/project \(to \/work\/secrets\/id_rsa\)\. .*"@allow-outside-files = true".* A run refuses it/);
  });

  it('warns on absolute paths and /proc even without knowing where the file is', () => {
    assert.deepEqual(only('file-outside-workspace', ...data('{{$file /etc/passwd}}')), ['6 file-outside-workspace warning']);
    assert.match(messages(...data('{{$file /proc/self/environ}}')).join('\n'), /reads \/proc\/self\/environ, a file of the system .* never sent, @allow-outside-files or not/);
    assert.deepEqual(only('file-outside-workspace', ...data('{{$file ../x.txt}}')), [], 'a relative path is judged only where the file is known');
  });

  it('finds nothing for a path inside the workspace, even one that goes up and back', () => {
    assert.deepEqual(inWorkspace(...data('{{$file bodies/a.txt}}')), []);
    assert.deepEqual(inWorkspace(...data('{{$file ../shared/a.txt}}')), []);
  });

  it('is information once the session allows outside files, but /proc stays a warning', () => {
    assert.deepEqual(inWorkspace(...data('{{$file ../../x.txt}}', '@allow-outside-files = true')).map((f) => f.line), ['7 information 0-21']);
    assert.deepEqual(inWorkspace(...data('{{$file /proc/self/environ}}', '@allow-outside-files = true')).map((f) => f.line.split(' ')[1]), ['warning']);
  });

  it('is an error to read an SMTP_SECRET_ variable with $env, naming the $secret to write', () => {
    assert.deepEqual(only('env-secret', 'C: EHLO a.example', 'C: AUTH PLAIN {{$env SMTP_SECRET_PASS}}'), ['2 env-secret error']);
    assert.match(messages('@p = {{$env SMTP_SECRET_PASS}}', 'C: EHLO {{p}}').join('\n'), /SMTP_SECRET_PASS holds a secret.*Write \{\{\$secret PASS\}\}/);
    assert.deepEqual(only('env-secret', 'C: EHLO {{$env SMTP_HOST}}'), []);
  });
});

describe('analyzeSession: auth-before-tls judges the mechanism as a run does', () => {
  const ehlo = ['S: 220 mx', 'C: EHLO a.example', 'S: 250-mx', 'S: 250 AUTH PLAIN LOGIN'];
  it('warns on a mechanism from a variable, or one it does not know, to a remote server without TLS', () => {
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', '@mech = PLAIN', ...ehlo, 'C: AUTH {{mech}} AGEAYg=='), ['7 auth-before-tls warning']);
    assert.match(messages('@server = mx.example.org', '@mech = PLAIN', ...ehlo, 'C: AUTH {{mech}} AGEAYg==').join('\n'), /AUTH \{\{mech\}\} takes its mechanism from a variable, so a run treats it as one that sends the credentials readable, and mx\.example\.org offers no STARTTLS here/);
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', ...ehlo, 'C: AUTH X-TOKEN c2VjcmV0'), ['6 auth-before-tls warning']);
    assert.deepEqual(only('auth-before-tls', '@server = mx.example.org', ...ehlo, 'C: AUTH CRAM-MD5'), []);
  });
});

describe('analyzeSession: replies read without building their lines', () => {
  it('compares the classes of a one-line reply, and of every line of a longer one', () => {
    assert.deepEqual(analyze('C: NOOP', 'S: 250 2.1.0 ok'), []);
    assert.deepEqual(analyze('C: NOOP', 'S: 500 5.1.0 no', 'C: NOOP', 'S: 250 4.1.0 odd'), ['4 enhanced-status-mismatch warning']);
    assert.deepEqual(analyze('C: NOOP', 'S: 250-2.1.0 ok', 'S: 250 5.1.0 odd'), ['3 enhanced-status-mismatch warning']);
    assert.deepEqual(analyze('C: NOOP', 'S: 250-5.1.0 odd', 'S: 250 2.1.0 ok'), ['2 enhanced-status-mismatch warning']);
    // A wildcard class is no class to compare.
    assert.deepEqual(analyze('C: NOOP', 'S: xxx 5.1.0 any'), []);
    assert.deepEqual(messages('C: NOOP', 'S: 250 5.1.0 odd'), ['Enhanced status code 5.1.0 has class 5 but the reply code 250 has class 2: they must agree (RFC 3463 §2, RFC 2034 §4). Use 2.1.0.']);
  });

  it('checks the references of any line of a reply', () => {
    assert.deepEqual(analyze('C: NOOP', 'S: 250 {{nope}}'), ['2 unknown-variable error']);
    assert.deepEqual(analyze('C: NOOP', 'S: 250-ok', 'S: 250-fine', 'S: 250 {{nope}}'), ['4 unknown-variable error']);
    assert.deepEqual(analyze('@known = x', 'C: NOOP', 'S: 250-{{known}}', 'S: 250 ok'), []);
  });
});
