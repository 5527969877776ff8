import type { FileLocation } from './fileConfinement';

/** What the analysis knows besides the file. */
export interface AnalysisOptions {
  /**
   * Where the file is and its workspace folder, so a `{{$file ../x}}` that
   * leaves the folder is reported; without it only absolute and system paths are.
   */
  fileLocation?: FileLocation;
  /**
   * Variable names defined outside the file, by the editor's environments
   * (`smtp.environments`): a `{{name}}` among them is not reported as undefined.
   */
  externalVariables?: ReadonlySet<string>;
}
