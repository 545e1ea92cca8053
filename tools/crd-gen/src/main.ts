/**
 * `tsx tools/crd-gen/src/main.ts [--check] [--out DIR]`: writes every CRD to apps/controller/chart/crds/
 * (or DIR). With `--check`, writes nothing and exits 1 listing the files that are missing or stale.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderCrd } from './crd.js';
import { CRD_SOURCES } from './resources.js';

/** Where the CRDs live, relative to the repository root. */
export const DEFAULT_OUT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../apps/controller/chart/crds');

async function main(argv: string[]): Promise<number> {
  const check = argv.includes('--check');
  const outIndex = argv.indexOf('--out');
  const outDir = outIndex >= 0 && argv[outIndex + 1] ? path.resolve(argv[outIndex + 1] as string) : DEFAULT_OUT_DIR;
  const stale: string[] = [];
  if (!check) await mkdir(outDir, { recursive: true });
  for (const source of CRD_SOURCES) {
    const file = path.join(outDir, source.file);
    const text = renderCrd(source);
    if (check) {
      const current = await readFile(file, 'utf8').catch(() => undefined);
      if (current !== text) stale.push(file);
    } else {
      await writeFile(file, text);
      process.stdout.write(`wrote ${path.relative(process.cwd(), file)}\n`);
    }
  }
  if (stale.length) {
    process.stderr.write(`stale CRDs (run npm run generate -w @karpenter-ts/crd-gen):\n${stale.map((f) => `  ${f}`).join('\n')}\n`);
    return 1;
  }
  return 0;
}

process.exitCode = await main(process.argv.slice(2));
