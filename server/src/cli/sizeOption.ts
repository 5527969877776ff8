import { UsageError } from './parseArguments';

const SIZE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3 };

/** A size option's bytes: `1000`, `64K`, `10M`, `1G` (binary units); undefined when the option was not given. */
export function sizeOption(name: string, value: string | true | undefined): number | undefined {
  if (value === undefined) return undefined;
  const match = typeof value === 'string' ? /^(\d+)([KMG]?)$/i.exec(value) : null;
  const size = match ? Number(match[1]) * SIZE_UNITS[match[2].toUpperCase()] : NaN;
  if (!(size >= 1 && Number.isSafeInteger(size))) throw new UsageError(`--${name} must be a number of bytes such as 1000000, 64K or 10M, not "${String(value)}".`);
  return size;
}
