import { parseReplyPattern } from '../transcript/replyPattern';
import { findSystemFunction, isSecretVariable, SECRET_PREFIX, SYSTEM_FUNCTIONS } from '../transcript/systemFunctions';
import type { Problem, VariableDefinition, VariableReference } from '../transcript/ast';

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * Checks the references of one line: each `{{name}}` must be defined before it
 * in scope (or `external`ly: an editor environment's names), each
 * `{{$function}}` must exist with its arguments, `$file` only in a body,
 * `$reply…` and `$cramMd5` only once a reply has come (`afterReply`).
 */
export function checkReferences(references: readonly VariableReference[], visible: ReadonlyMap<string, VariableDefinition>, inBody: boolean, problems: Problem[], external: ReadonlySet<string> = NO_NAMES, afterReply = true): void {
  for (const reference of references) checkReference(reference, visible, inBody, problems, external, afterReply);
}

/** One reference, then the ones nested in its arguments (the scanner bounds the depth). */
function checkReference(reference: VariableReference, visible: ReadonlyMap<string, VariableDefinition>, inBody: boolean, problems: Problem[], external: ReadonlySet<string>, afterReply: boolean): void {
  const name = reference.name.text;
  const message = referenceProblem(reference, name, visible, inBody, external, afterReply);
  if (message !== null) problems.push({ code: 'unknown-variable', severity: 'error', range: reference.range, message });
  else if (name === '$env' && reference.args.length === 1 && reference.args[0].kind === 'literal' && isSecretVariable(reference.args[0].token.text)) {
    const variable = reference.args[0].token.text;
    problems.push({ code: 'env-secret', severity: 'error', range: reference.range, message: `${variable} holds a secret, and a run refuses to read it with $env (its value would be shown). Write {{$secret ${variable.slice(SECRET_PREFIX.length)}}}: it reads ${variable} and keeps the value out of every output.` });
  }
  for (const arg of reference.args) if (arg.kind === 'reference') checkReference(arg.reference, visible, inBody, problems, external, afterReply);
}

/** What is wrong with one reference as `unknown-variable`; null when nothing is. */
function referenceProblem(reference: VariableReference, name: string, visible: ReadonlyMap<string, VariableDefinition>, inBody: boolean, external: ReadonlySet<string>, afterReply: boolean): string | null {
  if (name === '') return 'Empty "{{}}": write a variable name, e.g. {{user}}, or a function such as {{$env NAME}}.';
  if (reference.system) {
    const fn = findSystemFunction(name);
    if (!fn) return `${name} is not a system variable; the known ones are ${SYSTEM_FUNCTIONS.map((f) => f.name).join(', ')}.`;
    if (fn.bodyOnly && !inBody) return `${name} can only stand inside a message body, where it becomes body lines.`;
    if (fn.fromReply && !afterReply) return `${name} reads the most recent reply, and no S: line comes before it in this session: use it after the reply it should read.`;
    if (fn.wholeText) {
      if (reference.args.length === 0) return fn.optionalArgs ? null : `${name} needs its ${fn.args[0]}: {{${name} ${fn.args[0]}}}.`;
      const pattern = parseReplyPattern(writtenArguments(reference));
      return pattern.ok ? null : `{{${name} …}}: ${pattern.message}`;
    }
    if (reference.args.length !== fn.args.length) return `${name} takes ${fn.args.length} argument${fn.args.length === 1 ? '' : 's'}: {{${name} ${fn.args.join(' ')}}}.`;
    return null;
  }
  if (visible.has(name) || external.has(name)) return null;
  let similar: string | null = null;
  for (const known of visible.keys()) {
    if (known.toLowerCase() === name.toLowerCase()) {
      similar = known;
      break;
    }
  }
  const hint = similar ? ` Did you mean {{${similar}}}?` : ` Define it with "@${name} = value" on a line above (in this session, or before the first ### for the whole file).`;
  return `{{${name}}} is not defined at this point.${hint}`;
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
