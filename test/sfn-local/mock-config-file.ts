/** Writes every workflow's MockConfigFile as one file (the path given), for SFN_MOCK_CONFIG. */
import { writeFileSync } from 'fs';
import { mergedMockConfig } from './engine';

const [path] = process.argv.slice(2);
if (!path) {
  process.stderr.write('usage: npm run sfn-local:mock-config -- <file>\n');
  process.exit(2);
}
writeFileSync(path, `${JSON.stringify(mergedMockConfig(), null, 2)}\n`);
process.stdout.write(`wrote ${path}: start the engine with SFN_MOCK_CONFIG=${path}\n`);
