/**
 * A realistic transcript of about `lineCount` lines: sessions with EHLO
 * replies, pipelined transactions, AUTH exchanges, variables and bodies, so the
 * parser meets every kind of line in proportions seen in real files.
 */
export function generateTranscript(lineCount: number): string {
  const lines: string[] = ['@server = 127.0.0.1:2525', '@user = alice@example.com', ''];
  for (let session = 0; lines.length < lineCount; session++) {
    lines.push(
      `### Session ${session}`,
      'S: 220 mx.example.org ESMTP Postfix',
      'C: EHLO client.example.com',
      'S: 250-mx.example.org', 'S: 250-PIPELINING', 'S: 250-SIZE 10240000', 'S: 250-DSN', 'S: 250-AUTH PLAIN LOGIN', 'S: 250 8BITMIME',
      'C: AUTH LOGIN', 'S: 334 VXNlcm5hbWU6', 'C: {{$base64 {{user}}}}', 'S: 334 UGFzc3dvcmQ6', 'C: {{$secret SMTP_PASSWORD}}', 'S: 235 2.7.0 Ok',
      `C: MAIL FROM:<sender${session}@example.com> SIZE=2048 BODY=8BITMIME`,
      `C: RCPT TO:<rcpt${session}@example.org> NOTIFY=SUCCESS,FAILURE`,
      'C: DATA',
      'S: 250 2.1.0 Ok', 'S: 250 2.1.5 Ok', 'S: 354 End data with <CR><LF>.<CR><LF>',
      'From: {{user}}', `To: rcpt${session}@example.org`, `Subject: Message ${session}`, '',
      '# this line is body text', 'Lorem ipsum dolor sit amet, consectetur adipiscing elit.', '..a stuffed dot', '.',
      'S: 250 2.0.0 Ok: queued', 'C: QUIT', 'S: 221 2.0.0 Bye', '',
    );
  }
  return lines.slice(0, lineCount).join('\n');
}
