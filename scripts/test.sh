#!/usr/bin/env bash
# The project's test command (see README): formatting, then every test of the workspace
# (native runtime tests, the Wasm build of the runtime, the node's tests against that Wasm and
# against the real binary), then the end-to-end tests with @polkadot/api against the binary
# that `cargo test` built.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo test --workspace --locked

target_dir="${CARGO_TARGET_DIR:-$PWD/target}"
(cd tests && TOS_NODE_BIN="$target_dir/debug/tos-node" npm test)
