#!/usr/bin/env bash
# Every test: the native core, the JS modules, the browser suite in Chromium and Firefox, the
# end-to-end tests on the optimised release build. Any failure ends it non-zero.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"

echo "== native core: cargo test"
cargo test --quiet --lib

echo "== release build"
bash scripts/build.sh

echo "== JS modules, browser suite (Chromium, Firefox), end-to-end and docs tests (node --test)"
node --test --test-concurrency=1 tests/*.test.mjs tests/e2e/
