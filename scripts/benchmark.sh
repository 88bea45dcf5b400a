#!/usr/bin/env bash
# Measures the AI-mining pallets' benchmarks in the Wasm runtime and regenerates their
# weights.rs, and the governance pallets' (from the SDK) into runtime/src/weights/. Builds a
# benchmark-enabled node (feature `runtime-benchmarks`) in its own target directory, so the
# normal build's runtime blob is never replaced by the benchmark one.
#
#   scripts/benchmark.sh                 # every pallet, 10 steps × 10 repeats
#   STEPS=20 REPEAT=20 scripts/benchmark.sh pallet_tos_tasks
set -euo pipefail
cd "$(dirname "$0")/.."

target="${BENCH_TARGET_DIR:-${CARGO_TARGET_DIR:-target}-bench}"
CARGO_TARGET_DIR="$target" cargo build -p tos-node --features runtime-benchmarks
node_bin="$target/debug/tos-node"

declare -A folder=(
	[pallet_tos_miner_reputation]=pallets/miner-reputation
	[pallet_tos_tasks]=pallets/tasks
	[pallet_tos_validation_voting]=pallets/validation-voting
	[pallet_tos_rewards]=pallets/rewards
	[pallet_tos_fraud_flags]=pallets/fraud-flags
	[pallet_tos_randomness]=pallets/randomness
)
# pallets from the SDK: the runtime implements their own WeightInfo traits with our figures
upstream=(pallet_preimage pallet_scheduler pallet_referenda pallet_conviction_voting
	pallet_collective pallet_treasury)
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=("${!folder[@]}" "${upstream[@]}")
for pallet in "${pallets[@]}"; do
	echo "benchmark: $pallet"
	if [ -n "${folder[$pallet]:-}" ]; then
		"$node_bin" benchmark --pallet "$pallet" --steps "${STEPS:-10}" --repeat "${REPEAT:-10}" \
			--output "${folder[$pallet]}/src/weights.rs"
	else
		"$node_bin" benchmark --pallet "$pallet" --steps "${STEPS:-10}" --repeat "${REPEAT:-10}" \
			--runtime-impl --output "runtime/src/weights/$pallet.rs"
	fi
done
cargo fmt --all
