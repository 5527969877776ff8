// Debian's Chromium driven by playwright-core. No browser is downloaded, and
// the flags keep it off the network (only the npm registry and Debian's
// mirrors are reachable here) and working as root without a GPU.
import { chromium, type Browser } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';

/** `homeDir` takes what Chromium would write under ~/.config and ~/.cache (crash reports, dconf). */
export async function launchChromium(homeDir: string): Promise<Browser> {
  return chromium.launch({
    env: { ...process.env, XDG_CONFIG_HOME: `${homeDir}/config`, XDG_CACHE_HOME: `${homeDir}/cache` },
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 60_000,
  });
}
