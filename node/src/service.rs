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
	cli::{ExportBlocksCmd, ImportBlocksCmd, RunCmd, Sealing, SharedParams},
	consensus::aura,
	db::RocksDb,
	executor::NodeExecutor,
	keystore::Keystore,
	metrics::Metrics,
	rpc::{self, system::SystemInfo, RpcContext, TxPool},
	txpool::{self, Pool},
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

	/// Where compiled runtimes are kept across restarts: `<base>/wasm-cache`, or nowhere for a
	/// temporary base path.
	pub fn wasm_cache(&self) -> Option<PathBuf> {
		self._tmp.is_none().then(|| self.path.join("wasm-cache"))
	}

	/// The keystore folder of chain `id`.
	pub fn keystore(&self, id: &str) -> PathBuf {
		self.path.join("chains").join(id).join("keystore")
	}

	/// The network folder of chain `id` (the node key lives there).
	pub fn network(&self, id: &str) -> PathBuf {
		self.path.join("chains").join(id).join("network")
	}
}

/// Opens the chain named by `shared`, keeping states as `pruning` says; `None` (the maintenance
/// subcommands) uses the mode the database was created with.
fn open_chain(
	shared: &SharedParams,
	base: &BasePath,
	pruning: Option<crate::chain::Pruning>,
) -> anyhow::Result<(ChainSpec, Chain)> {
	// one executor for the genesis build and the chain: the runtime is compiled once (and,
	// with a persistent base path, loaded from the disk cache on later starts)
	let executor = match base.wasm_cache() {
		Some(dir) => NodeExecutor::with_disk_cache(dir),
		None => NodeExecutor::new(),
	};
	let spec = load_spec(shared, &executor)?;
	let genesis = spec.genesis_storage(&executor)?;
	let db_path = base.database(&spec.id);
	std::fs::create_dir_all(&db_path)
		.with_context(|| format!("cannot create {}", db_path.display()))?;
	let db = Arc::new(
		RocksDb::open(&db_path).with_context(|| format!("cannot open {}", db_path.display()))?,
	);
	// finality comes from a finality gadget: GRANDPA on a network (a later issue), the dev
	// finality thread on a development chain (`dev_finality`)
	let pruning = match pruning {
		Some(pruning) => pruning,
		None => crate::chain::Pruning::stored(&*db)?.unwrap_or(crate::chain::Pruning::Archive),
	};
	let chain = Chain::open_with_pruning(db, executor, &genesis, Finality::Never, pruning)?;
	Ok((spec, chain))
}

/// Runs the node until Ctrl-C or SIGTERM.
pub async fn run(cmd: RunCmd) -> anyhow::Result<()> {
	// listen before anything else: a signal during start-up then stops the node cleanly once
	// it is up, instead of killing it half-started
	let shutdown = ShutdownSignals::install()?;
	let base = BasePath::from_params(&cmd.shared)?;
	let (spec, chain) = open_chain(&cmd.shared, &base, Some(cmd.state_pruning))?;
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

	let pool: Arc<TxPool> = Arc::new(Pool::new(
		chain.clone(),
		txpool::Limits::with_count_and_kbytes(cmd.pool_limit, cmd.pool_kbytes),
	));
	let keystore = Arc::new(Keystore::open(&base.keystore(&spec.id))?);
	let rpc_config = cmd.rpc_config();
	let events = rpc::events_channel(&chain);
	let stop = Arc::new(AtomicBool::new(false));

	let node_key =
		crate::node_key::from_option_or_dir(cmd.node_key.as_deref(), &base.network(&spec.id))?;
	let author = match cmd.authoring_suri() {
		Some(suri) => Some(AuthorKeys::Fixed(Box::new(
			sr25519::Pair::from_string(&suri, None)
				.map_err(|e| anyhow!("invalid authoring key: {e:?}"))?,
		))),
		None if cmd.validator => Some(AuthorKeys::Keystore(keystore.clone())),
		None => None,
	};
	// GRANDPA finalizes every chain but a development one (which has the dev finality thread)
	let development = spec.chain_type == "Development";
	let grandpa = if development {
		None
	} else {
		Some(Arc::new(
			crate::consensus::grandpa::Gossip::from_runtime(chain.clone())
				.context("cannot read the GRANDPA voter set from the runtime")?,
		))
	};
	let network_config = crate::network::NetworkConfig {
		key: crate::node_key::to_libp2p(&node_key),
		listen: cmd.listen_addresses()?,
		bootnodes: spec
			.boot_nodes
			.iter()
			.chain(&cmd.bootnodes)
			.map(|addr| addr.parse().with_context(|| format!("bad bootnode address {addr}")))
			.collect::<anyhow::Result<_>>()?,
		mdns: !cmd.no_mdns && !cmd.shared.dev,
		authority: author.is_some(),
		grandpa: grandpa.clone(),
	};
	let (network, network_task) = crate::network::start(
		network_config,
		chain.clone(),
		pool.clone(),
		events.subscribe(),
		stop.clone(),
	)?;
	let rpc_ctx = Arc::new(RpcContext {
		chain: chain.clone(),
		events: events.clone(),
		pool: pool.clone(),
		keystore,
		system: SystemInfo {
			impl_name: "TOS Node".into(),
			impl_version: env!("CARGO_PKG_VERSION").into(),
			chain_name: spec.name.clone(),
			chain_type: spec.chain_type.clone(),
			properties: spec.properties.clone().map(serde_json::Value::Object).unwrap_or_default(),
			peer_id: crate::node_key::peer_id_of(&node_key.public()),
		},
		network: network.clone(),
		deny_unsafe: rpc_config.deny_unsafe(),
		metadata_cache: Default::default(),
	});
	// heights follow the chain, whoever imported the block (author, network, GRANDPA)
	{
		let metrics = metrics.clone();
		chain.add_listener(Box::new(move |event| match event {
			crate::chain::ChainEvent::Imported { header, is_best: true, .. } => {
				metrics.set_best(header.number)
			},
			crate::chain::ChainEvent::Finalized { header, .. } => {
				metrics.set_finalized(header.number)
			},
			_ => {},
		}));
	}
	let peers_network = network.clone();
	metrics.set_peers_gauge(Box::new(move || peers_network.peers().len()));
	let gauge_pool = pool.clone();
	metrics.set_pool_gauge(Box::new(move || {
		let status = gauge_pool.status();
		(status.ready, status.future)
	}));
	let (rpc_handle, rpc_addr) = rpc::start(&rpc_config, rpc_ctx, metrics.clone()).await?;
	tracing::info!("Running JSON-RPC server: addr={rpc_addr}");

	if cmd.sealing == Sealing::Instant && !matches!(author, Some(AuthorKeys::Fixed(_))) {
		bail!("--sealing instant needs an authoring key (--dev, --alice … or --key)");
	}
	let grandpa_voter = match &grandpa {
		Some(gossip) => {
			let key = match (&author, cmd.authoring_suri()) {
				(_, Some(suri)) => Some(
					sp_core::ed25519::Pair::from_string(&suri, None)
						.map_err(|e| anyhow!("invalid GRANDPA key: {e:?}"))?,
				),
				(Some(AuthorKeys::Keystore(keystore)), None) => keystore
					.ed25519_pairs(sp_core::crypto::key_types::GRANDPA)
					.into_iter()
					.find(|pair| {
						gossip
							.voters()
							.contains(&sp_consensus_grandpa::AuthorityId::from(pair.public()))
					}),
				_ => None,
			};
			let (finalize_chain, finalize_pool) = (chain.clone(), pool.clone());
			Some(crate::consensus::grandpa::start(
				chain.clone(),
				gossip.clone(),
				key,
				Box::new(move |hash| finalize_and_tell_pool(&finalize_chain, &finalize_pool, hash)),
				stop.clone(),
			)?)
		},
		None => None,
	};
	let finality = development.then(|| {
		let (chain, pool, stop, events) =
			(chain.clone(), pool.clone(), stop.clone(), events.subscribe());
		std::thread::Builder::new()
			.name("dev-finality".into())
			.spawn(move || dev_finality(&chain, &pool, &stop, events))
			.expect("spawning a thread succeeds")
	});

	let authoring = author.map(|keys| {
		match &keys {
			AuthorKeys::Fixed(pair) => tracing::info!("🔑 Authoring with {}", pair.public()),
			AuthorKeys::Keystore(_) => {
				tracing::info!("🔑 Authoring with the keystore's aura keys")
			},
		}
		let author = Author {
			chain: chain.clone(),
			pool: pool.clone(),
			keys,
			network: network.clone(),
			metrics,
			stop: stop.clone(),
		};
		let sealing = cmd.sealing;
		std::thread::Builder::new()
			.name("author".into())
			.spawn(move || match sealing {
				Sealing::Aura => author.aura_loop(),
				Sealing::Instant => author.instant_loop(),
			})
			.expect("spawning a thread succeeds")
	});

	shutdown.wait().await;
	tracing::info!("Shutting down");
	stop.store(true, Ordering::Relaxed);
	let _ = rpc_handle.stop();
	for handle in [authoring, finality, grandpa_voter].into_iter().flatten() {
		let _ = handle.join();
	}
	let _ = network_task.await;
	Ok(())
}

/// How long a development chain's best block waits before it is finalized.
pub const DEV_FINALITY_DELAY: Duration = Duration::from_millis(1000);

/// A development chain's stand-in for GRANDPA: every best block becomes final
/// [`DEV_FINALITY_DELAY`] after its import. Wallets see a transaction `inBlock` first and
/// `finalized` a moment later, as on a real chain (`@polkadot/api` misses `inBlock` when both
/// arrive together).
fn dev_finality(
	chain: &Chain,
	pool: &TxPool,
	stop: &AtomicBool,
	mut events: tokio::sync::broadcast::Receiver<crate::chain::ChainEvent>,
) {
	use tokio::sync::broadcast::error::TryRecvError;
	let mut due: std::collections::VecDeque<(Instant, tos_primitives::Hash)> = Default::default();
	// blocks authored before a restart are final at once
	due.push_back((Instant::now(), chain.info().best_hash));
	while !stop.load(Ordering::Relaxed) {
		loop {
			match events.try_recv() {
				Ok(crate::chain::ChainEvent::Imported { hash, is_best: true, .. }) => {
					due.push_back((Instant::now() + DEV_FINALITY_DELAY, hash))
				},
				Ok(_) => {},
				Err(TryRecvError::Lagged(_)) => {
					due.push_back((Instant::now() + DEV_FINALITY_DELAY, chain.info().best_hash))
				},
				Err(TryRecvError::Empty | TryRecvError::Closed) => break,
			}
		}
		let now = Instant::now();
		let mut target = None;
		while due.front().is_some_and(|(at, _)| *at <= now) {
			target = due.pop_front().map(|(_, hash)| hash);
		}
		if let Some(hash) = target {
			finalize_and_tell_pool(chain, pool, hash);
		}
		std::thread::sleep(Duration::from_millis(50));
	}
}

/// Finalizes `hash` if it is above the finalized block (reorganising to it if it is on
/// another fork), and tells the pool.
pub fn finalize_and_tell_pool(chain: &Chain, pool: &TxPool, hash: tos_primitives::Hash) {
	let Ok(Some(header)) = chain.header(hash) else { return };
	if header.number <= chain.info().finalized_number {
		return;
	}
	if let Err(e) = chain.finalize(hash) {
		tracing::warn!("finalizing #{} failed: {e}", header.number);
		return;
	}
	pool.finalized(header.number, |number, hash| {
		chain.canonical_hash(number).ok().flatten() == Some(*hash)
	});
}

/// SIGTERM and SIGINT (Ctrl-C), caught from the moment they are installed.
struct ShutdownSignals {
	term: tokio::signal::unix::Signal,
	interrupt: tokio::signal::unix::Signal,
}

impl ShutdownSignals {
	fn install() -> anyhow::Result<Self> {
		use tokio::signal::unix::{signal, SignalKind};
		Ok(Self {
			term: signal(SignalKind::terminate())?,
			interrupt: signal(SignalKind::interrupt())?,
		})
	}

	async fn wait(mut self) {
		tokio::select! {
			_ = self.term.recv() => {},
			_ = self.interrupt.recv() => {},
		}
	}
}

fn now_millis() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map(|d| d.as_millis() as u64).unwrap_or(0)
}

/// The block author: builds blocks from the pool's ready transactions, imports them and
/// brings the pool up to date.
struct Author {
	chain: Arc<Chain>,
	pool: Arc<TxPool>,
	keys: AuthorKeys,
	network: Arc<crate::network::NetworkStatus>,
	metrics: Metrics,
	stop: Arc<AtomicBool>,
}

/// Where the authoring key comes from.
enum AuthorKeys {
	/// A key given on the command line (`--alice`, `--key`, `--dev`).
	Fixed(Box<sr25519::Pair>),
	/// The keystore's `aura` keys (`--validator`), looked up in every slot, so a key inserted
	/// with `key insert` or `author_insertKey` counts from the next slot.
	Keystore(Arc<Keystore>),
}

impl AuthorKeys {
	/// Our key for `public`, if we have it.
	fn pair_for(&self, public: &sr25519::Public) -> Option<sr25519::Pair> {
		match self {
			AuthorKeys::Fixed(pair) => (pair.public() == *public).then(|| (**pair).clone()),
			AuthorKeys::Keystore(keystore) => keystore
				.sr25519_pairs(sp_core::crypto::key_types::AURA)
				.into_iter()
				.find(|pair| pair.public() == *public),
		}
	}
}

impl Author {
	fn slot_duration(&self) -> Option<u64> {
		match self.chain.slot_duration_at(self.chain.info().best_hash) {
			Ok(duration) if duration > 0 => Some(duration),
			other => {
				tracing::error!(target: "aura", "cannot read the slot duration: {other:?}");
				None
			},
		}
	}

	/// Authors a block in every slot that belongs to us, on the best block.
	fn aura_loop(&self) {
		let Some(slot_duration) = self.slot_duration() else { return };
		let mut last_slot = Slot::from(0);
		while !self.stop.load(Ordering::Relaxed) {
			// sleep until the next slot starts, waking up often enough to notice a stop
			let now = now_millis();
			let next_start = (now / slot_duration + 1) * slot_duration;
			std::thread::sleep(Duration::from_millis((next_start - now).min(200)));
			let slot = Slot::from(now_millis() / slot_duration);
			if slot <= last_slot || self.stop.load(Ordering::Relaxed) {
				continue;
			}
			last_slot = slot;
			if let Err(e) = self.author_in(slot, slot_duration, false) {
				tracing::warn!(target: "aura", "slot {slot}: {e:#}");
			}
		}
	}

	/// Authors a block as soon as a transaction is ready. The slot is the current one, or the
	/// parent's plus one when blocks come faster than slots (the timestamp then runs ahead of
	/// the clock, which the runtime allows: it only checks that slots increase).
	fn instant_loop(&self) {
		let Some(slot_duration) = self.slot_duration() else { return };
		while !self.stop.load(Ordering::Relaxed) {
			if !self.pool.wait_for_ready(Duration::from_millis(200)) {
				continue;
			}
			let result = (|| -> anyhow::Result<()> {
				let best = self.chain.info().best_hash;
				let parent_slot = self.chain.header(best)?.as_ref().and_then(aura::slot_of);
				let now = Slot::from(now_millis() / slot_duration);
				let mut slot = parent_slot.map_or(now, |p| now.max(p + 1));
				// the next slot that is ours
				let authorities = self.chain.authorities_at(best)?;
				for _ in 0..authorities.len() {
					if aura::slot_author(slot, &authorities)
						.is_some_and(|a| self.keys.pair_for(a).is_some())
					{
						break;
					}
					slot = slot + 1;
				}
				self.author_in(slot, slot_duration, true)
			})();
			if let Err(e) = result {
				tracing::warn!(target: "aura", "instant sealing: {e:#}");
				std::thread::sleep(Duration::from_millis(100));
			}
		}
	}

	/// Builds, imports and announces a block for `slot` if it is ours.
	fn author_in(&self, slot: Slot, slot_duration: u64, instant: bool) -> anyhow::Result<()> {
		let chain = &self.chain;
		let best = chain.info().best_hash;
		let authorities = chain.authorities_at(best)?;
		let Some(pair) = aura::slot_author(slot, &authorities).and_then(|a| self.keys.pair_for(a))
		else {
			return Ok(());
		};
		if self.network.is_major_syncing() {
			tracing::debug!(target: "aura", "slot {slot}: not authoring while far behind peers");
			return Ok(());
		}
		if let Some(parent_slot) = chain.header(best)?.as_ref().and_then(aura::slot_of) {
			if parent_slot >= slot {
				return Ok(());
			}
		}
		let started = Instant::now();
		let ready = self.pool.ready();
		let built =
			chain.build(best, slot, slot_duration, ready.into_iter().map(|(_, xt)| xt), &pair)?;
		let (hash, number, count) =
			(built.block.header.hash(), built.block.header.number, built.block.extrinsics.len());
		let rejected: Vec<_> = built.rejected.iter().map(|(xt, _)| txpool::tx_hash(xt)).collect();
		if !rejected.is_empty() {
			tracing::debug!(target: "txpool", "{} invalid transactions dropped", rejected.len());
			self.pool.report_invalid(&rejected);
		}
		if instant && count <= 1 {
			// no transaction made it (only the timestamp inherent): no empty block
			std::thread::sleep(Duration::from_millis(50));
			return Ok(());
		}
		let block = built.block.clone();
		let outcome = chain.import_built(built)?;
		let took = started.elapsed();
		let info = chain.info();
		self.metrics.block_imported(took);
		self.metrics.block_authored();
		self.metrics.set_heights(info.best_number, info.finalized_number);
		on_imported(chain, &self.pool, &block, &outcome);
		tracing::info!(
			"🎁 Authored #{number} ({hash:?}), {count} extrinsics, {} ms, slot {slot}",
			took.as_millis()
		);
		Ok(())
	}
}

/// Brings the pool up to date with an imported block: its transactions leave the pool and
/// watchers hear `inBlock`, then `finalized` as finality moves.
pub fn on_imported(
	chain: &Chain,
	pool: &TxPool,
	block: &tos_primitives::opaque::Block,
	outcome: &ImportOutcome,
) {
	if *outcome == ImportOutcome::Best {
		pool.maintain(block.header.hash(), block.header.number, &block.extrinsics);
	}
	let finalized = chain.info().finalized_number;
	pool.finalized(finalized, |number, hash| {
		chain.canonical_hash(number).ok().flatten() == Some(*hash)
	});
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
	let (_, chain) = open_chain(shared, &base, None)?;
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
	let (_, chain) = open_chain(&cmd.shared, &base, None)?;
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
	let (_, chain) = open_chain(&cmd.shared, &base, None)?;
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
