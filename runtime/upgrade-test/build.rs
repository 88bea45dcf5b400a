//! Builds this crate — the TOS runtime with its `upgrade-test` feature — to Wasm.

#[cfg(feature = "std")]
fn main() {
	substrate_wasm_builder::WasmBuilder::init_with_defaults().enable_feature("upgrade").build();
}

/// The Wasm build compiles this crate without `std`; nothing to do then.
#[cfg(not(feature = "std"))]
fn main() {}
