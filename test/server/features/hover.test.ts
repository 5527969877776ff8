import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { MarkupKind, type Hover, type MarkupContent } from 'vscode-languageserver';
import { getHover } from '../../../server/src/features/hover';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const CURSOR = '|';

interface HoverResult {
  markdown: string;
  /** The text the hover's range covers. */
  covers: string;
}

/** Hovers at the `|` in the lines (the marker is removed before parsing). */
function hover(...lines: string[]): HoverResult | null {
  const marked = lines.join('\n');
  const offset = marked.indexOf(CURSOR);
  assert.ok(offset >= 0, 'the input needs a | cursor marker');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  const before = text.slice(0, offset).split('\n');
  const position = { line: before.length - 1, character: before[before.length - 1].length };
  const result = getHover(parseTranscript(text), position);
  return result && { markdown: markdownOf(result), covers: covered(text, result) };
}

function markdownOf(result: Hover): string {
  const contents = result.contents as MarkupContent;
  assert.equal(contents.kind, MarkupKind.Markdown);
  return contents.value;
}

function covered(text: string, result: Hover): string {
  const range = result.range!;
  assert.equal(range.start.line, range.end.line, 'hover ranges are single tokens');
  return text.split('\n')[range.start.line].slice(range.start.character, range.end.character);
}

function hoverText(...lines: string[]): string {
  const result = hover(...lines);
  assert.ok(result, 'expected a hover');
  return result.markdown;
}

describe('getHover on command lines', () => {
  it('explains a verb: syntax, purpose, RFC section, pipelining and replies', () => {
    const result = hover('C: MA|IL FROM:<alice@example.com>');
    assert.equal(result?.covers, 'MAIL');
    assert.match(result.markdown, /^\*\*MAIL\*\* — SMTP command/);
    assert.ok(result.markdown.includes('`MAIL FROM:<reverse-path> [SP mail-parameters]`'));
    assert.ok(result.markdown.includes('RFC 5321 §4.1.1.2'));
    assert.ok(result.markdown.includes('more commands may follow it in the same group'));
    assert.match(result.markdown, /Replies: success `250`; errors .*`550`/);
  });

  it('names the EHLO keyword an extension command needs and that it ends a pipelined group', () => {
    const markdown = hoverText('C: START|TLS');
    assert.ok(markdown.includes('lists `STARTTLS` in its EHLO reply'));
    assert.ok(markdown.includes('ends a group'));
  });

  it('marks obsolete and vendor commands', () => {
    assert.match(hoverText('C: TU|RN'), /obsolete SMTP command[\s\S]*retired by RFC 5321 §F\.1/);
    assert.match(hoverText('C: XCLI|ENT NAME=spike.example.org'), /vendor SMTP command[\s\S]*Private to Postfix/);
  });

  it('lists the replies that come after the message content for DATA', () => {
    assert.match(hoverText('C: DA|TA', 'S: 354 go', 'x', '.'), /After the message content: success `250`/);
  });

  it('suggests the nearest verb for an unknown one', () => {
    const result = hover('C: EHL|L client.example.com');
    assert.equal(result?.covers, 'EHLL');
    assert.match(result.markdown, /not an SMTP command[\s\S]*Did you mean `EHLO`\?/);
  });

  it('still explains the word when the cursor sits just after it', () => {
    assert.equal(hover('C: NOOP|')?.covers, 'NOOP');
  });

  it('explains a MAIL parameter from its name and from its value', () => {
    const name = hover('C: MAIL FROM:<a@example.com> SI|ZE=1000');
    assert.equal(name?.covers, 'SIZE');
    assert.match(name.markdown, /\*\*SIZE\*\* — MAIL FROM parameter[\s\S]*1 to 20 digits[\s\S]*RFC 1870 §3/);
    const value = hover('C: MAIL FROM:<a@example.com> BODY=8BIT|MIME');
    assert.equal(value?.covers, '8BITMIME');
    assert.match(value.markdown, /7BIT, 8BITMIME or BINARYMIME/);
  });

  it('says where a parameter belongs when it is on the wrong command, and when it is unknown', () => {
    assert.match(hoverText('C: MAIL FROM:<a@example.com> NOT|IFY=NEVER'), /`NOTIFY` belongs on RCPT TO, not MAIL FROM/);
    assert.match(hoverText('C: RCPT TO:<b@example.org> X-FO|O=1'), /not a RCPT TO parameter[\s\S]*`555`/);
  });

  it('explains the AUTH mechanism, and whether it sends the secret in clear', () => {
    const plain = hover('C: AUTH PL|AIN');
    assert.equal(plain?.covers, 'PLAIN');
    assert.match(plain.markdown, /Sends the secret in clear/);
    assert.match(hoverText('C: AUTH SCRAM-SHA|-256'), /Does not send the password in clear/);
  });

  it('gives the size of an AUTH initial response but never its content', () => {
    // base64 of "\0alice\0secret": 13 octets.
    const result = hover('C: AUTH PLAIN AGFsaW|NlAHNlY3JldA==');
    assert.equal(result?.covers, 'AGFsaWNlAHNlY3JldA==');
    assert.match(result.markdown, /13 octets when decoded/);
    assert.doesNotMatch(result.markdown, /alice|secret/);
    assert.match(hoverText('C: AUTH PLAIN |='), /empty/);
  });

  it('has nothing to say about an address', () => {
    assert.equal(hover('C: MAIL FROM:<al|ice@example.com>'), null);
  });
});

describe('getHover on reply lines', () => {
  it('explains a reply code: meaning, digits, what a client should do, and the command it answers', () => {
    const result = hover('C: RCPT TO:<bob@example.org>', 'S: 5|50 5.1.1 No such user');
    assert.equal(result?.covers, '550');
    const { markdown } = result;
    assert.match(markdown, /^\*\*550\*\* mailbox unavailable/);
    assert.ok(markdown.includes('the mailbox is unavailable (not found'));
    assert.match(markdown, /first digit `5`: permanent negative completion/);
    assert.match(markdown, /second digit `5`: mail system/);
    assert.match(markdown, /\*\*Permanent failure\.\*\* Do not retry this recipient unchanged/);
    assert.ok(markdown.includes('Answers `RCPT` on line 1.'));
  });

  it('says a transient code may be retried, and names the greeting', () => {
    assert.match(hoverText('S: 4|21 mx closing'), /\*\*Transient failure\.\*\*[\s\S]*try the whole transaction again later[\s\S]*the server's greeting/);
  });

  it('describes wildcards and unknown codes from their digits', () => {
    assert.match(hoverText('C: NOOP', 'S: 2x|x'), /^\*\*2xx\*\* positive completion[\s\S]*An expectation[\s\S]*second digit `x`: any/);
    assert.match(hoverText('C: NOOP', 'S: 25|9 odd'), /^\*\*259\*\* positive completion, mail system[\s\S]*No RFC this tool knows/);
  });

  it('explains an enhanced status code by class, subject and detail', () => {
    const result = hover('C: RCPT TO:<bob@example.org>', 'S: 550 5.1|.1 No such user');
    assert.equal(result?.covers, '5.1.1');
    assert.match(result.markdown, /^\*\*5\.1\.1\*\* Bad destination mailbox address/);
    assert.match(result.markdown, /class `5`: permanent failure[\s\S]*subject `1`: addressing[\s\S]*RFC 3463 §3\.2/);
    assert.match(hoverText('C: RCPT TO:<bob@example.org>', 'S: 550 5.1.|x'), /detail `x`: any detail/);
  });

  it('explains EHLO keywords on the lines after the first of an EHLO reply', () => {
    const keyword = hover('C: EHLO client.example.com', 'S: 250-mx.example.org', 'S: 250-PIPE|LINING', 'S: 250 SIZE 35882577');
    assert.equal(keyword?.covers, 'PIPELINING');
    assert.match(keyword.markdown, /\*\*PIPELINING\*\* — EHLO keyword[\s\S]*RFC 2920 §2/);
    const parameter = hover('C: EHLO client.example.com', 'S: 250-mx.example.org', 'S: 250 SIZE 3588|2577');
    assert.equal(parameter?.covers, '35882577');
    assert.match(parameter.markdown, /^\*\*SIZE\*\* — EHLO keyword[\s\S]*largest message in octets/);
    assert.match(hoverText('C: EHLO client.example.com', 'S: 250-mx.example.org', 'S: 250 X-WID|GET'), /`X-WIDGET` is not an EHLO keyword/);
  });

  it('explains the mechanisms of an AUTH line, in both spellings', () => {
    const ehlo = (line: string) => hover('C: EHLO client.example.com', 'S: 250-mx.example.org', line);
    assert.match(ehlo('S: 250 AUTH LOGIN PL|AIN')?.markdown ?? '', /\*\*PLAIN\*\* — SASL mechanism/);
    const glued = ehlo('S: 250 AUTH=LOG|IN PLAIN');
    assert.equal(glued?.covers, 'LOGIN');
    assert.equal(ehlo('S: 250 AU|TH=LOGIN PLAIN')?.covers, 'AUTH=');
  });

  it('reads keywords only in replies to EHLO, and not on their first line', () => {
    assert.equal(hover('C: HELP', 'S: 214-Commands:', 'S: 214 PIPE|LINING'), null);
    assert.equal(hover('C: EHLO client.example.com', 'S: 250-mx.exa|mple.org', 'S: 250 SIZE'), null);
  });

  it('decodes a server 334 challenge', () => {
    const result = hover('C: AUTH LOGIN', 'S: 334 VXNlcm5h|bWU6');
    assert.equal(result?.covers, 'VXNlcm5hbWU6');
    assert.match(result.markdown, /decoded: `Username:`/);
    assert.match(hoverText('C: AUTH GSSAPI', 'S: 334 AAEC|Aw=='), /base64 of 4 octets of binary data/);
    assert.match(hoverText('C: AUTH LOGIN', 'S: 334 not|base64!'), /not valid base64/);
  });
});

describe('getHover on SASL responses', () => {
  const login = (user: string, password: string) => [
    'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', user, 'S: 334 UGFzc3dvcmQ6', password, 'S: 235 2.7.0 Authentication successful',
  ];

  it('never decodes what the client sends, only gives its size', () => {
    const user = hover(...login('C: YWxp|Y2U=', 'C: c2VjcmV0'));
    assert.equal(user?.covers, 'YWxpY2U=');
    assert.match(user.markdown, /base64, 5 octets when decoded/);
    assert.doesNotMatch(user.markdown, /alice/);
    const password = hoverText(...login('C: YWxpY2U=', 'C: c2Vj|cmV0'));
    assert.match(password, /6 octets/);
    assert.doesNotMatch(password, /secret/);
  });

  it('explains the cancel line and invalid base64', () => {
    assert.match(hoverText('C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: |*'), /Cancels the AUTH exchange/);
    assert.match(hoverText('C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: al|ice'), /not valid base64[\s\S]*`501`/);
  });
});

describe('getHover on variables', () => {
  it('shows the value a reference has in scope, with the line that defines it', () => {
    const result = hover('### one', '@sender = alice@example.com', 'C: MAIL FROM:<{{sen|der}}>');
    assert.equal(result?.covers, '{{sender}}');
    assert.match(result.markdown, /^`\{\{sender\}\}` = `alice@example\.com`\n\nDefined on line 2\.$/);
  });

  it('takes the latest definition above the reference', () => {
    assert.match(hoverText('### one', '@who = first', '@who = second', 'C: VRFY {{w|ho}}', '@who = third'), /= `second`/);
  });

  for (const secret of ['{{$secret SMTP_PASSWORD}}', '{{$prompt Password}}', '{{$authPlain alice {{password}}}}', 'x{{$SECRET P}}']) {
    it(`shows *** for a value that uses a secret: ${secret}`, () => {
      const markdown = hoverText(`@credential = ${secret}`, '### one', 'C: AUTH PLAIN {{creden|tial}}');
      assert.match(markdown, /= `\*\*\*`/);
      assert.doesNotMatch(markdown, /SMTP_PASSWORD|Password|alice|password|\$secret|\$prompt|\$authPlain/i);
    });
  }

  it('describes a system variable and its arguments, never a value', () => {
    const result = hover('C: AUTH PLAIN {{$sec|ret SMTP_PASSWORD}}');
    assert.equal(result?.covers, '{{$secret SMTP_PASSWORD}}');
    assert.match(result.markdown, /^`\{\{\$secret NAME\}\}` — system variable[\s\S]*never shown/);
    assert.match(hoverText('C: X {{$nope| a}}'), /not a system variable[\s\S]*`\$env`/);
  });

  it('explains the innermost reference under the cursor', () => {
    const lines = (marked: string) => ['@user = alice', '### one', `C: AUTH PLAIN ${marked}`];
    assert.match(hoverText(...lines('{{$authPlain {{us|er}} {{$secret PASS}}}}')), /^`\{\{user\}\}` = `alice`/);
    assert.match(hoverText(...lines('{{$authP|lain {{user}} {{$secret PASS}}}}')), /^`\{\{\$authPlain USER PASS\}\}`/);
    assert.match(hoverText(...lines('{{$authPlain {{user}} {{$secret PA|SS}}}}')), /^`\{\{\$secret NAME\}\}`/);
  });

  it('says a value taken from a reply is captured at run time, on its @ line and where it is used', () => {
    const dialogue = ['S: 220 mx', 'C: MAIL FROM:<a@x.example>', 'S: 250 2.1.0 Ok: queued as 4XyZ1'];
    assert.match(hoverText(...dialogue, '@q|id = {{$reply /queued as (\\S+)/}}'), /^\*\*@qid\*\* — captured at run time\n\nIts value is taken from the reply above when the run reaches this line/);
    assert.match(hoverText(...dialogue, '@qid = {{$reply /queued as (\\S+)/}}', 'C: VRFY {{q|id}}'), /^`\{\{qid\}\}` — captured at run time on line 4, from the reply above it: `\{\{\$reply \/queued as \(\\S\+\)\/\}\}`$/);
    assert.match(hoverText(...dialogue, '@qid = {{$re|ply /queued as (\\S+)/}}'), /^`\{\{\$reply \/REGEX\/\}\}` — system variable\n\nThe most recent reply/);
    assert.match(hoverText('C: AUTH CRAM-MD5', 'S: 334 PDE4OTY+', 'C: {{$cram|Md5 alice {{$secret P}}}}'), /^`\{\{\$cramMd5 USER PASS\}\}` — system variable\n\nThe CRAM-MD5 response[^]*RFC 2195[^]*never shown/);
  });

  it('says an undefined variable is not defined in this session and how to define it', () => {
    const markdown = hoverText('### one', 'C: MAIL FROM:<{{sen|der}}>');
    assert.match(markdown, /`\{\{sender\}\}` is not defined in this session\. Define it above this line with `@sender = value`/);
  });

  it('points at a definition that comes after the use', () => {
    assert.match(hoverText('### one', 'C: EHLO {{ho|st}}', '@host = client.example.com'), /defined on line 3, after this use/);
  });

  it('does not see another session\'s variables, and says so', () => {
    const markdown = hoverText('### one', '@host = a.example', 'C: EHLO {{host}}', '### two', 'C: EHLO {{ho|st}}');
    assert.match(markdown, /not defined in this session[\s\S]*Session "one" defines it/);
  });

  it('explains references in message bodies, such as $file', () => {
    assert.match(hoverText('C: DATA', 'S: 354 go', '{{$fi|le body.eml}}', '.'), /\$file PATH[\s\S]*only inside a message body/);
  });

  it('explains reserved connection names and plain variables on their definition', () => {
    const server = hover('@ser|ver = mx.example.org:25', '### one', 'C: QUIT');
    assert.equal(server?.covers, '@server');
    assert.match(server.markdown, /\*\*@server\*\* — connection setting\n\nValue: `host\[:port\]`/);
    assert.match(hoverText('### one', '@sen|der = a@example.com'), /Use it as `\{\{sender\}\}` in the rest of this session/);
    assert.match(hoverText('@sen|der = a@example.com', '### one'), /in every session of this file/);
    assert.equal(hover('@sender = a@exa|mple.com'), null);
  });

  it('has nothing to say about comments', () => {
    assert.equal(hover('# a com|ment', 'C: QUIT'), null);
  });
});

describe('getHover on LMTP replies after the data', () => {
  it('says which recipient the reply reports on, and its place among the accepted ones', () => {
    const text = hoverText('C: LHLO a', 'C: MAIL FROM:<a@x.example>', 'C: RCPT TO:<pat@foo.edu>', 'C: RCPT TO:<green@foo.edu>', 'C: DATA', 'x', '.', 'S: 250 OK', 'S: |452 over quota');
    assert.match(text, /Reports the delivery to `<green@foo\.edu>` \(`RCPT` on line 4\), recipient 2 of the 2 accepted: LMTP answers the end of the message content once per accepted recipient, in order \(RFC 2033 §4\.2\)\./);
  });

  it('explains LHLO as the LMTP greeting', () => {
    assert.match(hoverText('C: |LHLO foo.edu'), /\*\*LHLO\*\* — LMTP command[\s\S]*RFC 2033 §4\.1[\s\S]*an SMTP server answers 500/);
  });
});

describe('getHover on PRDR replies after the data', () => {
  const PRDR = ['C: EHLO a', 'S: 250-mx', 'S: 250 PRDR', 'C: MAIL FROM:<a@x.example> PRDR', 'C: RCPT TO:<b@x.example>', 'C: RCPT TO:<c@x.example>', 'C: DATA', 'x', '.'];

  it('says what the 353, each recipient\'s reply and the last reply stand for', () => {
    assert.match(hoverText(...PRDR, 'S: |353 go', 'S: 250 b', 'S: 550 c', 'S: 250 done'), /Starts the per-recipient replies \(PRDR\): one for each of the 2 accepted recipients follows/);
    assert.match(hoverText(...PRDR, 'S: 353 go', 'S: 250 b', 'S: |550 c', 'S: 250 done'), /Reports the delivery to `<c@x\.example>` .*recipient 2 of the 2 accepted: with PRDR on MAIL/);
    assert.match(hoverText(...PRDR, 'S: 353 go', 'S: 250 b', 'S: 550 c', 'S: |250 done'), /The reply for the whole message \(PRDR\), after the 2 per-recipient ones\./);
    assert.match(hoverText(...PRDR, 'S: |353 go', 'S: 250 b', 'S: 550 c', 'S: 250 done'), /Documented in Exim and swaks, draft-hall-prdr-00/);
  });
});
