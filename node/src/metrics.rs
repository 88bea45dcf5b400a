//! Prometheus metrics, served as text on `/metrics`.
//!
//! Names follow Substrate's where one exists, so existing dashboards work:
//! `substrate_block_height{status="best"|"finalized"}`; import timing is
//! `substrate_block_import_seconds` (sum and count of a summary).

use std::{
	fmt::Write as _,
	net::SocketAddr,
	sync::{
		atomic::{AtomicU64, Ordering},
		Arc,
	},
	time::Duration,
};

use tokio::{
	io::{AsyncReadExt, AsyncWriteExt},
	net::TcpListener,
};

/// The node's metrics; cheap to clone and update from any thread.
#[derive(Clone, Default)]
pub struct Metrics {
	inner: Arc<Inner>,
}

/// Reads the transaction pool's (ready, future) counts when metrics are rendered.
pub type PoolGauge = Box<dyn Fn() -> (usize, usize) + Send + Sync>;

#[derive(Default)]
struct Inner {
	best: AtomicU64,
	finalized: AtomicU64,
	imported: AtomicU64,
	import_micros: AtomicU64,
	authored: AtomicU64,
	rpc_calls: AtomicU64,
	pool: std::sync::RwLock<Option<PoolGauge>>,
	peers: std::sync::RwLock<Option<PeersGauge>>,
}

/// Reads the number of connected peers when metrics are rendered.
pub type PeersGauge = Box<dyn Fn() -> usize + Send + Sync>;

impl Metrics {
	/// Records the chain's best and finalized heights.
	pub fn set_heights(&self, best: u32, finalized: u32) {
		self.inner.best.store(best.into(), Ordering::Relaxed);
		self.inner.finalized.store(finalized.into(), Ordering::Relaxed);
	}

	/// Records a new best block height.
	pub fn set_best(&self, best: u32) {
		self.inner.best.store(best.into(), Ordering::Relaxed);
	}

	/// Records a new finalized block height.
	pub fn set_finalized(&self, finalized: u32) {
		self.inner.finalized.store(finalized.into(), Ordering::Relaxed);
	}

	/// Reads the peer count from `gauge` whenever metrics are rendered.
	pub fn set_peers_gauge(&self, gauge: PeersGauge) {
		*self.inner.peers.write().expect("the gauge lock is never poisoned") = Some(gauge);
	}

	/// Records one block import and how long it took.
	pub fn block_imported(&self, took: Duration) {
		self.inner.imported.fetch_add(1, Ordering::Relaxed);
		self.inner.import_micros.fetch_add(took.as_micros() as u64, Ordering::Relaxed);
	}

	/// Records one block authored by this node.
	pub fn block_authored(&self) {
		self.inner.authored.fetch_add(1, Ordering::Relaxed);
	}

	/// Records `n` JSON-RPC calls (a batch counts each call).
	pub fn rpc_calls(&self, n: usize) {
		self.inner.rpc_calls.fetch_add(n as u64, Ordering::Relaxed);
	}

	/// Reads the pool's sizes from `gauge` whenever metrics are rendered.
	pub fn set_pool_gauge(&self, gauge: PoolGauge) {
		*self.inner.pool.write().expect("the gauge lock is never poisoned") = Some(gauge);
	}

	/// The metrics in Prometheus' text format.
	pub fn render(&self) -> String {
		let i = &self.inner;
		let mut out = String::new();
		let _ = writeln!(out, "# HELP substrate_block_height Block height info of the chain");
		let _ = writeln!(out, "# TYPE substrate_block_height gauge");
		let _ = writeln!(
			out,
			"substrate_block_height{{status=\"best\"}} {}",
			i.best.load(Ordering::Relaxed)
		);
		let _ = writeln!(
			out,
			"substrate_block_height{{status=\"finalized\"}} {}",
			i.finalized.load(Ordering::Relaxed)
		);
		let _ = writeln!(
			out,
			"# HELP substrate_block_import_seconds Time to verify, execute and commit a block"
		);
		let _ = writeln!(out, "# TYPE substrate_block_import_seconds summary");
		let _ = writeln!(
			out,
			"substrate_block_import_seconds_sum {}",
			i.import_micros.load(Ordering::Relaxed) as f64 / 1e6
		);
		let _ = writeln!(
			out,
			"substrate_block_import_seconds_count {}",
			i.imported.load(Ordering::Relaxed)
		);
		let _ = writeln!(out, "# HELP tos_blocks_authored_total Blocks authored by this node");
		let _ = writeln!(out, "# TYPE tos_blocks_authored_total counter");
		let _ = writeln!(out, "tos_blocks_authored_total {}", i.authored.load(Ordering::Relaxed));
		if let Some(gauge) = &*i.pool.read().expect("the gauge lock is never poisoned") {
			let (ready, future) = gauge();
			let _ = writeln!(
				out,
				"# HELP substrate_ready_transactions_number Number of transactions in the ready queue"
			);
			let _ = writeln!(out, "# TYPE substrate_ready_transactions_number gauge");
			let _ = writeln!(out, "substrate_ready_transactions_number {ready}");
			let _ = writeln!(
				out,
				"# HELP tos_future_transactions_number Number of transactions waiting for a nonce gap"
			);
			let _ = writeln!(out, "# TYPE tos_future_transactions_number gauge");
			let _ = writeln!(out, "tos_future_transactions_number {future}");
		}
		if let Some(gauge) = &*i.peers.read().expect("the gauge lock is never poisoned") {
			let _ =
				writeln!(out, "# HELP substrate_sub_libp2p_peers_count Number of connected peers");
			let _ = writeln!(out, "# TYPE substrate_sub_libp2p_peers_count gauge");
			let _ = writeln!(out, "substrate_sub_libp2p_peers_count {}", gauge());
		}
		let _ = writeln!(out, "# HELP tos_rpc_calls_total JSON-RPC calls received");
		let _ = writeln!(out, "# TYPE tos_rpc_calls_total counter");
		let _ = writeln!(out, "tos_rpc_calls_total {}", i.rpc_calls.load(Ordering::Relaxed));
		out
	}
}

/// Serves `metrics` over HTTP on `addr` until the task is dropped. Any path answers with the
/// metrics except unknown methods (405); requests are read with a size and time limit.
pub async fn serve(addr: SocketAddr, metrics: Metrics) -> std::io::Result<()> {
	let listener = TcpListener::bind(addr).await?;
	tracing::info!(target: "metrics", "Prometheus exporter on http://{addr}/metrics");
	loop {
		let (mut socket, _) = listener.accept().await?;
		let metrics = metrics.clone();
		tokio::spawn(async move {
			let mut buf = [0u8; 1024];
			let read = tokio::time::timeout(Duration::from_secs(5), socket.read(&mut buf)).await;
			let Ok(Ok(n)) = read else { return };
			let response = if buf[..n].starts_with(b"GET ") {
				let body = metrics.render();
				format!(
					"HTTP/1.1 200 OK\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
					body.len()
				)
			} else {
				"HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
					.to_string()
			};
			let _ = socket.write_all(response.as_bytes()).await;
		});
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn heights_and_imports_are_rendered_with_substrate_names() {
		let metrics = Metrics::default();
		metrics.set_heights(7, 5);
		metrics.block_imported(Duration::from_millis(250));
		metrics.block_imported(Duration::from_millis(250));
		let text = metrics.render();
		assert!(text.contains("substrate_block_height{status=\"best\"} 7\n"), "{text}");
		assert!(text.contains("substrate_block_height{status=\"finalized\"} 5\n"));
		assert!(text.contains("substrate_block_import_seconds_sum 0.5\n"));
		assert!(text.contains("substrate_block_import_seconds_count 2\n"));
		assert!(!text.contains("ready_transactions"), "no pool, no pool gauges");

		metrics.set_pool_gauge(Box::new(|| (3, 1)));
		metrics.rpc_calls(2);
		let text = metrics.render();
		assert!(text.contains("substrate_ready_transactions_number 3\n"), "{text}");
		assert!(text.contains("tos_future_transactions_number 1\n"));
		assert!(text.contains("tos_rpc_calls_total 2\n"));
	}
}
