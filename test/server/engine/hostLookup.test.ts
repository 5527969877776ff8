import { strict as assert } from 'node:assert';
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { connect, createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { lookupOncePerRun } from '../../../server/src/engine/hostLookup';

type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family?: number };

function ask(lookup: ReturnType<typeof lookupOncePerRun>, hostname: string, options: LookupOptions): Promise<Answer> {
  return new Promise((resolve) => lookup(hostname, options, (error, address, family) => resolve({ error, address, family })));
}

describe('lookupOncePerRun', () => {
  it('asks the resolver once per host name and options, and answers the rest from memory', async () => {
    const asked: string[] = [];
    const lookup = lookupOncePerRun((hostname, options, callback) => {
      asked.push(`${hostname} all=${options.all === true}`);
      setImmediate(() => callback(null, options.all ? [{ address: '192.0.2.7', family: 4 }] : '192.0.2.7', 4));
    });
    const answers = await Promise.all([1, 2, 3].map(() => ask(lookup, 'mx.example.org', { all: true })));
    const later = await ask(lookup, 'mx.example.org', { all: true });
    assert.deepEqual([...answers, later].map((answer) => answer.address), Array(4).fill([{ address: '192.0.2.7', family: 4 }]));
    // Three at once waited for one question; the fourth came from memory.
    assert.deepEqual(asked, ['mx.example.org all=true']);
    assert.deepEqual(await ask(lookup, 'mx.example.org', {}), { error: null, address: '192.0.2.7', family: 4 });
    assert.equal(asked.length, 2, 'other options are another question');
  });

  it('keeps no failure: the next connection asks again', async () => {
    let calls = 0;
    const lookup = lookupOncePerRun((_hostname, _options, callback) => {
      calls++;
      const error = Object.assign(new Error('getaddrinfo EAI_AGAIN'), { code: 'EAI_AGAIN' });
      callback(calls === 1 ? error : null, calls === 1 ? '' : '192.0.2.8', 4);
    });
    assert.equal((await ask(lookup, 'flaky.example', {})).error?.code, 'EAI_AGAIN');
    assert.equal((await ask(lookup, 'flaky.example', {})).address, '192.0.2.8');
    assert.equal((await ask(lookup, 'flaky.example', {})).address, '192.0.2.8');
    assert.equal(calls, 2);
  });

  it('tells every connection waiting on a name of its failure, not only the first', async () => {
    const lookup = lookupOncePerRun((_hostname, _options, callback) => {
      setImmediate(() => callback(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), '', 0));
    });
    const answers = await Promise.all([1, 2, 3].map(() => ask(lookup, 'nowhere.example', {})));
    assert.deepEqual(answers.map((answer) => answer.error?.code), ['ENOTFOUND', 'ENOTFOUND', 'ENOTFOUND']);
  });

  it('serves net.connect (which asks for all addresses to try each family): three connections to localhost, one lookup', async () => {
    const server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      let calls = 0;
      const lookup = lookupOncePerRun((hostname, options, callback) => {
        calls++;
        dnsLookup(hostname, options, (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family: number) => callback(error, address, family));
      });
      const { port } = server.address() as AddressInfo;
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: 'localhost', port, lookup, family: 4 }, () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        });
      }
      assert.equal(calls, 1);
    } finally {
      server.close();
    }
  });
});
