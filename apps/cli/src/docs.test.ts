/**
 * The examples of docs/*.md run: every ```yaml file=NAME block is a file, every "$ karpenter-ts ARGS" line of a
 * ```console block runs through `main` on those files, and its stdout must be the lines that follow it.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { nodeIo } from './io.js';
import { main } from './main.js';
import { fakeIo } from './testing/fake-io.js';

const DOCS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../docs');

interface Example {
  doc: string;
  args: string[];
  stdout: string;
  files: Record<string, string>;
}

function examplesOf(doc: string): Example[] {
  const text = readFileSync(path.join(DOCS, doc), 'utf8');
  const files: Record<string, string> = {};
  for (const m of text.matchAll(/```(?:yaml|json) file=(\S+)\n([\s\S]*?)```/g)) files[m[1] as string] = m[2] as string;
  const out: Example[] = [];
  for (const block of text.matchAll(/```console\n([\s\S]*?)```/g)) {
    let current: Example | undefined;
    for (const line of (block[1] as string).split('\n')) {
      if (line.startsWith('$ karpenter-ts ')) {
        current = { doc, args: line.slice('$ karpenter-ts '.length).split(/\s+/).filter(Boolean), stdout: '', files };
        out.push(current);
      } else if (current) {
        current.stdout += `${line}\n`;
      }
    }
  }
  for (const e of out) e.stdout = `${e.stdout.replace(/\n+$/, '')}\n`;
  return out;
}

const docs = readdirSync(DOCS).filter((f) => f.endsWith('.md'));
const examples = docs.flatMap(examplesOf);

describe('docs examples', () => {
  it('every format page has a runnable example', () => {
    for (const page of ['scenario.md', 'catalog.md', 'simulate-json.md', 'validate-json.md']) expect(examples.some((e) => e.doc === page), page).toBe(true);
  });
  it.each(examples.map((e) => [`${e.doc}: karpenter-ts ${e.args.join(' ')}`, e] as const))('%s', async (_name, e) => {
    const f = fakeIo(e.files);
    const code = await main(e.args, f.io);
    expect([0, 1]).toContain(code);
    expect(f.out()).toBe(e.stdout);
  });
});

describe('README: CLI in 5 minutes', () => {
  const readme = readFileSync(path.join(DOCS, '..', 'README.md'), 'utf8');
  const section = /## CLI in 5 minutes\n([\s\S]*?)\n## /.exec(readme)?.[1] ?? '';
  const commands = [...section.matchAll(/^npx karpenter-ts (.+?)(?:\s+#.*)?$/gm)].map((m) => (m[1] as string).trim().split(/\s+/));
  const repo = path.join(DOCS, '..');
  const real = nodeIo();

  it('comes first after the two set-up commands', () => {
    expect(readme.indexOf('npm start')).toBeLessThan(readme.indexOf('## CLI in 5 minutes'));
    expect(readme.indexOf('## CLI in 5 minutes')).toBeLessThan(readme.indexOf('## The local cluster'));
    expect(commands.length).toBeGreaterThanOrEqual(6);
  });

  it.each(commands.map((args) => [args.join(' '), args] as const))('karpenter-ts %s', async (_name, args) => {
    const out: string[] = [];
    const err: string[] = [];
    const io = {
      stdout: (t: string) => void out.push(t),
      stderr: (t: string) => void err.push(t),
      readFile: (p: string) => real.readFile(path.resolve(repo, p)),
      expandPath: async (p: string) => (await real.expandPath(path.resolve(repo, p))).map((f) => path.relative(repo, f)),
    };
    const code = await main(args, io);
    expect(code, err.join('')).toBe(0);
    expect(out.join('').length).toBeGreaterThan(0);
    expect(err.join('')).not.toMatch(/internal error|\n\s+at /);
  });
});
