/**
 * The pure domain's import ban (DESIGN.md §2) is only as good as the lint configuration behind it: these
 * cases lint source text as if it were a file of each project, with the repository's real eslint.config.mjs.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
const eslint = new ESLint({ cwd: root });

async function lintAs(relativeFile: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(root, relativeFile) });
  return (result?.messages ?? []).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('module boundaries', () => {
  it.each([
    { what: 'a Node built-in', code: "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n" },
    { what: 'a bare Node built-in', code: "import path from 'path';\nexport const p = path;\n" },
    { what: 'the Kubernetes client', code: "import * as k8s from '@kubernetes/client-node';\nexport const k = k8s;\n" },
    { what: 'an AWS SDK client', code: "import * as ec2 from '@aws-sdk/client-ec2';\nexport const e = ec2;\n" },
    { what: 'vscode', code: "import * as vscode from 'vscode';\nexport const v = vscode;\n" },
    { what: 'react', code: "import * as React from 'react';\nexport const r = React;\n" },
  ])('the domain library may not import $what', async ({ code }) => {
    const messages = await lintAs('libs/provisioner-domain/src/scheduling/probe.ts', code);
    expect(messages.some((m) => m.startsWith('no-restricted-imports') || m.startsWith('@nx/enforce-module-boundaries'))).toBe(true);
  });

  it('the domain library may import zod and yaml', async () => {
    const messages = await lintAs('libs/provisioner-domain/src/apis/probe.ts', "import { z } from 'zod';\nimport { parse } from 'yaml';\nexport const s = [z, parse];\n");
    expect(messages).toEqual([]);
  });

  it('the controller may import Node built-ins and the Kubernetes client', async () => {
    const messages = await lintAs(
      'apps/controller/src/probe.ts',
      "import { readFileSync } from 'node:fs';\nimport * as k8s from '@kubernetes/client-node';\nexport const x = [readFileSync, k8s];\n",
    );
    expect(messages).toEqual([]);
  });
});
