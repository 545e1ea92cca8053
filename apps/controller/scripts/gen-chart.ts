/**
 * `npm run gen:chart -w @karpenter-ts/controller`: writes the chart files derived from the controller's
 * settings schema (src/chart/values-schema.ts): chart/values.schema.json, chart/templates/_settings.tpl and
 * the generated `settings:` block of chart/values.yaml. `--check` writes nothing and exits 1 when a file is
 * stale (values-schema.test.ts runs the same comparison).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { chartFiles } from '../src/chart/files.js';

const check = process.argv.includes('--check');
let stale = 0;
for (const file of chartFiles()) {
  const current = readFileSync(file.path, 'utf8');
  const wanted = file.generate(current);
  if (current === wanted) continue;
  stale += 1;
  if (check) process.stderr.write(`${file.path} is stale: run npm run gen:chart -w @karpenter-ts/controller\n`);
  else {
    writeFileSync(file.path, wanted);
    process.stdout.write(`wrote ${file.path}\n`);
  }
}
process.exit(check && stale > 0 ? 1 : 0);
