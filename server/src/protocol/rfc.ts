/**
 * A pointer into an RFC, carried by every row of the protocol tables so a
 * reviewer can open the standard at the right place and check the row.
 */
export interface RfcRef {
  rfc: number;
  section: string;
}

/** Renders a reference the way people cite it in prose, e.g. "RFC 5321 §4.1.1.1". */
export function formatRfc(ref: RfcRef): string {
  return `RFC ${ref.rfc} §${ref.section}`;
}
