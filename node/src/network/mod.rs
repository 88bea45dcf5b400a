//! The peer-to-peer network, on libp2p and tokio.
//!
//! - Transport: TCP with noise (authenticated encryption, the node key's identity) and yamux
//!   (many streams per connection).
//! - Discovery: the bootnodes (chain spec and `--bootnodes`), Kademlia over the peers' own
//!   listen addresses (learned with identify), and mDNS on the local network (`--no-mdns`).
//! - Liveness: ping.
//! - Our protocol ([`protocol`], `/tos/<genesis>/sync/1`, request–response): a status
//!   exchange when two nodes connect, block announcements (each node announces its new best
//!   block to the peers that do not know it), transactions (each new pool transaction to the
//!   peers that do not know it), and block download for [`sync`].
//! - Misbehaviour ([`peers`]): a peer sending undecodable messages or invalid blocks is
//!   disconnected and banned for a while; small faults add up to a ban.
//!
//! The swarm runs on one tokio task; blocks are imported on a thread of their own
//! ([`import_thread`]) one batch at a time, and the outcome comes back to the task.

pub mod peers;
pub mod protocol;
pub mod sync;

use std::{
	collections::{HashMap, HashSet, VecDeque},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, RwLock,
	},
	time::{Duration, Instant},
};

use futures::StreamExt;
use libp2p::{
	allow_block_list, identify, identity, kad, mdns,
	multiaddr::Protocol,
	ping,
	request_response::{self, OutboundRequestId, ProtocolSupport, ResponseChannel},
	swarm::{behaviour::toggle::Toggle, NetworkBehaviour, SwarmEvent},
	Multiaddr, PeerId, StreamProtocol, Swarm,
};
use sp_consensus_grandpa::GRANDPA_ENGINE_ID;
use sp_runtime::transaction_validity::InvalidTransaction;
use tokio::sync::mpsc;
use tos_primitives::{
	opaque::{Block, Header, UncheckedExtrinsic as OpaqueExtrinsic},
	BlockNumber, Hash,
};

use crate::{
	chain::{Chain, ChainEvent, ImportError, ImportOutcome},
	consensus::grandpa::{BadMessage, Gossip, GossipMessage, Verdict},
	rpc::TxPool,
	txpool::{tx_hash, PoolError},
};
use peers::{Offence, PeerBook};
use protocol::{BlockData, BlockRequest, Direction, FromBlock, Request, Response, Status};
use sync::{BatchOutcome, Sync, SyncState};

/// How the network is set up.
#[derive(Clone)]
pub struct NetworkConfig {
	/// The node's identity.
	pub key: identity::Keypair,
	/// Addresses to listen on.
	pub listen: Vec<Multiaddr>,
	/// Peers to connect to at start (`/ip4/…/tcp/…/p2p/<peer id>`).
	pub bootnodes: Vec<Multiaddr>,
	/// Discover peers on the local network.
	pub mdns: bool,
	/// Whether this node authors blocks (told to peers).
	pub authority: bool,
	/// GRANDPA's gossip, on chains with GRANDPA finality.
	pub grandpa: Option<Arc<Gossip>>,
}

/// One connected peer, as `system_peers` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
	/// Its peer id.
	pub peer_id: String,
	/// `AUTHORITY` or `FULL`.
	pub roles: &'static str,
	/// Its best block's hash.
	pub best_hash: Hash,
	/// Its best block's number.
	pub best_number: BlockNumber,
}

/// What the network reports to the rest of the node (RPC, the author).
#[derive(Debug, Default)]
pub struct NetworkStatus {
	inner: RwLock<StatusInner>,
	major_syncing: AtomicBool,
}

#[derive(Debug, Default, Clone)]
struct StatusInner {
	peers: Vec<PeerInfo>,
	sync: SyncState,
	listen_addresses: Vec<String>,
}

impl NetworkStatus {
	/// The connected peers that finished the status exchange.
	pub fn peers(&self) -> Vec<PeerInfo> {
		self.inner.read().expect("never poisoned").peers.clone()
	}

	/// Where sync stands.
	pub fn sync_state(&self) -> SyncState {
		self.inner.read().expect("never poisoned").sync
	}

	/// The addresses the node listens on, with its peer id.
	pub fn listen_addresses(&self) -> Vec<String> {
		self.inner.read().expect("never poisoned").listen_addresses.clone()
	}

	/// Whether the node is far behind its peers (and so must not author).
	pub fn is_major_syncing(&self) -> bool {
		self.major_syncing.load(Ordering::Relaxed)
	}
}

#[derive(NetworkBehaviour)]
struct Behaviour {
	blocked: allow_block_list::Behaviour<allow_block_list::BlockedPeers>,
	identify: identify::Behaviour,
	ping: ping::Behaviour,
	kad: kad::Behaviour<kad::store::MemoryStore>,
	mdns: Toggle<mdns::tokio::Behaviour>,
	sync: request_response::Behaviour<protocol::Codec>,
}

/// Most block hashes remembered per peer as known to it.
const KNOWN_BLOCKS: usize = 1024;
/// Most transaction hashes remembered per peer as known to it.
const KNOWN_TXS: usize = 4096;
/// How often Kademlia looks for more peers.
const KAD_BOOTSTRAP_EVERY: Duration = Duration::from_secs(60);
/// How often bootnodes are redialled when not connected, and bans are lifted.
const TICK: Duration = Duration::from_secs(5);

/// A bounded set of hashes, oldest forgotten first.
#[derive(Debug, Default)]
struct KnownSet {
	set: HashSet<Hash>,
	order: VecDeque<Hash>,
}

impl KnownSet {
	fn insert(&mut self, hash: Hash, cap: usize) -> bool {
		if !self.set.insert(hash) {
			return false;
		}
		self.order.push_back(hash);
		while self.order.len() > cap {
			if let Some(old) = self.order.pop_front() {
				self.set.remove(&old);
			}
		}
		true
	}
}

#[derive(Debug, Default)]
struct Peer {
	/// Whether it answered the status exchange.
	status: Option<Status>,
	known_blocks: KnownSet,
	known_txs: KnownSet,
	known_grandpa: KnownSet,
	/// When we last asked it for a GRANDPA catch-up.
	asked_catch_up: Option<Instant>,
}

/// What an outbound request was for.
enum Asked {
	Status,
	Blocks(sync::Token),
	Ack,
	CatchUp,
}

/// Most block answers being built at once.
const MAX_SERVING: usize = 8;
/// Most batches of peers' transactions waiting for validation.
const MAX_VALIDATING: usize = 64;

/// Decrements a counter when dropped.
struct DecrementOnDrop(Arc<std::sync::atomic::AtomicUsize>);

impl Drop for DecrementOnDrop {
	fn drop(&mut self) {
		self.0.fetch_sub(1, Ordering::Relaxed);
	}
}

/// GRANDPA messages remembered per peer as known to it.
const KNOWN_GRANDPA: usize = 4096;
/// How often a peer may be asked for a GRANDPA catch-up.
const CATCH_UP_EVERY: Duration = Duration::from_secs(5);

/// Most bytes of GRANDPA justifications held for blocks not yet imported.
const MAX_PENDING_PROOF_BYTES: usize = 16 * 1024 * 1024;

/// GRANDPA justifications that came with downloaded blocks, held until those blocks go to
/// import; bounded in bytes, the first proof of a block kept, those of finalized heights
/// dropped.
#[derive(Default)]
struct PendingProofs {
	proofs: HashMap<Hash, (BlockNumber, Vec<u8>)>,
	bytes: usize,
}

impl PendingProofs {
	fn hold(&mut self, proofs: Vec<(Hash, BlockNumber, Vec<u8>)>) {
		for (hash, number, proof) in proofs {
			if self.bytes + proof.len() > MAX_PENDING_PROOF_BYTES || self.proofs.contains_key(&hash)
			{
				continue;
			}
			self.bytes += proof.len();
			self.proofs.insert(hash, (number, proof));
		}
	}

	/// The proofs of `blocks`, taken out.
	fn take(&mut self, blocks: &[Block]) -> Vec<(Hash, Vec<u8>)> {
		blocks
			.iter()
			.filter_map(|b| {
				let hash = b.header.hash();
				let (_, proof) = self.proofs.remove(&hash)?;
				self.bytes -= proof.len();
				Some((hash, proof))
			})
			.collect()
	}

	/// Drops the proofs of blocks at or below `finalized`.
	fn prune(&mut self, finalized: BlockNumber) {
		let bytes = &mut self.bytes;
		self.proofs.retain(|_, (number, proof)| {
			let keep = *number > finalized;
			if !keep {
				*bytes -= proof.len();
			}
			keep
		});
	}
}

/// Blocks for the import thread, with the GRANDPA justifications that came with them.
struct ImportBatch {
	peer: PeerId,
	blocks: Vec<Block>,
	justifications: Vec<(Hash, Vec<u8>)>,
}

/// A batch's import outcome, from the import thread.
struct ImportReport {
	peer: PeerId,
	outcome: BatchOutcome<PeerId>,
}

/// Starts the network on the current tokio runtime. Returns the shared status; the network
/// runs until `stop` is set.
pub fn start(
	config: NetworkConfig,
	chain: Arc<Chain>,
	pool: Arc<TxPool>,
	events: tokio::sync::broadcast::Receiver<ChainEvent>,
	stop: Arc<AtomicBool>,
) -> anyhow::Result<(Arc<NetworkStatus>, tokio::task::JoinHandle<()>)> {
	let genesis = chain.info().genesis_hash;
	let local_peer_id = config.key.public().to_peer_id();
	let kad_protocol =
		StreamProtocol::try_from_owned(format!("/tos/{}/kad", hex::encode(genesis.as_bytes())))
			.expect("starts with a slash");
	let sync_protocol = protocol::protocol_name(&genesis);
	let mdns_on = config.mdns;
	let mut swarm = libp2p::SwarmBuilder::with_existing_identity(config.key.clone())
		.with_tokio()
		.with_tcp(
			libp2p::tcp::Config::default().nodelay(true),
			libp2p::noise::Config::new,
			libp2p::yamux::Config::default,
		)?
		.with_behaviour(|key| {
			let peer_id = key.public().to_peer_id();
			// bootstrapped by hand once there are peers (see `on_tick`)
			let mut kad_config = kad::Config::new(kad_protocol);
			kad_config.set_periodic_bootstrap_interval(None);
			let mut kad = kad::Behaviour::with_config(
				peer_id,
				kad::store::MemoryStore::new(peer_id),
				kad_config,
			);
			kad.set_mode(Some(kad::Mode::Server));
			let mdns = if mdns_on {
				mdns::tokio::Behaviour::new(mdns::Config::default(), peer_id)
					.map_err(|e| tracing::warn!(target: "network", "mDNS is off: {e}"))
					.ok()
			} else {
				None
			};
			Ok(Behaviour {
				blocked: Default::default(),
				identify: identify::Behaviour::new(
					identify::Config::new("/tos/1".into(), key.public())
						.with_agent_version(format!("tos-node/{}", env!("CARGO_PKG_VERSION"))),
				),
				ping: ping::Behaviour::new(ping::Config::new()),
				kad,
				mdns: Toggle::from(mdns),
				sync: request_response::Behaviour::with_codec(
					protocol::Codec,
					[(sync_protocol, ProtocolSupport::Full)],
					request_response::Config::default()
						.with_request_timeout(Duration::from_secs(20))
						.with_max_concurrent_streams(32),
				),
			})
		})?
		.with_swarm_config(|c| c.with_idle_connection_timeout(Duration::from_secs(60)))
		.build();
	for addr in &config.listen {
		swarm.listen_on(addr.clone())?;
	}
	let bootnodes: Vec<(PeerId, Multiaddr)> = config
		.bootnodes
		.iter()
		.filter_map(|addr| match addr.iter().last() {
			Some(Protocol::P2p(peer)) => Some((peer, addr.clone())),
			_ => {
				tracing::warn!(target: "network", "bootnode {addr} has no /p2p/<peer id>: ignored");
				None
			},
		})
		.filter(|(peer, _)| *peer != local_peer_id)
		.collect();
	for (peer, addr) in &bootnodes {
		swarm.behaviour_mut().kad.add_address(peer, addr.clone());
		dial(&mut swarm, *peer, addr.clone());
	}

	let status = Arc::new(NetworkStatus::default());
	let (import_tx, import_rx) = std::sync::mpsc::channel::<ImportBatch>();
	let (report_tx, report_rx) = mpsc::unbounded_channel();
	{
		let (chain, pool, gossip) = (chain.clone(), pool.clone(), config.grandpa.clone());
		std::thread::Builder::new()
			.name("net-import".into())
			.spawn(move || import_thread(&chain, &pool, gossip.as_deref(), import_rx, report_tx))?;
	}
	let (tx_tx, tx_rx) = mpsc::unbounded_channel();
	pool.set_listener(Box::new(move |xt: &OpaqueExtrinsic| drop(tx_tx.send(xt.clone()))));
	let (feedback_tx, feedback_rx) = mpsc::unbounded_channel();
	let (grandpa_tx, grandpa_rx) = mpsc::unbounded_channel();
	if let Some(gossip) = &config.grandpa {
		gossip.set_network(grandpa_tx);
	}

	let info = chain.info();
	let worker = Worker {
		swarm,
		chain,
		pool,
		authority: config.authority,
		grandpa: config.grandpa.clone(),
		status: status.clone(),
		sync: Sync::new(info.best_number, info.finalized_number),
		peers: HashMap::new(),
		book: PeerBook::default(),
		asked: HashMap::new(),
		bootnodes,
		last_bootstrap: None,
		serving: Default::default(),
		validating: Default::default(),
		listening: Vec::new(),
		import_tx,
		justifications: PendingProofs::default(),
		feedback_tx,
	};
	let handle = tokio::spawn(worker.run(events, report_rx, tx_rx, feedback_rx, grandpa_rx, stop));
	Ok((status, handle))
}

struct Worker {
	swarm: Swarm<Behaviour>,
	chain: Arc<Chain>,
	pool: Arc<TxPool>,
	authority: bool,
	grandpa: Option<Arc<Gossip>>,
	status: Arc<NetworkStatus>,
	sync: Sync<PeerId>,
	peers: HashMap<PeerId, Peer>,
	book: PeerBook<PeerId>,
	asked: HashMap<OutboundRequestId, (PeerId, Asked)>,
	bootnodes: Vec<(PeerId, Multiaddr)>,
	last_bootstrap: Option<Instant>,
	/// Block answers being built.
	serving: Arc<std::sync::atomic::AtomicUsize>,
	/// Peers' transaction batches waiting for validation.
	validating: Arc<std::sync::atomic::AtomicUsize>,
	/// The addresses we listen on (each interface, with the port the system gave).
	listening: Vec<Multiaddr>,
	import_tx: std::sync::mpsc::Sender<ImportBatch>,
	/// GRANDPA justifications that came with downloaded blocks, until they are imported.
	justifications: PendingProofs,
	feedback_tx: mpsc::UnboundedSender<Feedback>,
}

/// What blocking work done for the network reports back to it.
enum Feedback {
	/// A response computed off the network task.
	Respond(ResponseChannel<Response>, Response),
	/// A peer sent a transaction the runtime calls invalid.
	BadTransaction(PeerId),
}

impl Worker {
	async fn run(
		mut self,
		mut events: tokio::sync::broadcast::Receiver<ChainEvent>,
		mut reports: mpsc::UnboundedReceiver<ImportReport>,
		mut new_txs: mpsc::UnboundedReceiver<OpaqueExtrinsic>,
		mut feedback: mpsc::UnboundedReceiver<Feedback>,
		mut grandpa: mpsc::UnboundedReceiver<GossipMessage>,
		stop: Arc<AtomicBool>,
	) {
		let mut tick = tokio::time::interval(TICK);
		let mut stop_check = tokio::time::interval(Duration::from_millis(200));
		while !stop.load(Ordering::Relaxed) {
			tokio::select! {
				event = self.swarm.select_next_some() => self.on_swarm_event(event),
				event = events.recv() => match event {
					Ok(ChainEvent::Imported { hash, header, is_best }) => {
						if let Some(gossip) = &self.grandpa {
							gossip.block_imported();
						}
						if is_best {
							self.announce(hash, header);
						}
					},
					Ok(_) => {},
					Err(tokio::sync::broadcast::error::RecvError::Lagged(_)) => {},
					Err(tokio::sync::broadcast::error::RecvError::Closed) => break,
				},
				Some(report) = reports.recv() => self.on_import_report(report),
				Some(xt) = new_txs.recv() => self.propagate_transaction(xt),
				Some(message) = grandpa.recv() => self.broadcast_grandpa(message),
				Some(feedback) = feedback.recv() => match feedback {
					Feedback::Respond(channel, response) => {
						let _ = self.swarm.behaviour_mut().sync.send_response(channel, response);
					},
					Feedback::BadTransaction(peer) => {
						self.punish(peer, Offence::BadTransaction, "invalid transaction")
					},
				},
				_ = tick.tick() => self.on_tick(),
				_ = stop_check.tick() => {},
			}
			self.drive_sync();
			self.publish_status();
		}
	}

	fn our_status(&self) -> Status {
		let info = self.chain.info();
		Status {
			best_number: info.best_number,
			best_hash: info.best_hash,
			finalized_number: info.finalized_number,
			authority: self.authority,
		}
	}

	fn is_known(chain: &Chain, hash: &Hash) -> bool {
		chain.header(*hash).ok().flatten().is_some()
	}

	fn send(&mut self, peer: PeerId, request: Request, asked: Asked) {
		let id = self.swarm.behaviour_mut().sync.send_request(&peer, Ok(request));
		self.asked.insert(id, (peer, asked));
	}

	fn punish(&mut self, peer: PeerId, offence: Offence, why: &str) {
		tracing::warn!(target: "network", "peer {peer}: {offence:?} ({why})");
		if self.book.report(&peer, offence, Instant::now()) {
			tracing::warn!(target: "network", "🚫 banned {peer} for {:?}", peers::BAN_DURATION);
			self.swarm.behaviour_mut().blocked.block_peer(peer);
			self.swarm.behaviour_mut().kad.remove_peer(&peer);
			self.sync.remove_peer(&peer);
			self.peers.remove(&peer);
		}
	}

	fn on_swarm_event(&mut self, event: SwarmEvent<BehaviourEvent>) {
		match event {
			SwarmEvent::NewListenAddr { address, .. } => {
				tracing::info!(
					target: "network",
					"🏷  Listening on {address}/p2p/{}",
					self.swarm.local_peer_id()
				);
				self.listening.push(address);
			},
			SwarmEvent::ExpiredListenAddr { address, .. } => {
				self.listening.retain(|a| *a != address);
			},
			SwarmEvent::ConnectionEstablished { peer_id, num_established, .. }
				if num_established.get() == 1 =>
			{
				self.peers.insert(peer_id, Peer::default());
				let status = self.our_status();
				self.send(peer_id, Request::Status(status), Asked::Status);
			},
			SwarmEvent::ConnectionClosed { peer_id, num_established: 0, .. } => {
				if self.peers.remove(&peer_id).is_some_and(|p| p.status.is_some()) {
					tracing::info!(target: "network", "peer {peer_id} disconnected");
				}
				self.sync.remove_peer(&peer_id);
				self.book.disconnected(&peer_id);
			},
			SwarmEvent::Behaviour(BehaviourEvent::Identify(identify::Event::Received {
				peer_id,
				info,
				..
			})) => {
				for addr in info.listen_addrs {
					self.swarm.behaviour_mut().kad.add_address(&peer_id, addr);
				}
			},
			SwarmEvent::Behaviour(BehaviourEvent::Mdns(mdns::Event::Discovered(found))) => {
				for (peer, addr) in found {
					if self.book.is_banned(&peer) || self.peers.contains_key(&peer) {
						continue;
					}
					self.swarm.behaviour_mut().kad.add_address(&peer, addr.clone());
					dial(&mut self.swarm, peer, addr);
				}
			},
			SwarmEvent::Behaviour(BehaviourEvent::Kad(kad::Event::RoutingUpdated {
				peer,
				addresses,
				..
			})) if !self.peers.contains_key(&peer) && !self.book.is_banned(&peer) => {
				dial(&mut self.swarm, peer, addresses.first().clone());
			},
			SwarmEvent::Behaviour(BehaviourEvent::Sync(event)) => self.on_sync_event(event),
			_ => {},
		}
	}

	fn on_sync_event(&mut self, event: request_response::Event<protocol::Incoming, Response>) {
		use request_response::{Event, InboundFailure, Message, OutboundFailure};
		match event {
			Event::Message { peer, message: Message::Request { request, channel, .. }, .. } => {
				match request {
					Ok(request) => self.on_request(peer, request, channel),
					Err(why) => {
						drop(channel);
						self.punish(peer, Offence::BadMessage, &why)
					},
				}
			},
			Event::Message {
				peer, message: Message::Response { request_id, response }, ..
			} => {
				let Some((_, asked)) = self.asked.remove(&request_id) else { return };
				self.on_response(peer, asked, response);
			},
			Event::OutboundFailure { peer, request_id, error, .. } => {
				let asked = self.asked.remove(&request_id).map(|(_, a)| a);
				if let Some(Asked::Blocks(token)) = asked {
					self.sync.request_failed(&peer, token);
				}
				match error {
					OutboundFailure::Timeout => self.punish(peer, Offence::Timeout, "timeout"),
					OutboundFailure::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
						self.punish(peer, Offence::BadMessage, &e.to_string())
					},
					OutboundFailure::UnsupportedProtocols => {
						// another chain (the protocol name has the genesis hash)
						tracing::debug!(target: "network", "{peer} is not on our chain");
						let _ = self.swarm.disconnect_peer_id(peer);
					},
					other => tracing::debug!(target: "network", "request to {peer}: {other}"),
				}
			},
			Event::InboundFailure { peer, error, .. } => match error {
				InboundFailure::Io(e) if e.kind() == std::io::ErrorKind::InvalidData => {
					self.punish(peer, Offence::BadMessage, &e.to_string())
				},
				other => tracing::debug!(target: "network", "request from {peer}: {other}"),
			},
			Event::ResponseSent { .. } => {},
		}
	}

	fn on_request(&mut self, peer: PeerId, request: Request, channel: ResponseChannel<Response>) {
		let respond = |this: &mut Self, channel, response| {
			let _ = this.swarm.behaviour_mut().sync.send_response(channel, response);
		};
		match request {
			Request::Status(status) => {
				self.on_status(peer, status);
				let ours = self.our_status();
				respond(self, channel, Response::Status(ours));
			},
			Request::Announce(header) => {
				respond(self, channel, Response::Ack);
				let hash = header.hash();
				if let Some(p) = self.peers.get_mut(&peer) {
					p.known_blocks.insert(hash, KNOWN_BLOCKS);
					if let Some(status) = &mut p.status {
						status.best_number = header.number;
						status.best_hash = hash;
					}
				}
				let chain = self.chain.clone();
				self.sync.announced(&peer, &header, |h| Self::is_known(&chain, h));
			},
			Request::Blocks(request) => {
				// at most MAX_SERVING answers are built at once (each may be 16 MiB); past that
				// a requester gets an empty answer and asks elsewhere or later
				if self.serving.load(Ordering::Relaxed) >= MAX_SERVING {
					respond(self, channel, Response::Blocks(Vec::new()));
					return;
				}
				self.serving.fetch_add(1, Ordering::Relaxed);
				let (chain, feedback, serving) =
					(self.chain.clone(), self.feedback_tx.clone(), self.serving.clone());
				tokio::task::spawn_blocking(move || {
					let blocks = serve_blocks(&chain, &request);
					serving.fetch_sub(1, Ordering::Relaxed);
					let _ = feedback.send(Feedback::Respond(channel, Response::Blocks(blocks)));
				});
			},
			Request::Grandpa(message) => {
				respond(self, channel, Response::Ack);
				self.on_grandpa(peer, message);
			},
			Request::CatchUp { set_id, round } => {
				let catch_up = self
					.grandpa
					.as_ref()
					.filter(|g| g.set_id() == set_id)
					.and_then(|g| g.catch_up_for(round));
				respond(self, channel, Response::CatchUp(catch_up));
			},
			Request::Transactions(xts) => {
				respond(self, channel, Response::Ack);
				if let Some(p) = self.peers.get_mut(&peer) {
					for xt in &xts {
						p.known_txs.insert(tx_hash(xt), KNOWN_TXS);
					}
				}
				// transactions wait for validation in a bounded queue; past it they are dropped
				// (the sender re-sends nothing, but other peers will pass them on)
				if self.validating.load(Ordering::Relaxed) >= MAX_VALIDATING {
					return;
				}
				self.validating.fetch_add(1, Ordering::Relaxed);
				let (pool, feedback, validating) =
					(self.pool.clone(), self.feedback_tx.clone(), self.validating.clone());
				tokio::task::spawn_blocking(move || {
					let _guard = DecrementOnDrop(validating);
					// a transaction invalid at our best block may be valid on the sender's
					// (a fork); only what can never be valid (bad proof, undecodable call)
					// counts against the sender
					let bad = xts.into_iter().any(|xt| {
						matches!(
							pool.submit(xt),
							Err(PoolError::Invalid(
								InvalidTransaction::BadProof | InvalidTransaction::Call
							))
						)
					});
					if bad {
						let _ = feedback.send(Feedback::BadTransaction(peer));
					}
				});
			},
		}
	}

	fn on_status(&mut self, peer: PeerId, status: Status) {
		let Some(p) = self.peers.get_mut(&peer) else { return };
		if p.status.is_none() {
			tracing::info!(
				target: "network",
				"peer {peer} connected, best #{} ({:?})",
				status.best_number,
				status.best_hash
			);
		}
		p.known_blocks.insert(status.best_hash, KNOWN_BLOCKS);
		self.sync.add_peer(peer, status.best_number, status.best_hash);
		let new = p.status.is_none();
		p.status = Some(status);
		// a new peer gets the GRANDPA votes of our current rounds
		if new {
			let recent = self.grandpa.as_ref().map(|g| g.recent_messages()).unwrap_or_default();
			for message in recent {
				self.send_grandpa(peer, message);
			}
		}
	}

	fn send_grandpa(&mut self, peer: PeerId, message: GossipMessage) {
		let hash: Hash = sp_io::hashing::blake2_256(&codec::Encode::encode(&message)).into();
		let Some(p) = self.peers.get_mut(&peer) else { return };
		if p.known_grandpa.insert(hash, KNOWN_GRANDPA) {
			self.send(peer, Request::Grandpa(message), Asked::Ack);
		}
	}

	/// Sends a GRANDPA message to every peer that has not seen it.
	fn broadcast_grandpa(&mut self, message: GossipMessage) {
		let peers: Vec<PeerId> =
			self.peers.iter().filter(|(_, p)| p.status.is_some()).map(|(id, _)| *id).collect();
		tracing::trace!(target: "network", "GRANDPA message of round {} to {} peers", message.round(), peers.len());
		for peer in peers {
			self.send_grandpa(peer, message.clone());
		}
	}

	fn on_grandpa(&mut self, peer: PeerId, message: GossipMessage) {
		let Some(gossip) = self.grandpa.clone() else { return };
		let hash: Hash = sp_io::hashing::blake2_256(&codec::Encode::encode(&message)).into();
		if let Some(p) = self.peers.get_mut(&peer) {
			p.known_grandpa.insert(hash, KNOWN_GRANDPA);
		}
		let verdict = gossip.incoming(message.clone());
		tracing::trace!(target: "network", "GRANDPA message of round {} from {peer}: {verdict:?}", message.round());
		match verdict {
			Ok(Verdict::Drop) => {},
			Ok(Verdict::Forward) => self.broadcast_grandpa(message),
			Ok(Verdict::ForwardAndFetch(hash, number)) => {
				self.broadcast_grandpa(message);
				self.sync.fetch(&peer, hash, number);
			},
			Ok(Verdict::ForwardAndCatchUp(round)) => {
				self.broadcast_grandpa(message);
				let due = self.peers.get_mut(&peer).is_some_and(|p| {
					let due = p.asked_catch_up.is_none_or(|at| at.elapsed() >= CATCH_UP_EVERY);
					if due {
						p.asked_catch_up = Some(Instant::now());
					}
					due
				});
				if due {
					let set_id = gossip.set_id();
					self.send(peer, Request::CatchUp { set_id, round }, Asked::CatchUp);
				}
			},
			// another voter set is not misbehaviour (an upgrade in progress), forged votes are
			Err(BadMessage::OtherSet(..)) => {},
			Err(e) => self.punish(peer, Offence::BadMessage, &format!("GRANDPA: {e}")),
		}
	}

	fn on_response(&mut self, peer: PeerId, asked: Asked, response: Response) {
		match (asked, response) {
			(Asked::Status, Response::Status(status)) => self.on_status(peer, status),
			(Asked::Blocks(token), Response::Blocks(data)) => {
				let mut blocks = Vec::with_capacity(data.len());
				let mut proofs = Vec::new();
				for BlockData { block, justifications } in data {
					let hash = block.header.hash();
					if let Some(p) = self.peers.get_mut(&peer) {
						p.known_blocks.insert(hash, KNOWN_BLOCKS);
					}
					let grandpa = justifications
						.and_then(|j| j.into_iter().find(|(id, _)| *id == GRANDPA_ENGINE_ID));
					if let Some((_, proof)) = grandpa {
						proofs.push((hash, block.header.number, proof));
					}
					blocks.push(block);
				}
				let chain = self.chain.clone();
				match self.sync.on_blocks(&peer, token, blocks, |h| Self::is_known(&chain, h)) {
					Err(sync::Misbehaviour::BadResponse(why)) => {
						self.punish(peer, Offence::BadResponse, why)
					},
					// the proofs of an accepted answer wait for their blocks' import
					Ok(()) => self.justifications.hold(proofs),
				}
			},
			(Asked::Ack, Response::Ack) => {},
			(Asked::CatchUp, Response::CatchUp(catch_up)) => {
				if let (Some(gossip), Some(catch_up)) = (&self.grandpa, catch_up) {
					if let Err(e) = gossip.on_catch_up(catch_up) {
						self.punish(peer, Offence::BadMessage, &format!("GRANDPA catch-up: {e}"));
					}
				}
			},
			(Asked::Blocks(token), _) => {
				self.sync.request_failed(&peer, token);
				self.punish(peer, Offence::BadResponse, "wrong response kind");
			},
			_ => self.punish(peer, Offence::BadResponse, "wrong response kind"),
		}
	}

	fn on_import_report(&mut self, report: ImportReport) {
		if let BatchOutcome::Bad { .. } = &report.outcome {
			self.punish(report.peer, Offence::BadBlock, "invalid block");
		}
		self.sync.batch_done(report.outcome);
	}

	/// Tells the peers that do not know it about our new best block.
	fn announce(&mut self, hash: Hash, header: Header) {
		let info = self.chain.info();
		self.sync.chain_updated(info.best_number, info.finalized_number);
		self.justifications.prune(info.finalized_number);
		let targets: Vec<PeerId> = self
			.peers
			.iter_mut()
			.filter(|(_, p)| p.status.is_some())
			.filter_map(|(id, p)| p.known_blocks.insert(hash, KNOWN_BLOCKS).then_some(*id))
			.collect();
		for peer in targets {
			self.send(peer, Request::Announce(header.clone()), Asked::Ack);
		}
	}

	fn propagate_transaction(&mut self, xt: OpaqueExtrinsic) {
		let hash = tx_hash(&xt);
		let targets: Vec<PeerId> = self
			.peers
			.iter_mut()
			.filter(|(_, p)| p.status.is_some())
			.filter_map(|(id, p)| p.known_txs.insert(hash, KNOWN_TXS).then_some(*id))
			.collect();
		for peer in targets {
			self.send(peer, Request::Transactions(vec![xt.clone()]), Asked::Ack);
		}
	}

	fn drive_sync(&mut self) {
		for (peer, request, token) in self.sync.requests() {
			self.send(peer, Request::Blocks(request), Asked::Blocks(token));
		}
		if let Some((peer, blocks)) = self.sync.next_batch() {
			let justifications = self.justifications.take(&blocks);
			if self.import_tx.send(ImportBatch { peer, blocks, justifications }).is_err() {
				tracing::error!(target: "network", "the import thread stopped");
				// nothing will report on the batch: do not wait for it forever
				self.sync.batch_done(BatchOutcome::Imported);
			}
		}
	}

	fn on_tick(&mut self) {
		self.book.decay();
		for peer in self.book.expire(Instant::now()) {
			self.swarm.behaviour_mut().blocked.unblock_peer(peer);
		}
		let missing: Vec<(PeerId, Multiaddr)> = self
			.bootnodes
			.iter()
			.filter(|(peer, _)| !self.peers.contains_key(peer) && !self.book.is_banned(peer))
			.cloned()
			.collect();
		for (peer, addr) in missing {
			dial(&mut self.swarm, peer, addr);
		}
		// look for more peers through the ones we have: soon after the first connections,
		// then now and then
		let due = self.last_bootstrap.is_none_or(|at| at.elapsed() >= KAD_BOOTSTRAP_EVERY);
		if !self.peers.is_empty() && due {
			let _ = self.swarm.behaviour_mut().kad.bootstrap();
			self.last_bootstrap = Some(Instant::now());
		}
	}

	fn publish_status(&self) {
		let state = self.sync.state();
		self.status.major_syncing.store(state.is_major_syncing, Ordering::Relaxed);
		let peers = self
			.peers
			.iter()
			.filter_map(|(id, p)| {
				let status = p.status.as_ref()?;
				Some(PeerInfo {
					peer_id: id.to_string(),
					roles: if status.authority { "AUTHORITY" } else { "FULL" },
					best_hash: status.best_hash,
					best_number: status.best_number,
				})
			})
			.collect();
		let local = *self.swarm.local_peer_id();
		let listen_addresses = self.listening.iter().map(|a| format!("{a}/p2p/{local}")).collect();
		*self.status.inner.write().expect("never poisoned") =
			StatusInner { peers, sync: state, listen_addresses };
	}
}

/// Dials `peer` at `addr` unless connected to it or dialling it already.
fn dial(swarm: &mut Swarm<Behaviour>, peer: PeerId, addr: Multiaddr) {
	use libp2p::swarm::dial_opts::{DialOpts, PeerCondition};
	let opts = DialOpts::peer_id(peer)
		.addresses(vec![addr])
		.condition(PeerCondition::DisconnectedAndNotDialing)
		.build();
	if let Err(e) = swarm.dial(opts) {
		tracing::debug!(target: "network", "dialling {peer}: {e}");
	}
}

/// The blocks `request` asks for (with their justifications), within the response limits.
pub fn serve_blocks(chain: &Chain, request: &BlockRequest) -> Vec<BlockData> {
	let max = request.max.min(protocol::MAX_BLOCKS_PER_RESPONSE) as usize;
	let mut blocks = Vec::new();
	let mut bytes = 0usize;
	let mut next = match request.from {
		FromBlock::Hash(hash) => Some(hash),
		FromBlock::Number(number) => chain.canonical_hash(number).ok().flatten(),
	};
	while let Some(hash) = next {
		if blocks.len() >= max {
			break;
		}
		let Some(block) = chain.block(hash).ok().flatten() else { break };
		let justifications = chain.justifications(hash).ok().flatten();
		bytes += codec::Encode::encoded_size(&block) + codec::Encode::encoded_size(&justifications);
		if bytes > protocol::MAX_RESPONSE_BYTES - 1024 {
			break;
		}
		next = match request.direction {
			Direction::Descending if block.header.number > 0 => Some(block.header.parent_hash),
			Direction::Descending => None,
			Direction::Ascending => chain.canonical_hash(block.header.number + 1).ok().flatten(),
		};
		blocks.push(BlockData { block, justifications });
	}
	blocks
}

/// Imports the batches sync hands over, one block at a time, and reports each batch's
/// outcome. Runs until the network drops its sender.
fn import_thread(
	chain: &Chain,
	pool: &TxPool,
	gossip: Option<&Gossip>,
	batches: std::sync::mpsc::Receiver<ImportBatch>,
	reports: mpsc::UnboundedSender<ImportReport>,
) {
	let mut slots = equivocation::SlotLog::default();
	while let Ok(ImportBatch { peer, blocks, justifications }) = batches.recv() {
		let mut outcome = BatchOutcome::Imported;
		for block in blocks {
			let (number, hash) = (block.header.number, block.header.hash());
			let started = Instant::now();
			match chain.import(block.clone()) {
				Ok(ImportOutcome::AlreadyKnown) => {},
				Ok(result) => {
					crate::service::on_imported(chain, pool, &block, &result);
					if let Some(slot) = crate::consensus::aura::slot_of(&block.header) {
						if let Some(other) = slots.record(*slot, hash) {
							tracing::warn!(
								target: "aura",
								"⚠️  equivocation: blocks {other:?} and {hash:?} both claim slot {slot}"
							);
						}
					}
					tracing::info!(
						"✨ Imported #{number} ({hash:?}), {} ms",
						started.elapsed().as_millis()
					);
				},
				Err(ImportError::UnknownParent(_)) => {
					outcome = BatchOutcome::UnknownParent { peer, block };
					break;
				},
				Err(ImportError::BelowFinalized(_)) => {},
				Err(ImportError::Db(e)) => {
					tracing::error!("database error importing #{number}: {e}");
					outcome = BatchOutcome::Imported;
					break;
				},
				Err(e) => {
					tracing::warn!("block #{number} ({hash:?}) from {peer} is invalid: {e}");
					outcome = BatchOutcome::Bad { peer };
					break;
				},
			}
		}
		// finality from the newest valid justification among the imported blocks
		if let (BatchOutcome::Imported, Some(gossip)) = (&outcome, gossip) {
			for (hash, proof) in justifications.iter().rev() {
				let Ok(Some(header)) = chain.header(*hash) else { continue };
				if header.number <= chain.info().finalized_number {
					break;
				}
				match crate::consensus::grandpa::verify_justification(chain, gossip, *hash, proof) {
					Ok(_) => {
						let _ =
							chain.set_justifications(*hash, &[(GRANDPA_ENGINE_ID, proof.clone())]);
						crate::service::finalize_and_tell_pool(chain, pool, *hash);
						tracing::info!(
							target: "grandpa",
							"🔒 Finalized #{} ({hash:?}) by a justification from {peer}",
							header.number
						);
						break;
					},
					Err(e) => {
						// not proof enough (or for a voter set we do not follow): finality
						// will come from the votes instead; nothing is punished, since the
						// blocks themselves were good
						tracing::debug!(
							target: "grandpa",
							"justification of #{} from {peer} not used: {e}",
							header.number
						);
					},
				}
			}
		}
		if reports.send(ImportReport { peer, outcome }).is_err() {
			return;
		}
	}
}

pub mod equivocation {
	//! Noticing two blocks for one Aura slot (the slot's author signed both).

	use std::collections::BTreeMap;

	use tos_primitives::Hash;

	/// Slots remembered.
	const KEEP: usize = 4096;

	/// The block seen for each recent slot.
	#[derive(Debug, Default)]
	pub struct SlotLog {
		slots: BTreeMap<u64, Hash>,
	}

	impl SlotLog {
		/// Records `hash` for `slot`; returns the other block if the slot already had one.
		pub fn record(&mut self, slot: u64, hash: Hash) -> Option<Hash> {
			let previous = self.slots.insert(slot, hash).filter(|old| *old != hash);
			while self.slots.len() > KEEP {
				self.slots.pop_first();
			}
			previous
		}
	}

	#[cfg(test)]
	mod tests {
		use super::*;

		#[test]
		fn a_second_block_for_a_slot_is_an_equivocation() {
			let mut log = SlotLog::default();
			let (a, b) = (Hash::repeat_byte(1), Hash::repeat_byte(2));
			assert_eq!(log.record(10, a), None);
			assert_eq!(log.record(10, a), None, "the same block again is not one");
			assert_eq!(log.record(11, b), None);
			assert_eq!(log.record(10, b), Some(a));
		}
	}
}
