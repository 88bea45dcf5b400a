//! JSON-RPC against the real `tos-node` binary: bad input gets Substrate's error code and
//! message and the node keeps serving; the transaction pool's limits hold under a flood;
//! instant sealing includes a submitted transaction at once.

mod common;

use std::time::{Duration, Instant};

use codec::Encode;
use common::{http::Client, rpc_addr, Node};
use serde_json::{json, Value};
use sp_keyring::Sr25519Keyring::{Alice, Bob};
use tos_node::dev_tx;
use tos_primitives::{Hash, UNIT};

fn hex(bytes: &[u8]) -> String {
	format!("0x{}", hex::encode(bytes))
}

fn genesis(client: &mut Client) -> Hash {
	let hash =
		client.call("chain_getBlockHash", json!([0]))["result"].as_str().unwrap().to_string();
	hash.parse().unwrap()
}

fn error_of(response: &Value) -> (i64, String, String) {
	let error = &response["error"];
	assert!(error.is_object(), "expected an error, got {response}");
	(
		error["code"].as_i64().unwrap(),
		error["message"].as_str().unwrap().to_string(),
		error["data"].as_str().map(String::from).unwrap_or_default(),
	)
}

fn best_number(client: &mut Client) -> u64 {
	let header = client.call("chain_getHeader", json!([]));
	u64::from_str_radix(header["result"]["number"].as_str().unwrap().trim_start_matches("0x"), 16)
		.unwrap()
}

fn start(args: &[&str]) -> (Node, std::net::SocketAddr) {
	let mut node = Node::start(args);
	let addr = rpc_addr(&mut node);
	(node, addr)
}

#[test]
fn bad_input_gets_substrates_errors_and_the_node_keeps_serving() {
	let (node, addr) = start(&["--dev", "--sealing", "instant", "--no-prometheus"]);
	let mut bystander = Client::connect(addr).unwrap();
	let mut client = Client::connect(addr).unwrap();
	let chain = bystander.call("system_chain", json!([]));

	// malformed JSON
	let (status, body) = client.post(b"{\"jsonrpc\": \"2.0\", \"id\": 1, \"method\":").unwrap();
	assert_eq!(status, 200);
	let response: Value = serde_json::from_str(&body).unwrap();
	assert_eq!(error_of(&response).0, -32700, "{body}");
	assert_eq!(error_of(&response).1, "Parse error");

	// unknown method
	let response = client.call("chain_getNothing", json!([]));
	assert_eq!(error_of(&response).0, -32601);
	assert_eq!(error_of(&response).1, "Method not found");

	// wrong parameter types
	for (method, params) in [
		("chain_getHeader", json!([42])),
		("chain_getBlockHash", json!(["not a number"])),
		("state_getStorage", json!([{"key": 1}])),
		("system_accountNextIndex", json!(["not an address"])),
		("state_getKeysPaged", json!(["0x", "ten"])),
	] {
		let response = client.call(method, params);
		assert_eq!(error_of(&response).0, -32602, "{method}: {response}");
		assert_eq!(error_of(&response).1, "Invalid params", "{method}");
	}
	// a count over Substrate's limit
	let response = client.call("state_getKeysPaged", json!(["0x", 1001]));
	assert_eq!(error_of(&response).0, 4002, "{response}");
	// an unknown block
	let response = client.call("state_getStorage", json!(["0x00", hex(&[7; 32])]));
	assert_eq!(error_of(&response).0, 4003, "{response}");
	assert!(error_of(&response).1.contains("unknown block"), "{response}");

	// extrinsics: not an extrinsic at all
	let response = client.call("author_submitExtrinsic", json!(["0x1234"]));
	assert_eq!(error_of(&response).0, 1001, "{response}");
	// a length-prefixed blob the runtime cannot decode
	let response = client.call("author_submitExtrinsic", json!([hex(&vec![9u8; 20].encode())]));
	assert_eq!(error_of(&response).0, 1001, "{response}");

	// a bad signature
	let genesis = genesis(&mut client);
	let mut bad = dev_tx::transfer(Alice, Bob, UNIT, 0, genesis).encode();
	bad[45] ^= 0xff; // inside the signature
	let response = client.call("author_submitExtrinsic", json!([hex(&bad)]));
	assert_eq!(
		error_of(&response),
		(1010, "Invalid Transaction".into(), "Transaction has a bad signature".into())
	);
	// banned now: the same bytes are not even validated again
	let response = client.call("author_submitExtrinsic", json!([hex(&bad)]));
	assert_eq!(error_of(&response).0, 1012, "{response}");
	assert_eq!(error_of(&response).1, "Transaction is temporarily banned");

	// a good transfer is included (instant sealing), then replayed
	let start_number = best_number(&mut client);
	let transfer = dev_tx::transfer(Alice, Bob, UNIT, 0, genesis).encode();
	let response = client.call("author_submitExtrinsic", json!([hex(&transfer)]));
	assert!(response["result"].is_string(), "{response}");
	let deadline = Instant::now() + Duration::from_secs(20);
	while best_number(&mut client) == start_number {
		assert!(Instant::now() < deadline, "instant sealing made no block");
		std::thread::sleep(Duration::from_millis(20));
	}
	let response = client.call("author_submitExtrinsic", json!([hex(&transfer)]));
	assert_eq!(
		error_of(&response),
		(1010, "Invalid Transaction".into(), "Transaction is outdated".into()),
		"a replay of an included transaction"
	);
	// a stale nonce in a fresh transaction
	let stale = dev_tx::transfer(Alice, Bob, 2 * UNIT, 0, genesis).encode();
	let response = client.call("author_submitExtrinsic", json!([hex(&stale)]));
	assert_eq!(error_of(&response).2, "Transaction is outdated", "{response}");
	assert_eq!(
		client.call("system_accountNextIndex", json!([Alice.to_account_id().to_string()]))
			["result"],
		1
	);

	// an oversized request (over 15 MiB): refused, the connection may go, the server stays
	let mut big = Client::connect(addr).unwrap();
	let huge = format!(
		r#"{{"jsonrpc":"2.0","id":1,"method":"author_submitExtrinsic","params":["0x{}"]}}"#,
		"00".repeat(8 * 1024 * 1024)
	);
	let (status, body) = big.post(huge.as_bytes()).unwrap();
	assert_eq!(status, 413, "{body}");

	// the bystander never noticed
	assert_eq!(bystander.call("system_chain", json!([])), chain);
	assert!(best_number(&mut bystander) > start_number);
	node.stop();
}

#[test]
fn the_pool_keeps_its_limits_under_a_flood() {
	// aura sealing: nothing leaves the pool for the first seconds
	let (node, addr) =
		start(&["--dev", "--no-prometheus", "--pool-limit", "10", "--pool-kbytes", "1024"]);
	let mut client = Client::connect(addr).unwrap();
	let genesis = genesis(&mut client);
	let mut accepted = 0;
	let mut dropped = 0;
	for nonce in 0..40 {
		let xt = dev_tx::transfer(Alice, Bob, UNIT, nonce, genesis).encode();
		let response = client.call("author_submitExtrinsic", json!([hex(&xt)]));
		if response["result"].is_string() {
			accepted += 1;
		} else {
			let (code, _, _) = error_of(&response);
			assert_eq!(code, 1016, "{response}");
			dropped += 1;
		}
		let pending = client.call("author_pendingExtrinsics", json!([]));
		assert!(pending["result"].as_array().unwrap().len() <= 10, "ready queue over its limit");
	}
	assert!(accepted >= 10, "{accepted} accepted");
	assert!(dropped > 0, "a flood past the limit is refused");
	node.stop();
}

#[test]
fn unsafe_methods_answer_on_localhost_only_unless_allowed() {
	let (node, addr) = start(&["--dev", "--no-prometheus", "--rpc-methods", "safe"]);
	let mut client = Client::connect(addr).unwrap();
	let response = client.call("author_rotateKeys", json!([]));
	assert_eq!(error_of(&response).0, -32601, "{response}");
	assert_eq!(error_of(&response).1, "RPC call is unsafe to be called externally");
	node.stop();

	let (node, addr) = start(&["--dev", "--no-prometheus"]);
	let mut client = Client::connect(addr).unwrap();
	let keys = client.call("author_rotateKeys", json!([]));
	let keys = keys["result"].as_str().expect("session keys").to_string();
	// Aura (sr25519) and GRANDPA (ed25519) public keys, 32 bytes each
	assert_eq!(keys.len(), 2 + 2 * 64, "{keys}");
	assert_eq!(client.call("author_hasSessionKeys", json!([keys]))["result"], true);
	let aura = &keys[..66];
	assert_eq!(client.call("author_hasKey", json!([aura, "aura"]))["result"], true);
	assert_eq!(client.call("author_hasKey", json!([aura, "gran"]))["result"], false);
	let response = client.call("author_hasKey", json!([aura, "toolong"]));
	assert_eq!(error_of(&response).0, 1005, "{response}");
	node.stop();
}

#[test]
fn a_pruned_node_answers_for_recent_states_and_keeps_its_mode() {
	let dir = tempfile::tempdir().unwrap();
	let base = dir.path().to_str().unwrap();
	let args = ["--dev", "--sealing", "instant", "--no-prometheus", "--base-path", base];
	let (node, addr) = start(&[&args[..], &["--state-pruning", "2"]].concat());
	let mut client = Client::connect(addr).unwrap();
	let genesis = genesis(&mut client);
	for nonce in 0..4 {
		let xt = dev_tx::transfer(Alice, Bob, UNIT, nonce, genesis).encode();
		assert!(client.call("author_submitExtrinsic", json!([hex(&xt)]))["result"].is_string());
		let deadline = Instant::now() + Duration::from_secs(20);
		while best_number(&mut client) <= u64::from(nonce) {
			assert!(Instant::now() < deadline, "no block");
			std::thread::sleep(Duration::from_millis(20));
		}
	}
	// wait for the dev chain to finalize block 4
	let deadline = Instant::now() + Duration::from_secs(20);
	loop {
		let head = client.call("chain_getFinalizedHead", json!([]))["result"].clone();
		let header = client.call("chain_getHeader", json!([head]));
		if header["result"]["number"] == "0x4" {
			break;
		}
		assert!(Instant::now() < deadline, "block 4 was not finalized");
		std::thread::sleep(Duration::from_millis(50));
	}
	let old = client.call("chain_getBlockHash", json!([1]))["result"].clone();
	let response = client.call("state_getRuntimeVersion", json!([old]));
	assert_eq!(error_of(&response).0, 4003, "{response}");
	assert!(error_of(&response).1.contains("State already discarded"), "{response}");
	let recent = client.call("chain_getBlockHash", json!([3]))["result"].clone();
	assert!(client.call("state_getRuntimeVersion", json!([recent]))["result"].is_object());
	node.stop();

	// the database keeps its mode: an archive node on it is refused with a clear error
	let out = std::process::Command::new(common::NODE).args(args).output().unwrap();
	assert!(!out.status.success());
	let stderr = String::from_utf8_lossy(&out.stderr);
	assert!(stderr.contains("--state-pruning 2"), "{stderr}");
}

#[test]
fn state_queries_proofs_and_fee_estimates_answer_in_substrates_shapes() {
	let (node, addr) = start(&["--dev", "--sealing", "instant", "--no-prometheus"]);
	let mut client = Client::connect(addr).unwrap();
	let genesis_hash = genesis(&mut client);
	let best = client.call("chain_getHeader", json!([]))["result"].clone();
	let best_hash = client.call("chain_getBlockHash", json!([]))["result"].clone();
	let state_root: Hash = best["stateRoot"].as_str().unwrap().parse().unwrap();

	// keys by page: a prefix, a page size, and the next page after the last key
	let prefix = hex(&sp_io::hashing::twox_128(b"System"));
	let first = client.call("state_getKeysPaged", json!([prefix, 3]))["result"].clone();
	let first = first.as_array().unwrap().clone();
	assert_eq!(first.len(), 3);
	let next = client.call("state_getKeysPaged", json!([prefix, 3, first[2]]))["result"].clone();
	let next = next.as_array().unwrap();
	assert!(next[0].as_str().unwrap() > first[2].as_str().unwrap(), "pages continue in order");
	assert!(next.iter().all(|k| k.as_str().unwrap().starts_with(&prefix)));

	// one key, four ways
	let key = first[0].clone();
	let value = client.call("state_getStorage", json!([key]))["result"].clone();
	let bytes = hex::decode(value.as_str().unwrap().trim_start_matches("0x")).unwrap();
	let size = client.call("state_getStorageSize", json!([key]))["result"].clone();
	assert_eq!(size, bytes.len());
	let hash = client.call("state_getStorageHash", json!([key]))["result"].clone();
	assert_eq!(hash.as_str().unwrap(), hex(&sp_io::hashing::blake2_256(&bytes)));
	let missing = hex(b"no such key");
	let at = client.call("state_queryStorageAt", json!([[key, missing], best_hash]));
	assert_eq!(
		at["result"],
		json!([{ "block": best_hash, "changes": [[key, value], [missing, null]] }])
	);

	// a read proof that checks against the header's state root
	let proof = client.call("state_getReadProof", json!([[key], best_hash]))["result"].clone();
	assert_eq!(proof["at"], best_hash);
	let nodes: Vec<Vec<u8>> = proof["proof"]
		.as_array()
		.unwrap()
		.iter()
		.map(|n| hex::decode(n.as_str().unwrap().trim_start_matches("0x")).unwrap())
		.collect();
	let key_bytes = hex::decode(key.as_str().unwrap().trim_start_matches("0x")).unwrap();
	let checked = sp_state_machine::read_proof_check::<sp_runtime::traits::BlakeTwo256, _>(
		state_root,
		sp_trie::StorageProof::new(nodes),
		[&key_bytes],
	)
	.unwrap();
	assert_eq!(checked.get(&key_bytes).cloned().flatten(), Some(bytes));

	// several block numbers at once, and one past the head
	let hashes = client.call("chain_getBlockHash", json!([[0, "0x0", 999]]))["result"].clone();
	assert_eq!(hashes, json!([hex(genesis_hash.as_bytes()), hex(genesis_hash.as_bytes()), null]));

	// a fee estimate for a transfer
	let xt = dev_tx::transfer(Alice, Bob, UNIT, 0, genesis_hash).encode();
	let info = client.call("payment_queryInfo", json!([hex(&xt)]))["result"].clone();
	assert_eq!(info["class"], "normal", "{info}");
	// sp-weights serialises its fields in snake case, and so does Substrate's RPC
	assert!(info["weight"]["ref_time"].as_u64().unwrap() > 0, "{info}");
	let fee: u128 = info["partialFee"].as_str().expect("a decimal string").parse().unwrap();
	assert!(fee > 0 && fee < UNIT, "{fee}");
	node.stop();
}
