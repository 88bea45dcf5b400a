//! The executor: runs the runtime's Wasm with wasmtime.
//!
//! A [`WasmRuntime`] is one compiled code blob. Compiling is the expensive part (about a
//! second for a FRAME runtime), so it happens once per blob, after [`blob::export_memory`]
//! has turned the runtime's imported memory into an exported one so that instances come from
//! a pool with copy-on-write memory; every [`WasmRuntime::call`] then makes a fresh instance — a runtime instance is never reused, because its memory and stack
//! pointer would carry state (or the debris of a trap) from one call into the next.
//!
//! A call is `method(ptr, len) -> ptr_and_len`: the SCALE-encoded arguments are written into
//! the instance's heap with the freeing-bump allocator ([`sc_allocator`]), and the result is
//! read back from where the runtime says it put it. While the runtime runs, the host functions
//! of `sp_io` (registered through `sp_wasm_interface`'s wasmtime support, see [`host`]) reach
//! the storage through the [`sp_externalities::Externalities`] handed to `call`.
//!
//! - [`NodeExecutor`]: the executor the state machine drives: code cached by hash, and the
//!   `ReadRuntimeVersion` extension `set_code` needs.
//! - [`blob`]: the memory-import-to-export rewrite.
//! - [`engine`]: every determinism setting of the Wasm engine, in one place.
//! - [`host`]: the host side of a running instance: memory access, the allocator, panics.

pub mod blob;
mod cache;
pub mod engine;
pub mod host;

pub use cache::NodeExecutor;

use codec::Decode;
use sp_externalities::Externalities;
use sp_wasm_interface::HostFunctions;
use wasmtime::{Engine, InstancePre, Linker, Module, Store, Val};

use host::{HostState, Registry};

/// The host functions every runtime may import.
#[cfg(not(feature = "runtime-benchmarks"))]
pub type RuntimeHostFunctions = sp_io::SubstrateHostFunctions;
/// With the benchmarking host functions (timers, database counters) for `tos-node benchmark`.
#[cfg(feature = "runtime-benchmarks")]
pub type RuntimeHostFunctions =
	(sp_io::SubstrateHostFunctions, frame_benchmarking::benchmarking::HostFunctions);

/// Heap pages added to the runtime's own initial memory when `:heappages` is not set; the
/// same default as Substrate's nodes (2048 pages of 64 KiB = 128 MiB).
pub const DEFAULT_HEAP_PAGES: u64 = 2048;

/// What can go wrong when loading or calling a runtime.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// The blob is not a valid (optionally zstd-compressed) Wasm module.
	#[error("invalid runtime code: {0}")]
	InvalidCode(String),
	/// The module could not be instantiated with our host functions.
	#[error("cannot instantiate the runtime: {0}")]
	Instantiation(String),
	/// The runtime does not export the method called.
	#[error("the runtime does not export `{0}`")]
	MethodNotFound(String),
	/// The runtime trapped (a panic, an out-of-bounds access, running out of stack...).
	#[error("runtime call `{method}` failed: {reason}")]
	Trap {
		/// The method called.
		method: String,
		/// The runtime's panic message if it sent one, else the trap.
		reason: String,
	},
	/// The runtime returned a pointer and length outside its memory.
	#[error("runtime call `{0}` returned an out-of-bounds result")]
	BadReturn(String),
	/// Writing the call's arguments into the runtime's heap failed.
	#[error("cannot pass arguments to the runtime: {0}")]
	Allocation(String),
}

/// A compiled runtime, pre-linked with the host functions, ready to be instantiated for each
/// call.
pub struct WasmRuntime {
	engine: Engine,
	instance_pre: InstancePre<HostState>,
}

impl WasmRuntime {
	/// Compiles `code` (raw Wasm, or zstd-compressed as on chain) with `heap_pages` pages of
	/// heap on top of the module's own initial memory (the value of `:heappages`, or
	/// [`DEFAULT_HEAP_PAGES`]).
	pub fn new(code: &[u8], heap_pages: u64) -> Result<Self, Error> {
		Self::new_cached(code, heap_pages, None)
	}

	/// Like [`WasmRuntime::new`], keeping the compiled machine code in the folder `disk_cache`
	/// (named by the hash of the prepared Wasm and the engine's compatibility hash), so a
	/// restarted node loads it instead of compiling again. A cache file that is unreadable or
	/// was made by another wasmtime or engine configuration is ignored and rewritten.
	///
	/// The folder must be as private as the node's database: its files are trusted native code.
	pub fn new_cached(
		code: &[u8],
		heap_pages: u64,
		disk_cache: Option<&std::path::Path>,
	) -> Result<Self, Error> {
		let code = sp_maybe_compressed_blob::decompress(code, CODE_SIZE_LIMIT)
			.map_err(|e| Error::InvalidCode(e.to_string()))?;
		let (code, layout) = blob::export_memory(&code, heap_pages).map_err(Error::InvalidCode)?;
		let engine = engine::deterministic_engine(layout.total_pages)
			.map_err(|e| Error::InvalidCode(e.to_string()))?;
		let module = match disk_cache {
			Some(dir) => cache::load_or_compile(&engine, &code, dir)?,
			None => {
				Module::new(&engine, &code[..]).map_err(|e| Error::InvalidCode(format!("{e:#}")))?
			},
		};

		let mut linker = Linker::new(&engine);
		RuntimeHostFunctions::register_static(&mut Registry { linker: &mut linker })
			.map_err(|e| Error::Instantiation(format!("{e:#}")))?;
		// A runtime may import a host function it never calls (for example one only used
		// behind a feature); it traps if it ever does.
		linker
			.define_unknown_imports_as_traps(&module)
			.map_err(|e| Error::Instantiation(format!("{e:#}")))?;

		let instance_pre =
			linker.instantiate_pre(&module).map_err(|e| Error::Instantiation(format!("{e:#}")))?;
		Ok(Self { engine, instance_pre })
	}

	/// Calls the runtime's exported `method` with SCALE-encoded `input`, reading and writing
	/// storage through `ext`, and returns the SCALE-encoded output.
	pub fn call(
		&self,
		ext: &mut dyn Externalities,
		method: &str,
		input: &[u8],
	) -> Result<Vec<u8>, Error> {
		let mut store = Store::new(&self.engine, HostState::default());
		let instance = self
			.instance_pre
			.instantiate(&mut store)
			.map_err(|e| Error::Instantiation(format!("{e:#}")))?;
		let memory = instance
			.get_memory(&mut store, "memory")
			.ok_or_else(|| Error::Instantiation("the runtime exports no memory".into()))?;

		let heap_base = match instance
			.get_global(&mut store, "__heap_base")
			.map(|g| g.get(&mut store))
		{
			Some(Val::I32(base)) => base as u32,
			_ => return Err(Error::Instantiation("the runtime exports no `__heap_base`".into())),
		};
		let entry = instance
			.get_typed_func::<(u32, u32), u64>(&mut store, method)
			.map_err(|_| Error::MethodNotFound(method.to_string()))?;

		store.data_mut().start(memory, heap_base);
		let input_ptr = host::allocate(&mut store, memory, input.len() as u32)
			.map_err(|e| Error::Allocation(e.to_string()))?;
		memory
			.write(&mut store, input_ptr as usize, input)
			.map_err(|e| Error::Allocation(e.to_string()))?;

		let outcome = sp_externalities::set_and_run_with_externalities(ext, || {
			entry.call(&mut store, (input_ptr, input.len() as u32))
		});
		let packed = outcome.map_err(|trap| Error::Trap {
			method: method.to_string(),
			reason: store.data_mut().take_panic_message().unwrap_or_else(|| format!("{trap:#}")),
		})?;

		let (ptr, len) = (packed as u32 as usize, (packed >> 32) as usize);
		let data = memory.data(&store);
		ptr.checked_add(len)
			.and_then(|end| data.get(ptr..end))
			.map(<[u8]>::to_vec)
			.ok_or_else(|| Error::BadReturn(method.to_string()))
	}

	/// Calls `method` and decodes its output as `R`.
	pub fn call_decode<R: Decode>(
		&self,
		ext: &mut dyn Externalities,
		method: &str,
		input: &[u8],
	) -> Result<R, Error> {
		let bytes = self.call(ext, method, input)?;
		R::decode(&mut &bytes[..]).map_err(|e| Error::Trap {
			method: method.to_string(),
			reason: format!("undecodable output: {e}"),
		})
	}
}

/// The largest runtime accepted after decompression (the same bound as Substrate's).
pub const CODE_SIZE_LIMIT: usize = 50 * 1024 * 1024;

#[cfg(test)]
mod tests;
