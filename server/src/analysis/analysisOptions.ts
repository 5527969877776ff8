/** What the analysis knows besides the file. */
export interface AnalysisOptions {
  /**
   * Variable names defined outside the file, by the editor's environments
   * (`smtp.environments`): a `{{name}}` among them is not reported as undefined.
   */
  externalVariables?: ReadonlySet<string>;
}
