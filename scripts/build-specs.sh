#!/usr/bin/env bash
# Regenerates the committed chain specs in chain-specs/ with `tos-node build-spec --raw`.
# Run after a runtime change that should reach the committed specs.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build -p tos-node
node_bin="${CARGO_TARGET_DIR:-target}/debug/tos-node"
"$node_bin" build-spec --chain dev --raw > chain-specs/dev.json
"$node_bin" build-spec --chain local --raw > chain-specs/local.json
ls -l chain-specs/*.json
