/**
 * A lint of apps/controller/Dockerfile (no Docker engine or hadolint runs here): the rules below mirror the
 * hadolint checks that matter for this image (DL3000, DL3002, DL3006, DL3007, DL3015, DL3016, DL3020,
 * DL3025) plus this project's own: a multi-stage build on a pinned Node LTS base, a final stage holding only
 * the esbuild bundle (production code, no node_modules), a numeric non-root user, and the chart's command as
 * the entrypoint. Each rule is also shown to fire on a Dockerfile that breaks it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { controllerAppDir } from './testing/harness.js';

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

/** Instructions of a Dockerfile: comments dropped, `\` continuations joined, keywords upper-cased. */
function instructions(text: string): Instruction[] {
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (pending === undefined && (line === '' || line.startsWith('#'))) return;
    if (pending !== undefined && line.startsWith('#')) return;
    const chunk = line.endsWith('\\') ? line.slice(0, -1) : line;
    pending = pending === undefined ? { text: chunk, line: index + 1 } : { text: `${pending.text} ${chunk}`, line: pending.line };
    if (!line.endsWith('\\')) {
      const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(pending.text) ?? [];
      out.push({ keyword: keyword.toUpperCase(), args: args.trim(), line: pending.line });
      pending = undefined;
    }
  });
  return out;
}

/** The chart's container command (templates/deployment.yaml). */
function chartCommand(): string[] {
  const template = readFileSync(join(controllerAppDir, 'chart/templates/deployment.yaml'), 'utf8');
  const match = /^\s*command:\s*(\[.*\])\s*$/m.exec(template);
  return match?.[1] ? (JSON.parse(match[1]) as string[]) : [];
}

/** Findings as `RULE line: sentence`; empty = clean. */
function lintDockerfile(text: string, expectedCommand: string[]): string[] {
  const findings: string[] = [];
  const all = instructions(text);
  const stages: { from: Instruction; body: Instruction[] }[] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') stages.push({ from: ins, body: [] });
    else stages.at(-1)?.body.push(ins);
  }
  if (stages.length < 2) findings.push('KTS001 1: use a multi-stage build (a build stage and a runtime stage)');
  for (const { from } of stages) {
    const image = from.args.replace(/^--platform=\S+\s+/, '').split(/\s+/)[0] ?? '';
    if (stages.some((s) => new RegExp(`\\bAS\\s+${image}$`, 'i').test(s.from.args))) continue; // FROM an earlier stage
    const [, name = '', tag = ''] = /^([^:@]+)(?::([^@]+))?(?:@.*)?$/.exec(image) ?? [];
    if (tag === '' && !image.includes('@')) findings.push(`DL3006 ${from.line}: pin the base image ${image} to a tag`);
    if (tag === 'latest') findings.push(`DL3007 ${from.line}: do not use the latest tag (${image})`);
    const lts = /^(\d+)-(bookworm|trixie)-slim$/.exec(tag);
    if (name !== 'node' || lts === null || Number(lts[1]) % 2 !== 0) {
      findings.push(`KTS002 ${from.line}: base on a Node LTS (even major) Debian slim image such as node:24-bookworm-slim, not ${image}`);
    }
  }
  for (const ins of all) {
    if (ins.keyword === 'ADD') findings.push(`DL3020 ${ins.line}: use COPY instead of ADD`);
    if (ins.keyword === 'WORKDIR' && !ins.args.startsWith('/')) findings.push(`DL3000 ${ins.line}: use an absolute WORKDIR`);
    if (ins.keyword === 'RUN' && /apt-get install/.test(ins.args) && !/--no-install-recommends/.test(ins.args)) {
      findings.push(`DL3015 ${ins.line}: apt-get install needs --no-install-recommends`);
    }
    if (ins.keyword === 'RUN' && /\bnpm (install|i)\b/.test(ins.args)) findings.push(`DL3016 ${ins.line}: install from the lockfile with npm ci, not npm install`);
    if ((ins.keyword === 'CMD' || ins.keyword === 'ENTRYPOINT') && !ins.args.startsWith('[')) findings.push(`DL3025 ${ins.line}: use the JSON (exec) form of ${ins.keyword}`);
  }
  const final = stages.at(-1);
  if (final) {
    const users = final.body.filter((i) => i.keyword === 'USER');
    const user = users.at(-1)?.args ?? '';
    if (!/^[1-9]\d*(:\d+)?$/.test(user)) findings.push(`DL3002 ${users.at(-1)?.line ?? final.from.line}: the final stage must run as a numeric non-root USER (e.g. 65532:65532), not "${user || 'root'}"`);
    for (const ins of final.body) {
      if (ins.keyword === 'RUN' && /\b(npm|yarn|pnpm)\b/.test(ins.args)) findings.push(`KTS003 ${ins.line}: the runtime stage installs nothing: copy the bundle from the build stage`);
      if (ins.keyword === 'COPY' && !/--from=\S+.*\/dist\s+\S+$/.test(ins.args)) {
        findings.push(`KTS003 ${ins.line}: the runtime stage copies only the bundle (dist/) from the build stage: ${ins.args}`);
      }
    }
    const entry = final.body.filter((i) => i.keyword === 'ENTRYPOINT' || i.keyword === 'CMD').at(-1);
    let command: unknown;
    try {
      command = entry ? JSON.parse(entry.args) : undefined;
    } catch {
      command = undefined;
    }
    if (JSON.stringify(command) !== JSON.stringify(expectedCommand)) {
      findings.push(`KTS004 ${entry?.line ?? final.from.line}: the entrypoint must be the chart's command ${JSON.stringify(expectedCommand)}`);
    }
  }
  return findings;
}

describe('apps/controller/Dockerfile', () => {
  const command = chartCommand();

  it('the chart runs the bundle', () => {
    expect(command).toEqual(['node', 'dist/main.mjs']);
  });

  it('passes the lint', () => {
    expect(lintDockerfile(readFileSync(join(controllerAppDir, 'Dockerfile'), 'utf8'), command)).toEqual([]);
  });

  it('the lint catches each broken rule', () => {
    const bad = [
      'FROM node AS build',
      'WORKDIR src',
      'ADD . .',
      'RUN apt-get update && apt-get install -y curl \\',
      '  && npm install',
      'FROM node:latest',
      'FROM node:23-bookworm-slim',
      'COPY --from=build /src/node_modules ./node_modules',
      'RUN npm ci --omit=dev',
      'CMD node dist/main.mjs',
    ].join('\n');
    const rules = lintDockerfile(bad, command).map((f) => f.split(' ')[0]);
    expect(new Set(rules)).toEqual(new Set(['DL3006', 'DL3007', 'KTS002', 'DL3000', 'DL3020', 'DL3015', 'DL3016', 'DL3025', 'DL3002', 'KTS003', 'KTS004']));
    expect(lintDockerfile('FROM node:24-bookworm-slim\nUSER 1000\nENTRYPOINT ["node", "dist/main.mjs"]\n', command)).toEqual([
      'KTS001 1: use a multi-stage build (a build stage and a runtime stage)',
    ]);
  });
});
