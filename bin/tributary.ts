/** `tributary`: runs the process's command line (bin/cli.ts) and exits with its code. */
import { run } from './cli';

void run(process.argv).then((code) => (process.exitCode = code));
