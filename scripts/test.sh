#!/usr/bin/env bash
# Every test: the native core, the browser suite in Chromium and Firefox, the end-to-end tests
# on the optimised release build. Any failure ends it non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== native core: cargo test"
cargo test --quiet --lib

echo "== release build"
bash scripts/build.sh

echo "== browser tests (wasm-bindgen-test)"
node tests/run-browser.mjs chrome firefox

echo "== end-to-end and docs tests (node --test, headless Chromium, release pkg/)"
node --test --test-concurrency=1 tests/docs.test.mjs tests/e2e/
