//! Shared by the tests that run the real binary: a node process whose log can be waited on.

#![allow(dead_code)]

pub mod http;

use std::{
	io::{BufRead, BufReader},
	process::{Child, Command, Stdio},
	sync::mpsc::{channel, Receiver},
	time::{Duration, Instant},
};

pub const NODE: &str = env!("CARGO_BIN_EXE_tos-node");

/// A running node whose log lines arrive on a channel; killed when dropped.
pub struct Node {
	child: Child,
	lines: Receiver<String>,
	seen: Vec<String>,
}

impl Node {
	pub fn start(args: &[&str]) -> Node {
		let mut child = Command::new(NODE)
			.args(args)
			.args(["--rpc-port", "0"])
			.env("RUST_LOG", "info")
			.stdout(Stdio::null())
			.stderr(Stdio::piped())
			.spawn()
			.expect("tos-node starts");
		let stderr = child.stderr.take().expect("stderr is piped");
		let (tx, lines) = channel();
		std::thread::spawn(move || {
			for line in BufReader::new(stderr).lines().map_while(Result::ok) {
				if tx.send(line).is_err() {
					break;
				}
			}
		});
		Node { child, lines, seen: Vec::new() }
	}

	/// Every log line so far.
	pub fn log(&mut self) -> Vec<String> {
		while let Ok(line) = self.lines.try_recv() {
			self.seen.push(line);
		}
		self.seen.clone()
	}

	/// Waits for a log line containing `needle`, returning it.
	pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> String {
		let deadline = Instant::now() + timeout;
		while let Some(left) = deadline.checked_duration_since(Instant::now()) {
			match self.lines.recv_timeout(left) {
				Ok(line) => {
					self.seen.push(line.clone());
					if line.contains(needle) {
						return line;
					}
				},
				Err(_) => break,
			}
		}
		panic!(
			"no log line with {needle:?} within {timeout:?}; log so far:\n{}",
			self.seen.join("\n")
		);
	}

	/// Stops the node with SIGTERM and waits for it to exit cleanly.
	pub fn stop(mut self) {
		let pid = self.child.id().to_string();
		let status = Command::new("kill").args(["-TERM", &pid]).status().expect("kill runs");
		assert!(status.success());
		let exit = self.child.wait().expect("node exits");
		assert!(exit.success(), "node exited with {exit}");
	}
}

impl Drop for Node {
	fn drop(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}
}

/// The JSON-RPC address a node logged (`Running JSON-RPC server: addr=…`).
pub fn rpc_addr(node: &mut Node) -> std::net::SocketAddr {
	let line = node.wait_for("Running JSON-RPC server: addr=", Duration::from_secs(60));
	line.split("addr=").nth(1).unwrap().trim().parse().expect("a socket address")
}
