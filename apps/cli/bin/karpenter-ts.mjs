#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the CLI works from a fresh clone without a build step.
import { register } from 'tsx/esm/api';

// A reader that stops early (`karpenter-ts simulate -o table | head`) closes the pipe: end quietly, exit 0.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (err) => {
    if (err && err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// Commands that set process.exitCode themselves (simulate) keep it when main reports success.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
