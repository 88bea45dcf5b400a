//! Network benchmark: two nodes in one process, each with its own RocksDB chain, talking the
//! real libp2p stack (TCP, noise, yamux, our protocol) over loopback.
//!
//! - **sync**: node A holds a chain of `TOS_BENCH_BLOCKS` blocks (200 by default, each with
//!   `TOS_BENCH_BLOCK_TXS` signed transfers, 10 by default); node B starts from genesis and
//!   downloads and imports them. Baseline in the same run: importing the same blocks straight
//!   into a third chain (no network), so the ratio is what the network adds.
//! - **propagation**: A authors a block; the time until B has imported it (announcement,
//!   download, import), median of `TOS_BENCH_PROPAGATIONS` blocks (30 by default). Baseline:
//!   B's own import time of those blocks.
//!
//! ```sh
//! cargo bench -p tos-node --bench network --profile dev
//! ```

use std::{
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use sp_consensus_aura::Slot;
use sp_keyring::Sr25519Keyring;
use tos_node::{
	chain::{spec::ChainSpec, Chain, Finality},
	db::RocksDb,
	dev_tx,
	executor::NodeExecutor,
	network::{self, NetworkConfig},
	rpc::{events_channel, TxPool},
	txpool::{Limits, Pool},
};

fn env(name: &str, default: u32) -> u32 {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

fn open(
	dir: &std::path::Path,
	executor: &NodeExecutor,
	genesis: &sp_core::storage::Storage,
) -> Arc<Chain> {
	Arc::new(
		Chain::open(
			Arc::new(RocksDb::open(dir).unwrap()),
			executor.clone(),
			genesis,
			Finality::Never,
		)
		.unwrap(),
	)
}

struct Node {
	chain: Arc<Chain>,
	status: Arc<network::NetworkStatus>,
	stop: Arc<AtomicBool>,
}

fn start(chain: Arc<Chain>, bootnode: Option<String>, runtime: &tokio::runtime::Runtime) -> Node {
	let pool: Arc<TxPool> =
		Arc::new(Pool::new(chain.clone(), Limits::with_count_and_kbytes(8192, 20480)));
	let events = events_channel(&chain);
	let stop = Arc::new(AtomicBool::new(false));
	let config = NetworkConfig {
		key: libp2p::identity::Keypair::generate_ed25519(),
		listen: vec!["/ip4/127.0.0.1/tcp/0".parse().unwrap()],
		bootnodes: bootnode.into_iter().map(|a| a.parse().unwrap()).collect(),
		mdns: false,
		authority: false,
		grandpa: None,
	};
	let _guard = runtime.enter();
	let (status, _task) =
		network::start(config, chain.clone(), pool, events.subscribe(), stop.clone()).unwrap();
	Node { chain, status, stop }
}

fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) {
	let deadline = Instant::now() + timeout;
	while !done() {
		assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
		std::thread::sleep(Duration::from_millis(1));
	}
}

fn main() {
	let blocks = env("TOS_BENCH_BLOCKS", 200);
	let per_block = env("TOS_BENCH_BLOCK_TXS", 10);
	let propagations = env("TOS_BENCH_PROPAGATIONS", 30);
	let code = tos_runtime::WASM_BINARY.expect("built with the Wasm blob");
	let executor = NodeExecutor::new();
	let spec =
		ChainSpec::from_preset(&executor, code, "development", "Development", "dev", "Development")
			.unwrap();
	let genesis = spec.genesis_storage(&executor).unwrap();
	let dirs: Vec<_> = (0..3).map(|_| tempfile::tempdir().unwrap()).collect();
	let a = open(dirs[0].path(), &executor, &genesis);
	let genesis_hash = a.info().genesis_hash;
	let alice = Sr25519Keyring::Alice.pair();

	// node A's chain
	let mut nonce = 0u32;
	let mut slot = 1_000u64;
	let mut author_block = |chain: &Chain| {
		let txs: Vec<_> = (0..per_block)
			.map(|i| {
				dev_tx::transfer(
					Sr25519Keyring::Alice,
					Sr25519Keyring::Bob,
					1_000_000,
					nonce + i,
					genesis_hash,
				)
			})
			.collect();
		nonce += per_block;
		slot += 1;
		let built =
			chain.build(chain.info().best_hash, Slot::from(slot), 6000, txs, &alice).unwrap();
		assert!(built.rejected.is_empty());
		let block = built.block.clone();
		chain.import_built(built).unwrap();
		block
	};
	let mut made = Vec::new();
	for _ in 0..blocks {
		made.push(author_block(&a));
	}

	// baseline: the same blocks imported without a network
	let c = open(dirs[2].path(), &executor, &genesis);
	let started = Instant::now();
	for block in &made {
		c.import(block.clone()).unwrap();
	}
	let local_import = started.elapsed();

	// sync over the network
	let runtime = tokio::runtime::Runtime::new().unwrap();
	let node_a = start(a.clone(), None, &runtime);
	wait_until("A listens", Duration::from_secs(10), || {
		!node_a.status.listen_addresses().is_empty()
	});
	let boot = node_a.status.listen_addresses()[0].clone();
	let b = open(dirs[1].path(), &executor, &genesis);
	let started = Instant::now();
	let node_b = start(b.clone(), Some(boot), &runtime);
	wait_until("B syncs", Duration::from_secs(600), || b.info().best_number >= blocks);
	let sync_time = started.elapsed();
	assert_eq!(b.info().best_hash, a.info().best_hash);

	// propagation of new blocks from A to B
	let mut delays = Vec::new();
	let mut imports = Vec::new();
	for _ in 0..propagations {
		let block = author_block(&node_a.chain);
		// from A's import (which announces it) to B's
		let started = Instant::now();
		let hash = block.header.hash();
		wait_until("B imports", Duration::from_secs(30), || {
			node_b.chain.header(hash).ok().flatten().is_some()
		});
		delays.push(started.elapsed());
		// B's import time alone, for the same block, in the third chain
		let started = Instant::now();
		c.import(block).unwrap();
		imports.push(started.elapsed());
	}
	delays.sort();
	imports.sort();
	let median = |v: &[Duration]| v[v.len() / 2];
	node_a.stop.store(true, Ordering::Relaxed);
	node_b.stop.store(true, Ordering::Relaxed);

	let sync_rate = blocks as f64 / sync_time.as_secs_f64();
	let local_rate = blocks as f64 / local_import.as_secs_f64();
	println!(
		"tos-node network benchmark: 2 nodes over loopback TCP, {per_block} transfers per block"
	);
	println!(
		"{:<56} {:>9.0} blocks/s ({blocks} blocks, {:.2} s)",
		"sync from genesis over the network",
		sync_rate,
		sync_time.as_secs_f64()
	);
	println!(
		"{:<56} {:>9.0} blocks/s ({:.2} s)",
		"baseline: import of the same blocks, no network",
		local_rate,
		local_import.as_secs_f64()
	);
	println!("{:<56} {:>9.2}", "  sync / local import", sync_rate / local_rate);
	println!(
		"{:<56} {:>9.2} ms (median of {propagations})",
		"propagation: authored on A → imported on B",
		median(&delays).as_secs_f64() * 1e3
	);
	println!(
		"{:<56} {:>9.2} ms",
		"baseline: import of such a block, no network",
		median(&imports).as_secs_f64() * 1e3
	);
	println!(
		"{:<56} {:>9.2}",
		"  propagation / import",
		median(&delays).as_secs_f64() / median(&imports).as_secs_f64()
	);
}
