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
	/// How blocks are produced: `aura` (in our Aura slots).
	#[arg(long, value_name = "MODE", default_value = "aura")]
	pub sealing: Sealing,
	/// Keep the state of every block (`archive`, the default). Pruning to the last N blocks is
	/// not implemented yet.
	#[arg(long, value_name = "archive", default_value = "archive")]
	pub state_pruning: String,
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
