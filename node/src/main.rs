//! `tos-node`: the TOS node binary.
//!
//! Block production, storage, networking and RPC arrive in later steps (see the README);
//! today the binary hosts the runtime and reports on it:
//!
//! ```text
//! tos-node runtime-info     # version, APIs, metadata versions and presets, read from the Wasm
//! tos-node --version
//! ```

use sp_state_machine::BasicExternalities;
use tos_node::executor::{WasmRuntime, DEFAULT_HEAP_PAGES};

fn main() {
	let args: Vec<String> = std::env::args().skip(1).collect();
	let result = match args.first().map(String::as_str) {
		Some("--version") | Some("-V") => {
			println!("tos-node {}", env!("CARGO_PKG_VERSION"));
			Ok(())
		},
		Some("runtime-info") => runtime_info(),
		_ => {
			eprintln!(
				"usage: tos-node runtime-info | --version\n\
				 (block production, storage, networking and RPC are not built yet)"
			);
			std::process::exit(2);
		},
	};
	if let Err(e) = result {
		eprintln!("error: {e:#}");
		std::process::exit(1);
	}
}

/// Prints what the embedded runtime says about itself, by executing its Wasm.
fn runtime_info() -> anyhow::Result<()> {
	let blob = tos_runtime::WASM_BINARY
		.ok_or_else(|| anyhow::anyhow!("this binary was built with SKIP_WASM_BUILD"))?;
	let started = std::time::Instant::now();
	let runtime = WasmRuntime::new(blob, DEFAULT_HEAP_PAGES)?;
	let compiled_in = started.elapsed();
	let mut ext = BasicExternalities::default();

	let version: sp_version::RuntimeVersion = runtime.call_decode(&mut ext, "Core_version", &[])?;
	let metadata_versions: Vec<u32> =
		runtime.call_decode(&mut ext, "Metadata_metadata_versions", &[])?;
	let presets: Vec<Vec<u8>> =
		runtime.call_decode(&mut ext, "GenesisBuilder_preset_names", &[])?;

	println!("runtime blob:        {} bytes (compressed)", blob.len());
	println!("compiled in:         {} ms", compiled_in.as_millis());
	println!("spec:                {} v{}", version.spec_name, version.spec_version);
	println!("impl:                {} v{}", version.impl_name, version.impl_version);
	println!("transaction version: {}", version.transaction_version);
	println!("metadata versions:   {metadata_versions:?}");
	println!(
		"genesis presets:     {}",
		presets.iter().map(|p| String::from_utf8_lossy(p)).collect::<Vec<_>>().join(", ")
	);
	println!("runtime APIs:        {}", version.apis.len());
	Ok(())
}
