//! Wiring: turns the command line into a running node. Opens the chain's database, authors
//! blocks in our Aura slots, serves metrics, and implements the maintenance subcommands.
//! The logic lives in [`crate::chain`] and its neighbours; this file only connects them.

use std::{
	io::{Read, Write},
	net::{Ipv4Addr, SocketAddr},
	path::{Path, PathBuf},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc,
	},
	time::{Duration, Instant, SystemTime, UNIX_EPOCH},
};

use anyhow::{anyhow, bail, Context};
use codec::{Decode, Encode};
use sp_consensus_aura::Slot;
use sp_core::{sr25519, Pair as _};
use tos_primitives::opaque::Block;

use crate::{
	chain::{spec::ChainSpec, Chain, Finality, ImportOutcome},
	cli::{ExportBlocksCmd, ImportBlocksCmd, RunCmd, SharedParams},
	consensus::aura,
	db::RocksDb,
	executor::NodeExecutor,
	metrics::Metrics,
};

/// The embedded runtime blob.
fn runtime_code() -> anyhow::Result<&'static [u8]> {
	tos_runtime::WASM_BINARY.ok_or_else(|| anyhow!("this binary was built with SKIP_WASM_BUILD"))
}

/// The chain spec that `shared` names; a preset's runtime is compiled through `executor`.
pub fn load_spec(shared: &SharedParams, executor: &NodeExecutor) -> anyhow::Result<ChainSpec> {
	let chain = shared.chain.as_deref().unwrap_or(if shared.dev { "dev" } else { "local" });
	let spec = match chain {
		"dev" => ChainSpec::from_preset(
			executor,
			runtime_code()?,
			"development",
			"Development",
			"dev",
			"Development",
		)?,
		"local" => ChainSpec::from_preset(
			executor,
			runtime_code()?,
			"local_testnet",
			"Local Testnet",
			"local_testnet",
			"Local",
		)?,
		path => ChainSpec::from_file(Path::new(path))?,
	};
	Ok(spec)
}

/// Where the node's data lives: the base path, and whether it is temporary.
pub struct BasePath {
	path: PathBuf,
	_tmp: Option<tempfile::TempDir>,
}

impl BasePath {
	/// The base path `shared` asks for; `--dev` without `--base-path` gets a temporary one.
	pub fn from_params(shared: &SharedParams) -> anyhow::Result<Self> {
		if shared.tmp || (shared.dev && shared.base_path.is_none()) {
			let dir = tempfile::Builder::new().prefix("tos-node").tempdir()?;
			return Ok(Self { path: dir.path().to_path_buf(), _tmp: Some(dir) });
		}
		let path = match &shared.base_path {
			Some(path) => path.clone(),
			None => std::env::var_os("HOME")
				.map(PathBuf::from)
				.unwrap_or_else(|| PathBuf::from("."))
				.join(".local/share/tos-node"),
		};
		Ok(Self { path, _tmp: None })
	}

	/// The database folder of chain `id`.
	pub fn database(&self, id: &str) -> PathBuf {
		self.path.join("chains").join(id).join("db")
	}
}

/// Opens the chain named by `shared`.
fn open_chain(shared: &SharedParams, base: &BasePath) -> anyhow::Result<(ChainSpec, Chain)> {
	// one executor for the genesis build and the chain: the runtime is compiled once
	let executor = NodeExecutor::new();
	let spec = load_spec(shared, &executor)?;
	let genesis = spec.genesis_storage(&executor)?;
	let db_path = base.database(&spec.id);
	std::fs::create_dir_all(&db_path)
		.with_context(|| format!("cannot create {}", db_path.display()))?;
	let db = Arc::new(
		RocksDb::open(&db_path).with_context(|| format!("cannot open {}", db_path.display()))?,
	);
	let finality =
		if spec.chain_type == "Development" { Finality::Instant } else { Finality::Never };
	let chain = Chain::open(db, executor, &genesis, finality)?;
	Ok((spec, chain))
}

/// Runs the node until Ctrl-C or SIGTERM.
pub async fn run(cmd: RunCmd) -> anyhow::Result<()> {
	if cmd.state_pruning != "archive" {
		bail!("--state-pruning {}: only `archive` is supported so far", cmd.state_pruning);
	}
	let base = BasePath::from_params(&cmd.shared)?;
	let (spec, chain) = open_chain(&cmd.shared, &base)?;
	let chain = Arc::new(chain);
	let info = chain.info();
	tracing::info!("✌️  TOS node {}", env!("CARGO_PKG_VERSION"));
	tracing::info!("📋 Chain: {} ({})", spec.name, spec.id);
	tracing::info!("💾 Database: {}", base.database(&spec.id).display());
	tracing::info!("🔨 Genesis: {:?}", info.genesis_hash);
	tracing::info!("📦 Best block: #{} ({:?})", info.best_number, info.best_hash);

	let metrics = Metrics::default();
	metrics.set_heights(info.best_number, info.finalized_number);
	if !cmd.no_prometheus {
		let ip = if cmd.prometheus_external { Ipv4Addr::UNSPECIFIED } else { Ipv4Addr::LOCALHOST };
		let addr = SocketAddr::from((ip, cmd.prometheus_port));
		let listener_metrics = metrics.clone();
		tokio::spawn(async move {
			if let Err(e) = crate::metrics::serve(addr, listener_metrics).await {
				tracing::error!(target: "metrics", "Prometheus exporter on {addr} failed: {e}");
			}
		});
	}

	let stop = Arc::new(AtomicBool::new(false));
	let author = match cmd.authoring_suri() {
		Some(suri) => Some(
			sr25519::Pair::from_string(&suri, None)
				.map_err(|e| anyhow!("invalid authoring key: {e:?}"))?,
		),
		None if cmd.validator => bail!("--validator needs a key: --alice … --dave or --key SURI"),
		None => None,
	};
	let authoring = author.map(|pair| {
		tracing::info!("🔑 Authoring with {}", pair.public());
		let (chain, metrics, stop) = (chain.clone(), metrics.clone(), stop.clone());
		std::thread::Builder::new()
			.name("aura".into())
			.spawn(move || author_loop(&chain, &pair, &metrics, &stop))
			.expect("spawning a thread succeeds")
	});

	wait_for_shutdown().await;
	tracing::info!("Shutting down");
	stop.store(true, Ordering::Relaxed);
	if let Some(handle) = authoring {
		let _ = handle.join();
	}
	Ok(())
}

async fn wait_for_shutdown() {
	let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
		.expect("installing a SIGTERM handler succeeds");
	tokio::select! {
		_ = tokio::signal::ctrl_c() => {},
		_ = term.recv() => {},
	}
}

fn now_millis() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// Authors a block in every slot that belongs to `pair`, on the best block.
fn author_loop(chain: &Chain, pair: &sr25519::Pair, metrics: &Metrics, stop: &AtomicBool) {
	let slot_duration = match chain.slot_duration_at(chain.info().best_hash) {
		Ok(duration) if duration > 0 => duration,
		other => {
			tracing::error!(target: "aura", "cannot read the slot duration: {other:?}");
			return;
		},
	};
	let mut last_slot = Slot::from(0);
	while !stop.load(Ordering::Relaxed) {
		// sleep until the next slot starts, waking up often enough to notice a stop
		let now = now_millis();
		let next_start = (now / slot_duration + 1) * slot_duration;
		std::thread::sleep(Duration::from_millis((next_start - now).min(200)));
		let slot = Slot::from(now_millis() / slot_duration);
		if slot <= last_slot || stop.load(Ordering::Relaxed) {
			continue;
		}
		last_slot = slot;
		if let Err(e) = author_slot(chain, pair, slot, slot_duration, metrics) {
			tracing::warn!(target: "aura", "slot {slot}: {e:#}");
		}
	}
}

fn author_slot(
	chain: &Chain,
	pair: &sr25519::Pair,
	slot: Slot,
	slot_duration: u64,
	metrics: &Metrics,
) -> anyhow::Result<()> {
	let best = chain.info().best_hash;
	let authorities = chain.authorities_at(best)?;
	if aura::slot_author(slot, &authorities) != Some(&pair.public()) {
		return Ok(());
	}
	if let Some(parent_slot) = chain.header(best)?.as_ref().and_then(aura::slot_of) {
		if parent_slot >= slot {
			return Ok(());
		}
	}
	let started = Instant::now();
	let built = chain.build(best, slot, slot_duration, Vec::new(), pair)?;
	let (hash, number, count) =
		(built.block.header.hash(), built.block.header.number, built.block.extrinsics.len());
	chain.import_built(built)?;
	let took = started.elapsed();
	let info = chain.info();
	metrics.block_imported(took);
	metrics.block_authored();
	metrics.set_heights(info.best_number, info.finalized_number);
	tracing::info!(
		"🎁 Authored #{number} ({hash:?}), {count} extrinsics, {} ms, slot {slot}",
		took.as_millis()
	);
	Ok(())
}

/// `build-spec`.
pub fn build_spec(shared: &SharedParams, raw: bool) -> anyhow::Result<()> {
	let executor = NodeExecutor::new();
	let spec = load_spec(shared, &executor)?;
	let spec = if raw { spec.into_raw(&executor)? } else { spec };
	println!("{}", spec.to_json()?);
	Ok(())
}

/// `purge-chain`.
pub fn purge_chain(shared: &SharedParams, yes: bool) -> anyhow::Result<()> {
	let spec = load_spec(shared, &NodeExecutor::new())?;
	let path = BasePath::from_params(shared)?.database(&spec.id);
	if !path.exists() {
		println!("{} does not exist", path.display());
		return Ok(());
	}
	if !yes {
		print!("Remove {}? [y/N]: ", path.display());
		std::io::stdout().flush()?;
		let mut answer = String::new();
		std::io::stdin().read_line(&mut answer)?;
		if !answer.trim().eq_ignore_ascii_case("y") {
			println!("Aborted");
			return Ok(());
		}
	}
	std::fs::remove_dir_all(&path)?;
	println!("{} removed", path.display());
	Ok(())
}

/// `chain-info`.
pub fn chain_info(shared: &SharedParams) -> anyhow::Result<()> {
	let base = BasePath::from_params(shared)?;
	let (_, chain) = open_chain(shared, &base)?;
	let info = chain.info();
	let best = chain.header(info.best_hash)?.ok_or_else(|| anyhow!("best header missing"))?;
	let json = serde_json::json!({
		"genesisHash": format!("{:?}", info.genesis_hash),
		"bestNumber": info.best_number,
		"bestHash": format!("{:?}", info.best_hash),
		"bestStateRoot": format!("{:?}", best.state_root),
		"finalizedNumber": info.finalized_number,
		"finalizedHash": format!("{:?}", info.finalized_hash),
	});
	println!("{json}");
	Ok(())
}

/// `export-blocks`: a u64 (little endian) count, then each canonical block SCALE-encoded.
pub fn export_blocks(cmd: &ExportBlocksCmd) -> anyhow::Result<()> {
	let base = BasePath::from_params(&cmd.shared)?;
	let (_, chain) = open_chain(&cmd.shared, &base)?;
	let to = cmd.to.unwrap_or(chain.info().best_number);
	if cmd.from > to {
		bail!("--from {} is after --to {to}", cmd.from);
	}
	let mut out = std::io::BufWriter::new(
		std::fs::File::create(&cmd.output)
			.with_context(|| format!("cannot create {}", cmd.output.display()))?,
	);
	out.write_all(&u64::from(to - cmd.from + 1).to_le_bytes())?;
	for number in cmd.from..=to {
		let hash = chain
			.canonical_hash(number)?
			.ok_or_else(|| anyhow!("no block #{number} on the best chain"))?;
		let block = chain.block(hash)?.ok_or_else(|| anyhow!("block #{number} is missing"))?;
		out.write_all(&block.encode())?;
	}
	out.flush()?;
	eprintln!("Exported blocks #{}..=#{to} to {}", cmd.from, cmd.output.display());
	Ok(())
}

/// `import-blocks`: verifies and executes every block of a file written by `export-blocks`.
pub fn import_blocks(cmd: &ImportBlocksCmd) -> anyhow::Result<()> {
	let base = BasePath::from_params(&cmd.shared)?;
	let (_, chain) = open_chain(&cmd.shared, &base)?;
	let mut bytes = Vec::new();
	std::fs::File::open(&cmd.input)
		.with_context(|| format!("cannot open {}", cmd.input.display()))?
		.read_to_end(&mut bytes)?;
	let mut input = &bytes[..];
	let count = u64::decode(&mut input).context("the file does not start with a block count")?;
	let started = Instant::now();
	let mut imported = 0u64;
	for index in 0..count {
		let block = Block::decode(&mut input)
			.with_context(|| format!("block {index} of {count} is not a valid block"))?;
		let (number, hash, count) =
			(block.header.number, block.header.hash(), block.extrinsics.len());
		let block_started = Instant::now();
		match chain.import(block) {
			Ok(ImportOutcome::AlreadyKnown) => {},
			Ok(_) => {
				imported += 1;
				tracing::info!(
					"✨ Imported #{number} ({hash:?}), {count} extrinsics, {} ms",
					block_started.elapsed().as_millis()
				);
			},
			Err(e) => bail!("block #{number} was rejected: {e}"),
		}
	}
	if !input.is_empty() {
		bail!("{} trailing bytes after {count} blocks", input.len());
	}
	let info = chain.info();
	eprintln!(
		"Imported {imported} blocks in {} ms; best is #{} ({:?})",
		started.elapsed().as_millis(),
		info.best_number,
		info.best_hash
	);
	Ok(())
}
