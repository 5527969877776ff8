// A rule in one line of words, for `serve`'s start-up lines: what the server
// was told to do, so a user sees at once whether the file said what they meant.
import type { FaultRule } from './faultRule';

export function describeRule(rule: FaultRule): string {
  const where = rule.on.map((point) => (point === 'connect' ? 'the greeting' : point === 'end-of-data' ? 'the end of data' : point === 'any' ? 'any command' : point)).join(', ');
  const conditions: string[] = [];
  if (rule.address) conditions.push(`address ${rule.address.source === '^$' ? '<>' : `/${rule.address.source}/i`}`);
  if (rule.parameter) conditions.push(rule.parameter.op === 'present' ? rule.parameter.name : `${rule.parameter.name}${rule.parameter.op}${rule.parameter.value}`);
  if (rule.regex) conditions.push(`line /${rule.regex.source}/i`);
  const count = rule.count;
  if (count?.kind === 'nth') conditions.push(`the ${ordinal(count.n)} time only`);
  if (count?.kind === 'every') conditions.push(`every ${count.n === 1 ? '' : `${ordinal(count.n)} `}time`);
  if (count?.kind === 'after') conditions.push(`once ${count.messages} message${count.messages === 1 ? '' : 's'} arrived within ${count.seconds} s`);
  const actions: string[] = [];
  if (rule.delayMs > 0) actions.push(`wait ${rule.delayMs} ms`);
  if (rule.reply) actions.push(`answer ${rule.reply.code}${rule.reply.enhanced ? ` ${rule.reply.enhanced}` : ''} ${rule.reply.text}`);
  if (rule.disconnect) actions.push('drop the connection without a reply');
  return `${rule.label}: at ${where}${conditions.length > 0 ? ` (${conditions.join(', ')})` : ''}, ${actions.join(', then ')}.`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : n % 10 === 1 ? 'st' : n % 10 === 2 ? 'nd' : n % 10 === 3 ? 'rd' : 'th';
  return `${n}${suffix}`;
}
