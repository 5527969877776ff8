// An LMTP server for engine and run tests, played by the scripted server: it
// answers the end of each message once per recipient it accepted at RCPT
// (RFC 2033 §4.2), so a test can accept a recipient and refuse it later.
import type { ScriptedConnection } from './scriptedServer';

/**
 * An LMTP server as RFC 2033 §4.2 describes: refuses the recipients named in
 * `refuse`, and after the message answers each accepted one with the reply
 * `deliver` gives it, in RCPT order.
 */
export function lmtpScript(refuse: string[], deliver: (address: string) => string) {
  return async (c: ScriptedConnection) => {
    c.send('220 foo.edu LMTP server ready\r\n');
    const accepted: string[] = [];
    for (;;) {
      const line = await c.line();
      const verb = line.split(' ', 1)[0].toUpperCase();
      if (verb === 'LHLO') c.send('250-foo.edu\r\n250-PIPELINING\r\n250 ENHANCEDSTATUSCODES\r\n');
      else if (verb === 'MAIL') c.send('250 2.1.0 OK\r\n');
      else if (verb === 'RCPT') {
        const address = /<([^>]*)>/.exec(line)![1];
        if (refuse.includes(address)) c.send('550 5.1.1 No such user here\r\n');
        else {
          accepted.push(address);
          c.send('250 2.1.5 OK\r\n');
        }
      } else if (verb === 'DATA') {
        c.send('354 Start mail input; end with <CRLF>.<CRLF>\r\n');
        await c.body();
        c.send(accepted.map((address) => `${deliver(address)}\r\n`).join(''));
        accepted.length = 0;
      } else if (verb === 'QUIT') {
        c.send('221 2.0.0 foo.edu closing connection\r\n');
        return;
      } else c.send('500 5.5.1 unknown command\r\n');
    }
  };
}

/** RFC 2033 §4.2's example session: pat accepted, jones refused at RCPT, green accepted then over quota after the data. */
export const RFC_2033_EXAMPLE = [
  'S: 220 foo.edu LMTP server ready', 'C: LHLO foo.edu', 'S: 250-foo.edu', 'S: 250 PIPELINING',
  'C: MAIL FROM:<chris@bar.com>', 'S: 250 OK',
  'C: RCPT TO:<pat@foo.edu>', 'S: 250 OK', 'C: RCPT TO:<jones@foo.edu>', 'S: 550 No such user here', 'C: RCPT TO:<green@foo.edu>', 'S: 250 OK',
  'C: DATA', 'S: 354 Start mail input', 'Blah blah blah...', '.',
  'S: 250 OK', 'S: 452 <green@foo.edu> is temporarily over quota',
  'C: QUIT', 'S: 221 foo.edu closing connection',
];
