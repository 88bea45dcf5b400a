//! Executor benchmark: what running the runtime in Wasm costs, against the same work done
//! natively in the same run (the machines are noisy; ratios survive the noise better than
//! absolute figures).
//!
//! ```sh
//! cargo bench -p tos-node --bench executor
//! ```
//!
//! Measures:
//! - compiling the runtime blob (once per code hash in a node);
//! - a fresh instance plus `Core_version` (the floor of every runtime call);
//! - building the `development` genesis state: Wasm `GenesisBuilder_build_state` versus the
//!   native runtime's `build_state` on the same config (the ratio is the Wasm overhead).

use std::time::{Duration, Instant};

use codec::Encode;
use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilder;
use sp_state_machine::BasicExternalities;
use tos_node::{
	executor::{WasmRuntime, DEFAULT_HEAP_PAGES},
	genesis::merge_json,
};

/// Runs `f` `iterations` times after `warmup` untimed runs and returns the mean duration.
fn mean(warmup: u32, iterations: u32, mut f: impl FnMut()) -> Duration {
	for _ in 0..warmup {
		f();
	}
	let start = Instant::now();
	for _ in 0..iterations {
		f();
	}
	start.elapsed() / iterations
}

fn main() {
	let blob = tos_runtime::WASM_BINARY.expect("built without SKIP_WASM_BUILD");

	let compile = mean(0, 3, || {
		WasmRuntime::new(blob, DEFAULT_HEAP_PAGES).expect("compiles");
	});
	let runtime = WasmRuntime::new(blob, DEFAULT_HEAP_PAGES).expect("compiles");

	let mut ext = BasicExternalities::default();
	let version_call = mean(20, 500, || {
		runtime.call(&mut ext, "Core_version", &[]).expect("Core_version");
	});

	let default: Option<Vec<u8>> = runtime
		.call_decode(&mut ext, "GenesisBuilder_get_preset", &None::<String>.encode())
		.unwrap();
	let mut config: serde_json::Value = serde_json::from_slice(&default.unwrap()).unwrap();
	let patch = tos_runtime::genesis_config_presets::get_preset(&"development".into()).unwrap();
	merge_json(&mut config, serde_json::from_slice(&patch).unwrap());
	let config = serde_json::to_vec(&config).unwrap();
	let encoded_config = config.encode();

	let genesis_wasm = mean(2, 20, || {
		let mut state = BasicExternalities::default();
		runtime.call(&mut state, "GenesisBuilder_build_state", &encoded_config).expect("builds");
	});
	let genesis_native = mean(2, 20, || {
		BasicExternalities::default().execute_with(|| {
			<tos_runtime::Runtime as GenesisBuilder<tos_runtime::Block>>::build_state(
				config.clone(),
			)
			.expect("builds")
		});
	});

	println!("tos-node executor benchmark (blob: {} bytes compressed)", blob.len());
	println!("{:<46} {:>12}", "compile runtime blob", format!("{:.1} ms", ms(compile)));
	println!(
		"{:<46} {:>12}",
		"fresh instance + Core_version",
		format!("{:.1} µs", us(version_call))
	);
	println!("{:<46} {:>12}", "genesis build_state, Wasm", format!("{:.1} µs", us(genesis_wasm)));
	println!(
		"{:<46} {:>12}",
		"genesis build_state, native (baseline)",
		format!("{:.1} µs", us(genesis_native))
	);
	println!(
		"{:<46} {:>12}",
		"  Wasm / native",
		format!("{:.2}x", genesis_wasm.as_secs_f64() / genesis_native.as_secs_f64())
	);
}

fn ms(d: Duration) -> f64 {
	d.as_secs_f64() * 1e3
}

fn us(d: Duration) -> f64 {
	d.as_secs_f64() * 1e6
}
