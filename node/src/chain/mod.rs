//! The chain: genesis, block import, block building, fork choice and finality bookkeeping.
//!
//! [`Chain`] owns the database handle and the executor. Import is *verify → execute →
//! commit*: the parent must be known, the Aura seal must be the slot author's, so must the
//! VRF over the parent's randomness ([`vrf`]), the runtime
//! must execute the block (`Core_execute_block`, which itself checks the extrinsics root and
//! the state root) and the root the node computes must equal the header's. Only then is the
//! block written, header, body, state nodes and pointers together in one atomic transaction;
//! a rejected block leaves the database as it was.
//!
//! Fork choice is the longest chain, ties going to the block seen first. Blocks are never
//! reverted below the finalized block.

pub mod pruning;
pub mod spec;

pub use pruning::Pruning;

use std::sync::{Arc, Mutex, RwLock};

use codec::{Decode, Encode};
use sp_consensus_aura::Slot;
use sp_core::{sr25519, storage::Storage};
use sp_runtime::{
	generic::Digest,
	traits::{BlakeTwo256, Header as _},
	transaction_validity::{InvalidTransaction, TransactionValidityError},
	ApplyExtrinsicResult, OpaqueExtrinsic,
};
use sp_state_machine::OverlayedChanges;
use tos_primitives::{
	opaque::{Block, Header},
	BlockNumber, Hash,
};

use crate::{
	consensus::{aura, vrf},
	db::{columns::meta, columns::number_key, Column, Database, DbError, Transaction},
	executor::NodeExecutor,
	state::{self, StateBackend, StateCommit},
};

/// Why a block was not imported.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
	/// The parent block is not in the database.
	#[error("unknown parent {0:?}")]
	UnknownParent(Hash),
	/// The number is not the parent's plus one.
	#[error("block number {got} does not follow its parent's {parent}")]
	BadNumber {
		/// The block's number.
		got: BlockNumber,
		/// The parent's number.
		parent: BlockNumber,
	},
	/// The block would fork the chain below the finalized block.
	#[error("block #{0} forks below the finalized block")]
	BelowFinalized(BlockNumber),
	/// The Aura seal is wrong.
	#[error(transparent)]
	Seal(#[from] aura::SealError),
	/// The author's VRF is missing, or is not the slot author's over the parent's randomness.
	#[error("the block's VRF is refused: {0:?}")]
	Vrf(tos_primitives::vrf::VrfError),
	/// The runtime refused the block (bad extrinsic, bad inherent, wrong roots...).
	#[error("execution failed: {0}")]
	Execution(String),
	/// The state root computed by the node differs from the header's.
	#[error("state root mismatch: header says {header:?}, execution gives {computed:?}")]
	StateRoot {
		/// The root in the header.
		header: Hash,
		/// The root computed.
		computed: Hash,
	},
	/// The database failed.
	#[error(transparent)]
	Db(#[from] DbError),
}

/// A block's finality proofs: `(consensus engine id, encoded proof)` pairs, as Substrate
/// stores them.
pub type Justifications = Vec<(sp_runtime::ConsensusEngineId, Vec<u8>)>;

/// What became of an imported block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImportOutcome {
	/// The block was imported and is the new best block.
	Best,
	/// The block was imported on a fork that is not (yet) the longest.
	Fork,
	/// The block was already in the database.
	AlreadyKnown,
}

/// Where the chain stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainInfo {
	/// The genesis block's hash.
	pub genesis_hash: Hash,
	/// The best block.
	pub best_hash: Hash,
	/// The best block's number.
	pub best_number: BlockNumber,
	/// The last finalized block.
	pub finalized_hash: Hash,
	/// The last finalized block's number.
	pub finalized_number: BlockNumber,
}

/// A block this node built, with the state changes it makes.
pub struct BuiltBlock {
	/// The sealed block.
	pub block: Block,
	/// Its state changes, so importing it needs no second execution.
	pub commit: StateCommit,
	/// Transactions refused while building because they are invalid, with the reason.
	/// Transactions left out because the block was full, or whose validity the runtime could
	/// not tell, are not listed: they may fit a later block.
	pub rejected: Vec<(OpaqueExtrinsic, String)>,
}

/// How blocks get finalized until GRANDPA runs: `Instant` finalizes every new best block
/// (right for a single-authority dev chain), `Never` leaves finality to a finality gadget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finality {
	/// Every new best block is final at once.
	Instant,
	/// Only explicit [`Chain::finalize`] calls move finality.
	Never,
}

/// What happened to the chain, for subscribers (RPC subscriptions, the transaction pool).
#[derive(Debug, Clone)]
pub enum ChainEvent {
	/// A block was imported.
	Imported {
		/// Its hash.
		hash: Hash,
		/// Its header.
		header: Header,
		/// Whether it is the new best block.
		is_best: bool,
	},
	/// A block became final (and with it its ancestors).
	Finalized {
		/// Its hash.
		hash: Hash,
		/// Its header.
		header: Header,
	},
}

/// A function called with every [`ChainEvent`], on the thread that caused it; it must be
/// quick (the node's listener forwards events to a channel).
pub type Listener = Box<dyn Fn(&ChainEvent) + Send + Sync>;

/// The chain database with its executor.
pub struct Chain {
	db: Arc<dyn Database>,
	executor: NodeExecutor,
	trie_cache: state::TrieCache,
	info: RwLock<ChainInfo>,
	finality: Finality,
	/// Which states are kept.
	pruning: Pruning,
	/// Serialises imports (so that fork choice sees one block at a time) and pruning.
	import_lock: Mutex<()>,
	listeners: RwLock<Vec<Listener>>,
}

impl Chain {
	/// Opens the chain in `db`, writing the genesis block from `genesis` if the database is
	/// empty. A database that holds another chain (a different genesis) is refused.
	pub fn open(
		db: Arc<dyn Database>,
		executor: NodeExecutor,
		genesis: &Storage,
		finality: Finality,
	) -> Result<Self, ChainError> {
		Self::open_with_pruning(db, executor, genesis, finality, Pruning::Archive)
	}

	/// Like [`Chain::open`], keeping states as `pruning` says. A database keeps the mode it
	/// was created with; opening it with another is refused.
	pub fn open_with_pruning(
		db: Arc<dyn Database>,
		executor: NodeExecutor,
		genesis: &Storage,
		finality: Finality,
		pruning: Pruning,
	) -> Result<Self, ChainError> {
		let commit = state::genesis_commit(db.clone(), genesis);
		let header = genesis_header(commit.root);
		let genesis_hash = header.hash();

		match read_hash(&*db, meta::GENESIS)? {
			Some(stored) if stored != genesis_hash => {
				return Err(ChainError::OtherChain { stored, expected: genesis_hash })
			},
			Some(_) => pruning.check_or_record(&*db, false)?,
			None => {
				pruning.check_or_record(&*db, true)?;
				let mut tx = Transaction::new();
				tx.set(Column::Headers, genesis_hash.as_bytes().to_vec(), header.encode());
				tx.set(
					Column::Bodies,
					genesis_hash.as_bytes().to_vec(),
					Vec::<OpaqueExtrinsic>::new().encode(),
				);
				tx.set(Column::Canonical, number_key(0).to_vec(), genesis_hash.as_bytes().to_vec());
				for key in [meta::GENESIS, meta::BEST, meta::FINALIZED] {
					tx.set(Column::Meta, key.to_vec(), genesis_hash.as_bytes().to_vec());
				}
				match pruning {
					Pruning::Archive => state::write_nodes(&mut tx, commit.nodes),
					Pruning::Keep(_) => pruning::write_block(&*db, &mut tx, None, commit.nodes)?,
				}
				db.write(tx)?;
			},
		}

		let best_hash = read_hash(&*db, meta::BEST)?.ok_or(ChainError::Corrupt("no best block"))?;
		let finalized_hash =
			read_hash(&*db, meta::FINALIZED)?.ok_or(ChainError::Corrupt("no finalized block"))?;
		let number_of = |hash: Hash| -> Result<BlockNumber, ChainError> {
			read_header(&*db, hash)?.map(|h| h.number).ok_or(ChainError::Corrupt("missing header"))
		};
		let info = ChainInfo {
			genesis_hash,
			best_number: number_of(best_hash)?,
			best_hash,
			finalized_number: number_of(finalized_hash)?,
			finalized_hash,
		};
		Ok(Self {
			db,
			executor,
			trie_cache: state::new_trie_cache(TRIE_CACHE_BYTES),
			info: RwLock::new(info),
			finality,
			pruning,
			import_lock: Mutex::new(()),
			listeners: RwLock::new(Vec::new()),
		})
	}

	/// Calls `listener` with every import and finalization from now on.
	pub fn add_listener(&self, listener: Listener) {
		self.listeners.write().expect("the listeners lock is never poisoned").push(listener);
	}

	fn emit(&self, event: ChainEvent) {
		for listener in self.listeners.read().expect("the listeners lock is never poisoned").iter()
		{
			listener(&event);
		}
	}

	/// Where the chain stands.
	pub fn info(&self) -> ChainInfo {
		*self.info.read().expect("the info lock is never poisoned")
	}

	/// The executor.
	pub fn executor(&self) -> &NodeExecutor {
		&self.executor
	}

	/// The database.
	pub fn db(&self) -> &Arc<dyn Database> {
		&self.db
	}

	/// The header of block `hash`.
	pub fn header(&self, hash: Hash) -> Result<Option<Header>, DbError> {
		read_header(&*self.db, hash)
	}

	/// The extrinsics of block `hash`.
	pub fn body(&self, hash: Hash) -> Result<Option<Vec<OpaqueExtrinsic>>, DbError> {
		Ok(self
			.db
			.get(Column::Bodies, hash.as_bytes())?
			.and_then(|bytes| Vec::<OpaqueExtrinsic>::decode(&mut &bytes[..]).ok()))
	}

	/// The whole block `hash`.
	pub fn block(&self, hash: Hash) -> Result<Option<Block>, DbError> {
		Ok(match (self.header(hash)?, self.body(hash)?) {
			(Some(header), Some(extrinsics)) => Some(Block { header, extrinsics }),
			_ => None,
		})
	}

	/// The hash of the best chain's block at `number`.
	pub fn canonical_hash(&self, number: BlockNumber) -> Result<Option<Hash>, DbError> {
		Ok(self
			.db
			.get(Column::Canonical, &number_key(number))?
			.and_then(|bytes| <[u8; 32]>::try_from(&bytes[..]).ok())
			.map(Hash::from))
	}

	/// The state with root `root`, read through the shared trie cache.
	fn state(&self, root: Hash) -> StateBackend {
		state::state_at_cached(self.db.clone(), root, &self.trie_cache)
	}

	/// The state after block `hash`.
	pub fn state_at(&self, hash: Hash) -> Result<StateBackend, ChainError> {
		let header = self.header(hash)?.ok_or(ChainError::UnknownBlock(hash))?;
		if self.pruning != Pruning::Archive {
			let finalized = self.info().finalized_number;
			let canonical = self.canonical_hash(header.number)? == Some(hash);
			let kept = if header.number <= finalized {
				canonical && self.pruning.keeps(header.number, finalized)
			} else {
				true
			};
			if !kept {
				return Err(ChainError::StatePruned(hash));
			}
		}
		Ok(self.state(header.state_root))
	}

	/// Calls a runtime API at block `hash`, without keeping any change it makes.
	pub fn call_at(&self, hash: Hash, method: &str, input: &[u8]) -> Result<Vec<u8>, ChainError> {
		let state = self.state_at(hash)?;
		state::call(&state, &mut OverlayedChanges::default(), &self.executor, method, input)
			.map_err(|e| ChainError::Call(e.0))
	}

	/// Like [`Chain::call_at`], with externalities extensions (a keystore for
	/// `SessionKeys_generate_session_keys`, say).
	pub fn call_at_with(
		&self,
		hash: Hash,
		method: &str,
		input: &[u8],
		extensions: sp_externalities::Extensions,
	) -> Result<Vec<u8>, ChainError> {
		let state = self.state_at(hash)?;
		state::call_with(
			&state,
			&mut OverlayedChanges::default(),
			&self.executor,
			method,
			input,
			sp_core::traits::CallContext::Offchain,
			extensions,
		)
		.map_err(|e| ChainError::Call(e.0))
	}

	/// The Aura authorities of the runtime at `state`.
	fn aura_authorities(&self, state: &StateBackend) -> Result<Vec<sr25519::Public>, ChainError> {
		let bytes = state::call(
			state,
			&mut OverlayedChanges::default(),
			&self.executor,
			"AuraApi_authorities",
			&[],
		)
		.map_err(|e| ChainError::Call(e.0))?;
		Vec::<sr25519::Public>::decode(&mut &bytes[..])
			.map_err(|e| ChainError::Call(format!("undecodable authorities: {e}")))
	}

	/// The randomness the block whose state is `state` left for the next block's VRF, or
	/// `None` if its runtime expects no VRF.
	fn vrf_randomness(&self, state: &StateBackend) -> Result<Option<Hash>, ChainError> {
		let call = |method: &str| {
			state::call(state, &mut OverlayedChanges::default(), &self.executor, method, &[])
				.map_err(|e| ChainError::Call(e.0))
		};
		let version: sp_version::RuntimeVersion = decode(&call("Core_version")?)?;
		if !vrf::expected_by(&version) {
			return Ok(None);
		}
		decode(&call("RandomnessApi_vrf_randomness")?)
	}

	/// The Aura authorities after block `hash`.
	pub fn authorities_at(&self, hash: Hash) -> Result<Vec<sr25519::Public>, ChainError> {
		self.aura_authorities(&self.state_at(hash)?)
	}

	/// The slot duration in milliseconds, from the runtime at `hash`.
	pub fn slot_duration_at(&self, hash: Hash) -> Result<u64, ChainError> {
		let bytes = self.call_at(hash, "AuraApi_slot_duration", &[])?;
		u64::decode(&mut &bytes[..])
			.map_err(|e| ChainError::Call(format!("bad slot duration: {e}")))
	}

	/// Verifies, executes and stores `block`.
	pub fn import(&self, block: Block) -> Result<ImportOutcome, ImportError> {
		let _guard = self.import_lock.lock().expect("the import lock is never poisoned");
		let hash = block.header.hash();
		if self.header(hash)?.is_some() {
			return Ok(ImportOutcome::AlreadyKnown);
		}
		let parent = self.check_parent(&block.header)?;
		let parent_state = self.state(parent.state_root);

		let authorities = self
			.aura_authorities(&parent_state)
			.map_err(|e| ImportError::Execution(e.to_string()))?;
		let (unsealed, _slot) = aura::check_seal(block.header.clone(), &authorities)?;
		let randomness = self
			.vrf_randomness(&parent_state)
			.map_err(|e| ImportError::Execution(e.to_string()))?;
		if let Some(randomness) = randomness {
			tos_primitives::vrf::verified_output(&unsealed.digest, &authorities, &randomness.0)
				.map_err(ImportError::Vrf)?;
		}
		let expected_root = unsealed.state_root;

		let mut overlay = OverlayedChanges::default();
		let unsealed_block = Block { header: unsealed, extrinsics: block.extrinsics.clone() };
		state::call_in(
			&parent_state,
			&mut overlay,
			&self.executor,
			"Core_execute_block",
			&unsealed_block.encode(),
			sp_core::traits::CallContext::Onchain { import: true },
		)
		.map_err(|e| ImportError::Execution(e.0))?;
		let commit = state::into_commit(&parent_state, &mut overlay)
			.map_err(|e| ImportError::Execution(e.0))?;
		if commit.root != expected_root {
			return Err(ImportError::StateRoot { header: expected_root, computed: commit.root });
		}
		self.commit(block, commit)
	}

	/// Stores a block this node built (and so already executed).
	pub fn import_built(&self, built: BuiltBlock) -> Result<ImportOutcome, ImportError> {
		let _guard = self.import_lock.lock().expect("the import lock is never poisoned");
		if self.header(built.block.header.hash())?.is_some() {
			return Ok(ImportOutcome::AlreadyKnown);
		}
		self.check_parent(&built.block.header)?;
		self.commit(built.block, built.commit)
	}

	fn check_parent(&self, header: &Header) -> Result<Header, ImportError> {
		let parent = self
			.header(header.parent_hash)?
			.ok_or(ImportError::UnknownParent(header.parent_hash))?;
		if Some(header.number) != parent.number.checked_add(1) {
			return Err(ImportError::BadNumber { got: header.number, parent: parent.number });
		}
		// The block must descend from the finalized block. A canonical parent does (the
		// finalized block is canonical); a fork is walked back to the finalized height.
		let info = self.info();
		if header.number <= info.finalized_number {
			return Err(ImportError::BelowFinalized(header.number));
		}
		if self.canonical_hash(parent.number)? != Some(header.parent_hash) {
			let (mut hash, mut ancestor) = (header.parent_hash, parent.clone());
			while ancestor.number > info.finalized_number {
				hash = ancestor.parent_hash;
				ancestor = self.header(hash)?.ok_or(ImportError::UnknownParent(hash))?;
			}
			if hash != info.finalized_hash {
				return Err(ImportError::BelowFinalized(header.number));
			}
		}
		Ok(parent)
	}

	/// Writes `block` with its state changes in one transaction, moving the best pointer (and
	/// the canonical index) if it makes the longest chain.
	fn commit(&self, block: Block, commit: StateCommit) -> Result<ImportOutcome, ImportError> {
		let hash = block.header.hash();
		let number = block.header.number;
		let mut tx = Transaction::new();
		tx.set(Column::Headers, hash.as_bytes().to_vec(), block.header.encode());
		tx.set(Column::Bodies, hash.as_bytes().to_vec(), block.extrinsics.encode());
		match self.pruning {
			Pruning::Archive => state::write_nodes(&mut tx, commit.nodes),
			Pruning::Keep(_) => {
				pruning::write_block(&*self.db, &mut tx, Some((number, &hash)), commit.nodes)?
			},
		}

		let mut info = self.info();
		let header = block.header.clone();
		let outcome = if number > info.best_number {
			self.set_canonical(&mut tx, &block.header)?;
			tx.set(Column::Meta, meta::BEST.to_vec(), hash.as_bytes().to_vec());
			info.best_hash = hash;
			info.best_number = number;
			if self.finality == Finality::Instant {
				tx.set(Column::Meta, meta::FINALIZED.to_vec(), hash.as_bytes().to_vec());
				info.finalized_hash = hash;
				info.finalized_number = number;
			}
			ImportOutcome::Best
		} else {
			ImportOutcome::Fork
		};
		self.db.write(tx)?;
		let finalized = info.finalized_hash == hash;
		*self.info.write().expect("the info lock is never poisoned") = info;
		if finalized {
			self.prune(number)?;
		}
		let is_best = outcome == ImportOutcome::Best;
		self.emit(ChainEvent::Imported { hash, header: header.clone(), is_best });
		if finalized {
			self.emit(ChainEvent::Finalized { hash, header });
		}
		Ok(outcome)
	}

	/// Points the canonical index at `header` and its ancestors, back to where it already
	/// agrees (a reorganisation rewrites the fork's heights).
	fn set_canonical(&self, tx: &mut Transaction, header: &Header) -> Result<(), DbError> {
		tx.set(
			Column::Canonical,
			number_key(header.number).to_vec(),
			header.hash().as_bytes().to_vec(),
		);
		let (mut number, mut hash) = (header.number, header.parent_hash);
		while number > 0 {
			number -= 1;
			if self.canonical_hash(number)? == Some(hash) {
				break;
			}
			tx.set(Column::Canonical, number_key(number).to_vec(), hash.as_bytes().to_vec());
			match self.header(hash)? {
				Some(h) => hash = h.parent_hash,
				None => break,
			}
		}
		Ok(())
	}

	/// Drops the states finality at `finalized` no longer needs (pruned mode). A crash before
	/// it completes leaves the work for the next finalization.
	fn prune(&self, finalized: BlockNumber) -> Result<(), DbError> {
		match self.pruning {
			Pruning::Archive => Ok(()),
			Pruning::Keep(keep) => {
				pruning::on_finalized(&*self.db, keep, finalized, |h| self.canonical_hash(h))
			},
		}
	}

	/// Stores the finality proofs of `hash` (Substrate's `Justifications`: engine id and
	/// encoded proof).
	pub fn set_justifications(
		&self,
		hash: Hash,
		justifications: &[(sp_runtime::ConsensusEngineId, Vec<u8>)],
	) -> Result<(), ChainError> {
		let mut tx = Transaction::new();
		tx.set(Column::Justifications, hash.as_bytes().to_vec(), justifications.encode());
		self.db.write(tx)?;
		Ok(())
	}

	/// The finality proofs stored with `hash`, if any.
	pub fn justifications(&self, hash: Hash) -> Result<Option<Justifications>, DbError> {
		Ok(self
			.db
			.get(Column::Justifications, hash.as_bytes())?
			.and_then(|bytes| Decode::decode(&mut &bytes[..]).ok()))
	}

	/// Marks `hash` final. A block on a fork that is not our best chain (GRANDPA's voters
	/// finalized the other fork) becomes the best block: the finalized chain wins over a
	/// longer one. A block that does not descend from the finalized block is refused.
	pub fn finalize(&self, hash: Hash) -> Result<(), ChainError> {
		let _guard = self.import_lock.lock().expect("the import lock is never poisoned");
		let header = self.header(hash)?.ok_or(ChainError::UnknownBlock(hash))?;
		let info = self.info();
		let mut tx = Transaction::new();
		let reorg = self.canonical_hash(header.number)? != Some(hash);
		if reorg {
			// it must descend from the finalized block
			let mut ancestor = header.clone();
			while ancestor.number > info.finalized_number {
				ancestor = self
					.header(ancestor.parent_hash)?
					.ok_or(ChainError::UnknownBlock(ancestor.parent_hash))?;
			}
			if ancestor.hash() != info.finalized_hash {
				return Err(ChainError::NotCanonical(hash));
			}
			self.set_canonical(&mut tx, &header)?;
			for number in header.number + 1..=info.best_number {
				tx.delete(Column::Canonical, number_key(number).to_vec());
			}
			tx.set(Column::Meta, meta::BEST.to_vec(), hash.as_bytes().to_vec());
		}
		tx.set(Column::Meta, meta::FINALIZED.to_vec(), hash.as_bytes().to_vec());
		self.db.write(tx)?;
		{
			let mut info = self.info.write().expect("the info lock is never poisoned");
			if reorg {
				info.best_hash = hash;
				info.best_number = header.number;
			}
			info.finalized_hash = hash;
			info.finalized_number = header.number;
		}
		self.prune(header.number)?;
		if reorg {
			tracing::warn!(
				"♻️  Reorganised to the finalized block #{} ({hash:?}), off our longer fork",
				header.number
			);
			self.emit(ChainEvent::Imported { hash, header: header.clone(), is_best: true });
		}
		self.emit(ChainEvent::Finalized { hash, header });
		Ok(())
	}

	/// Builds and seals a block on `parent` for `slot`: the timestamp inherent (the slot's
	/// start), then as many of `transactions` as are valid, in order.
	pub fn build(
		&self,
		parent_hash: Hash,
		slot: Slot,
		slot_duration: u64,
		transactions: impl IntoIterator<Item = OpaqueExtrinsic>,
		author: &sr25519::Pair,
	) -> Result<BuiltBlock, ChainError> {
		let parent = self.header(parent_hash)?.ok_or(ChainError::UnknownBlock(parent_hash))?;
		let state = self.state(parent.state_root);
		let mut overlay = OverlayedChanges::default();
		let call = |overlay: &mut OverlayedChanges<BlakeTwo256>, method: &str, input: &[u8]| {
			state::call(&state, overlay, &self.executor, method, input)
				.map_err(|e| ChainError::Call(e.0))
		};

		let mut digest = Digest { logs: vec![aura::pre_digest(slot)] };
		if let Some(randomness) = self.vrf_randomness(&state)? {
			digest.push(vrf::pre_digest(author, &randomness, slot));
		}
		let header = Header::new(
			parent.number + 1,
			Default::default(),
			Default::default(),
			parent_hash,
			digest,
		);
		call(&mut overlay, "Core_initialize_block", &header.encode())?;

		let mut inherent_data = sp_inherents::InherentData::new();
		inherent_data
			.put_data(sp_timestamp::INHERENT_IDENTIFIER, &(*slot * slot_duration))
			.map_err(|e| ChainError::Call(e.to_string()))?;
		let inherents: Vec<OpaqueExtrinsic> = decode(&call(
			&mut overlay,
			"BlockBuilder_inherent_extrinsics",
			&inherent_data.encode(),
		)?)?;
		let mut extrinsics = Vec::with_capacity(inherents.len());
		for inherent in inherents {
			let result: ApplyExtrinsicResult =
				decode(&call(&mut overlay, "BlockBuilder_apply_extrinsic", &inherent.encode())?)?;
			if !matches!(result, Ok(Ok(()))) {
				return Err(ChainError::Call(format!("inherent failed: {result:?}")));
			}
			extrinsics.push(inherent);
		}

		let mut rejected = Vec::new();
		for xt in transactions {
			overlay.start_transaction();
			let outcome = call(&mut overlay, "BlockBuilder_apply_extrinsic", &xt.encode())
				.and_then(|bytes| decode::<ApplyExtrinsicResult>(&bytes));
			match outcome {
				// included, whether the call itself succeeded or not: the fee was paid
				Ok(Ok(_)) => {
					overlay.commit_transaction().expect("opened above; qed");
					extrinsics.push(xt);
				},
				Ok(Err(TransactionValidityError::Invalid(
					InvalidTransaction::ExhaustsResources,
				))) => {
					// the block is full
					overlay.rollback_transaction().expect("opened above; qed");
					break;
				},
				Ok(Err(TransactionValidityError::Unknown(_))) => {
					overlay.rollback_transaction().expect("opened above; qed");
				},
				Ok(Err(invalid)) => {
					overlay.rollback_transaction().expect("opened above; qed");
					rejected.push((xt, format!("{invalid:?}")));
				},
				Err(e) => {
					overlay.rollback_transaction().expect("opened above; qed");
					rejected.push((xt, e.to_string()));
				},
			}
		}

		let header: Header = decode(&call(&mut overlay, "BlockBuilder_finalize_block", &[])?)?;
		let commit = state::into_commit(&state, &mut overlay).map_err(|e| ChainError::Call(e.0))?;
		if commit.root != header.state_root {
			return Err(ChainError::Call(format!(
				"built block's state root {:?} differs from the computed {:?}",
				header.state_root, commit.root
			)));
		}
		let header = aura::seal(header, author);
		Ok(BuiltBlock { block: Block { header, extrinsics }, commit, rejected })
	}
}

/// The size of the shared trie cache.
pub const TRIE_CACHE_BYTES: usize = 64 * 1024 * 1024;

/// Errors of chain queries and block building.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The block is not in the database.
	#[error("unknown block {0:?}")]
	UnknownBlock(Hash),
	/// The block is not on the best chain.
	#[error("block {0:?} is not on the best chain")]
	NotCanonical(Hash),
	/// The block's state was pruned (`--state-pruning`).
	#[error(
		"State already discarded for {0:?} (this node keeps only recent states: --state-pruning)"
	)]
	StatePruned(Hash),
	/// The pruning mode does not match the database's.
	#[error(transparent)]
	Pruning(#[from] pruning::PruningError),
	/// A runtime call failed.
	#[error("runtime call failed: {0}")]
	Call(String),
	/// The database holds another chain.
	#[error("the database holds another chain (genesis {stored:?}, this chain spec gives {expected:?}); use another --base-path or purge-chain")]
	OtherChain {
		/// The genesis hash in the database.
		stored: Hash,
		/// The genesis hash of the chain spec.
		expected: Hash,
	},
	/// The database is inconsistent.
	#[error("corrupt database: {0}")]
	Corrupt(&'static str),
	/// The database failed.
	#[error(transparent)]
	Db(#[from] DbError),
}

fn decode<T: Decode>(bytes: &[u8]) -> Result<T, ChainError> {
	T::decode(&mut &bytes[..]).map_err(|e| ChainError::Call(format!("undecodable output: {e}")))
}

/// The genesis header of a state with root `state_root`: number 0, no parent, no extrinsics.
pub fn genesis_header(state_root: Hash) -> Header {
	Header::new(0, state::empty_root(), state_root, Default::default(), Default::default())
}

fn read_hash(db: &dyn Database, key: &[u8]) -> Result<Option<Hash>, DbError> {
	Ok(db
		.get(Column::Meta, key)?
		.and_then(|bytes| <[u8; 32]>::try_from(&bytes[..]).ok())
		.map(Hash::from))
}

fn read_header(db: &dyn Database, hash: Hash) -> Result<Option<Header>, DbError> {
	match db.get(Column::Headers, hash.as_bytes())? {
		None => Ok(None),
		Some(bytes) => Header::decode(&mut &bytes[..])
			.map(Some)
			.map_err(|_| DbError::Backend(format!("undecodable header {hash:?}"))),
	}
}

#[cfg(test)]
mod tests;
