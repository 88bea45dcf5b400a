//! Every setting of the Wasm engine that affects what a runtime computes, in one place.
//!
//! Every node must execute a block to the same state root, so the engine runs only the
//! deterministic subset of Wasm: no threads, no SIMD (the runtime is not built for it), NaNs
//! canonicalised (the runtime uses no floats, but if a float ever appears its bit pattern
//! must not depend on the CPU), a fixed limit on the native stack Wasm may use, and linear
//! memories of a fixed size.

use wasmtime::{Config, Engine, InstanceAllocationStrategy, OptLevel, PoolingAllocationConfig};

/// The most 64 KiB pages a 32-bit linear memory can have.
pub const MAX_WASM_PAGES: u64 = 65_536;

/// Native stack the runtime's Wasm frames may use before the call traps: 1 MiB. The thread
/// calling into the runtime must have more than this (Rust's main thread has 8 MiB).
pub const MAX_WASM_STACK: usize = 1024 * 1024;

/// How many runtime instances may be alive at once (concurrent calls) per compiled runtime.
pub const MAX_CONCURRENT_INSTANCES: u32 = 64;

/// An engine configured for deterministic runtime execution, whose instances' memories are
/// `memory_pages` pages: allocated from a pool and initialised copy-on-write, so that a fresh
/// instance per call is cheap.
pub fn deterministic_engine(memory_pages: u64) -> wasmtime::Result<Engine> {
	let mut pool = PoolingAllocationConfig::default();
	pool.total_memories(MAX_CONCURRENT_INSTANCES)
		.total_tables(MAX_CONCURRENT_INSTANCES)
		.total_core_instances(MAX_CONCURRENT_INSTANCES)
		.max_memory_size((memory_pages * 64 * 1024) as usize)
		.table_elements(100_000)
		.max_core_instance_size(1024 * 1024);
	// Threads need wasmtime's `threads` feature, which we do not enable: shared memories and
	// atomics can never be used by a runtime.
	let mut config = Config::new();
	config
		.cranelift_opt_level(OptLevel::SpeedAndSize)
		.cranelift_nan_canonicalization(true)
		.max_wasm_stack(MAX_WASM_STACK)
		.wasm_simd(false)
		.wasm_relaxed_simd(false)
		.wasm_multi_memory(false)
		.wasm_memory64(false)
		.wasm_tail_call(false)
		.wasm_bulk_memory(true)
		.wasm_multi_value(true)
		.parallel_compilation(true)
		.memory_init_cow(true)
		.allocation_strategy(InstanceAllocationStrategy::Pooling(pool));
	Engine::new(&config)
}
