#!/usr/bin/env node
// Runs the TypeScript entry point through tsx, so the CLI works from a fresh clone without a build step.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/main.ts');
const code = await main(process.argv.slice(2));
// Commands that set process.exitCode themselves (simulate) keep it when main reports success.
if (code !== 0 || process.exitCode === undefined) process.exitCode = code;
