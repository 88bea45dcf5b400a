//! The real `tos-node` binary, started as a process: a dev chain that authors blocks, keeps
//! them across a restart, serves metrics, and moves its chain through export/import.
//!
//! Aura slots are six seconds, so these tests take tens of seconds each.

use std::{
	io::{Read, Write},
	net::TcpStream,
	path::Path,
	process::Command,
	time::Duration,
};

mod common;
use common::{Node, NODE};

/// Runs a `tos-node` subcommand to completion, returning (success, stdout, stderr).
fn run(args: &[&str]) -> (bool, String, String) {
	let out = Command::new(NODE).args(args).output().expect("tos-node runs");
	(
		out.status.success(),
		String::from_utf8_lossy(&out.stdout).into_owned(),
		String::from_utf8_lossy(&out.stderr).into_owned(),
	)
}

fn chain_info(base: &Path) -> serde_json::Value {
	let (ok, stdout, stderr) = run(&["chain-info", "--dev", "--base-path", base.to_str().unwrap()]);
	assert!(ok, "chain-info failed: {stderr}");
	serde_json::from_str(&stdout).expect("chain-info prints JSON")
}

const BLOCK_WAIT: Duration = Duration::from_secs(40);

/// Lets a dev node on `base` author `blocks` blocks, then stops it.
fn author_blocks(base: &Path, blocks: u32) {
	let mut node =
		Node::start(&["--dev", "--base-path", base.to_str().unwrap(), "--no-prometheus"]);
	let best: u32 = chain_best_from_log(&node.wait_for("Best block: #", BLOCK_WAIT));
	node.wait_for(&format!("Authored #{}", best + blocks), BLOCK_WAIT * blocks);
	node.stop();
}

fn chain_best_from_log(line: &str) -> u32 {
	let after = line.split("Best block: #").nth(1).expect("the line names the best block");
	after.split_whitespace().next().unwrap().parse().expect("a block number")
}

#[test]
fn dev_node_continues_its_chain_after_a_restart() {
	let dir = tempfile::tempdir().unwrap();
	author_blocks(dir.path(), 2);
	let before = chain_info(dir.path());
	assert!(before["bestNumber"].as_u64().unwrap() >= 2, "{before}");
	let before_best = before["bestNumber"].as_u64().unwrap();
	assert!(before["finalizedNumber"].as_u64().unwrap() <= before_best);

	// restart: the node reports the same best block, then builds on it
	let mut node =
		Node::start(&["--dev", "--base-path", dir.path().to_str().unwrap(), "--no-prometheus"]);
	let line = node.wait_for("Best block: #", BLOCK_WAIT);
	assert!(line.contains(before["bestHash"].as_str().unwrap()), "{line} vs {before}");
	let next = before["bestNumber"].as_u64().unwrap() + 1;
	node.wait_for(&format!("Authored #{next}"), BLOCK_WAIT);
	node.stop();

	let after = chain_info(dir.path());
	assert_eq!(after["genesisHash"], before["genesisHash"]);
	assert!(after["bestNumber"].as_u64().unwrap() >= next);
	// a dev chain finalizes a second after import, and at start-up what it had: the blocks
	// of the first run are final by now
	assert!(after["finalizedNumber"].as_u64().unwrap() >= before_best, "{after}");
}

#[test]
fn export_then_import_reproduces_the_chain_and_a_tampered_export_is_refused() {
	let source = tempfile::tempdir().unwrap();
	author_blocks(source.path(), 2);
	let expected = chain_info(source.path());
	let file = source.path().join("blocks.bin");
	let (ok, _, stderr) = run(&[
		"export-blocks",
		"--dev",
		"--base-path",
		source.path().to_str().unwrap(),
		file.to_str().unwrap(),
	]);
	assert!(ok, "{stderr}");

	// a fresh node re-executes every block and reaches the same head
	let target = tempfile::tempdir().unwrap();
	let (ok, _, stderr) = run(&[
		"import-blocks",
		"--dev",
		"--base-path",
		target.path().to_str().unwrap(),
		file.to_str().unwrap(),
	]);
	assert!(ok, "{stderr}");
	let imported = chain_info(target.path());
	assert_eq!(imported["bestHash"], expected["bestHash"]);
	assert_eq!(imported["bestStateRoot"], expected["bestStateRoot"]);

	// flip one byte of the last block's header (its parent hash): the import stops there
	let mut bytes = std::fs::read(&file).unwrap();
	let last_block_start = find_last_block(&bytes);
	bytes[last_block_start] ^= 0xff;
	let tampered = source.path().join("tampered.bin");
	std::fs::write(&tampered, &bytes).unwrap();
	let broken = tempfile::tempdir().unwrap();
	let (ok, _, stderr) = run(&[
		"import-blocks",
		"--dev",
		"--base-path",
		broken.path().to_str().unwrap(),
		tampered.to_str().unwrap(),
	]);
	assert!(!ok, "a tampered block must be refused");
	assert!(stderr.contains("rejected") || stderr.contains("not a valid block"), "{stderr}");
	let partial = chain_info(broken.path());
	assert_eq!(
		partial["bestNumber"].as_u64().unwrap() + 1,
		expected["bestNumber"].as_u64().unwrap(),
		"every block before the tampered one was imported, and nothing of it"
	);
}

/// The offset of the last block in an export file.
fn find_last_block(bytes: &[u8]) -> usize {
	use codec::Decode;
	let mut input = &bytes[8..];
	let mut start = 8;
	loop {
		let before = input.len();
		tos_primitives::opaque::Block::decode(&mut input).expect("export decodes");
		if input.is_empty() {
			return start;
		}
		start += before - input.len();
	}
}

#[test]
fn metrics_report_the_best_block() {
	let dir = tempfile::tempdir().unwrap();
	let port = free_port();
	let port_arg = port.to_string();
	let mut node = Node::start(&[
		"--dev",
		"--base-path",
		dir.path().to_str().unwrap(),
		"--prometheus-port",
		&port_arg,
	]);
	node.wait_for("Authored #1", BLOCK_WAIT);
	let mut stream = TcpStream::connect(("127.0.0.1", port)).expect("metrics listen");
	stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").unwrap();
	let mut response = String::new();
	stream.read_to_string(&mut response).unwrap();
	assert!(response.starts_with("HTTP/1.1 200"), "{response}");
	let best = response
		.lines()
		.find_map(|l| l.strip_prefix("substrate_block_height{status=\"best\"} "))
		.expect("best height reported");
	assert!(best.parse::<u32>().unwrap() >= 1, "{response}");
	assert!(response.contains("\nsubstrate_ready_transactions_number 0\n"), "{response}");
	node.stop();
}

#[test]
fn a_corrupt_chain_spec_is_refused_with_a_clear_error() {
	let dir = tempfile::tempdir().unwrap();
	let spec = dir.path().join("spec.json");
	std::fs::write(
		&spec,
		r#"{"name": "broken", "id": "x", "genesis": {"raw": {"top": {"0x00": "zz"}}}}"#,
	)
	.unwrap();
	let (ok, _, stderr) =
		run(&["--chain", spec.to_str().unwrap(), "--base-path", dir.path().to_str().unwrap()]);
	assert!(!ok);
	assert!(stderr.contains("invalid hex"), "{stderr}");
	assert!(!dir.path().join("chains").exists(), "no database was created for a bad spec");
}

#[test]
fn build_spec_output_starts_the_same_chain() {
	let dir = tempfile::tempdir().unwrap();
	let (ok, raw, stderr) = run(&["build-spec", "--dev", "--raw"]);
	assert!(ok, "{stderr}");
	let spec_path = dir.path().join("dev-raw.json");
	std::fs::write(&spec_path, &raw).unwrap();

	let from_file = tempfile::tempdir().unwrap();
	let (ok, stdout, stderr) = run(&[
		"chain-info",
		"--chain",
		spec_path.to_str().unwrap(),
		"--base-path",
		from_file.path().to_str().unwrap(),
	]);
	assert!(ok, "{stderr}");
	let builtin = tempfile::tempdir().unwrap();
	let reference = chain_info(builtin.path());
	let info: serde_json::Value = serde_json::from_str(&stdout).unwrap();
	assert_eq!(info["genesisHash"], reference["genesisHash"]);
}

fn free_port() -> u16 {
	std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}
