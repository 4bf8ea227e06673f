#!/usr/bin/env bash
# Builds the optimised release pkg/ and prints its gzipped size.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

# wasm-opt must come from the npm binaryen package: Debian's (108) breaks the output.
if [ ! -x node_modules/.bin/wasm-opt ]; then
  echo "[build] node_modules/.bin/wasm-opt is missing: run 'npm run setup' first" >&2
  exit 1
fi
rm -rf pkg
wasm-pack --log-level warn build --target web --release --out-dir pkg --no-pack
node scripts/size.mjs
