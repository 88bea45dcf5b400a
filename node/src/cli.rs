//! The command line, in Substrate's shape: `tos-node [run options]` or
//! `tos-node <subcommand>`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// The TOS node: hosts the TOS runtime, authors and imports blocks.
#[derive(Debug, Parser)]
#[command(name = "tos-node", version, about, propagate_version = true)]
pub struct Cli {
	/// What to do instead of running the node.
	#[command(subcommand)]
	pub command: Option<Command>,
	/// Options for running the node.
	#[command(flatten)]
	pub run: RunCmd,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
	/// Print the chain spec as JSON.
	BuildSpec(BuildSpecCmd),
	/// Delete the chain's database.
	PurgeChain(PurgeChainCmd),
	/// Write blocks to a file (SCALE: a u64 count, then each block).
	ExportBlocks(ExportBlocksCmd),
	/// Import blocks from a file written by `export-blocks`, re-executing each.
	ImportBlocks(ImportBlocksCmd),
	/// Print the database's genesis, best and finalized blocks as JSON.
	ChainInfo(SharedParams),
	/// Print what the embedded runtime says about itself (version, APIs, presets).
	RuntimeInfo,
	/// Measure a pallet's benchmarks in the Wasm runtime and write its weights (needs a build
	/// with `--features runtime-benchmarks`).
	Benchmark(BenchmarkCmd),
	/// Generate, inspect and insert keys (Substrate's `key` tool formats).
	#[command(subcommand)]
	Key(KeyCmd),
}

/// A signature scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KeyScheme {
	/// Schnorrkel (accounts, Aura).
	Sr25519,
	/// Ed25519 (GRANDPA).
	Ed25519,
	/// ECDSA over secp256k1.
	Ecdsa,
}

/// `key` subcommands.
#[derive(Debug, Subcommand)]
pub enum KeyCmd {
	/// A new random key: its 12-word secret phrase, public key and SS58 address.
	Generate {
		/// The scheme.
		#[arg(long, value_enum, default_value_t = KeyScheme::Sr25519)]
		scheme: KeyScheme,
	},
	/// What a secret URI (phrase, 0x seed, //derivation) or an SS58 address / hex public key is.
	Inspect {
		/// The URI or address.
		uri: String,
		/// The scheme.
		#[arg(long, value_enum, default_value_t = KeyScheme::Sr25519)]
		scheme: KeyScheme,
	},
	/// Store a secret URI in the chain's keystore (`<base>/chains/<id>/keystore`).
	Insert {
		/// The secret URI.
		#[arg(long)]
		suri: String,
		/// The key type: `aura`, `gran`, or any four characters.
		#[arg(long)]
		key_type: String,
		/// The scheme (`aura` keys are sr25519, `gran` keys ed25519).
		#[arg(long, value_enum, default_value_t = KeyScheme::Sr25519)]
		scheme: KeyScheme,
		/// Which chain's keystore.
		#[command(flatten)]
		shared: SharedParams,
	},
}

/// `benchmark`.
#[derive(Debug, Clone, Args)]
pub struct BenchmarkCmd {
	/// The pallet, as the runtime names it (`pallet_tos_tasks`).
	#[arg(long)]
	pub pallet: String,
	/// Points per component range.
	#[arg(long, default_value_t = 10)]
	pub steps: u32,
	/// Runs per point.
	#[arg(long, default_value_t = 10)]
	pub repeat: u32,
	/// The weights file to write (stdout when absent).
	#[arg(long)]
	pub output: Option<PathBuf>,
	/// For a pallet from outside the project (`pallet_referenda`): write the runtime's
	/// implementation of the pallet's own `WeightInfo` trait instead of a trait of our own.
	#[arg(long)]
	pub runtime_impl: bool,
}

/// Which chain and where its data lives.
#[derive(Debug, Clone, Args)]
pub struct SharedParams {
	/// Run a development chain: `--chain dev`, authoring with Alice's key, every block final,
	/// and a temporary base path unless `--base-path` is given.
	#[arg(long)]
	pub dev: bool,
	/// The chain: `dev`, `local`, or the path of a chain spec file.
	#[arg(long, value_name = "CHAIN")]
	pub chain: Option<String>,
	/// Where the node keeps its data (`<base>/chains/<id>/db`).
	#[arg(long, short = 'd', value_name = "PATH")]
	pub base_path: Option<PathBuf>,
	/// Use a temporary base path, deleted when the node stops.
	#[arg(long, conflicts_with = "base_path")]
	pub tmp: bool,
}

/// Options for running the node.
#[derive(Debug, Clone, Args)]
pub struct RunCmd {
	#[allow(missing_docs)]
	#[command(flatten)]
	pub shared: SharedParams,
	/// Author blocks (needs a key: `--alice`…`--dave` or `--key`).
	#[arg(long)]
	pub validator: bool,
	/// Author with the well-known dev key of Alice (implies `--validator`).
	#[arg(long, group = "dev_key")]
	pub alice: bool,
	/// Author with Bob's dev key.
	#[arg(long, group = "dev_key")]
	pub bob: bool,
	/// Author with Charlie's dev key.
	#[arg(long, group = "dev_key")]
	pub charlie: bool,
	/// Author with Dave's dev key.
	#[arg(long, group = "dev_key")]
	pub dave: bool,
	/// Author with the sr25519 key of this secret URI (a mnemonic, hex seed or `//Dev` path).
	#[arg(long, value_name = "SURI", group = "dev_key")]
	pub key: Option<String>,
	/// How blocks are produced: `aura` (in our Aura slots) or `instant` (a block as soon as a
	/// transaction is ready, slots stepped forward as needed; for tests on `--dev`).
	#[arg(long, value_name = "MODE", default_value = "aura")]
	pub sealing: Sealing,
	/// JSON-RPC port (HTTP and WebSocket); 0 picks a free one.
	#[arg(long, value_name = "PORT", default_value_t = 9944)]
	pub rpc_port: u16,
	/// Listen for JSON-RPC on every interface; unsafe methods stay off (see `--rpc-methods`).
	#[arg(long)]
	pub rpc_external: bool,
	/// Listen for JSON-RPC on every interface and allow unsafe methods.
	#[arg(long)]
	pub unsafe_rpc_external: bool,
	/// Which JSON-RPC methods to expose: `auto` (unsafe ones only on localhost), `safe`,
	/// `unsafe`.
	#[arg(long, value_name = "METHODS", default_value = "auto")]
	pub rpc_methods: crate::rpc::RpcMethods,
	/// Most simultaneous JSON-RPC connections.
	#[arg(long, value_name = "COUNT", default_value_t = 100)]
	pub rpc_max_connections: u32,
	/// Largest JSON-RPC request, in MiB.
	#[arg(long, value_name = "MIB", default_value_t = 15)]
	pub rpc_max_request_size: u32,
	/// Largest JSON-RPC response, in MiB.
	#[arg(long, value_name = "MIB", default_value_t = 15)]
	pub rpc_max_response_size: u32,
	/// Most subscriptions per JSON-RPC connection.
	#[arg(long, value_name = "COUNT", default_value_t = 1024)]
	pub rpc_max_subscriptions_per_connection: u32,
	/// Calls per minute allowed on one JSON-RPC connection (no limit by default).
	#[arg(long, value_name = "CALLS")]
	pub rpc_rate_limit: Option<std::num::NonZeroU32>,
	/// Browser origins allowed to call (comma separated), `all`, or `none`. Default: all on a
	/// dev chain, otherwise localhost and https://polkadot.js.org.
	#[arg(long, value_name = "ORIGINS")]
	pub rpc_cors: Option<String>,
	/// Most transactions in the pool's ready queue (the future queue gets a tenth).
	#[arg(long, value_name = "COUNT", default_value_t = 8192)]
	pub pool_limit: usize,
	/// Most kilobytes of transactions in the pool's ready queue.
	#[arg(long, value_name = "KB", default_value_t = 20480)]
	pub pool_kbytes: usize,
	/// Which block states to keep: `archive` (every one, the default) or N (the last N
	/// finalized blocks' and every non-finalized block's). A database keeps its mode for life.
	#[arg(long, value_name = "archive|N", default_value = "archive")]
	pub state_pruning: crate::chain::Pruning,
	/// TCP port for peers; default 30333 (with `--dev`: any free port).
	#[arg(long, value_name = "PORT")]
	pub port: Option<u16>,
	/// Listen for peers on these multiaddresses instead of `/ip4/0.0.0.0/tcp/<port>`.
	#[arg(long, value_name = "MULTIADDR", num_args = 1..)]
	pub listen_addr: Vec<String>,
	/// Peers to connect to at start (`/ip4/…/tcp/…/p2p/<peer id>`), besides the chain spec's.
	#[arg(long, value_name = "MULTIADDR", num_args = 1..)]
	pub bootnodes: Vec<String>,
	/// Do not look for peers on the local network with mDNS (it is off on `--dev` anyway).
	#[arg(long)]
	pub no_mdns: bool,
	/// The network key, as 32 bytes of hex (an Ed25519 secret seed), instead of the one kept
	/// in `<base>/chains/<id>/network/secret_ed25519`.
	#[arg(long, value_name = "HEX")]
	pub node_key: Option<String>,
	/// Port of the Prometheus endpoint.
	#[arg(long, value_name = "PORT", default_value_t = 9615)]
	pub prometheus_port: u16,
	/// Listen for Prometheus on every interface, not only localhost.
	#[arg(long)]
	pub prometheus_external: bool,
	/// Do not serve Prometheus metrics.
	#[arg(long)]
	pub no_prometheus: bool,
}

/// Block production modes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Sealing {
	/// Author in our Aura slots.
	Aura,
	/// Author a block as soon as a transaction is ready.
	Instant,
}

/// `build-spec`.
#[derive(Debug, Clone, Args)]
pub struct BuildSpecCmd {
	#[allow(missing_docs)]
	#[command(flatten)]
	pub shared: SharedParams,
	/// Print the genesis as raw storage instead of runtime code plus config.
	#[arg(long)]
	pub raw: bool,
}

/// `purge-chain`.
#[derive(Debug, Clone, Args)]
pub struct PurgeChainCmd {
	#[allow(missing_docs)]
	#[command(flatten)]
	pub shared: SharedParams,
	/// Do not ask for confirmation.
	#[arg(short = 'y')]
	pub yes: bool,
}

/// `export-blocks`.
#[derive(Debug, Clone, Args)]
pub struct ExportBlocksCmd {
	#[allow(missing_docs)]
	#[command(flatten)]
	pub shared: SharedParams,
	/// First block to export.
	#[arg(long, default_value_t = 1)]
	pub from: u32,
	/// Last block to export (default: the best block).
	#[arg(long)]
	pub to: Option<u32>,
	/// The file to write.
	pub output: PathBuf,
}

/// `import-blocks`.
#[derive(Debug, Clone, Args)]
pub struct ImportBlocksCmd {
	#[allow(missing_docs)]
	#[command(flatten)]
	pub shared: SharedParams,
	/// The file to read.
	pub input: PathBuf,
}

impl RunCmd {
	/// The JSON-RPC server settings these options ask for.
	pub fn rpc_config(&self) -> crate::rpc::RpcConfig {
		use crate::rpc::{Cors, RpcConfig, RpcMethods};
		use std::net::{Ipv4Addr, SocketAddr};
		let external = self.rpc_external || self.unsafe_rpc_external;
		let ip = if external { Ipv4Addr::UNSPECIFIED } else { Ipv4Addr::LOCALHOST };
		let mut config = RpcConfig::new(SocketAddr::from((ip, self.rpc_port)), self.shared.dev);
		config.max_connections = self.rpc_max_connections;
		config.max_request_bytes = self.rpc_max_request_size.saturating_mul(1024 * 1024);
		config.max_response_bytes = self.rpc_max_response_size.saturating_mul(1024 * 1024);
		config.max_subscriptions = self.rpc_max_subscriptions_per_connection;
		config.rate_limit = self.rpc_rate_limit;
		config.methods =
			if self.unsafe_rpc_external { RpcMethods::Unsafe } else { self.rpc_methods };
		config.cors = match self.rpc_cors.as_deref() {
			None => config.cors,
			Some("all") => Cors::All,
			Some("none") => Cors::Origins(Vec::new()),
			Some(list) => Cors::Origins(list.split(',').map(|o| o.trim().to_string()).collect()),
		};
		config
	}

	/// The addresses to listen on for peers.
	pub fn listen_addresses(&self) -> anyhow::Result<Vec<libp2p::Multiaddr>> {
		if !self.listen_addr.is_empty() {
			return self
				.listen_addr
				.iter()
				.map(|a| a.parse().map_err(|e| anyhow::anyhow!("--listen-addr {a}: {e}")))
				.collect();
		}
		let port = self.port.unwrap_or(if self.shared.dev { 0 } else { 30333 });
		Ok(vec![format!("/ip4/0.0.0.0/tcp/{port}").parse().expect("a valid multiaddr")])
	}

	/// The authoring key's secret URI, if this node authors.
	pub fn authoring_suri(&self) -> Option<String> {
		let dev = [
			(self.alice, "//Alice"),
			(self.bob, "//Bob"),
			(self.charlie, "//Charlie"),
			(self.dave, "//Dave"),
		];
		if let Some(suri) = &self.key {
			return Some(suri.clone());
		}
		if let Some((_, suri)) = dev.iter().find(|(on, _)| *on) {
			return Some(suri.to_string());
		}
		if self.shared.dev {
			return Some("//Alice".into());
		}
		None
	}
}
