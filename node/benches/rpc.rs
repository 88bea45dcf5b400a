//! JSON-RPC benchmark on loopback against the real `tos-node --dev --sealing instant` binary:
//!
//! 1. simple calls per second over HTTP keep-alive connections (`system_name`, which touches
//!    nothing; `chain_getHeader`, a database read; `state_getStorage` of an account, a trie
//!    read; `state_getRuntimeVersion`, a Wasm call), against the same-run baseline of a bare
//!    jsonrpsee server answering `ping` in this process — the floor the RPC framework and the
//!    loopback set;
//! 2. submit-to-inBlock latency: a signed transfer sent with `author_submitExtrinsic`, until
//!    `chain_getHeader` shows the block that includes it (polled every 0.2 ms).
//!
//! ```sh
//! cargo bench -p tos-node --bench rpc --profile dev   # TOS_BENCH_SECS=3 per measure
//! ```

#[path = "../tests/common/http.rs"]
mod http;

use std::{
	io::{BufRead, BufReader},
	net::SocketAddr,
	process::{Command, Stdio},
	sync::{
		atomic::{AtomicBool, AtomicU64, Ordering},
		Arc,
	},
	time::{Duration, Instant},
};

use codec::Encode;
use http::Client;
use serde_json::json;
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use tos_primitives::{Hash, UNIT};

const CONNECTIONS: usize = 4;

/// Calls per second of `request` over `CONNECTIONS` keep-alive connections for `secs`.
fn throughput(addr: SocketAddr, request: &str, secs: f64) -> f64 {
	let stop = Arc::new(AtomicBool::new(false));
	let count = Arc::new(AtomicU64::new(0));
	let body = Arc::new(request.as_bytes().to_vec());
	// warm up every connection, then count
	let threads: Vec<_> = (0..CONNECTIONS)
		.map(|_| {
			let (stop, count, body) = (stop.clone(), count.clone(), body.clone());
			std::thread::spawn(move || {
				let mut client = Client::connect(addr).unwrap();
				for _ in 0..50 {
					client.post(&body).unwrap();
				}
				while !stop.load(Ordering::Relaxed) {
					let (status, response) = client.post(&body).unwrap();
					assert!(status == 200 && response.contains("\"result\""), "{response}");
					count.fetch_add(1, Ordering::Relaxed);
				}
			})
		})
		.collect();
	std::thread::sleep(Duration::from_millis(300));
	let before = count.load(Ordering::Relaxed);
	let started = Instant::now();
	std::thread::sleep(Duration::from_secs_f64(secs));
	let done = count.load(Ordering::Relaxed) - before;
	let took = started.elapsed();
	stop.store(true, Ordering::Relaxed);
	for t in threads {
		t.join().unwrap();
	}
	done as f64 / took.as_secs_f64()
}

fn request(method: &str, params: serde_json::Value) -> String {
	json!({"jsonrpc": "2.0", "id": 1, "method": method, "params": params}).to_string()
}

fn main() {
	let secs: f64 =
		std::env::var("TOS_BENCH_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(3.0);

	// the baseline: a bare jsonrpsee server with one trivial method
	let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
	let baseline = runtime.block_on(async {
		let server = jsonrpsee::server::Server::builder().build("127.0.0.1:0").await.unwrap();
		let addr = server.local_addr().unwrap();
		let mut module = jsonrpsee::RpcModule::new(());
		module.register_method("ping", |_, _, _| "pong").unwrap();
		(server.start(module), addr)
	});

	// the node
	let dir = tempfile::tempdir().unwrap();
	let mut child = Command::new(env!("CARGO_BIN_EXE_tos-node"))
		.args(["--dev", "--sealing", "instant", "--rpc-port", "0", "--no-prometheus"])
		.arg("--base-path")
		.arg(dir.path())
		.env("RUST_LOG", "warn,tos_node::service=info")
		.stderr(Stdio::piped())
		.stdout(Stdio::null())
		.spawn()
		.unwrap();
	let mut lines = BufReader::new(child.stderr.take().unwrap()).lines();
	let addr: SocketAddr = loop {
		let line = lines.next().expect("the node logs its RPC address").unwrap();
		if let Some(addr) = line.split("Running JSON-RPC server: addr=").nth(1) {
			break addr.trim().parse().unwrap();
		}
	};
	std::thread::spawn(move || for _ in lines {});

	let mut client = Client::connect(addr).unwrap();
	let genesis: Hash =
		client.call("chain_getBlockHash", json!([0]))["result"].as_str().unwrap().parse().unwrap();
	let alice_key = {
		let mut key = sp_io::hashing::twox_128(b"System").to_vec();
		key.extend(sp_io::hashing::twox_128(b"Account"));
		key.extend(sp_io::hashing::blake2_128(Alice.to_account_id().as_ref()));
		key.extend(Alice.to_account_id().encode());
		format!("0x{}", hex::encode(key))
	};

	println!("RPC throughput, {CONNECTIONS} HTTP keep-alive connections, {secs} s each:");
	let floor = throughput(baseline.1, &request("ping", json!([])), secs);
	println!("  baseline: bare jsonrpsee `ping`        {floor:>9.0} calls/s");
	for (label, method, params) in [
		("system_name", "system_name", json!([])),
		("chain_getHeader", "chain_getHeader", json!([])),
		("state_getStorage (account)", "state_getStorage", json!([alice_key])),
		("state_getRuntimeVersion (Wasm)", "state_getRuntimeVersion", json!([])),
	] {
		let rate = throughput(addr, &request(method, params), secs);
		println!("  tos-node {label:<30} {rate:>9.0} calls/s  ({:.2} of baseline)", rate / floor);
	}

	println!("submit-to-inBlock latency, instant sealing, sequential transfers:");
	let mut latencies = Vec::new();
	for nonce in 0..40u32 {
		let xt = tos_node::dev_tx::transfer(Alice, Bob, UNIT, nonce, genesis).encode();
		let number = |client: &mut Client| {
			let header = client.call("chain_getHeader", json!([]));
			u64::from_str_radix(
				header["result"]["number"].as_str().unwrap().trim_start_matches("0x"),
				16,
			)
			.unwrap()
		};
		let before = number(&mut client);
		let started = Instant::now();
		let response =
			client.call("author_submitExtrinsic", json!([format!("0x{}", hex::encode(&xt))]));
		assert!(response["result"].is_string(), "{response}");
		while number(&mut client) == before {
			std::thread::sleep(Duration::from_micros(200));
		}
		latencies.push(started.elapsed());
	}
	latencies.sort();
	let pct = |p: usize| latencies[(latencies.len() - 1) * p / 100].as_secs_f64() * 1000.0;
	println!(
		"  {} transfers: median {:.1} ms, p90 {:.1} ms, max {:.1} ms",
		latencies.len(),
		pct(50),
		pct(90),
		pct(100)
	);

	let _ = Command::new("kill").args(["-TERM", &child.id().to_string()]).status();
	let _ = child.wait();
	baseline.0.stop().unwrap();
}
