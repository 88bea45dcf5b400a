#!/usr/bin/env bash
# The project's test command (see README): formatting, then every test of the workspace:
# native runtime tests, the Wasm build of the runtime, and the node's tests against that Wasm.
set -euo pipefail
cd "$(dirname "$0")/.."

cargo fmt --all -- --check
cargo test --workspace --locked
