#!/usr/bin/env node
// First step of `npm start`, `npm test` and `npm run bench`: makes sure the npm dependencies are installed
// and current, with progress on screen. Plain Node (no dependencies), because it runs before any exist.
// Debian packages and the local control plane's binaries are installed later, by the code that needs them
// (tools/local-cluster ensureBinaries), so a fresh machine needs nothing but Node, npm and Go.
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const lock = join(root, 'package-lock.json');
const installedLock = join(root, 'node_modules', '.package-lock.json');

const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 20 || (major === 20 && minor < 19)) {
  console.error(`karpenter-ts needs Node.js >= 20.19 (found ${process.versions.node}). Install a newer Node.js and run again.`);
  process.exit(1);
}

const stale = !existsSync(installedLock) || statSync(lock).mtimeMs > statSync(installedLock).mtimeMs;
if (stale) {
  const started = Date.now();
  console.log('[karpenter-ts] installing npm dependencies (npm ci) ...');
  execSync('npm ci --no-audit --no-fund --loglevel=error', { cwd: root, stdio: 'inherit' });
  console.log(`[karpenter-ts] npm dependencies installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
