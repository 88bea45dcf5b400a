//! Block sync: which blocks to ask which peer for, and in what order to import them.
//!
//! A pure state machine (no I/O; generic over the peer id so tests use numbers):
//! - **range sync**: while a peer's best block is ahead of ours, the missing numbers are cut
//!   into ranges of [`RANGE`] blocks, each asked of a different idle peer whose best reaches
//!   it (ascending, by number, on the peer's best chain) — several ranges download at once;
//!   downloaded ranges are handed to import in order, one batch at a time;
//! - **by hash**: an announced block we do not know is asked for by hash, descending
//!   towards genesis, until a block whose parent we know — this is also how a fork is
//!   followed: when a range does not connect to our chain (its first block's parent is
//!   unknown), the range is dropped and the peer is asked for the fork's blocks by hash.
//!
//! Responses are checked for shape (numbers and parent links) here; the blocks themselves
//! are verified by import, which reports back a bad block so its sender can be punished.

use std::collections::{BTreeMap, VecDeque};

use tos_primitives::{
	opaque::{Block, Header},
	BlockNumber, Hash,
};

use super::protocol::{BlockRequest, Direction, FromBlock, MAX_BLOCKS_PER_RESPONSE};

/// Blocks per range request.
pub const RANGE: u32 = 64;
/// Ranges requested or downloaded ahead of the best block, at most.
pub const MAX_RANGES_AHEAD: u32 = 8;
/// Most blocks gathered while following a fork back to a known block.
pub const MAX_FORK_BLOCKS: usize = 1024;
/// A node this far behind its best peer counts as syncing (and does not author).
pub const MAJOR_SYNC_GAP: BlockNumber = 5;

/// A peer misbehaved in sync.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Misbehaviour {
	/// A response that is not what was asked for (wrong numbers, broken parent links, a
	/// response nobody asked for).
	BadResponse(&'static str),
}

#[derive(Debug, Clone)]
enum Pending {
	/// The range starting at `start` of the peer's best chain.
	Range { start: BlockNumber },
	/// At most `max` blocks by hash from `hash`, descending; `gathered` holds what earlier
	/// responses brought (newest first).
	Fork { hash: Hash, max: u32, gathered: Vec<Block> },
}

#[derive(Debug, Clone)]
struct PeerSync {
	best_number: BlockNumber,
	best_hash: Hash,
	/// The request in flight, and its token: a response carries the token of its request, so
	/// one that arrives after its request was forgotten (or replaced) is told apart.
	pending: Option<(Token, Pending)>,
}

/// Identifies a request sync made (the network maps its own request ids to these).
pub type Token = u64;

/// Most by-hash requests queued for one peer.
const MAX_FORK_REQUESTS_PER_PEER: usize = 4;

#[derive(Debug, Clone)]
struct Range<P> {
	peer: P,
	end: BlockNumber,
	blocks: Option<Vec<Block>>,
}

/// The sync state machine.
#[derive(Debug, Clone)]
pub struct Sync<P> {
	peers: BTreeMap<P, PeerSync>,
	/// Requested (no blocks yet) or downloaded ranges by first number.
	ranges: BTreeMap<BlockNumber, Range<P>>,
	/// Batches ready to import, in order, with the peer each came from.
	to_import: VecDeque<(P, Vec<Block>)>,
	/// Whether a batch is being imported.
	importing: bool,
	best_number: BlockNumber,
	finalized_number: BlockNumber,
	starting_block: BlockNumber,
	/// Blocks to ask for by hash, before any range.
	fork_requests: VecDeque<ForkRequest<P>>,
	next_token: Token,
}

/// Where sync stands, for `system_syncState` and `system_health`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct SyncState {
	/// Our best block when the node started.
	pub starting_block: BlockNumber,
	/// Our best block.
	pub current_block: BlockNumber,
	/// The best block we know of (ours or a peer's).
	pub highest_block: BlockNumber,
	/// Whether we are far behind.
	pub is_major_syncing: bool,
}

impl<P: Ord + Clone> Sync<P> {
	/// Sync for a chain whose best and finalized blocks are these.
	pub fn new(best_number: BlockNumber, finalized_number: BlockNumber) -> Self {
		Self {
			peers: BTreeMap::new(),
			ranges: BTreeMap::new(),
			to_import: VecDeque::new(),
			importing: false,
			best_number,
			finalized_number,
			starting_block: best_number,
			fork_requests: VecDeque::new(),
			next_token: 0,
		}
	}

	/// Where sync stands. "Far behind" is judged by the median of the peers' best blocks,
	/// so that one peer claiming a high block cannot stop us authoring.
	pub fn state(&self) -> SyncState {
		let mut bests: Vec<BlockNumber> = self.peers.values().map(|p| p.best_number).collect();
		bests.sort_unstable();
		let highest = bests.last().copied().unwrap_or(0);
		let median = bests.get(bests.len() / 2).copied().unwrap_or(0);
		SyncState {
			starting_block: self.starting_block,
			current_block: self.best_number,
			highest_block: highest.max(self.best_number),
			is_major_syncing: median > self.best_number.saturating_add(MAJOR_SYNC_GAP),
		}
	}

	fn token(&mut self) -> Token {
		self.next_token += 1;
		self.next_token
	}

	/// The number of peers sync knows.
	pub fn peer_count(&self) -> usize {
		self.peers.len()
	}

	/// A peer connected and told us its status (again: both sides of a connection send one;
	/// a request in flight is kept).
	pub fn add_peer(&mut self, peer: P, best_number: BlockNumber, best_hash: Hash) {
		let state =
			self.peers.entry(peer).or_insert(PeerSync { best_number, best_hash, pending: None });
		state.best_number = best_number;
		state.best_hash = best_hash;
	}

	/// A peer left: what it was downloading is asked of others.
	pub fn remove_peer(&mut self, peer: &P) {
		if let Some(PeerSync { pending: Some((_, Pending::Range { start })), .. }) =
			self.peers.remove(peer)
		{
			if self.ranges.get(&start).is_some_and(|r| r.blocks.is_none()) {
				self.ranges.remove(&start);
			}
		}
		self.fork_requests.retain(|r| r.peer != *peer);
	}

	/// Request `token` to `peer` failed (timeout, closed connection): forget it.
	pub fn request_failed(&mut self, peer: &P, token: Token) {
		if let Some(state) = self.peers.get_mut(peer) {
			if state.pending.as_ref().is_some_and(|(t, _)| *t == token) {
				if let Some((_, Pending::Range { start })) = state.pending.take() {
					self.ranges.remove(&start);
				}
			}
		}
	}

	/// Our chain moved (an import, ours or a batch's).
	pub fn chain_updated(&mut self, best_number: BlockNumber, finalized_number: BlockNumber) {
		self.best_number = best_number;
		self.finalized_number = finalized_number;
		// ranges wholly at or below the best are not needed any more
		let obsolete: Vec<_> = self
			.ranges
			.iter()
			.filter(|(_, r)| r.end <= best_number && r.blocks.is_some())
			.map(|(start, _)| *start)
			.collect();
		for start in obsolete {
			self.ranges.remove(&start);
		}
	}

	/// `peer` announced `header` as its new best. `is_known` tells whether we have a block.
	pub fn announced(&mut self, peer: &P, header: &Header, is_known: impl Fn(&Hash) -> bool) {
		let hash = header.hash();
		let Some(state) = self.peers.get_mut(peer) else { return };
		state.best_number = header.number;
		state.best_hash = hash;
		if is_known(&hash) || header.number > self.best_number.saturating_add(1) {
			// known, or far ahead: range sync will get it
			return;
		}
		let max = if is_known(&header.parent_hash) {
			1
		} else {
			header.number.saturating_sub(self.finalized_number).clamp(1, MAX_BLOCKS_PER_RESPONSE)
		};
		self.queue_fork_request(peer, hash, max);
	}

	/// Queues a by-hash request, unless the hash is queued already or the peer has too many.
	fn queue_fork_request(&mut self, peer: &P, hash: Hash, max: u32) {
		let queued_for_peer = self.fork_requests.iter().filter(|r| r.peer == *peer).count();
		if queued_for_peer >= MAX_FORK_REQUESTS_PER_PEER
			|| self.fork_requests.iter().any(|r| r.hash == hash)
		{
			return;
		}
		self.fork_requests.push_back(ForkRequest {
			peer: peer.clone(),
			hash,
			max,
			gathered: Vec::new(),
		});
	}

	/// Fetches block `hash` (#`number`) from `peer`, by hash and back to a block we know —
	/// for a GRANDPA vote about a block we have not seen (a fork nobody announced to us).
	pub fn fetch(&mut self, peer: &P, hash: Hash, number: BlockNumber) {
		if !self.peers.contains_key(peer) {
			return;
		}
		let max = number.saturating_sub(self.finalized_number).clamp(1, MAX_BLOCKS_PER_RESPONSE);
		self.queue_fork_request(peer, hash, max);
	}

	/// The requests to send now, one per idle peer at most, each with its token.
	pub fn requests(&mut self) -> Vec<(P, BlockRequest, Token)> {
		let mut out = Vec::new();
		// blocks by hash first: they are what the head needs
		let mut deferred = VecDeque::new();
		while let Some(request) = self.fork_requests.pop_front() {
			let token = self.next_token + 1;
			match self.peers.get_mut(&request.peer) {
				Some(state) if state.pending.is_none() => {
					self.next_token = token;
					let (hash, max) = (request.hash, request.max);
					state.pending =
						Some((token, Pending::Fork { hash, max, gathered: request.gathered }));
					out.push((request.peer, by_hash(hash, max), token));
				},
				Some(_) => deferred.push_back(request),
				None => {},
			}
		}
		self.fork_requests = deferred;

		// then ranges, lowest first, to idle peers whose best reaches them
		let limit = self.best_number.saturating_add(RANGE * MAX_RANGES_AHEAD);
		let mut start = self.best_number.saturating_add(1);
		loop {
			// skip what is requested or downloaded
			while let Some((s, r)) = self.ranges.range(..=start).next_back() {
				if r.end >= start && *s <= start {
					start = r.end.saturating_add(1);
				} else {
					break;
				}
			}
			if start > limit {
				break;
			}
			let next_taken = self.ranges.range(start..).next().map(|(s, _)| *s);
			let Some((peer, peer_best)) = self
				.peers
				.iter()
				.filter(|(_, p)| p.pending.is_none() && p.best_number >= start)
				.max_by_key(|(_, p)| p.best_number)
				.map(|(peer, p)| (peer.clone(), p.best_number))
			else {
				break;
			};
			let mut end = start.saturating_add(RANGE - 1).min(peer_best);
			if let Some(taken) = next_taken {
				end = end.min(taken - 1);
			}
			self.ranges.insert(start, Range { peer: peer.clone(), end, blocks: None });
			let token = self.token();
			if let Some(state) = self.peers.get_mut(&peer) {
				state.pending = Some((token, Pending::Range { start }));
			}
			out.push((
				peer,
				BlockRequest {
					from: FromBlock::Number(start),
					direction: Direction::Ascending,
					max: end - start + 1,
				},
				token,
			));
			start = end.saturating_add(1);
		}
		out
	}

	/// `peer` answered block request `token` with `blocks`. `is_known` tells whether we
	/// have a block. Returns an error when the response is malformed (the peer should be
	/// punished); the answer to a request sync has since forgotten is ignored.
	pub fn on_blocks(
		&mut self,
		peer: &P,
		token: Token,
		blocks: Vec<Block>,
		is_known: impl Fn(&Hash) -> bool,
	) -> Result<(), Misbehaviour> {
		let Some(state) = self.peers.get_mut(peer) else { return Ok(()) };
		if state.pending.as_ref().is_none_or(|(t, _)| *t != token) {
			// a request forgotten when sync changed its plans
			return Ok(());
		}
		match state.pending.take().map(|(_, p)| p) {
			None => Ok(()),
			Some(Pending::Range { start }) => {
				let Some(range) = self.ranges.get_mut(&start) else { return Ok(()) };
				let expected = (range.end - start + 1) as usize;
				if blocks.len() > expected {
					self.ranges.remove(&start);
					return Err(Misbehaviour::BadResponse("more blocks than asked for"));
				}
				for (i, block) in blocks.iter().enumerate() {
					if block.header.number != start + i as BlockNumber {
						self.ranges.remove(&start);
						return Err(Misbehaviour::BadResponse("blocks out of order"));
					}
					if i > 0 && block.header.parent_hash != blocks[i - 1].header.hash() {
						self.ranges.remove(&start);
						return Err(Misbehaviour::BadResponse("blocks not linked"));
					}
				}
				if blocks.is_empty() {
					// the peer no longer has that range on its best chain (it reorganised)
					self.ranges.remove(&start);
					state.best_number = start.saturating_sub(1).min(state.best_number);
					return Ok(());
				}
				let got_end = start + blocks.len() as BlockNumber - 1;
				range.end = got_end;
				range.blocks = Some(blocks);
				Ok(())
			},
			Some(Pending::Fork { hash, max, mut gathered }) => {
				if blocks.len() > max as usize {
					return Err(Misbehaviour::BadResponse("more blocks than asked for"));
				}
				if blocks.first().is_some_and(|b| b.header.hash() != hash) {
					return Err(Misbehaviour::BadResponse("not the block asked for"));
				}
				if blocks.windows(2).any(|w| w[0].header.parent_hash != w[1].header.hash()) {
					return Err(Misbehaviour::BadResponse("fork blocks not linked"));
				}
				let got = blocks.len();
				gathered.extend(blocks);
				let Some(deepest) = gathered.last() else { return Ok(()) };
				if is_known(&deepest.header.parent_hash) {
					let batch: Vec<Block> = gathered
						.into_iter()
						.rev()
						.filter(|b| !is_known(&b.header.hash()))
						.collect();
					if !batch.is_empty() {
						self.to_import.push_back((peer.clone(), batch));
					}
				} else if got > 0
					&& deepest.header.number > self.finalized_number.saturating_add(1)
					&& gathered.len() < MAX_FORK_BLOCKS
				{
					// keep walking back towards a block we know
					let parent = deepest.header.parent_hash;
					let max = (deepest.header.number - 1 - self.finalized_number)
						.clamp(1, MAX_BLOCKS_PER_RESPONSE);
					self.fork_requests.push_front(ForkRequest {
						peer: peer.clone(),
						hash: parent,
						max,
						gathered,
					});
				} else if got > 0 && gathered.len() < MAX_FORK_BLOCKS {
					// it reaches below our finalized block without meeting our chain: blocks
					// we can never use, sent as if they were
					return Err(Misbehaviour::BadResponse("a chain that does not meet ours"));
				}
				// else: too long to follow (or nothing sent): dropped
				Ok(())
			},
		}
	}

	/// The next batch of blocks to import, in order, and the peer it came from; `None` while
	/// a batch is being imported or nothing is ready. Report the outcome with
	/// [`Sync::batch_done`].
	pub fn next_batch(&mut self) -> Option<(P, Vec<Block>)> {
		if self.importing {
			return None;
		}
		let batch = match self.to_import.pop_front() {
			Some(batch) => batch,
			None => {
				let (&start, range) = self.ranges.iter().next()?;
				if start > self.best_number.saturating_add(1) || range.blocks.is_none() {
					return None;
				}
				let range = self.ranges.remove(&start)?;
				(range.peer, range.blocks?)
			},
		};
		self.importing = true;
		Some(batch)
	}

	/// How the batch from [`Sync::next_batch`] went.
	pub fn batch_done(&mut self, outcome: BatchOutcome<P>) {
		self.importing = false;
		match outcome {
			BatchOutcome::Imported => {},
			BatchOutcome::UnknownParent { peer, block } => {
				// the range does not connect to our chain: that peer's best chain is a fork
				// whose base we lack. Its other ranges follow the same chain: drop them (other
				// peers' ranges stay) and walk the fork back by hash; if the walk never meets
				// our chain, the peer is punished then.
				self.ranges.retain(|_, r| r.peer != peer);
				if let Some(state) = self.peers.get_mut(&peer) {
					if matches!(state.pending, Some((_, Pending::Range { .. }))) {
						state.pending = None;
					}
				}
				let max = block
					.header
					.number
					.saturating_sub(self.finalized_number)
					.clamp(1, MAX_BLOCKS_PER_RESPONSE);
				self.queue_fork_request(&peer, block.header.hash(), max);
			},
			BatchOutcome::Bad { peer } => {
				// everything that peer sent is suspect
				self.ranges.retain(|_, r| r.peer != peer);
				self.to_import.retain(|(p, _)| *p != peer);
				self.remove_peer(&peer);
			},
		}
	}
}

/// How importing a batch went.
#[derive(Debug, Clone)]
pub enum BatchOutcome<P> {
	/// Every block was imported (or already known).
	Imported,
	/// `block`'s parent is unknown: the batch is on a fork we do not have.
	UnknownParent {
		/// Who sent it.
		peer: P,
		/// The first block that did not import.
		block: Block,
	},
	/// A block is invalid: its sender misbehaved.
	Bad {
		/// Who sent it.
		peer: P,
	},
}

#[derive(Debug, Clone)]
struct ForkRequest<P> {
	peer: P,
	hash: Hash,
	max: u32,
	gathered: Vec<Block>,
}

fn by_hash(hash: Hash, max: u32) -> BlockRequest {
	BlockRequest { from: FromBlock::Hash(hash), direction: Direction::Descending, max }
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_runtime::{generic::Digest, traits::Header as _};

	/// A chain of `len` blocks after `parent` (numbered from `first`), told apart from other
	/// forks by `fork`.
	fn chain_from(parent: Hash, first: BlockNumber, len: u32, fork: u8) -> Vec<Block> {
		let mut blocks = Vec::new();
		let mut parent = parent;
		for number in first..first + len {
			let header = Header::new(
				number,
				Default::default(),
				Hash::repeat_byte(fork),
				parent,
				Digest::default(),
			);
			parent = header.hash();
			blocks.push(Block { header, extrinsics: vec![] });
		}
		blocks
	}

	fn genesis() -> Hash {
		Hash::repeat_byte(0xee)
	}

	fn start_of(request: &BlockRequest) -> BlockNumber {
		match request.from {
			FromBlock::Number(n) => n,
			FromBlock::Hash(_) => panic!("a range request"),
		}
	}

	/// Answers every request in `requests` from `chain` (by number, 1-based).
	fn answer_ranges(sync: &mut Sync<u8>, requests: &[(u8, BlockRequest, Token)], chain: &[Block]) {
		for (peer, request, token) in requests {
			let s = start_of(request) as usize - 1;
			let blocks = chain[s..s + request.max as usize].to_vec();
			sync.on_blocks(peer, *token, blocks, |_| false).unwrap();
		}
	}

	#[test]
	fn ranges_download_in_parallel_and_import_in_order() {
		let remote = chain_from(genesis(), 1, 200, 1);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 200, remote[199].header.hash());
		sync.add_peer(2u8, 200, remote[199].header.hash());
		assert!(sync.state().is_major_syncing);
		let requests = sync.requests();
		// two idle peers → two ranges at once
		assert_eq!(requests.len(), 2);
		let (first, second) = (&requests[0], &requests[1]);
		assert_eq!((start_of(&first.1), first.1.max), (1, RANGE));
		assert_eq!((start_of(&second.1), second.1.max), (RANGE + 1, RANGE));
		assert_ne!(first.0, second.0);
		assert!(sync.requests().is_empty(), "both peers are busy");

		// the second range arrives first: nothing to import until the first is there
		let known = |_: &Hash| false;
		sync.on_blocks(&second.0, second.2, remote[64..128].to_vec(), known).unwrap();
		assert!(sync.next_batch().is_none());
		sync.on_blocks(&first.0, first.2, remote[..64].to_vec(), known).unwrap();
		let (_, batch) = sync.next_batch().unwrap();
		assert_eq!(batch.first().unwrap().header.number, 1);
		assert!(sync.next_batch().is_none(), "one batch at a time");
		sync.batch_done(BatchOutcome::Imported);
		sync.chain_updated(64, 0);
		let (_, batch) = sync.next_batch().unwrap();
		assert_eq!(batch.first().unwrap().header.number, 65);
		sync.batch_done(BatchOutcome::Imported);
		sync.chain_updated(128, 0);
		// the rest: 129..=192 and 193..=200
		let requests = sync.requests();
		assert_eq!(requests.iter().map(|(_, r, _)| r.max).collect::<Vec<_>>(), vec![64, 8]);
	}

	#[test]
	fn one_peer_claiming_a_high_block_does_not_make_us_major_syncing() {
		let mut sync = Sync::new(10, 0);
		sync.add_peer(1u8, 1_000, Hash::repeat_byte(1));
		sync.add_peer(2u8, 10, Hash::repeat_byte(2));
		sync.add_peer(3u8, 11, Hash::repeat_byte(3));
		let state = sync.state();
		assert!(!state.is_major_syncing);
		assert_eq!(state.highest_block, 1_000);
		sync.add_peer(4u8, 900, Hash::repeat_byte(4));
		sync.add_peer(5u8, 950, Hash::repeat_byte(5));
		assert!(sync.state().is_major_syncing, "most peers are far ahead");
	}

	#[test]
	fn a_second_status_keeps_the_request_in_flight() {
		let remote = chain_from(genesis(), 1, 3, 1);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 3, remote[2].header.hash());
		let requests = sync.requests();
		assert_eq!(requests.len(), 1);
		// both ends of a connection send a status: the second must not forget the request
		sync.add_peer(1u8, 3, remote[2].header.hash());
		assert!(sync.requests().is_empty());
		assert!(sync.on_blocks(&1, requests[0].2, remote, |_| false).is_ok());
		assert!(sync.next_batch().is_some());
	}

	#[test]
	fn an_answer_to_a_forgotten_request_is_ignored_not_punished() {
		let ours = chain_from(genesis(), 1, 100, 1);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 100, ours[99].header.hash());
		sync.add_peer(2u8, 100, ours[99].header.hash());
		let requests = sync.requests();
		// the peer asked for the first range turns out to be on a fork we lack; the other
		// peer's range is unaffected
		let (forked, r1, t1) = requests.iter().find(|(_, r, _)| start_of(r) == 1).unwrap().clone();
		let (other, r2, t2) = requests.iter().find(|(p, ..)| *p != forked).unwrap().clone();
		sync.on_blocks(&forked, t1, ours[..r1.max as usize].to_vec(), |_| false).unwrap();
		let (peer, batch) = sync.next_batch().unwrap();
		sync.batch_done(BatchOutcome::UnknownParent { peer, block: batch[0].clone() });
		let s = start_of(&r2) as usize - 1;
		let answer = ours[s..s + r2.max as usize].to_vec();
		assert_eq!(sync.on_blocks(&other, t2, answer.clone(), |_| false), Ok(()));
		assert!(sync.ranges.values().any(|r| r.blocks.is_some()), "the other range is kept");
		// a second answer to the same request, and a late answer to the dropped range,
		// change nothing and cost nothing
		assert_eq!(sync.on_blocks(&other, t2, answer, |_| false), Ok(()));
		assert_eq!(sync.on_blocks(&forked, t1, ours[..1].to_vec(), |_| false), Ok(()));
	}

	#[test]
	fn a_peer_that_leaves_mid_range_has_its_range_asked_of_another() {
		let remote = chain_from(genesis(), 1, 10, 1);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 10, remote[9].header.hash());
		let requests = sync.requests();
		assert_eq!(requests[0].0, 1);
		sync.remove_peer(&1);
		sync.add_peer(2u8, 10, remote[9].header.hash());
		let requests = sync.requests();
		assert_eq!(requests.len(), 1);
		assert_eq!(requests[0].0, 2);
		assert_eq!(requests[0].1.from, FromBlock::Number(1));
	}

	#[test]
	fn malformed_responses_are_misbehaviour() {
		let remote = chain_from(genesis(), 1, 10, 1);
		let other = chain_from(genesis(), 1, 10, 2);
		let known = |_: &Hash| false;
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 10, remote[9].header.hash());
		let next = |sync: &mut Sync<u8>| sync.requests().remove(0).2;
		// out of order
		let token = next(&mut sync);
		let mut shuffled = remote.clone();
		shuffled.swap(0, 1);
		assert!(sync.on_blocks(&1, token, shuffled, known).is_err());
		// not linked: block 2 of another fork
		let token = next(&mut sync);
		let mut unlinked = remote.clone();
		unlinked[1] = other[1].clone();
		assert!(sync.on_blocks(&1, token, unlinked, known).is_err());
		// more than asked for
		let token = next(&mut sync);
		let mut more = remote.clone();
		more.extend(chain_from(remote[9].header.hash(), 11, 1, 1));
		assert!(sync.on_blocks(&1, token, more, known).is_err());
		// a well-formed answer is taken
		let token = next(&mut sync);
		assert!(sync.on_blocks(&1, token, remote, known).is_ok());
		assert!(sync.next_batch().is_some());
	}

	#[test]
	fn an_announced_fork_is_fetched_back_to_a_known_block() {
		// we have genesis → a1 → a2; the peer has genesis → a1 → b2 → b3
		let ours = chain_from(genesis(), 1, 2, 1);
		let theirs = {
			let mut c = vec![ours[0].clone()];
			c.extend(chain_from(ours[0].header.hash(), 2, 2, 2));
			c
		};
		let known_hashes: Vec<Hash> =
			std::iter::once(genesis()).chain(ours.iter().map(|b| b.header.hash())).collect();
		let known = |h: &Hash| known_hashes.contains(h);
		let mut sync = Sync::new(2, 0);
		sync.add_peer(7u8, 2, ours[1].header.hash());
		assert!(sync.requests().is_empty(), "the peer is not ahead");
		sync.announced(&7, &theirs[2].header, known);
		let requests = sync.requests();
		assert_eq!(requests.len(), 1);
		let (_, request, token) = &requests[0];
		assert_eq!(*request, by_hash(theirs[2].header.hash(), 3), "down to the finalized block");
		// the peer answers b3, b2, a1 (newest first)
		let answer: Vec<Block> = theirs.iter().rev().cloned().collect();
		sync.on_blocks(&7, *token, answer, known).unwrap();
		let (peer, batch) = sync.next_batch().unwrap();
		assert_eq!(peer, 7);
		let numbers: Vec<_> = batch.iter().map(|b| b.header.number).collect();
		assert_eq!(numbers, vec![2, 3], "only the unknown blocks, oldest first");
		assert_eq!(batch[0].header.hash(), theirs[1].header.hash());
	}

	#[test]
	fn a_fork_answer_must_start_at_the_block_asked_for() {
		let theirs = chain_from(genesis(), 1, 3, 2);
		let mut sync = Sync::new(2, 0);
		sync.add_peer(7u8, 2, Hash::repeat_byte(9));
		sync.announced(&7, &theirs[2].header, |h| *h == genesis());
		let (_, _, token) = sync.requests().remove(0);
		let wrong: Vec<Block> = theirs[..2].iter().rev().cloned().collect();
		assert_eq!(
			sync.on_blocks(&7, token, wrong, |h| *h == genesis()),
			Err(Misbehaviour::BadResponse("not the block asked for"))
		);
	}

	#[test]
	fn a_fork_longer_than_one_response_is_walked_back_in_steps() {
		// we are at #200 on fork A; the peer announces #201 of fork B, which leaves ours
		// right after genesis
		let ours = chain_from(genesis(), 1, 200, 1);
		let theirs = chain_from(genesis(), 1, 201, 2);
		let known_hashes: std::collections::HashSet<Hash> =
			std::iter::once(genesis()).chain(ours.iter().map(|b| b.header.hash())).collect();
		let known = |h: &Hash| known_hashes.contains(h);
		let mut sync = Sync::new(200, 0);
		sync.add_peer(1u8, 200, theirs[199].header.hash());
		sync.announced(&1, &theirs[200].header, known);
		let requests = sync.requests();
		assert_eq!(requests.len(), 1);
		assert_eq!(requests[0].1, by_hash(theirs[200].header.hash(), MAX_BLOCKS_PER_RESPONSE));
		// the first answer (#201 down to #74) does not reach a known block: walk on
		let answer: Vec<Block> = theirs[73..].iter().rev().cloned().collect();
		sync.on_blocks(&1, requests[0].2, answer, known).unwrap();
		assert!(sync.next_batch().is_none());
		let requests = sync.requests();
		assert_eq!(requests[0].1, by_hash(theirs[72].header.hash(), 73));
		let answer: Vec<Block> = theirs[..73].iter().rev().cloned().collect();
		sync.on_blocks(&1, requests[0].2, answer, known).unwrap();
		// the whole fork, oldest first, in one batch
		let (_, batch) = sync.next_batch().unwrap();
		assert_eq!(batch.len(), 201);
		assert!(batch.iter().zip(&theirs).all(|(a, b)| a.header.hash() == b.header.hash()));
	}

	#[test]
	fn a_range_that_does_not_connect_turns_into_a_walk_by_hash_and_a_lie_is_punished() {
		// the peer's "chain" starts from a parent that is not our genesis
		let theirs = chain_from(Hash::repeat_byte(0x66), 1, 100, 3);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 100, theirs[99].header.hash());
		let requests = sync.requests();
		assert_eq!(requests[0].1.from, FromBlock::Number(1));
		answer_ranges(&mut sync, &requests[..1], &theirs);
		let (peer, batch) = sync.next_batch().unwrap();
		// import says block 1's parent is unknown
		sync.batch_done(BatchOutcome::UnknownParent { peer, block: batch[0].clone() });
		let requests = sync.requests();
		assert_eq!(requests.len(), 1);
		assert_eq!(requests[0].1, by_hash(theirs[0].header.hash(), 1));
		// the walk reaches our finalized height without meeting our chain
		assert_eq!(
			sync.on_blocks(&1, requests[0].2, theirs[..1].to_vec(), |h| *h == genesis()),
			Err(Misbehaviour::BadResponse("a chain that does not meet ours"))
		);
	}

	#[test]
	fn by_hash_requests_are_capped_per_peer_and_deduplicated() {
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 0, genesis());
		for i in 0..10u8 {
			sync.fetch(&1, Hash::repeat_byte(i), 1);
			sync.fetch(&1, Hash::repeat_byte(i), 1);
		}
		// one goes out now (the peer is idle), the rest stay queued: at most 4
		assert_eq!(sync.requests().len(), 1);
		assert_eq!(sync.fork_requests.len(), MAX_FORK_REQUESTS_PER_PEER - 1);
	}

	#[test]
	fn a_bad_batch_drops_everything_from_its_sender() {
		let remote = chain_from(genesis(), 1, 128, 1);
		let mut sync = Sync::new(0, 0);
		sync.add_peer(1u8, 128, remote[127].header.hash());
		sync.add_peer(2u8, 128, remote[127].header.hash());
		let requests = sync.requests();
		answer_ranges(&mut sync, &requests, &remote);
		let (bad, _) = sync.next_batch().unwrap();
		sync.batch_done(BatchOutcome::Bad { peer: bad });
		assert_eq!(sync.peer_count(), 1);
		// the bad peer's range is asked of the other peer once it is idle
		let good = if bad == 1 { 2 } else { 1 };
		let requests = sync.requests();
		assert!(requests.iter().all(|(p, ..)| *p == good));
	}
}
