#!/usr/bin/env bash
# Installs everything TOS needs to build and test, on a fresh Debian machine that already
# has the Rust toolchain (rustup): system packages, the Wasm targets and rust-src.
# Safe to run again; it only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

need_apt=()
have() { command -v "$1" >/dev/null 2>&1; }
# clang + libclang: bindgen for RocksDB; mold: fast linking (see .cargo/config.toml);
# cmake/make/g++: native dependencies; Node.js + npm: end-to-end tests with @polkadot/api.
have clang || need_apt+=(clang)
[ -e /usr/lib/llvm-14/lib/libclang.so ] || ls /usr/lib/x86_64-linux-gnu/libclang*.so* >/dev/null 2>&1 || need_apt+=(libclang-dev)
have mold || need_apt+=(mold)
have cmake || need_apt+=(cmake)
have g++ || need_apt+=(g++)
have make || need_apt+=(make)
have pkg-config || need_apt+=(pkg-config)
have node || need_apt+=(nodejs)
have npm || need_apt+=(npm)

if [ ${#need_apt[@]} -gt 0 ]; then
	echo "setup: installing ${need_apt[*]}"
	SUDO=""
	[ "$(id -u)" -eq 0 ] || SUDO="sudo"
	$SUDO apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}"
fi

# The runtime is built to Wasm by substrate-wasm-builder, which prefers `wasm32v1-none` and
# falls back to `wasm32-unknown-unknown`; both need the standard library's source.
installed_targets=$(rustup target list --installed)
for target in wasm32v1-none wasm32-unknown-unknown; do
	grep -qx "$target" <<<"$installed_targets" || rustup target add "$target"
done
rustup component list --installed | grep -q '^rust-src' || rustup component add rust-src

# The end-to-end tests' JavaScript dependencies (@polkadot/api and friends), exactly as locked.
if [ ! -d tests/node_modules/@polkadot/api ] || [ tests/package-lock.json -nt tests/node_modules/.package-lock.json ]; then
	(cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

echo "setup: done ($(rustc --version), $(mold --version | head -n1))"
