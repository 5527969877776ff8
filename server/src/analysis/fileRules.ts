import type { Problem, VariableDefinition, VariableReference } from '../transcript/ast';
import { describeOutside, outsidePath, type FileLocation } from './fileConfinement';

/**
 * A `{{$file PATH}}` body line whose path leaves the workspace folder (by its
 * text: `..`, an absolute path, /proc): a warning with the rule, since a run
 * refuses it unless the session says `@allow-outside-files = true` (then it
 * is information: the run reads it and says so). Symbolic links are only
 * followed by the run itself.
 */
export function checkFileReference(references: readonly VariableReference[], visible: ReadonlyMap<string, VariableDefinition>, location: FileLocation | null, problems: Problem[]): void {
  for (const reference of references) {
    if (reference.name.text !== '$file') continue;
    const argument = reference.args[0];
    if (reference.args.length !== 1 || argument.kind !== 'literal') continue;
    const written = argument.token.text;
    const outside = outsidePath(written, location);
    if (!outside) continue;
    const allowed = outside.kind !== 'system' && visible.get('allow-outside-files')?.value.text.toLowerCase() === 'true';
    problems.push({
      code: 'file-outside-workspace',
      severity: allowed ? 'information' : 'warning',
      range: reference.range,
      message: allowed
        ? `{{$file ${written}}} reads ${outside.resolved}, outside the workspace folder; "@allow-outside-files = true" lets the run send it, and the run's summary names it.`
        : `{{$file ${written}}} ${describeOutside(outside, location?.root ?? null)} A run refuses it: a transcript, perhaps from someone else, must not send files from elsewhere on this machine.`,
    });
  }
}
