import { parseReplyPattern } from '../transcript/replyPattern';
import { findSystemFunction, isSecretVariable, SECRET_PREFIX, SYSTEM_FUNCTIONS } from '../transcript/systemFunctions';
import type { Problem, VariableDefinition, VariableReference } from '../transcript/ast';
import { allReferences } from './variableScope';

/**
 * Checks the references of one line: each `{{name}}` must be defined before it
 * in scope (or `external`ly: an editor environment's names), each
 * `{{$function}}` must exist with its arguments, `$file` only in a body,
 * `$reply…` and `$cramMd5` only once a reply has come (`afterReply`).
 */
export function checkReferences(references: readonly VariableReference[], visible: ReadonlyMap<string, VariableDefinition>, inBody: boolean, problems: Problem[], external: ReadonlySet<string> = new Set(), afterReply = true): void {
  for (const reference of allReferences(references)) {
    const name = reference.name.text;
    const problem = (message: string) => problems.push({ code: 'unknown-variable', severity: 'error', range: reference.range, message });
    if (name === '') {
      problem('Empty "{{}}": write a variable name, e.g. {{user}}, or a function such as {{$env NAME}}.');
      continue;
    }
    if (reference.system) {
      const fn = findSystemFunction(name);
      if (!fn) problem(`${name} is not a system variable; the known ones are ${SYSTEM_FUNCTIONS.map((f) => f.name).join(', ')}.`);
      else if (fn.bodyOnly && !inBody) problem(`${name} can only stand inside a message body, where it becomes body lines.`);
      else if (fn.fromReply && !afterReply) problem(`${name} reads the most recent reply, and no S: line comes before it in this session: use it after the reply it should read.`);
      else if (fn.wholeText) {
        if (reference.args.length === 0 && !fn.optionalArgs) problem(`${name} needs its ${fn.args[0]}: {{${name} ${fn.args[0]}}}.`);
        const pattern = reference.args.length > 0 ? parseReplyPattern(writtenArguments(reference)) : null;
        if (pattern && !pattern.ok) problem(`{{${name} …}}: ${pattern.message}`);
      } else if (reference.args.length !== fn.args.length) problem(`${name} takes ${fn.args.length} argument${fn.args.length === 1 ? '' : 's'}: {{${name} ${fn.args.join(' ')}}}.`);
      else if (name === '$env' && reference.args[0].kind === 'literal' && isSecretVariable(reference.args[0].token.text)) {
        const variable = reference.args[0].token.text;
        problems.push({ code: 'env-secret', severity: 'error', range: reference.range, message: `${variable} holds a secret, and a run refuses to read it with $env (its value would be shown). Write {{$secret ${variable.slice(SECRET_PREFIX.length)}}}: it reads ${variable} and keeps the value out of every output.` });
      }
      continue;
    }
    if (!visible.has(name) && !external.has(name)) {
      const similar = [...visible.keys()].find((known) => known.toLowerCase() === name.toLowerCase());
      const hint = similar ? ` Did you mean {{${similar}}}?` : ` Define it with "@${name} = value" on a line above (in this session, or before the first ### for the whole file).`;
      problem(`{{${name}}} is not defined at this point.${hint}`);
    }
  }
}

/** The arguments as written (literal words with the spaces between them), for a function that takes its argument whole. */
function writtenArguments(reference: VariableReference): string {
  let text = '';
  let end: number | null = null;
  for (const arg of reference.args) {
    const range = arg.kind === 'literal' ? arg.token.range : arg.reference.range;
    const written = arg.kind === 'literal' ? arg.token.text : '{{…}}';
    if (end !== null) text += ' '.repeat(Math.max(1, range.start.character - end));
    text += written;
    end = range.end.character;
  }
  return text;
}
