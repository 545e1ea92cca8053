#!/usr/bin/env node
// The Karpenter language server over stdio (`--stdio`, the default) or Node IPC (`--node-ipc`), run through tsx
// so it works from a fresh clone without a build step. `karpenter-ts lsp --stdio` runs the same server.
import { register } from 'tsx/esm/api';

register();
const { runLanguageServerProcess } = await import('../src/process.ts');
runLanguageServerProcess(process.argv.slice(2));
