//! Block benchmark: a fresh runtime instance, building a full block of signed balance
//! transfers, executing it, and importing it into RocksDB — with the same block executed by
//! the native runtime in the same run as the baseline.
//!
//! ```sh
//! cargo bench -p tos-node --bench block --profile dev          # TOS_BENCH_TXS=2000 by default
//! ```
//!
//! The `dev` profile is the one the tests and the node binary are built with (dependencies on
//! the hot path are optimised there; see the workspace `Cargo.toml`), so these are the figures
//! of the binary users run.

use std::{
	sync::Arc,
	time::{Duration, Instant},
};

use codec::{Decode, Encode};
use sp_consensus_aura::Slot;
use sp_keyring::Sr25519Keyring;
use sp_state_machine::{OverlayedChanges, TestExternalities};
use tos_node::{
	chain::{spec::ChainSpec, Chain, Finality},
	consensus::aura,
	db::{MemoryDb, RocksDb},
	dev_tx,
	executor::{NodeExecutor, WasmRuntime, DEFAULT_HEAP_PAGES},
	state,
};
use tos_primitives::opaque::Block;

fn per_second(count: usize, took: Duration) -> f64 {
	count as f64 / took.as_secs_f64()
}

fn main() {
	let txs: usize =
		std::env::var("TOS_BENCH_TXS").ok().and_then(|v| v.parse().ok()).unwrap_or(2000);
	let code = tos_runtime::WASM_BINARY.expect("built with the Wasm blob");
	let executor = NodeExecutor::new();
	let spec =
		ChainSpec::from_preset(&executor, code, "development", "Development", "dev", "Development")
			.unwrap();
	let genesis = spec.genesis_storage(&executor).unwrap();

	// 1. the floor of every runtime call: a fresh instance plus `Core_version`
	let runtime = WasmRuntime::new(code, DEFAULT_HEAP_PAGES).unwrap();
	let mut ext = sp_state_machine::BasicExternalities::default();
	for _ in 0..20 {
		runtime.call(&mut ext, "Core_version", &[]).unwrap();
	}
	let calls = 1000;
	let started = Instant::now();
	for _ in 0..calls {
		runtime.call(&mut ext, "Core_version", &[]).unwrap();
	}
	let instance_call = started.elapsed() / calls;

	// the same call through the state machine, against the genesis state in the database:
	// what every runtime call of the node pays
	let chain0 =
		Chain::open(Arc::new(MemoryDb::new()), executor.clone(), &genesis, Finality::Never)
			.unwrap();
	let genesis_state = chain0.state_at(chain0.info().genesis_hash).unwrap();
	// the first call compiles the runtime into the executor's cache
	state::call(&genesis_state, &mut OverlayedChanges::default(), &executor, "Core_version", &[])
		.unwrap();
	let started = Instant::now();
	for _ in 0..calls {
		state::call(
			&genesis_state,
			&mut OverlayedChanges::default(),
			&executor,
			"Core_version",
			&[],
		)
		.unwrap();
	}
	let state_call = started.elapsed() / calls;

	// 2. build a block of `txs` transfers (Alice → Bob, consecutive nonces)
	let author =
		Chain::open(Arc::new(MemoryDb::new()), executor.clone(), &genesis, Finality::Never)
			.unwrap();
	let genesis_hash = author.info().genesis_hash;
	let transfers: Vec<_> = (0..txs as u32)
		.map(|n| {
			dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, 1_000_000, n, genesis_hash)
		})
		.collect();
	let started = Instant::now();
	let built = author
		.build(genesis_hash, Slot::from(1_000), 6000, transfers, &Sr25519Keyring::Alice.pair())
		.unwrap();
	let build_time = started.elapsed();
	let included = built.block.extrinsics.len() - 1;
	assert!(
		built.rejected.is_empty(),
		"{} rejected: {:?}",
		built.rejected.len(),
		built.rejected.first()
	);
	let block = built.block;

	// 3. execute it in Wasm against the parent state, without writing (what import does
	//    before the commit); TOS_BENCH_EXEC_LOOPS times (3 by default, for profiling more)
	let unsealed = {
		let (header, _) =
			aura::check_seal(block.header.clone(), &[Sr25519Keyring::Alice.public()]).unwrap();
		Block { header, extrinsics: block.extrinsics.clone() }
	};
	let mut runs = Vec::new();
	let loops: usize =
		std::env::var("TOS_BENCH_EXEC_LOOPS").ok().and_then(|v| v.parse().ok()).unwrap_or(3);
	for _ in 0..loops {
		let parent_state = author.state_at(genesis_hash).unwrap();
		let started = Instant::now();
		let mut overlay = OverlayedChanges::default();
		state::call(
			&parent_state,
			&mut overlay,
			&executor,
			"Core_execute_block",
			&unsealed.encode(),
		)
		.unwrap();
		let commit = state::into_commit(&parent_state, &mut overlay).unwrap();
		runs.push(started.elapsed());
		assert_eq!(commit.root, unsealed.header.state_root);
	}
	// the median run: a real node executes block after block on warm caches
	runs.sort();
	let execute_time = runs[runs.len() / 2];

	// 4. import end to end into RocksDB: seal check, execution, root check, atomic commit
	let dir = tempfile::tempdir().unwrap();
	let importer = Chain::open(
		Arc::new(RocksDb::open(dir.path()).unwrap()),
		executor.clone(),
		&genesis,
		Finality::Never,
	)
	.unwrap();
	let started = Instant::now();
	importer.import(block.clone()).unwrap();
	let import_time = started.elapsed();
	assert_eq!(importer.info().best_hash, block.header.hash());

	// baseline: the native runtime executes the same block
	let native_block = tos_runtime::Block::decode(&mut &unsealed.encode()[..]).unwrap();
	let mut native =
		TestExternalities::<sp_runtime::traits::BlakeTwo256>::new_with_code(code, genesis.clone());
	let started = Instant::now();
	native.execute_with(|| tos_runtime::Executive::execute_block(native_block.into()));
	let native_time = started.elapsed();

	println!("tos-node block benchmark: {included} signed transfers per block");
	println!(
		"{:<52} {:>10.1} µs",
		"fresh instance + Core_version",
		instance_call.as_secs_f64() * 1e6
	);
	println!(
		"{:<52} {:>10.1} µs",
		"state-machine call of Core_version (the node's path)",
		state_call.as_secs_f64() * 1e6
	);
	println!(
		"{:<52} {:>10.0} tx/s  ({:.0} ms)",
		"build block (Wasm)",
		per_second(included, build_time),
		build_time.as_secs_f64() * 1e3
	);
	println!(
		"{:<52} {:>10.0} tx/s  ({:.0} ms)",
		"execute block (Wasm, no commit)",
		per_second(included, execute_time),
		execute_time.as_secs_f64() * 1e3
	);
	println!(
		"{:<52} {:>10.0} tx/s  ({:.0} ms)",
		"import block (seal + Wasm execute + RocksDB commit)",
		per_second(included, import_time),
		import_time.as_secs_f64() * 1e3
	);
	println!(
		"{:<52} {:>10.0} tx/s  ({:.0} ms)",
		"baseline: execute block natively (same run)",
		per_second(included, native_time),
		native_time.as_secs_f64() * 1e3
	);
	println!(
		"{:<52} {:>10.2}x",
		"  Wasm execute / native execute (time)",
		execute_time.as_secs_f64() / native_time.as_secs_f64()
	);
	println!(
		"{:<52} {:>10.2}x",
		"  import / Wasm execute (time: seal + commit cost)",
		import_time.as_secs_f64() / execute_time.as_secs_f64()
	);
}
