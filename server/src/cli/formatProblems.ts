import type { Problem } from '../transcript/ast';

export interface CheckedFile {
  file: string;
  problems: Problem[];
}

/** The JSON of `check --format json`: a stable interface (1-based lines, 0-based characters). */
export function problemsToJson(files: CheckedFile[]): string {
  const report = files.map(({ file, problems }) => ({
    file,
    diagnostics: problems.map((problem) => ({
      line: problem.range.start.line + 1,
      character: problem.range.start.character,
      endLine: problem.range.end.line + 1,
      endCharacter: problem.range.end.character,
      severity: problem.severity,
      code: problem.code,
      message: problem.message,
    })),
  }));
  return JSON.stringify(report, null, 2);
}

/** Compiler-style lines (`file:line:column: severity code: message`, both 1-based) and a summary. */
export function problemsToText(files: CheckedFile[]): string {
  const lines: string[] = [];
  const counts = { error: 0, warning: 0, information: 0, hint: 0 };
  for (const { file, problems } of files) {
    for (const problem of problems) {
      counts[problem.severity]++;
      const { line, character } = problem.range.start;
      lines.push(`${file}:${line + 1}:${character + 1}: ${problem.severity} ${problem.code}: ${problem.message}`);
    }
  }
  const found = (Object.keys(counts) as (keyof typeof counts)[])
    .filter((severity) => counts[severity] > 0)
    .map((severity) => plural(counts[severity], severity === 'information' ? 'note' : severity));
  const checked = plural(files.length, 'file');
  lines.push(found.length === 0 ? `${checked} checked: no problems.` : `${checked} checked: ${found.join(', ')}.`);
  return lines.join('\n');
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
