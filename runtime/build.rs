//! Builds the runtime to Wasm (when the `std` feature is on) with substrate-wasm-builder and
//! prints the size of the compressed blob, so a growing runtime is noticed at build time.

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults().build();
	report_blob_size();
}

/// Prints a `cargo:warning` with the compressed blob's size. The builder writes
/// `wasm_binary.rs` in `OUT_DIR` naming the blob's path; skip quietly when the Wasm build
/// was skipped (`SKIP_WASM_BUILD=1`).
#[cfg(feature = "std")]
fn report_blob_size() {
	if std::env::var_os("SKIP_WASM_BUILD").is_some() {
		return;
	}
	let Ok(out_dir) = std::env::var("OUT_DIR") else { return };
	let Ok(index) = std::fs::read_to_string(std::path::Path::new(&out_dir).join("wasm_binary.rs"))
	else {
		return;
	};
	for path in index.split('"').filter(|s| s.ends_with(".compact.compressed.wasm")) {
		if let Ok(meta) = std::fs::metadata(path) {
			println!(
				"cargo:warning=tos-runtime Wasm blob: {} bytes compressed ({:.1} KiB) at {path}",
				meta.len(),
				meta.len() as f64 / 1024.0
			);
		}
	}
}

/// The Wasm build itself compiles this crate without `std`; nothing to do then.
#[cfg(not(feature = "std"))]
fn main() {}
