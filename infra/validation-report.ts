/** The validation report a synth writes into its output folder: what cdk-nag and CloudFormation's rules found. */
import { existsSync, readFileSync } from 'fs';
import { join } from 'path';

interface ValidationReport {
  readonly pluginReports: ReadonlyArray<{
    readonly conclusion: string;
    readonly violations: ReadonlyArray<{
      readonly ruleName: string;
      readonly severity?: string;
      readonly description?: string;
      readonly violatingConstructs: ReadonlyArray<{ readonly constructPath: string }>;
    }>;
  }>;
}

export interface ValidationFinding {
  readonly ruleName: string;
  readonly severity?: string;
  readonly description?: string;
  readonly constructPath: string;
  /** Whether its plugin failed the synth (an unacknowledged cdk-nag finding, an error of the rules); else a warning. */
  readonly failing: boolean;
}

/** Every finding in the report of the synth into `outdir`; none when it wrote no report. */
export function validationFindings(outdir: string): ValidationFinding[] {
  const path = join(outdir, 'validation-report.json');
  if (!existsSync(path)) return [];
  const report = JSON.parse(readFileSync(path, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap(({ conclusion, violations }) =>
    violations.flatMap(({ ruleName, severity, description, violatingConstructs }) =>
      violatingConstructs.map(({ constructPath }) => ({ ruleName, severity, description, constructPath, failing: conclusion === 'failure' })),
    ),
  );
}
