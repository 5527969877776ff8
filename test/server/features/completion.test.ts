import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CompletionItemTag, InsertTextFormat, type CompletionItem, type TextEdit } from 'vscode-languageserver';
import { getCompletions } from '../../../server/src/features/completion';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

/** Completions at the `|` in `text` (the marker is removed before parsing), in the order the editor shows them. */
function complete(text: string): CompletionItem[] {
  const offset = text.indexOf('|');
  assert.notEqual(offset, -1, 'the input needs a | cursor marker');
  const clean = text.slice(0, offset) + text.slice(offset + 1);
  const linesBefore = clean.slice(0, offset).split('\n');
  const position = { line: linesBefore.length - 1, character: linesBefore[linesBefore.length - 1].length };
  const items = getCompletions(parseTranscript(clean), clean.split('\n')[position.line], position);
  return items.slice().sort((a, b) => (a.sortText ?? a.label).localeCompare(b.sortText ?? b.label));
}

function labels(text: string): string[] {
  return complete(text).map((item) => item.label);
}

function item(text: string, label: string): CompletionItem {
  const found = complete(text).find((candidate) => candidate.label === label);
  assert.ok(found, `no completion labelled ${label}`);
  return found;
}

function newText(completion: CompletionItem): string {
  return (completion.textEdit as TextEdit).newText;
}

/** Where `a` comes in the list, compared with `b`. */
function before(list: string[], a: string, b: string): boolean {
  assert.ok(list.includes(a) && list.includes(b), `${a} and ${b} must both be offered`);
  return list.indexOf(a) < list.indexOf(b);
}

const GREETED = 'S: 220 mx.example.org\nC: EHLO client.example\n';

describe('getCompletions: at the start of a line', () => {
  it('offers client and server lines, a session separator, the server variable and a comment', () => {
    assert.deepEqual(labels('|'), ['C: ', 'S: ', '### ', '@server = ', '# ']);
  });

  it('puts the reply line first when the step before waits for its reply in a file that records replies', () => {
    assert.deepEqual(labels(`${GREETED}|`).slice(0, 2), ['S: ', 'C: ']);
    assert.deepEqual(labels(`${GREETED}S: 250 ok\n|`).slice(0, 2), ['C: ', 'S: ']);
    // A script of commands alone is not pushed towards replies.
    assert.deepEqual(labels('C: EHLO a\n|').slice(0, 2), ['C: ', 'S: ']);
  });

  it('replaces the prefix being typed and reopens the list after C: and S:', () => {
    const client = item('Cl|', 'C: ');
    assert.deepEqual(client.textEdit, { range: { start: { line: 0, character: 0 }, end: { line: 0, character: 2 } }, newText: 'C: ' });
    assert.equal(client.command?.command, 'editor.action.triggerSuggest');
  });

  it('offers nothing at the start of a line that already has text after the cursor', () => {
    assert.deepEqual(labels('|C: EHLO a'), []);
  });

  it('offers the reserved connection names after @, with their values', () => {
    assert.deepEqual(labels('@|'), ['server', 'tls', 'tls-verify', 'timeout', 'strict', 'on-mismatch', 'allow-raw', 'allow-outside-files', 'allow-plaintext-auth']);
    const tls = item('@t|', 'tls');
    assert.equal(tls.detail, 'none | implicit');
    assert.equal(newText(tls), 'tls = ${1|none,implicit|}');
  });
});

describe('getCompletions: verbs after C:', () => {
  it('offers EHLO then HELO first before any greeting, and marks MAIL as out of sequence', () => {
    const list = labels('S: 220 mx\nC: |');
    assert.deepEqual(list.slice(0, 2), ['EHLO', 'HELO']);
    assert.equal(item('S: 220 mx\nC: |', 'MAIL').labelDetails?.description, 'out of sequence');
  });

  it('offers MAIL, AUTH and STARTTLS first after EHLO when the reply is unknown, RCPT later and QUIT last', () => {
    const list = labels('C: EHLO a\nC: |');
    assert.deepEqual(list.slice(0, 4), ['MAIL', 'AUTH', 'AUTH PLAIN', 'STARTTLS']);
    assert.ok(before(list, 'MAIL', 'RCPT'));
    assert.equal(list[list.length - 1], 'QUIT');
  });

  it('leaves out of the first places what the EHLO reply did not advertise', () => {
    const text = `${GREETED}S: 250-mx.example.org\nS: 250 AUTH PLAIN LOGIN\nC: |`;
    assert.deepEqual(labels(text).slice(0, 3), ['MAIL', 'AUTH', 'AUTH PLAIN']);
    assert.equal(item(text, 'STARTTLS').labelDetails?.description, 'not advertised');
    assert.ok(before(labels(text), 'NOOP', 'STARTTLS'));
  });

  it('offers RCPT first in a transaction, DATA once there is a recipient, and BDAT when CHUNKING is advertised', () => {
    const mail = 'C: EHLO a\nS: 250-mx\nS: 250 CHUNKING\nC: MAIL FROM:<a@example.com>\n';
    assert.deepEqual(labels(`${mail}C: |`)[0], 'RCPT');
    assert.equal(item(`${mail}C: |`, 'DATA').labelDetails?.description, 'out of sequence');
    assert.deepEqual(labels(`${mail}C: RCPT TO:<b@example.org>\nC: |`).slice(0, 4), ['RCPT', 'DATA', 'BDAT', 'RSET']);
    // Without CHUNKING in the reply, BDAT is no next step.
    assert.deepEqual(labels('C: EHLO a\nC: MAIL FROM:<a@example.com>\nC: RCPT TO:<b@example.org>\nC: |').slice(0, 3), ['RCPT', 'DATA', 'RSET']);
  });

  it('asks for EHLO again after STARTTLS, and no longer offers STARTTLS first once TLS is up', () => {
    const tls = 'C: EHLO a\nC: STARTTLS\nS: 220 go ahead\n';
    assert.deepEqual(labels(`${tls}C: |`).slice(0, 2), ['EHLO', 'HELO']);
    assert.deepEqual(labels(`${tls}C: EHLO a\nC: |`).slice(0, 2), ['MAIL', 'AUTH']);
    assert.ok(before(labels(`${tls}C: EHLO a\nC: |`), 'NOOP', 'STARTTLS'));
    assert.equal(item(`${tls}C: EHLO a\nC: |`, 'STARTTLS').labelDetails?.description, 'out of sequence');
  });

  it('marks the retired RFC 821 verbs as deprecated', () => {
    assert.deepEqual(item('C: EHLO a\nC: |', 'SOML').tags, [CompletionItemTag.Deprecated]);
    assert.equal(item('C: EHLO a\nC: |', 'MAIL').tags, undefined);
  });

  it('describes each verb by its purpose', () => {
    assert.match(item('C: |', 'RSET').detail ?? '', /transaction/);
  });

  it('inserts whole command lines as snippets', () => {
    const text = 'C: EHLO a\nC: |';
    assert.equal(item(text, 'MAIL').insertTextFormat, InsertTextFormat.Snippet);
    assert.equal(newText(item(text, 'MAIL')), 'MAIL FROM:<$1>');
    assert.equal(newText(item(text, 'RCPT')), 'RCPT TO:<$1>');
    assert.equal(newText(item(text, 'AUTH PLAIN')), 'AUTH PLAIN {{\\$authPlain ${1:user} {{\\$secret ${2:NAME}}}}}');
    assert.equal(newText(item('C: EHLO relay.example\n### two\nC: |', 'EHLO')), 'EHLO ${1:relay.example}');
  });

  it('inserts a whole DATA block whose headers repeat the transaction addresses', () => {
    const text = 'C: EHLO a\nC: MAIL FROM:<alice@example.com>\nC: RCPT TO:<bob@example.org>\nC: DA|';
    assert.equal(newText(item(text, 'DATA')), [
      'DATA', 'S: 354 End data with <CR><LF>.<CR><LF>', 'From: ${1:alice@example.com}', 'To: ${2:bob@example.org}', 'Subject: ${3:Hello}', '', '${4:Hello.}', '.',
    ].join('\n'));
  });

  it('replaces only the verb on a line that already has arguments', () => {
    const mail = item('C: EHLO a\nC: MA|L FROM:<a@example.com>', 'MAIL');
    assert.deepEqual(mail.textEdit, { range: { start: { line: 1, character: 3 }, end: { line: 1, character: 6 } }, newText: 'MAIL' });
  });

  it('adds the space a prefix written without one needs', () => {
    assert.equal(newText(item('C:|', 'QUIT')), ' QUIT');
  });

  it('offers no verbs on a body line', () => {
    assert.deepEqual(labels('C: EHLO a\nC: MAIL FROM:<a@example.com>\nC: RCPT TO:<b@example.org>\nC: DATA\nS: 354 go\nC: |'), []);
    assert.deepEqual(labels('C: DATA\nS: 354 go\nhello\n|'), ['.']);
    assert.deepEqual(labels('C: DATA\nS: 354 go\n|'), ['.']);
    // Right after DATA the line counts as text until a reply is written, but the 354 is what comes there.
    assert.deepEqual(labels('C: DATA\nS|'), ['S: ', '.']);
  });
});

describe('getCompletions: arguments', () => {
  const ehlo = (keywords: string) => `C: EHLO a\nS: 250-mx.example.org\nS: 250 ${keywords}\n`;

  it('offers FROM: after MAIL and TO: after RCPT', () => {
    assert.equal(newText(item('C: MAIL |', 'FROM:<>')), 'FROM:<$1>');
    assert.equal(newText(item('C: MAIL FROM:<a@example.com>\nC: RCPT |', 'TO:<>')), 'TO:<$1>');
  });

  it('offers parameters after a long word and a space, the word left as it is', () => {
    assert.ok(labels(`C: MAIL FROM:<a@example.com> X=${'x'.repeat(10_000)} |`).includes('SIZE'));
  });

  it('offers nothing on a line longer than 20,000 characters', () => {
    assert.deepEqual(labels(`C: MAIL FROM:<a@example.com> ${'x'.repeat(20_000)} |`), []);
  });

  it('offers the MAIL parameters the server advertised first, with value snippets', () => {
    const text = `${ehlo('8BITMIME')}C: MAIL FROM:<a@example.com> |`;
    const list = labels(text);
    assert.equal(list[0], 'BODY');
    assert.ok(!list.includes('NOTIFY'), 'NOTIFY belongs to RCPT');
    assert.equal(newText(item(text, 'BODY')), 'BODY=${1|7BIT,8BITMIME,BINARYMIME|}');
    assert.equal(item(text, 'SIZE').labelDetails?.description, 'not advertised');
  });

  it('offers the DSN parameters of RCPT, ORCPT repeating the recipient', () => {
    const text = `${ehlo('DSN')}C: MAIL FROM:<a@example.com> RET=HDRS\nC: RCPT TO:<bob@example.org> |`;
    assert.deepEqual(labels(text).slice(0, 2), ['NOTIFY', 'ORCPT']);
    assert.equal(newText(item(text, 'NOTIFY')), 'NOTIFY=${1|NEVER,SUCCESS,FAILURE,DELAY|}');
    assert.equal(newText(item(text, 'ORCPT')), 'ORCPT=rfc822;${1:bob@example.org}');
  });

  it('offers every parameter alike when the EHLO reply is unknown, and leaves out those already written', () => {
    const list = complete('C: EHLO a\nC: MAIL FROM:<a@example.com> RET=FULL |');
    assert.ok(list.every((completion) => completion.labelDetails === undefined));
    assert.ok(!list.some((completion) => completion.label === 'RET'));
    assert.ok(list.some((completion) => completion.label === 'ENVID'));
  });

  it('offers the values of a parameter after =', () => {
    assert.deepEqual(labels('C: EHLO a\nC: MAIL FROM:<a@example.com> RET=|'), ['FULL', 'HDRS']);
    const delay = item('C: RCPT TO:<b@example.org> NOTIFY=SUCCESS,D|', 'DELAY');
    assert.deepEqual(delay.textEdit, { range: { start: { line: 0, character: 42 }, end: { line: 0, character: 43 } }, newText: 'DELAY' });
  });

  it('offers the advertised SASL mechanisms first, in the order the server listed them', () => {
    const list = labels(`${ehlo('AUTH LOGIN PLAIN')}C: AUTH |`);
    assert.deepEqual(list.slice(0, 2), ['LOGIN', 'PLAIN']);
    assert.equal(item(`${ehlo('AUTH LOGIN PLAIN')}C: AUTH |`, 'CRAM-MD5').labelDetails?.description, 'not advertised');
  });

  it('warns on mechanisms that expose the password only while the session has no TLS', () => {
    assert.equal(item('C: EHLO a\nC: AUTH |', 'PLAIN').labelDetails?.description, 'clear text without TLS');
    assert.equal(item('C: EHLO a\nC: STARTTLS\nS: 220 go\nC: EHLO a\nC: AUTH |', 'PLAIN').labelDetails, undefined);
    assert.equal(item('@tls = implicit\nC: EHLO a\nC: AUTH |', 'PLAIN').labelDetails, undefined);
    assert.equal(item('C: EHLO a\nC: AUTH |', 'SCRAM-SHA-256').labelDetails, undefined);
  });

  it('offers LAST after the size of a BDAT chunk', () => {
    assert.deepEqual(labels('C: BDAT 5 |'), ['LAST']);
    assert.deepEqual(labels('C: BDAT |'), []);
  });
});

describe('getCompletions: reply codes after S:', () => {
  it('offers the greeting codes before any command', () => {
    assert.deepEqual(labels('S: |'), ['220', '421', '554']);
  });

  it('offers 354 first after DATA, and the final codes after the closing dot', () => {
    const data = 'C: EHLO a\nC: MAIL FROM:<a@example.com>\nS: 250 ok\nC: RCPT TO:<b@example.org>\nS: 250 ok\nC: DATA\n';
    assert.equal(labels(`${data}S: |`)[0], '354');
    const after = labels(`${data}S: 354 go\nhello\n.\nS: |`);
    assert.equal(after[0], '250');
    assert.ok(!after.includes('354'));
  });

  it('gives each code its meaning and says which step it answers', () => {
    const code = item('C: QUIT\nS: |', '221');
    assert.equal(code.labelDetails?.description, 'closing connection');
    assert.match(code.detail ?? '', /closing/);
    assert.match(JSON.stringify(code.documentation), /Answers QUIT on line 1/);
    assert.equal(newText(code), '221 ');
  });

  it('fills a pipelined group in order, but answers the last steps after a command that ends a group', () => {
    const pipeline = 'C: MAIL FROM:<a@example.com>\nC: RCPT TO:<b@example.org>\nC: DATA\n';
    assert.ok(labels(`${pipeline}S: 250 ok\nS: |`).includes('251'), 'the second reply answers RCPT');
    // EHLO cannot be followed by others in one pipeline, so its reply was simply not recorded.
    assert.match(JSON.stringify(item('C: EHLO a\nC: MAIL FROM:<a@example.com>\nS: |', '250').documentation), /Answers MAIL on line 2/);
  });

  it('offers only the same code on the line after a continuation', () => {
    assert.deepEqual(labels('C: EHLO a\nS: 250-mx.example.org\nS: |'), ['250']);
  });

  it('offers the enhanced status codes of the reply class, those paired with the code first', () => {
    const list = labels('C: RCPT TO:<b@example.org>\nS: 550 |');
    assert.equal(list[0], '5.1.1');
    assert.ok(list.every((label) => label.startsWith('5.')));
    assert.equal(item('C: RCPT TO:<b@example.org>\nS: 550 |', '5.1.1').detail, 'Bad destination mailbox address');
    assert.ok(labels('C: NOOP\nS: 250 |').every((label) => label.startsWith('2.')));
    assert.deepEqual(labels('C: DATA\nS: 354 |'), []);
  });
});

describe('getCompletions: variables inside {{', () => {
  const file = '@sender = alice@example.com\n### one\n@user = alice\n';

  it('offers the variables visible at the line, then the system functions', () => {
    const list = labels(`${file}C: MAIL FROM:<{{|\n@later = x`);
    assert.deepEqual(list.slice(0, 2), ['sender', 'user']);
    assert.ok(!list.includes('later'), 'a variable defined further down is not visible yet');
    assert.ok(before(list, 'user', '$env'));
    assert.equal(item(`${file}C: MAIL FROM:<{{|`, 'sender').detail, 'alice@example.com');
  });

  it('adds the closing braces unless the editor already did', () => {
    assert.equal(newText(item(`${file}C: VRFY {{us|`, 'user')), 'user}}');
    assert.equal(newText(item(`${file}C: VRFY {{|}}`, 'user')), 'user');
  });

  it('inserts system functions with their arguments as placeholders, $file only inside a body', () => {
    assert.equal(newText(item('C: AUTH PLAIN {{$a|', '$authPlain')), '\\$authPlain ${1:USER} ${2:PASS}}}');
    assert.ok(!labels('C: VRFY {{|').includes('$file'));
    assert.ok(labels('C: DATA\nS: 354 go\n{{|').includes('$file'));
  });

  it('offers references and * on the line answering a 334', () => {
    const list = labels('C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: |');
    assert.ok(list.includes('{{$base64}}') && list.includes('*'));
    assert.ok(!list.includes('MAIL'));
    assert.equal(newText(item('C: AUTH LOGIN\nS: 334 VXNlcm5hbWU6\nC: |', '{{$secret}}')), '{{\\$secret ${1:NAME}}}');
  });
});

describe('getCompletions: LMTP', () => {
  it('offers LHLO, and after an LHLO puts EHLO and HELO out of sequence', () => {
    assert.ok(labels('C: |').includes('LHLO'));
    const after = complete('S: 220 lmtp.example.org LMTP\nC: LHLO client.example\nS: 250 ok\nC: |');
    assert.equal(after.find((candidate) => candidate.label === 'EHLO')?.labelDetails?.description, 'out of sequence');
    assert.equal(after[0].label, 'MAIL');
  });
});
