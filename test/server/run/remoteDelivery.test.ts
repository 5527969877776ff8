import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { describeDelivery, remoteDeliveries } from '../../../server/src/run/remoteDelivery';
import { sessionServer } from '../../../server/src/run/sessionRouting';
import { parseTranscript } from '../../../server/src/transcript/parseTranscript';

const file = parseTranscript([
  '### Submission with AUTH',
  '@server = Smtp.Example.ORG:587',
  'S: 220 mx',
  'C: EHLO client.example',
  'S: 250 ok',
  'C: AUTH PLAIN {{$secret PASS}}',
  'S: 235 ok',
  'C: MAIL FROM:<alice@example.com>',
  'S: 250 ok',
  'C: RCPT TO:<bob@example.org>',
  'S: 250 ok',
  'C: RCPT TO:<{{to}}>',
  'S: 250 ok',
  'C: DATA',
  'S: 354 go',
  'Subject: hi',
  '',
  'Hello.',
  '.',
  'S: 250 queued',
  'C: QUIT',
  'S: 221 bye',
  '### Loopback',
  '@server = 127.0.0.1:2525',
  'S: 220 mx',
  'C: QUIT',
  'S: 221 bye',
  '### Same host again, BDAT',
  '@server = smtp.example.org:587',
  'S: 220 mx',
  'C: MAIL FROM:<alice@example.com>',
  'S: 250 ok',
  'C: RCPT TO:<bob@example.org>',
  'S: 250 ok',
  'C: BDAT 4 LAST',
  'Hi.',
  'S: 250 ok',
  '### No server named',
  'S: 220 mx',
  'C: QUIT',
  'S: 221 bye',
  '### Broken server setting',
  '@server = mx.example.net:99999',
  'S: 220 mx',
  'C: QUIT',
  'S: 221 bye',
].join('\n'));
const all = (toCaptureServer: (index: number) => boolean = () => false) => file.sessions.map((_, index) => ({ index, toCaptureServer: toCaptureServer(index) }));

describe('remoteDeliveries: what a run would send off this machine', () => {
  it('gathers the sessions per remote host, with messages, recipients as written and AUTH', () => {
    const deliveries = remoteDeliveries(file, all((index) => index === 3), { server: null, variables: null });
    assert.deepEqual(deliveries, [{
      host: 'smtp.example.org',
      port: 587,
      sessions: [0, 2],
      messages: 2,
      recipients: ['<bob@example.org>', '<{{to}}>'],
      auth: true,
    }]);
  });

  it('leaves out loopback hosts, the embedded server and sessions whose server setting is wrong', () => {
    const deliveries = remoteDeliveries(file, all(() => true), { server: null, variables: null });
    assert.deepEqual(deliveries, []);
    const onlyLocal = remoteDeliveries(file, [{ index: 1, toCaptureServer: false }, { index: 4, toCaptureServer: false }], { server: null, variables: null });
    assert.deepEqual(onlyLocal, []);
  });

  it('counts the run\'s server override and an environment\'s server as where the session goes', () => {
    const overridden = remoteDeliveries(file, [{ index: 1, toCaptureServer: false }], { server: 'relay.example.net:25', variables: null });
    assert.deepEqual(overridden.map((delivery) => `${delivery.host}:${delivery.port}`), ['relay.example.net:25']);
    const fromEnvironment = remoteDeliveries(file, [{ index: 3, toCaptureServer: false }], { server: null, variables: { server: '192.0.2.7:25' } });
    assert.deepEqual(fromEnvironment.map((delivery) => delivery.host), ['192.0.2.7']);
  });

  it('treats ::1 and names under .localhost as this machine, like the AUTH guard', () => {
    const local = remoteDeliveries(file, [{ index: 1, toCaptureServer: false }], { server: '[::1]:25', variables: null });
    assert.deepEqual(local, []);
    assert.deepEqual(remoteDeliveries(file, [{ index: 1, toCaptureServer: false }], { server: 'mail.localhost:25', variables: null }), []);
  });
});

describe('describeDelivery: the line a question shows', () => {
  it('names the messages, the recipients and whether credentials go there', () => {
    assert.equal(
      describeDelivery({ host: 'smtp.example.org', port: 587, sessions: [0], messages: 1, recipients: ['<bob@example.org>'], auth: true }),
      '1 message to <bob@example.org>, with AUTH (your credentials go to this server)',
    );
    assert.equal(
      describeDelivery({ host: 'mx.example.net', port: 25, sessions: [0], messages: 0, recipients: [], auth: false }),
      'no message to no recipient, without AUTH',
    );
  });

  it('shows five recipients and counts the rest', () => {
    const recipients = Array.from({ length: 7 }, (_, index) => `<r${index}@example.org>`);
    assert.match(describeDelivery({ host: 'mx.example.net', port: 25, sessions: [0], messages: 3, recipients, auth: false }), /^3 messages to <r0@example\.org>, .*<r4@example\.org> and 2 more, without AUTH$/);
  });
});

describe('sessionServer: the host a session\'s secrets are bound to', () => {
  it('is the named host, lower-cased, and null when the setting is wrong', () => {
    assert.deepEqual(sessionServer(file, file.sessions[0], {}), { host: 'smtp.example.org', port: 587 });
    assert.equal(sessionServer(file, file.sessions[4], {}), null);
  });
});
