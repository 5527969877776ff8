// One scripted fault of the capture server, as parseRules reads it from a
// rules file (or shorthandRules builds it from a command-line flag): when a
// point of the dialogue matches, reply with an error, drop the connection or
// wait. The engine (faultRules.ts) decides; the server (applyRules.ts,
// localServer.ts) acts.

/**
 * Where a rule looks: the greeting (`connect`), a command verb from
 * protocol/commands.ts, the end of a message's data (`end-of-data`, the lone
 * "." line), or every command line (`any`).
 */
export type RulePoint = 'connect' | 'end-of-data' | 'any' | string;

/** An ESMTP parameter the MAIL or RCPT line must carry: present, equal to a value, or a number above or below one. */
export type ParameterCondition =
  | { name: string; op: 'present' }
  | { name: string; op: '='; value: string }
  | { name: string; op: '>' | '<'; value: number };

/** Which of the matching times the rule acts on; null: every time it matches. */
export type RuleCount =
  | { kind: 'nth'; n: number }
  | { kind: 'every'; n: number }
  /** Once `messages` messages were accepted (250 to the end of data) within the last `seconds`. */
  | { kind: 'after'; messages: number; seconds: number };

export interface RuleReply {
  code: number;
  /** The enhanced status code (RFC 3463) to send; null: the server's usual one for the code. */
  enhanced: string | null;
  /** The reply text; `{address}` stands for the command's address. */
  text: string;
}

export interface FaultRule {
  /** How logs and errors name it: its `name`, else "rule N". */
  label: string;
  on: readonly RulePoint[];
  /** Tested against the MAIL or RCPT address without angle brackets ("" for the null sender `<>`). */
  address: RegExp | null;
  parameter: ParameterCondition | null;
  /** Tested against the command line as sent. */
  regex: RegExp | null;
  count: RuleCount | null;
  /** At most one of reply and disconnect; a rule with neither only waits. */
  reply: RuleReply | null;
  disconnect: boolean;
  delayMs: number;
}

/** A point of a dialogue the rules are asked about. */
export type RuleEvent =
  | { point: 'connect' }
  | { point: 'end-of-data' }
  | {
      point: 'command';
      /** Upper case. */
      verb: string;
      /** The command line as sent, without CRLF. */
      line: string;
      /** For MAIL and RCPT: the path without angle brackets; null otherwise or when there is none. */
      address: string | null;
      /** For MAIL and RCPT: parameter names (upper case) with their values (null when written without "="). */
      parameters: ReadonlyMap<string, string | null>;
    };
