#!/usr/bin/env bash
# Installs what the build and tests need, skipping whatever is already there (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

say() { printf '[setup] %s\n' "$*"; }

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (about 2 min)"
  cargo install wasm-pack --locked
fi

# wasm-bindgen-cli must match the wasm-bindgen pinned with = in Cargo.toml exactly.
bindgen=$(grep -E '^wasm-bindgen = ' Cargo.toml | grep -oE '"=[0-9.]+"' | tr -d '"=')
if [ -z "$bindgen" ]; then
  echo "[setup] Cargo.toml must pin wasm-bindgen with = (wasm-bindgen-cli has to match it)" >&2
  exit 1
fi
if [ "$(wasm-bindgen --version 2>/dev/null | cut -d' ' -f2)" != "$bindgen" ]; then
  say "installing wasm-bindgen-cli $bindgen (about 2 min)"
  cargo install wasm-bindgen-cli --version "=$bindgen"
fi

if ! command -v geckodriver >/dev/null; then
  say "installing geckodriver (about 2 min)"
  cargo install geckodriver --locked
fi

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
command -v firefox >/dev/null || missing+=(firefox-esr)
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} from Debian"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq "${missing[@]}" >/dev/null
fi

install_npm() { npm ci --no-audit --no-fund --loglevel=error; }
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages"
  install_npm
fi
if [ -f www/package.json ] && { [ ! -f www/node_modules/.package-lock.json ] || [ www/package-lock.json -nt www/node_modules/.package-lock.json ]; }; then
  say "installing the demo's npm packages"
  (cd www && install_npm)
fi

# ---------------------------------------------------------------------------------------------
# redis-server from Debian, for the several-process runs of the backend tests (tests/backends/:
# Django's Redis channel layer, FastAPI's pub/sub). Self-contained: tests/backends/lib.mjs runs
# this function alone when redis-server is missing, so `node --test tests/e2e/backends-*.test.mjs`
# works without the rest of this script. The tests start their own redis-server on a free
# 127.0.0.1 port with no persistence; the Debian service itself is not used.
install_redis_server() {
  command -v redis-server >/dev/null && return 0
  printf '[setup] %s\n' "installing redis-server from Debian"
  local sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_ apt-get install -y -qq redis-server >/dev/null
}
install_redis_server
