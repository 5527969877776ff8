// An address of this machine that is not loopback (the first non-internal
// IPv4 address), for tests of what counts as "another host": the remote-run
// guard and the secrets' host binding go by the address named, and mail to a
// machine's own network address can reach a real MTA there, so it counts as
// remote — honestly, with no test-only exception in the rule. Null on a
// machine with no network interface; those tests then skip and say why.
import { networkInterfaces } from 'node:os';

export function nonLoopbackAddress(): string | null {
  for (const addresses of Object.values(networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return null;
}

export const NO_REMOTE_ADDRESS = nonLoopbackAddress() === null ? 'this machine has no non-loopback IPv4 address to play a remote host on' : false;
