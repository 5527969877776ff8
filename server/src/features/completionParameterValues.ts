import type { EsmtpParameterSpec } from '../protocol/parameters';

export interface ParameterValue {
  value: string;
  meaning: string;
}

// The parameters whose value is one word of a fixed set, with the section that lists the set.
const FIXED_VALUES: Readonly<Record<string, readonly ParameterValue[]>> = {
  // RFC 6152 §2 and RFC 3030 §3
  BODY: [
    { value: '7BIT', meaning: 'Plain 7-bit text' },
    { value: '8BITMIME', meaning: 'Content with octets above 127 (needs 8BITMIME)' },
    { value: 'BINARYMIME', meaning: 'Binary MIME content, sent with BDAT only (needs BINARYMIME and CHUNKING)' },
  ],
  // RFC 3461 §4.3
  RET: [
    { value: 'FULL', meaning: 'A failure report returns the whole message' },
    { value: 'HDRS', meaning: 'A failure report returns only the header' },
  ],
  // RFC 3461 §4.1: NEVER alone, or a comma list of the other three.
  NOTIFY: [
    { value: 'NEVER', meaning: 'No delivery report for this recipient' },
    { value: 'SUCCESS', meaning: 'Report a successful delivery' },
    { value: 'FAILURE', meaning: 'Report a failed delivery' },
    { value: 'DELAY', meaning: 'Report a delayed delivery' },
  ],
};

// What to type over for values that are free-form; each example is valid for its checker in protocol/parameters.ts.
const EXAMPLES: Readonly<Record<string, string>> = {
  SIZE: '1000',
  ENVID: 'QQ314159',
  AUTH: '<>',
  BY: '3600;R',
  'MT-PRIORITY': '0',
  HOLDFOR: '3600',
  HOLDUNTIL: '2026-05-01T09:30:00Z',
  RRVS: '2026-01-01T00:00:00Z',
};

/** The fixed values a parameter takes, for completion after `NAME=`; empty for free-form values. */
export function parameterValues(spec: EsmtpParameterSpec): readonly ParameterValue[] {
  return FIXED_VALUES[spec.name] ?? [];
}

/**
 * `NAME=value` as a snippet: a choice for a fixed set, a placeholder with a
 * valid example otherwise, the bare name for flags. `address` (already
 * escaped for a snippet) fills ORCPT, which repeats the recipient.
 */
export function parameterValueSnippet(spec: EsmtpParameterSpec, address: string | null): string {
  if (!spec.takesValue) return spec.name;
  const fixed = parameterValues(spec);
  if (fixed.length > 1) return `${spec.name}=\${1|${fixed.map((v) => v.value).join(',')}|}`;
  if (spec.name === 'ORCPT') return `ORCPT=rfc822;\${1:${address ?? 'bob@example.org'}}`;
  const example = EXAMPLES[spec.name];
  return example === undefined ? `${spec.name}=$1` : `${spec.name}=\${1:${example}}`;
}
