// Whether a rule's point and patterns fit a moment of a dialogue. Counting
// (the Nth time, every Nth, a rate window) is faultRules.ts's job: this file
// answers for one event alone.
import { parseCommandLine } from '../../transcript/commandLine';
import type { FaultRule, ParameterCondition, RuleEvent } from './faultRule';

export function matchesRule(rule: FaultRule, event: RuleEvent): boolean {
  if (!appliesAt(rule, event)) return false;
  if (event.point !== 'command') return true;
  if (rule.regex && !rule.regex.test(event.line)) return false;
  if (rule.address && (event.address === null || !rule.address.test(event.address))) return false;
  if (rule.parameter && !parameterHolds(rule.parameter, event.parameters)) return false;
  return true;
}

function appliesAt(rule: FaultRule, event: RuleEvent): boolean {
  if (event.point !== 'command') return rule.on.includes(event.point);
  return rule.on.includes('any') || rule.on.includes(event.verb);
}

function parameterHolds(condition: ParameterCondition, parameters: ReadonlyMap<string, string | null>): boolean {
  if (!parameters.has(condition.name)) return false;
  const value = parameters.get(condition.name) ?? null;
  switch (condition.op) {
    case 'present':
      return true;
    case '=':
      return value !== null && value.toUpperCase() === condition.value.toUpperCase();
    case '>':
    case '<': {
      if (value === null || !/^\d+$/.test(value)) return false;
      const number = Number(value);
      return condition.op === '>' ? number > condition.value : number < condition.value;
    }
  }
}

/** A command line as the rules see it, read by the same parser as a transcript's `C:` lines. */
export function commandEvent(line: string): RuleEvent & { point: 'command' } {
  const parsed = parseCommandLine(line, 0, 0);
  const written = parsed.path?.address?.text ?? null;
  const address = written === null ? null : written.startsWith('<') && written.endsWith('>') ? written.slice(1, -1) : written;
  const parameters = new Map<string, string | null>();
  for (const parameter of parsed.parameters) parameters.set(parameter.name.text.toUpperCase(), parameter.value?.text ?? null);
  return { point: 'command', verb: parsed.verbName, line, address, parameters };
}

/**
 * An address glob as a case-insensitive pattern of the whole address: `*` is
 * any run of characters (none included), `?` exactly one; everything else
 * stands for itself.
 */
export function globToRegExp(glob: string): RegExp {
  const source = [...glob].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'is');
}
