import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES_DOC_URL } from './settings.js';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** Every `code: '...'` literal in the domain's validation sources. */
function domainCodes(): string[] {
  const dirs = ['libs/provisioner-domain/src/apis', 'libs/provisioner-domain/src/apis/validate', 'libs/provisioner-domain/src/authoring'];
  const codes = new Set<string>();
  for (const dir of dirs) {
    for (const f of readdirSync(path.join(repo, dir))) {
      if (!f.endsWith('.ts') || f.endsWith('.test.ts') || f.startsWith('conversion')) continue;
      for (const m of readFileSync(path.join(repo, dir, f), 'utf8').matchAll(/code: '([a-z0-9-]+)'/g)) codes.add(m[1]!);
    }
  }
  return [...codes];
}

describe('docs/rules.md', () => {
  it('is where diagnostics link to, and has an anchor for every code the domain emits', () => {
    expect(DEFAULT_RULES_DOC_URL).toBe(`file://${path.join(repo, 'docs/rules.md')}`);
    const doc = readFileSync(path.join(repo, 'docs/rules.md'), 'utf8');
    const codes = [...domainCodes(), 'too-big', 'too-small', 'invalid-union', 'file-too-large'];
    expect(codes.length).toBeGreaterThan(60);
    expect(codes.filter((c) => !doc.includes(`<a id="${c}"></a>`))).toEqual([]);
  });
});
