//! [`NodeExecutor`]: the executor as the state machine sees it.
//!
//! It implements `sp_core`'s [`CodeExecutor`] (run a method with the code found in the state
//! at hand) and [`ReadRuntimeVersion`] (what `set_code` calls to check a new blob). Compiled
//! runtimes are cached by code hash and heap pages, so a runtime upgrade compiles the new code
//! once, on the first block that runs it, and every later call reuses it.

use std::{
	collections::VecDeque,
	sync::{Arc, Mutex},
};

use sp_core::traits::{CallContext, CodeExecutor, ReadRuntimeVersion, RuntimeCode};
use sp_externalities::Externalities;

use super::{Error, WasmRuntime, DEFAULT_HEAP_PAGES};

/// How many compiled runtimes are kept (the current one, the one before an upgrade, and a
/// couple more for nodes syncing across several upgrades).
const CACHE_SIZE: usize = 4;

/// The node's executor: compiles on first use, then serves from the cache.
#[derive(Clone, Default)]
pub struct NodeExecutor {
	cache: Arc<Mutex<VecDeque<CachedRuntime>>>,
	/// Held while compiling, so that threads missing the cache together (the author, the
	/// pool and RPC right after an upgrade) compile a new runtime once, not each.
	compiling: Arc<Mutex<()>>,
	disk_cache: Option<Arc<std::path::PathBuf>>,
}

struct CachedRuntime {
	code_hash: Vec<u8>,
	heap_pages: u64,
	runtime: Arc<WasmRuntime>,
}

impl NodeExecutor {
	/// An executor with an empty cache.
	pub fn new() -> Self {
		Self::default()
	}

	/// An executor that also keeps compiled runtimes in the folder `dir`, across restarts.
	pub fn with_disk_cache(dir: std::path::PathBuf) -> Self {
		Self { disk_cache: Some(Arc::new(dir)), ..Self::default() }
	}

	/// The compiled runtime for `runtime_code`, compiling it on a cache miss.
	pub fn runtime(&self, runtime_code: &RuntimeCode) -> Result<Arc<WasmRuntime>, Error> {
		let heap_pages = runtime_code.heap_pages.unwrap_or(DEFAULT_HEAP_PAGES);
		if let Some(hit) = self.cached_runtime(&runtime_code.hash, heap_pages) {
			return Ok(hit);
		}
		let _compiling = self.compiling.lock().expect("the compile lock is never poisoned");
		// another thread may have compiled it while we waited
		if let Some(hit) = self.cached_runtime(&runtime_code.hash, heap_pages) {
			return Ok(hit);
		}
		let code = runtime_code
			.code_fetcher
			.fetch_runtime_code()
			.ok_or_else(|| Error::InvalidCode("no runtime code in state (`:code`)".into()))?;
		let started = std::time::Instant::now();
		let runtime = Arc::new(WasmRuntime::new_cached(
			&code,
			heap_pages,
			self.disk_cache.as_deref().map(|p| p.as_path()),
		)?);
		tracing::info!(
			target: "executor",
			"prepared runtime 0x{} ({} bytes) in {} ms",
			hex::encode(&runtime_code.hash[..runtime_code.hash.len().min(8)]),
			code.len(),
			started.elapsed().as_millis()
		);
		let mut cache = self.cache.lock().expect("the cache lock is never poisoned");
		cache.push_front(CachedRuntime {
			code_hash: runtime_code.hash.clone(),
			heap_pages,
			runtime: runtime.clone(),
		});
		cache.truncate(CACHE_SIZE);
		Ok(runtime)
	}

	fn cached_runtime(&self, code_hash: &[u8], heap_pages: u64) -> Option<Arc<WasmRuntime>> {
		let mut cache = self.cache.lock().expect("the cache lock is never poisoned");
		let position =
			cache.iter().position(|c| c.code_hash == code_hash && c.heap_pages == heap_pages)?;
		// most recently used first
		let hit = cache.remove(position).expect("position is in bounds; qed");
		let runtime = hit.runtime.clone();
		cache.push_front(hit);
		Some(runtime)
	}

	/// The compiled runtime for `code` (as stored under `:code`), through the same cache as
	/// the calls of the state machine: the chain spec's genesis build and the first block then
	/// share one compilation.
	pub fn runtime_for_code(&self, code: &[u8]) -> Result<Arc<WasmRuntime>, Error> {
		let fetcher = sp_core::traits::WrappedRuntimeCode(code.into());
		self.runtime(&RuntimeCode {
			code_fetcher: &fetcher,
			heap_pages: None,
			// the hash the state machine uses: the trie's hash of the `:code` value
			hash: sp_io::hashing::blake2_256(code).to_vec(),
		})
	}

	/// How many compiled runtimes the cache holds.
	pub fn cached(&self) -> usize {
		self.cache.lock().expect("the cache lock is never poisoned").len()
	}
}

impl CodeExecutor for NodeExecutor {
	type Error = Error;

	fn call(
		&self,
		ext: &mut dyn Externalities,
		runtime_code: &RuntimeCode,
		method: &str,
		data: &[u8],
		_context: CallContext,
	) -> (Result<Vec<u8>, Error>, bool) {
		let result = self.runtime(runtime_code).and_then(|runtime| runtime.call(ext, method, data));
		(result, false)
	}
}

impl ReadRuntimeVersion for NodeExecutor {
	/// Reads a candidate blob's version by running its `Core_version`. The blob is compiled
	/// through the cache, keyed as `:code` will be: an upgrade's code is checked when the pool
	/// validates `apply_authorized_upgrade`, again when the block dispatches it, and then runs
	/// every block — compiled once for all of them.
	fn read_runtime_version(
		&self,
		wasm_code: &[u8],
		ext: &mut dyn Externalities,
	) -> Result<Vec<u8>, String> {
		let runtime = self.runtime_for_code(wasm_code).map_err(|e| e.to_string())?;
		runtime.call(ext, "Core_version", &[]).map_err(|e| e.to_string())
	}
}

/// Compiled modules on disk.
pub(super) fn load_or_compile(
	engine: &wasmtime::Engine,
	code: &[u8],
	dir: &std::path::Path,
) -> Result<wasmtime::Module, Error> {
	use std::hash::{Hash, Hasher};
	let mut compat = std::collections::hash_map::DefaultHasher::new();
	engine.precompile_compatibility_hash().hash(&mut compat);
	let name =
		format!("{}-{:016x}.cwasm", hex::encode(sp_io::hashing::blake2_256(code)), compat.finish());
	let path = dir.join(name);
	// read into memory rather than mapped: a file replaced or truncated later (by another
	// node sharing the base path) can then never fault a running node
	if let Ok(bytes) = std::fs::read(&path) {
		// SAFETY: the file was written by `Module::serialize` below into the node's own cache
		// folder, which is as trusted as the node's database and keys; wasmtime checks that it
		// was made by this version and configuration and refuses it otherwise.
		match unsafe { wasmtime::Module::deserialize(engine, &bytes) } {
			Ok(module) => {
				tracing::debug!(target: "executor", "loaded compiled runtime {}", path.display());
				return Ok(module);
			},
			Err(e) => tracing::warn!(
				target: "executor",
				"ignoring the compiled runtime {}: {e:#}",
				path.display()
			),
		}
	}
	let module =
		wasmtime::Module::new(engine, code).map_err(|e| Error::InvalidCode(format!("{e:#}")))?;
	let saved = module.serialize().map_err(std::io::Error::other).and_then(|bytes| {
		std::fs::create_dir_all(dir)?;
		// write then rename, so a crash never leaves a half-written file under the real name
		let partial = path.with_extension("partial");
		std::fs::write(&partial, bytes)?;
		std::fs::rename(&partial, &path)
	});
	if let Err(e) = saved {
		tracing::warn!(target: "executor", "cannot cache the compiled runtime: {e}");
	}
	evict_oldest(dir, DISK_CACHE_FILES);
	Ok(module)
}

/// Compiled runtimes kept on disk (about 6 MB each): the current one and a few before it.
const DISK_CACHE_FILES: usize = 8;

/// Deletes the least recently written cache files beyond `keep`.
fn evict_oldest(dir: &std::path::Path, keep: usize) {
	let Ok(entries) = std::fs::read_dir(dir) else { return };
	let mut files: Vec<_> = entries
		.filter_map(|e| e.ok())
		.filter(|e| e.path().extension().is_some_and(|x| x == "cwasm"))
		.filter_map(|e| Some((e.metadata().ok()?.modified().ok()?, e.path())))
		.collect();
	if files.len() <= keep {
		return;
	}
	files.sort();
	for (_, path) in &files[..files.len() - keep] {
		let _ = std::fs::remove_file(path);
	}
}
