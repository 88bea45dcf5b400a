//! GRANDPA finality, with the `finality-grandpa` crate's voter.
//!
//! The crate runs the protocol (rounds, the vote graph, when to prevote, precommit, commit,
//! what is final); this module gives it what it needs from the node ([`Environment`]):
//! - the chain: ancestry of blocks and the best block to vote for;
//! - the network: each round's incoming votes and a sink for ours, signed with the node's
//!   `gran` (ed25519) key over Substrate's localized payload `(message, round, set_id)`;
//!   commits and catch-ups between rounds ([`Gossip`]);
//! - persistence: **every vote is written to the database before it is sent**, and a voter
//!   that finds a stored vote for the same round and kind sends that one again instead of a
//!   new one, so a restarted voter never contradicts itself; the last completed round is
//!   stored too, and the voter resumes from it;
//! - finality: `finalize_block` stores a Substrate-format `GrandpaJustification` with the
//!   block and marks it final.
//!
//! The voter set is the runtime's (`GrandpaApi_grandpa_authorities` and
//! `GrandpaApi_current_set_id` at the finalized block when the voter starts). Set changes
//! scheduled by the runtime are not followed yet: the set is fixed for the node's life.

use std::{
	collections::{BTreeMap, HashSet, VecDeque},
	pin::Pin,
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex,
	},
	task::{Context, Poll},
	time::Duration,
};

use codec::{Decode, Encode};
use finality_grandpa::{
	round::State as RoundState,
	voter::{self, Callback, CommunicationIn, CommunicationOut, RoundData},
	voter_set::VoterSet,
	Equivocation, HistoricalVotes, Precommit, Prevote, PrimaryPropose, SignedPrecommit,
	SignedPrevote,
};
use futures::{channel::mpsc, prelude::*};
use sp_consensus_grandpa::{
	check_message_signature, localized_payload, AuthorityId, AuthorityList, AuthoritySignature,
	RoundNumber, SetId, SignatureResult, GRANDPA_ENGINE_ID,
};
use sp_core::{ed25519, Pair as _};
use tos_primitives::{opaque::Header, BlockNumber, Hash};

use crate::{
	chain::Chain,
	db::{columns::Column, Transaction},
};

/// A vote, or a primary's proposal.
pub type Message = finality_grandpa::Message<Hash, BlockNumber>;
/// A signed vote.
pub type SignedMessage =
	finality_grandpa::SignedMessage<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
/// A commit: a block and the precommits that finalize it.
pub type Commit = finality_grandpa::Commit<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
/// The votes that completed a round, for a voter that fell behind.
pub type CatchUp = finality_grandpa::CatchUp<Hash, BlockNumber, AuthoritySignature, AuthorityId>;
/// Substrate's finality proof, stored with each finalized block.
pub type Justification = sp_consensus_grandpa::GrandpaJustification<Header>;

/// How long a message takes to reach everyone: prevotes wait 2×, precommits 4× this.
pub const GOSSIP_DURATION: Duration = Duration::from_millis(500);
/// Rounds ahead of ours whose votes are kept (for when we catch up).
const ROUNDS_AHEAD: u64 = 4;
/// Message hashes remembered, to drop duplicates.
const SEEN: usize = 8192;

/// What GRANDPA sends through the network.
#[derive(Debug, Clone, PartialEq, Eq, Encode, Decode)]
pub enum GossipMessage {
	/// A vote of a round.
	Vote {
		/// The round.
		round: RoundNumber,
		/// The voter set.
		set_id: SetId,
		/// The signed vote.
		message: SignedMessage,
	},
	/// A commit that finalizes a block.
	Commit {
		/// The round that produced it.
		round: RoundNumber,
		/// The voter set.
		set_id: SetId,
		/// The commit.
		commit: Commit,
	},
}

impl GossipMessage {
	/// The round the message belongs to.
	pub fn round(&self) -> RoundNumber {
		match self {
			GossipMessage::Vote { round, .. } | GossipMessage::Commit { round, .. } => *round,
		}
	}
}

/// Why a GRANDPA message was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadMessage {
	/// Signed for another voter set.
	#[error("message of voter set {0}, ours is {1}")]
	OtherSet(SetId, SetId),
	/// The signer is not a voter.
	#[error("signed by a non-voter")]
	NotAVoter,
	/// The signature does not verify.
	#[error("bad signature")]
	BadSignature,
	/// A commit without a supermajority of distinct voters.
	#[error("a commit needs a supermajority of distinct voters")]
	MalformedCommit,
}

fn check_signed(
	message: &Message,
	id: &AuthorityId,
	signature: &AuthoritySignature,
	round: RoundNumber,
	set_id: SetId,
	voters: &[AuthorityId],
) -> Result<(), BadMessage> {
	if !voters.contains(id) {
		return Err(BadMessage::NotAVoter);
	}
	match check_message_signature(message, id, signature, round, set_id) {
		SignatureResult::Valid => Ok(()),
		_ => Err(BadMessage::BadSignature),
	}
}

/// Checks a catch-up's signatures (the voter checks that its votes complete the round).
pub fn check_catch_up(
	catch_up: &CatchUp,
	set_id: SetId,
	voters: &[AuthorityId],
) -> Result<(), BadMessage> {
	let round = catch_up.round_number;
	for v in &catch_up.prevotes {
		let message = finality_grandpa::Message::Prevote(v.prevote.clone());
		check_signed(&message, &v.id, &v.signature, round, set_id, voters)?;
	}
	for v in &catch_up.precommits {
		let message = finality_grandpa::Message::Precommit(v.precommit.clone());
		check_signed(&message, &v.id, &v.signature, round, set_id, voters)?;
	}
	Ok(())
}

/// Signs `message` for `round` of `set_id`.
pub fn sign(
	pair: &ed25519::Pair,
	message: Message,
	round: RoundNumber,
	set_id: SetId,
) -> SignedMessage {
	let signature = pair.sign(&localized_payload(round, set_id, &message));
	SignedMessage {
		message,
		signature: AuthoritySignature::from(signature),
		id: AuthorityId::from(pair.public()),
	}
}

#[derive(Default)]
struct Round {
	history: Vec<SignedMessage>,
	subscribers: Vec<mpsc::UnboundedSender<SignedMessage>>,
}

#[derive(Default)]
struct Inner {
	rounds: BTreeMap<RoundNumber, Round>,
	current_round: RoundNumber,
	global_in: Option<mpsc::UnboundedSender<GlobalIn>>,
	to_network: Option<tokio::sync::mpsc::UnboundedSender<GossipMessage>>,
	seen: HashSet<Hash>,
	seen_order: VecDeque<Hash>,
	last_completed: Option<CatchUp>,
	/// Messages about blocks we do not have yet, until they are imported (the voter can
	/// only count a vote whose block it knows).
	waiting: VecDeque<GossipMessage>,
}

/// Most messages held for blocks not yet imported.
const MAX_WAITING: usize = 1024;

type GlobalIn = CommunicationIn<Hash, BlockNumber, AuthoritySignature, AuthorityId>;

/// What the network should do with a message a peer sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
	/// New and valid: pass it on to the other peers.
	Forward,
	/// Seen before, or too old to matter.
	Drop,
	/// New and valid, from a round ahead of ours: pass it on, and ask its sender for a
	/// catch-up from our round.
	ForwardAndCatchUp(RoundNumber),
	/// New and valid, about a block we do not have: pass it on, and fetch the block from
	/// its sender (the message waits until the block is imported).
	ForwardAndFetch(Hash, BlockNumber),
}

/// GRANDPA's side of the network: verifies messages, hands each round's votes to the voter,
/// keeps the recent ones for peers that connect later, and sends ours out.
pub struct Gossip {
	set_id: SetId,
	voters: Vec<AuthorityId>,
	chain: Arc<Chain>,
	inner: Mutex<Inner>,
}

impl Gossip {
	/// Gossip for the voter set `voters` (`set_id`).
	pub fn new(chain: Arc<Chain>, set_id: SetId, voters: Vec<AuthorityId>) -> Self {
		Self { set_id, voters, chain, inner: Mutex::new(Inner::default()) }
	}

	/// The voter set from the runtime at the finalized block.
	pub fn from_runtime(chain: Arc<Chain>) -> anyhow::Result<Self> {
		let at = chain.info().finalized_hash;
		let authorities = chain.call_at(at, "GrandpaApi_grandpa_authorities", &[])?;
		let authorities = AuthorityList::decode(&mut &authorities[..])?;
		let set_id = chain.call_at(at, "GrandpaApi_current_set_id", &[])?;
		let set_id = SetId::decode(&mut &set_id[..])?;
		Ok(Self::new(chain, set_id, authorities.into_iter().map(|(id, _)| id).collect()))
	}

	/// The voter set id.
	pub fn set_id(&self) -> SetId {
		self.set_id
	}

	/// The voters.
	pub fn voters(&self) -> &[AuthorityId] {
		&self.voters
	}

	/// How many of the (equally weighted) voters make a supermajority: more than two thirds.
	pub fn threshold(&self) -> usize {
		let n = self.voters.len();
		n - (n.saturating_sub(1)) / 3
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
		self.inner.lock().expect("the gossip lock is never poisoned")
	}

	/// Where our own messages go (the network's outbox).
	pub fn set_network(&self, sender: tokio::sync::mpsc::UnboundedSender<GossipMessage>) {
		self.lock().to_network = Some(sender);
	}

	fn set_global_in(&self, sender: mpsc::UnboundedSender<GlobalIn>) {
		self.lock().global_in = Some(sender);
	}

	/// A message from a peer: checked, routed to the voter, and judged for forwarding.
	pub fn incoming(&self, message: GossipMessage) -> Result<Verdict, BadMessage> {
		// duplicates cost a hash, not a signature check
		let hash: Hash = sp_io::hashing::blake2_256(&message.encode()).into();
		if self.lock().seen.contains(&hash) {
			return Ok(Verdict::Drop);
		}
		match &message {
			GossipMessage::Vote { round, set_id, message: vote } => {
				if *set_id != self.set_id {
					return Err(BadMessage::OtherSet(*set_id, self.set_id));
				}
				check_signed(
					&vote.message,
					&vote.id,
					&vote.signature,
					*round,
					*set_id,
					&self.voters,
				)?;
			},
			GossipMessage::Commit { round, set_id, commit } => {
				if *set_id != self.set_id {
					return Err(BadMessage::OtherSet(*set_id, self.set_id));
				}
				// a commit is a supermajority of distinct voters' precommits, no more
				let signers: std::collections::BTreeSet<_> =
					commit.precommits.iter().map(|p| &p.id).collect();
				if signers.len() != commit.precommits.len()
					|| commit.precommits.len() > self.voters.len()
					|| commit.precommits.len() < self.threshold()
				{
					return Err(BadMessage::MalformedCommit);
				}
				for p in &commit.precommits {
					let m = finality_grandpa::Message::Precommit(p.precommit.clone());
					check_signed(&m, &p.id, &p.signature, *round, *set_id, &self.voters)?;
				}
			},
		}
		let mut inner = self.lock();
		if !inner.note_seen(hash) {
			return Ok(Verdict::Drop);
		}
		let current = inner.current_round;
		let round = message.round();
		if matches!(message, GossipMessage::Vote { .. }) && round + 1 < current {
			return Ok(Verdict::Drop);
		}
		let (target_hash, target_number) = target_of(&message);
		if !self.is_known(&target_hash) {
			inner.waiting.push_back(message);
			while inner.waiting.len() > MAX_WAITING {
				inner.waiting.pop_front();
			}
			return Ok(Verdict::ForwardAndFetch(target_hash, target_number));
		}
		inner.deliver(message);
		if round > current + 1 {
			return Ok(Verdict::ForwardAndCatchUp(current));
		}
		Ok(Verdict::Forward)
	}

	fn is_known(&self, hash: &Hash) -> bool {
		self.chain.header(*hash).ok().flatten().is_some()
	}

	/// A block was imported: messages that waited for it go to the voter.
	pub fn block_imported(&self) {
		let mut inner = self.lock();
		if inner.waiting.is_empty() {
			return;
		}
		let waiting = std::mem::take(&mut inner.waiting);
		for message in waiting {
			if self.is_known(&target_of(&message).0) {
				inner.deliver(message);
			} else {
				inner.waiting.push_back(message);
			}
		}
	}

	/// Sends one of our messages to the network (and, for votes, to our own voter).
	fn publish(&self, message: GossipMessage) {
		let mut inner = self.lock();
		inner.note_seen(sp_io::hashing::blake2_256(&message.encode()).into());
		if let GossipMessage::Vote { round, message: vote, .. } = &message {
			inner.route_vote(*round, vote.clone());
		}
		if let Some(network) = &inner.to_network {
			let _ = network.send(message);
		}
	}

	/// The votes of `round` so far and as they come. The voter is in `round` from now.
	fn round_stream(&self, round: RoundNumber) -> mpsc::UnboundedReceiver<SignedMessage> {
		let mut inner = self.lock();
		inner.current_round = inner.current_round.max(round);
		let keep_from = inner.current_round.saturating_sub(1);
		inner.rounds.retain(|r, _| *r >= keep_from);
		let (sender, receiver) = mpsc::unbounded();
		let entry = inner.rounds.entry(round).or_default();
		for message in &entry.history {
			let _ = sender.unbounded_send(message.clone());
		}
		entry.subscribers.push(sender);
		receiver
	}

	/// The votes of our current and previous round, for a peer that just connected.
	pub fn recent_messages(&self) -> Vec<GossipMessage> {
		let inner = self.lock();
		let from = inner.current_round.saturating_sub(1);
		inner
			.rounds
			.range(from..=inner.current_round)
			.flat_map(|(round, r)| {
				r.history.iter().map(|message| GossipMessage::Vote {
					round: *round,
					set_id: self.set_id,
					message: message.clone(),
				})
			})
			.collect()
	}

	/// Our last completed round, for a peer still in round `round` or earlier.
	pub fn catch_up_for(&self, round: RoundNumber) -> Option<CatchUp> {
		self.lock().last_completed.clone().filter(|c| c.round_number >= round)
	}

	/// A catch-up a peer sent: checked and handed to the voter, which moves to the round
	/// after it if the votes complete it.
	pub fn on_catch_up(&self, catch_up: CatchUp) -> Result<(), BadMessage> {
		check_catch_up(&catch_up, self.set_id, &self.voters)?;
		let inner = self.lock();
		if catch_up.round_number < inner.current_round {
			return Ok(());
		}
		if let Some(global_in) = &inner.global_in {
			let _ = global_in.unbounded_send(CommunicationIn::CatchUp(catch_up, Callback::Blank));
		}
		Ok(())
	}
}

/// The block a message is about (a vote's target, a commit's target).
fn target_of(message: &GossipMessage) -> (Hash, BlockNumber) {
	match message {
		GossipMessage::Vote { message, .. } => {
			let (hash, number) = message.target();
			(*hash, number)
		},
		GossipMessage::Commit { commit, .. } => (commit.target_hash, commit.target_number),
	}
}

impl Inner {
	/// Hands a checked message whose block we have to the voter.
	fn deliver(&mut self, message: GossipMessage) {
		match message {
			GossipMessage::Vote { round, message, .. } => self.route_vote(round, message),
			GossipMessage::Commit { round, commit, .. } => {
				if let Some(global_in) = &self.global_in {
					let _ = global_in.unbounded_send(CommunicationIn::Commit(
						round,
						commit.into(),
						Callback::Blank,
					));
				}
			},
		}
	}

	fn note_seen(&mut self, hash: Hash) -> bool {
		if !self.seen.insert(hash) {
			return false;
		}
		self.seen_order.push_back(hash);
		while self.seen_order.len() > SEEN {
			if let Some(old) = self.seen_order.pop_front() {
				self.seen.remove(&old);
			}
		}
		true
	}

	fn route_vote(&mut self, round: RoundNumber, message: SignedMessage) {
		let current = self.current_round;
		if round > current + ROUNDS_AHEAD {
			// too far ahead to keep every vote; the catch-up will bring the round
			return;
		}
		let entry = self.rounds.entry(round).or_default();
		entry.subscribers.retain(|s| s.unbounded_send(message.clone()).is_ok());
		entry.history.push(message);
	}
}

/// Checks a GRANDPA justification of block `hash` (stored by a peer, sent with the block in
/// sync): the precommits are signed by voters of our set, their targets descend from `hash`,
/// and they are a supermajority.
pub fn verify_justification(
	chain: &Chain,
	gossip: &Gossip,
	hash: Hash,
	encoded: &[u8],
) -> Result<Justification, String> {
	let justification =
		Justification::decode(&mut &encoded[..]).map_err(|e| format!("undecodable: {e}"))?;
	let commit = &justification.commit;
	if commit.target_hash != hash {
		return Err("the justification is for another block".into());
	}
	for p in &commit.precommits {
		let message = finality_grandpa::Message::Precommit(p.precommit.clone());
		check_signed(
			&message,
			&p.id,
			&p.signature,
			justification.round,
			gossip.set_id,
			&gossip.voters,
		)
		.map_err(|e| e.to_string())?;
	}
	let voters =
		VoterSet::new(gossip.voters.iter().cloned().map(|id| (id, 1u64))).ok_or("no voters")?;
	// the precommits may vote for descendants we do not have yet: the justification carries
	// their headers
	let view = AncestryView {
		chain,
		headers: justification.votes_ancestries.iter().map(|h| (h.hash(), h.clone())).collect(),
	};
	let result =
		finality_grandpa::validate_commit(commit, &voters, &view).map_err(|e| e.to_string())?;
	if !result.is_valid() {
		return Err("the precommits are not a supermajority for the block".into());
	}
	Ok(justification)
}

/// The environment errors.
#[derive(Debug, thiserror::Error)]
pub enum Error {
	/// From the voter.
	#[error(transparent)]
	Grandpa(#[from] finality_grandpa::Error),
	/// From the chain or the database.
	#[error("{0}")]
	Chain(String),
}

type Timer = Pin<Box<dyn Future<Output = Result<(), Error>> + Send>>;

fn delay(duration: Duration) -> Timer {
	Box::pin(futures_timer::Delay::new(duration).map(Ok))
}

/// The voter's view of the node.
pub struct Environment {
	chain: Arc<Chain>,
	gossip: Arc<Gossip>,
	caster: Caster,
	on_finalized: Box<dyn Fn(Hash) + Send + Sync>,
}

/// Casts our votes: sign, store, send.
#[derive(Clone)]
struct Caster {
	chain: Arc<Chain>,
	gossip: Arc<Gossip>,
	key: Option<ed25519::Pair>,
}

/// Database keys (in [`Column::Meta`]).
mod keys {
	use super::*;

	/// Our vote of a kind in a round: `grandpa/vote` ++ set id ++ round ++ kind.
	pub fn vote(set_id: SetId, round: RoundNumber, kind: u8) -> Vec<u8> {
		let mut key = VOTE_PREFIX.to_vec();
		key.extend(set_id.to_be_bytes());
		key.extend(round.to_be_bytes());
		key.push(kind);
		key
	}

	/// The prefix of every stored vote.
	pub const VOTE_PREFIX: &[u8] = b"grandpa/vote/";
	/// The last completed round: `(set id, round, base, votes)`.
	pub const ROUND: &[u8] = b"grandpa/round";
}

fn kind_of(message: &Message) -> u8 {
	match message {
		finality_grandpa::Message::PrimaryPropose(_) => 0,
		finality_grandpa::Message::Prevote(_) => 1,
		finality_grandpa::Message::Precommit(_) => 2,
	}
}

impl Caster {
	/// Signs, stores and sends our vote; a vote already stored for this round and kind is
	/// sent again instead of a different one.
	fn cast(&self, round: RoundNumber, message: Message) -> Result<(), Error> {
		let Some(pair) = &self.key else { return Ok(()) };
		let set_id = self.gossip.set_id;
		let key = keys::vote(set_id, round, kind_of(&message));
		let db = self.chain.db();
		let stored = db
			.get(Column::Meta, &key)
			.map_err(|e| Error::Chain(e.to_string()))?
			.and_then(|bytes| Message::decode(&mut &bytes[..]).ok());
		let message = match stored {
			Some(stored) if stored != message => {
				tracing::warn!(
					target: "grandpa",
					"round {round}: keeping the vote cast before a restart ({stored:?}), not {message:?}"
				);
				stored
			},
			Some(stored) => stored,
			None => {
				let mut tx = Transaction::new();
				tx.set(Column::Meta, key, message.encode());
				db.write(tx).map_err(|e| Error::Chain(e.to_string()))?;
				message
			},
		};
		let signed = sign(pair, message, round, set_id);
		self.gossip.publish(GossipMessage::Vote { round, set_id, message: signed });
		Ok(())
	}
}

impl Environment {
	fn header(&self, hash: Hash) -> Result<Header, Error> {
		self.chain
			.header(hash)
			.map_err(|e| Error::Chain(e.to_string()))?
			.ok_or(Error::Grandpa(finality_grandpa::Error::NotDescendent))
	}

	/// The finality proof of `commit`: the commit and the headers between its precommits'
	/// targets and its own.
	fn justification(&self, round: RoundNumber, commit: Commit) -> Result<Justification, Error> {
		let mut ancestries = BTreeMap::new();
		for precommit in &commit.precommits {
			let mut hash = precommit.precommit.target_hash;
			while hash != commit.target_hash && !ancestries.contains_key(&hash) {
				let header = self.header(hash)?;
				if header.number <= commit.target_number {
					return Err(Error::Grandpa(finality_grandpa::Error::NotDescendent));
				}
				hash = header.parent_hash;
				ancestries.insert(header.hash(), header);
			}
		}
		Ok(Justification { round, commit, votes_ancestries: ancestries.into_values().collect() })
	}
}

impl finality_grandpa::Chain<Hash, BlockNumber> for Environment {
	fn ancestry(&self, base: Hash, block: Hash) -> Result<Vec<Hash>, finality_grandpa::Error> {
		AncestryView { chain: &self.chain, headers: BTreeMap::new() }.ancestry(base, block)
	}
}

/// The chain as `finality-grandpa` sees it, plus any headers we do not have (those a
/// justification carries).
struct AncestryView<'a> {
	chain: &'a Chain,
	headers: BTreeMap<Hash, Header>,
}

impl AncestryView<'_> {
	fn header(&self, hash: &Hash) -> Option<Header> {
		self.headers.get(hash).cloned().or_else(|| self.chain.header(*hash).ok().flatten())
	}
}

impl finality_grandpa::Chain<Hash, BlockNumber> for AncestryView<'_> {
	fn ancestry(&self, base: Hash, block: Hash) -> Result<Vec<Hash>, finality_grandpa::Error> {
		if base == block {
			return Err(finality_grandpa::Error::NotDescendent);
		}
		let base_number = self.header(&base).ok_or(finality_grandpa::Error::NotDescendent)?.number;
		let mut current = self.header(&block).ok_or(finality_grandpa::Error::NotDescendent)?;
		let mut route = Vec::new();
		loop {
			let parent = current.parent_hash;
			if parent == base {
				return Ok(route);
			}
			current = match self.header(&parent) {
				Some(h) if h.number > base_number => h,
				_ => return Err(finality_grandpa::Error::NotDescendent),
			};
			route.push(parent);
		}
	}
}

type BestChain = Pin<Box<dyn Future<Output = Result<Option<(Hash, BlockNumber)>, Error>> + Send>>;
type In = Pin<Box<dyn Stream<Item = Result<SignedMessage, Error>> + Send>>;
type Out = Pin<Box<dyn Sink<Message, Error = Error> + Send>>;

impl voter::Environment<Hash, BlockNumber> for Environment {
	type Timer = Timer;
	type BestChain = BestChain;
	type Id = AuthorityId;
	type Signature = AuthoritySignature;
	type In = In;
	type Out = Out;
	type Error = Error;

	fn best_chain_containing(&self, base: Hash) -> Self::BestChain {
		let info = self.chain.info();
		let result = if base == info.best_hash {
			Some((info.best_hash, info.best_number))
		} else {
			use finality_grandpa::Chain as _;
			self.ancestry(base, info.best_hash).ok().map(|_| (info.best_hash, info.best_number))
		};
		Box::pin(future::ready(Ok(result)))
	}

	fn round_data(&self, round: u64) -> RoundData<AuthorityId, Timer, In, Out> {
		let incoming = self.gossip.round_stream(round).map(Ok);
		let outgoing = futures::sink::unfold(self.caster.clone(), move |caster, message| {
			let cast = caster.cast(round, message);
			future::ready(cast.map(|()| caster))
		});
		RoundData {
			voter_id: self
				.caster
				.key
				.as_ref()
				.map(|pair| AuthorityId::from(pair.public()))
				.filter(|id| self.gossip.voters.contains(id)),
			prevote_timer: delay(GOSSIP_DURATION * 2),
			precommit_timer: delay(GOSSIP_DURATION * 4),
			incoming: Box::pin(incoming),
			outgoing: Box::pin(outgoing),
		}
	}

	fn round_commit_timer(&self) -> Timer {
		// a random delay so that not every voter sends a commit
		let jitter = u64::from(sp_io::hashing::blake2_256(&self.chain.info().best_hash.0)[0]) * 4;
		delay(Duration::from_millis(jitter))
	}

	fn proposed(&self, _: u64, _: PrimaryPropose<Hash, BlockNumber>) -> Result<(), Error> {
		Ok(())
	}

	fn prevoted(&self, _: u64, _: Prevote<Hash, BlockNumber>) -> Result<(), Error> {
		Ok(())
	}

	fn precommitted(&self, _: u64, _: Precommit<Hash, BlockNumber>) -> Result<(), Error> {
		Ok(())
	}

	fn completed(
		&self,
		round: u64,
		_state: RoundState<Hash, BlockNumber>,
		base: (Hash, BlockNumber),
		votes: &HistoricalVotes<Hash, BlockNumber, AuthoritySignature, AuthorityId>,
	) -> Result<(), Error> {
		let set_id = self.gossip.set_id;
		let seen = votes.seen().to_vec();
		let mut tx = Transaction::new();
		tx.set(Column::Meta, keys::ROUND.to_vec(), (set_id, round, base, seen.clone()).encode());
		// our votes of rounds before the previous one are not needed any more
		let db = self.chain.db();
		if let Ok(stored) = db.keys_with_prefix(Column::Meta, keys::VOTE_PREFIX) {
			let keep = keys::vote(set_id, round.saturating_sub(1), 0);
			for key in stored.into_iter().filter(|k| *k < keep) {
				tx.delete(Column::Meta, key);
			}
		}
		db.write(tx).map_err(|e| Error::Chain(e.to_string()))?;
		let catch_up = CatchUp {
			round_number: round,
			prevotes: seen
				.iter()
				.filter_map(|m| match &m.message {
					finality_grandpa::Message::Prevote(prevote) => Some(SignedPrevote {
						prevote: prevote.clone(),
						signature: m.signature.clone(),
						id: m.id.clone(),
					}),
					_ => None,
				})
				.collect(),
			precommits: seen
				.iter()
				.filter_map(|m| match &m.message {
					finality_grandpa::Message::Precommit(precommit) => Some(SignedPrecommit {
						precommit: precommit.clone(),
						signature: m.signature.clone(),
						id: m.id.clone(),
					}),
					_ => None,
				})
				.collect(),
			base_hash: base.0,
			base_number: base.1,
		};
		self.gossip.lock().last_completed = Some(catch_up);
		tracing::debug!(target: "grandpa", "round {round} completed");
		Ok(())
	}

	fn concluded(
		&self,
		_: u64,
		_: RoundState<Hash, BlockNumber>,
		_: (Hash, BlockNumber),
		_: &HistoricalVotes<Hash, BlockNumber, AuthoritySignature, AuthorityId>,
	) -> Result<(), Error> {
		Ok(())
	}

	fn finalize_block(
		&self,
		hash: Hash,
		number: BlockNumber,
		round: u64,
		commit: Commit,
	) -> Result<(), Error> {
		if number <= self.chain.info().finalized_number {
			return Ok(());
		}
		let justification = self.justification(round, commit)?;
		let justifications = vec![(GRANDPA_ENGINE_ID, justification.encode())];
		self.chain
			.set_justifications(hash, &justifications)
			.map_err(|e| Error::Chain(e.to_string()))?;
		(self.on_finalized)(hash);
		tracing::info!(target: "grandpa", "🔒 Finalized #{number} ({hash:?}) in round {round}");
		Ok(())
	}

	fn prevote_equivocation(
		&self,
		round: u64,
		e: Equivocation<AuthorityId, Prevote<Hash, BlockNumber>, AuthoritySignature>,
	) {
		tracing::warn!(target: "grandpa", "⚠️  prevote equivocation by {} in round {round}", e.identity);
	}

	fn precommit_equivocation(
		&self,
		round: u64,
		e: Equivocation<AuthorityId, Precommit<Hash, BlockNumber>, AuthoritySignature>,
	) {
		tracing::warn!(target: "grandpa", "⚠️  precommit equivocation by {} in round {round}", e.identity);
	}
}

/// The global messages the voter sends: commits, to the network.
struct CommitSink {
	gossip: Arc<Gossip>,
}

impl Sink<CommunicationOut<Hash, BlockNumber, AuthoritySignature, AuthorityId>> for CommitSink {
	type Error = Error;

	fn poll_ready(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
		Poll::Ready(Ok(()))
	}

	fn start_send(
		self: Pin<&mut Self>,
		item: CommunicationOut<Hash, BlockNumber, AuthoritySignature, AuthorityId>,
	) -> Result<(), Error> {
		let CommunicationOut::Commit(round, commit) = item;
		let set_id = self.gossip.set_id;
		self.gossip.publish(GossipMessage::Commit { round, set_id, commit });
		Ok(())
	}

	fn poll_flush(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
		Poll::Ready(Ok(()))
	}

	fn poll_close(self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Result<(), Error>> {
		Poll::Ready(Ok(()))
	}
}

/// Runs the GRANDPA voter on a thread of its own until `stop`, restarting it (from the
/// stored round) if it fails. `key` is our `gran` key (a non-voter follows finality
/// without one). `on_finalized` marks a block final.
pub fn start(
	chain: Arc<Chain>,
	gossip: Arc<Gossip>,
	key: Option<ed25519::Pair>,
	on_finalized: Box<dyn Fn(Hash) + Send + Sync>,
	stop: Arc<AtomicBool>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
	let voting =
		key.as_ref().is_some_and(|k| gossip.voters.contains(&AuthorityId::from(k.public())));
	tracing::info!(
		target: "grandpa",
		"👴 GRANDPA: set {} of {} voters; {}",
		gossip.set_id,
		gossip.voters.len(),
		if voting { "voting" } else { "following (not a voter)" }
	);
	let caster = Caster { chain: chain.clone(), gossip: gossip.clone(), key };
	let env = Arc::new(Environment { chain, gossip, caster, on_finalized });
	std::thread::Builder::new().name("grandpa-voter".into()).spawn(move || {
		while !stop.load(Ordering::Relaxed) {
			let result = futures::executor::block_on(run_voter(env.clone(), stop.clone()));
			if let Err(e) = result {
				tracing::warn!(target: "grandpa", "voter stopped: {e}; restarting");
				std::thread::sleep(Duration::from_secs(1));
			}
		}
	})
}

async fn run_voter(env: Arc<Environment>, stop: Arc<AtomicBool>) -> Result<(), Error> {
	let gossip = env.gossip.clone();
	let voters = VoterSet::new(gossip.voters.iter().cloned().map(|id| (id, 1u64)))
		.ok_or_else(|| Error::Chain("the runtime has no GRANDPA voters".into()))?;
	let (global_in, global_in_rx) = mpsc::unbounded();
	gossip.set_global_in(global_in);
	let info = env.chain.info();
	let finalized = (info.finalized_hash, info.finalized_number);
	let stored = env
		.chain
		.db()
		.get(Column::Meta, keys::ROUND)
		.map_err(|e| Error::Chain(e.to_string()))?
		.and_then(|bytes| {
			<(SetId, RoundNumber, (Hash, BlockNumber), Vec<SignedMessage>)>::decode(&mut &bytes[..])
				.ok()
		})
		.filter(|(set_id, ..)| *set_id == gossip.set_id);
	let (last_round, votes, base) = match stored {
		Some((_, round, base, votes)) => (round, votes, base),
		None => (0, Vec::new(), finalized),
	};
	let voter = voter::Voter::new(
		env.clone(),
		voters,
		(global_in_rx.map(Ok), CommitSink { gossip }),
		last_round,
		votes,
		base,
		finalized,
	);
	let stopped = async {
		while !stop.load(Ordering::Relaxed) {
			futures_timer::Delay::new(Duration::from_millis(200)).await;
		}
	};
	futures::pin_mut!(voter, stopped);
	match future::select(voter, stopped).await {
		future::Either::Left((result, _)) => result,
		future::Either::Right(_) => Ok(()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		chain::{spec::ChainSpec, Finality},
		db::MemoryDb,
		executor::NodeExecutor,
	};
	use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

	/// A dev chain with one block on genesis, and gossip for four voters.
	fn setup() -> (Arc<Chain>, Arc<Gossip>, Header) {
		let executor = NodeExecutor::new();
		let code = tos_runtime::WASM_BINARY.expect("tests need the Wasm blob");
		let spec =
			ChainSpec::from_preset(&executor, code, "development", "Development", "dev", "Dev")
				.unwrap();
		let genesis = spec.genesis_storage(&executor).unwrap();
		let chain = Arc::new(
			Chain::open(Arc::new(MemoryDb::new()), executor, &genesis, Finality::Never).unwrap(),
		);
		let built = chain
			.build(
				chain.info().best_hash,
				sp_consensus_aura::Slot::from(1000),
				6000,
				vec![],
				&Sr25519Keyring::Alice.pair(),
			)
			.unwrap();
		let header = built.block.header.clone();
		chain.import_built(built).unwrap();
		let voters = [
			Ed25519Keyring::Alice,
			Ed25519Keyring::Bob,
			Ed25519Keyring::Charlie,
			Ed25519Keyring::Dave,
		]
		.map(|k| AuthorityId::from(k.public()))
		.to_vec();
		(chain.clone(), Arc::new(Gossip::new(chain, 0, voters)), header)
	}

	fn prevote(who: Ed25519Keyring, header: &Header, round: u64, set_id: u64) -> GossipMessage {
		let message = Message::Prevote(Prevote::new(header.hash(), header.number));
		GossipMessage::Vote { round, set_id, message: sign(&who.pair(), message, round, set_id) }
	}

	fn commit(voters: &[Ed25519Keyring], header: &Header, round: u64) -> Commit {
		let precommit = Precommit::new(header.hash(), header.number);
		Commit {
			target_hash: header.hash(),
			target_number: header.number,
			precommits: voters
				.iter()
				.map(|who| {
					let signed = sign(&who.pair(), Message::Precommit(precommit.clone()), round, 0);
					SignedPrecommit {
						precommit: precommit.clone(),
						signature: signed.signature,
						id: signed.id,
					}
				})
				.collect(),
		}
	}

	#[test]
	fn votes_are_checked_deduplicated_and_routed_to_their_round() {
		let (_, gossip, header) = setup();
		let mut round_one = gossip.round_stream(1);
		let vote = prevote(Ed25519Keyring::Alice, &header, 1, 0);
		assert_eq!(gossip.incoming(vote.clone()), Ok(Verdict::Forward));
		assert_eq!(gossip.incoming(vote.clone()), Ok(Verdict::Drop), "a duplicate");
		let GossipMessage::Vote { message, .. } = &vote else { unreachable!() };
		assert_eq!(round_one.try_recv().ok(), Some(message.clone()));
		// a later subscriber of the round gets the history
		let mut again = gossip.round_stream(1);
		assert_eq!(again.try_recv().ok(), Some(message.clone()));
		// and a peer that connects now is sent it
		assert_eq!(gossip.recent_messages(), vec![vote]);

		assert_eq!(
			gossip.incoming(prevote(Ed25519Keyring::Eve, &header, 1, 0)),
			Err(BadMessage::NotAVoter)
		);
		assert_eq!(
			gossip.incoming(prevote(Ed25519Keyring::Bob, &header, 1, 7)),
			Err(BadMessage::OtherSet(7, 0))
		);
		// signed for round 2, claimed for round 1
		let GossipMessage::Vote { message, .. } = prevote(Ed25519Keyring::Bob, &header, 2, 0)
		else {
			unreachable!()
		};
		assert_eq!(
			gossip.incoming(GossipMessage::Vote { round: 1, set_id: 0, message }),
			Err(BadMessage::BadSignature)
		);
	}

	#[test]
	fn a_vote_for_a_block_we_lack_waits_for_its_import() {
		let (chain, gossip, _) = setup();
		// a block built on ours but not imported: a fork nobody announced to us
		let built = chain
			.build(
				chain.info().best_hash,
				sp_consensus_aura::Slot::from(1001),
				6000,
				vec![],
				&Sr25519Keyring::Alice.pair(),
			)
			.unwrap();
		let unknown = built.block.header.clone();
		let mut round = gossip.round_stream(1);
		let vote = prevote(Ed25519Keyring::Charlie, &unknown, 1, 0);
		assert_eq!(
			gossip.incoming(vote.clone()),
			Ok(Verdict::ForwardAndFetch(unknown.hash(), unknown.number))
		);
		assert!(round.try_recv().is_err(), "the voter cannot count it yet");
		gossip.block_imported();
		assert!(round.try_recv().is_err(), "still not imported");
		chain.import_built(built).unwrap();
		gossip.block_imported();
		let GossipMessage::Vote { message, .. } = vote else { unreachable!() };
		assert_eq!(round.try_recv().ok(), Some(message));
	}

	#[test]
	fn a_vote_from_rounds_ahead_asks_for_a_catch_up() {
		let (_, gossip, header) = setup();
		let _round = gossip.round_stream(3);
		assert_eq!(
			gossip.incoming(prevote(Ed25519Keyring::Bob, &header, 4, 0)),
			Ok(Verdict::Forward),
			"the next round is normal"
		);
		assert_eq!(
			gossip.incoming(prevote(Ed25519Keyring::Bob, &header, 6, 0)),
			Ok(Verdict::ForwardAndCatchUp(3))
		);
		// votes of rounds long past are dropped
		assert_eq!(gossip.incoming(prevote(Ed25519Keyring::Bob, &header, 1, 0)), Ok(Verdict::Drop));
	}

	#[test]
	fn justifications_need_a_signed_supermajority_for_the_block() {
		let (chain, gossip, header) = setup();
		use Ed25519Keyring::*;
		let justify = |commit: Commit| Justification { round: 1, commit, votes_ancestries: vec![] };
		let good = justify(commit(&[Alice, Bob, Charlie], &header, 1));
		assert!(verify_justification(&chain, &gossip, header.hash(), &good.encode()).is_ok());
		// two of four is not enough
		let few = justify(commit(&[Alice, Bob], &header, 1));
		let err = verify_justification(&chain, &gossip, header.hash(), &few.encode()).unwrap_err();
		assert!(err.contains("supermajority"), "{err}");
		// a forged signature
		let mut forged = good.clone();
		forged.commit.precommits[0].signature = forged.commit.precommits[1].signature.clone();
		assert!(verify_justification(&chain, &gossip, header.hash(), &forged.encode()).is_err());
		// a non-voter's precommit
		let outsider = justify(commit(&[Alice, Bob, Eve], &header, 1));
		assert!(verify_justification(&chain, &gossip, header.hash(), &outsider.encode()).is_err());
		// for another block, or not a justification at all
		let genesis = chain.info().genesis_hash;
		assert!(verify_justification(&chain, &gossip, genesis, &good.encode()).is_err());
		assert!(verify_justification(&chain, &gossip, header.hash(), &[1, 2, 3]).is_err());
	}

	#[test]
	fn commits_need_a_supermajority_of_distinct_voters() {
		let (_, gossip, header) = setup();
		use Ed25519Keyring::*;
		let as_message = |commit| GossipMessage::Commit { round: 1, set_id: 0, commit };
		assert_eq!(gossip.threshold(), 3);
		assert_eq!(
			gossip.incoming(as_message(commit(&[], &header, 1))),
			Err(BadMessage::MalformedCommit),
			"an empty commit"
		);
		assert_eq!(
			gossip.incoming(as_message(commit(&[Alice, Alice, Bob], &header, 1))),
			Err(BadMessage::MalformedCommit),
			"a voter counted twice"
		);
		assert_eq!(
			gossip.incoming(as_message(commit(&[Alice, Bob], &header, 1))),
			Err(BadMessage::MalformedCommit),
			"two of four"
		);
		assert_eq!(
			gossip.incoming(as_message(commit(&[Alice, Bob, Dave], &header, 1))),
			Ok(Verdict::Forward)
		);
	}

	#[test]
	fn a_justification_carries_the_headers_its_precommits_vote_for() {
		let (chain, gossip, header) = setup();
		// a child of our block that we do not have
		let built = chain
			.build(
				header.hash(),
				sp_consensus_aura::Slot::from(1001),
				6000,
				vec![],
				&Sr25519Keyring::Alice.pair(),
			)
			.unwrap();
		let child = built.block.header.clone();
		use Ed25519Keyring::*;
		// Alice and Bob precommitted the child, Charlie our block: our block is final
		let mut justification = Justification {
			round: 1,
			commit: commit(&[Charlie], &header, 1),
			votes_ancestries: vec![],
		};
		for who in [Alice, Bob] {
			let precommit = Precommit::new(child.hash(), child.number);
			let signed = sign(&who.pair(), Message::Precommit(precommit.clone()), 1, 0);
			justification.commit.precommits.push(SignedPrecommit {
				precommit,
				signature: signed.signature,
				id: signed.id,
			});
		}
		assert!(
			verify_justification(&chain, &gossip, header.hash(), &justification.encode()).is_err(),
			"without the child's header the votes cannot be counted"
		);
		justification.votes_ancestries.push(child);
		verify_justification(&chain, &gossip, header.hash(), &justification.encode()).unwrap();
	}

	#[test]
	fn a_stored_vote_is_sent_again_instead_of_a_different_one() {
		let (chain, gossip, header) = setup();
		let (sender, mut sent) = tokio::sync::mpsc::unbounded_channel();
		gossip.set_network(sender);
		let caster = Caster {
			chain: chain.clone(),
			gossip: gossip.clone(),
			key: Some(Ed25519Keyring::Bob.pair()),
		};
		let genesis = chain.header(chain.info().genesis_hash).unwrap().unwrap();
		let on_block = Message::Prevote(Prevote::new(header.hash(), header.number));
		let on_genesis = Message::Prevote(Prevote::new(genesis.hash(), 0));
		caster.cast(5, on_block.clone()).unwrap();
		// after a "restart" the voter would prevote for genesis in the same round: the stored
		// prevote goes out again instead
		caster.cast(5, on_genesis.clone()).unwrap();
		let votes: Vec<Message> = std::iter::from_fn(|| sent.try_recv().ok())
			.map(|m| match m {
				GossipMessage::Vote { message, .. } => message.message,
				other => panic!("{other:?}"),
			})
			.collect();
		assert_eq!(votes, vec![on_block.clone(), on_block]);
		// another round is free
		caster.cast(6, on_genesis.clone()).unwrap();
		let GossipMessage::Vote { message, .. } = sent.try_recv().unwrap() else { panic!() };
		assert_eq!(message.message, on_genesis);
	}
}
