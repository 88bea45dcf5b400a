//! The transaction pool: transactions waiting to be included in a block.
//!
//! Every transaction is validated by the runtime (`TaggedTransactionQueue_validate_transaction`)
//! at the best block before it enters. The runtime answers with a priority, a longevity and two
//! lists of opaque *tags*: those the transaction `provides` (for a signed FRAME transaction,
//! `(sender, nonce)`) and those it `requires` from other transactions first (`(sender, nonce -
//! 1)` when the nonce is ahead of the chain). The pool keeps:
//!
//! - the **ready** queue: transactions whose required tags are all provided by other ready
//!   transactions (or need none). Blocks are built from it, best priority first, arrival order
//!   breaking ties, never a transaction before the ones it requires ([`Pool::ready`]);
//! - the **future** queue: transactions still waiting for a tag (a nonce gap). They are
//!   promoted the moment the gap is filled.
//!
//! Two transactions providing the same tag conflict: the one with the higher priority stays,
//! the other is refused ([`PoolError::TooLowPriority`]) or *usurped*. The pool respects count
//! and byte limits per queue, evicting the worst transactions (lowest priority, newest) when
//! full. Transactions found invalid are banned for a while, so a flood of the same bad
//! transaction costs one validation.
//!
//! After every imported best block, [`Pool::maintain`] removes the block's transactions
//! (telling watchers `inBlock`), drops those past their longevity, and re-validates the rest
//! against the new state, so a transaction the block made invalid (a spent nonce, say) leaves
//! with status `invalid`. [`Pool::finalized`] then tells watchers `finalized`.
//!
//! The pool does no runtime calls of its own: it asks a [`Validator`] (the chain in the node, a
//! fake in unit tests).

#[cfg(test)]
mod tests;

use std::{
	collections::{BTreeSet, BinaryHeap, HashMap, HashSet, VecDeque},
	sync::{Condvar, Mutex},
	time::{Duration, Instant},
};

use codec::Encode;
use serde::Serialize;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	transaction_validity::{
		TransactionPriority, TransactionTag, TransactionValidity, TransactionValidityError,
		ValidTransaction,
	},
	OpaqueExtrinsic,
};
use tokio::sync::mpsc;
use tos_primitives::{BlockNumber, Hash};

/// A transaction's hash: BLAKE2-256 of its SCALE encoding, as wallets compute it.
pub type TxHash = Hash;

/// The hash of `xt` the way wallets and explorers compute it.
pub fn tx_hash(xt: &OpaqueExtrinsic) -> TxHash {
	BlakeTwo256::hash_of(xt)
}

/// Validates transactions against the chain.
pub trait Validator: Send + Sync {
	/// The best block's hash and number.
	fn best(&self) -> (Hash, BlockNumber);
	/// `TaggedTransactionQueue_validate_transaction` of `xt` at block `at`.
	fn validate(&self, at: Hash, xt: &OpaqueExtrinsic) -> Result<TransactionValidity, String>;
}

/// What happens to a watched transaction. Serialised exactly as Substrate's
/// `TransactionStatus` (`"ready"`, `{"inBlock": "0x…"}`, …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum TxStatus {
	/// Waiting for another transaction (a nonce gap).
	Future,
	/// Ready to be included.
	Ready,
	/// Sent to these peers.
	Broadcast(Vec<String>),
	/// Included in this block.
	InBlock(Hash),
	/// The block that included it is no longer on the best chain.
	Retracted(Hash),
	/// The block that included it was not finalized in time.
	FinalityTimeout(Hash),
	/// The block that included it is final.
	Finalized(Hash),
	/// Replaced by this transaction (same tag, higher priority).
	Usurped(TxHash),
	/// Evicted because the pool was full.
	Dropped,
	/// No longer valid.
	Invalid,
}

impl TxStatus {
	/// Whether no status follows this one.
	pub fn is_final(&self) -> bool {
		matches!(
			self,
			Self::Finalized(_)
				| Self::FinalityTimeout(_)
				| Self::Usurped(_)
				| Self::Dropped
				| Self::Invalid
		)
	}
}

/// Why a transaction was refused. Each maps to Substrate's JSON-RPC error code (see
/// `crate::rpc::error`).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PoolError {
	/// The runtime says it is invalid.
	#[error("invalid transaction: {0:?}")]
	Invalid(sp_runtime::transaction_validity::InvalidTransaction),
	/// The runtime cannot tell.
	#[error("unknown transaction validity: {0:?}")]
	Unknown(sp_runtime::transaction_validity::UnknownTransaction),
	/// It was found invalid recently.
	#[error("transaction is temporarily banned")]
	TemporarilyBanned,
	/// It is in the pool already.
	#[error("transaction already imported: {0:?}")]
	AlreadyImported(TxHash),
	/// Another transaction provides the same tag with at least the same priority.
	#[error("priority is too low: ({old} vs {new})")]
	TooLowPriority {
		/// The priority of the transaction already in the pool.
		old: TransactionPriority,
		/// The priority of the new one.
		new: TransactionPriority,
	},
	/// The pool is full and this transaction is the worst in it.
	#[error("immediately dropped: the pool is full")]
	ImmediatelyDropped,
	/// The transaction provides no tag, so the pool cannot order it.
	#[error("transaction provides no tags")]
	NoTagsProvided,
	/// Validation itself failed (the runtime call did not complete).
	#[error("validation failed: {0}")]
	Validation(String),
}

/// Count and size limits of each queue. The defaults are Substrate's (`--pool-limit 8192`,
/// `--pool-kbytes 20480`, the future queue a tenth of that).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
	/// Most transactions in the ready queue.
	pub ready_count: usize,
	/// Most bytes in the ready queue.
	pub ready_bytes: usize,
	/// Most transactions in the future queue.
	pub future_count: usize,
	/// Most bytes in the future queue.
	pub future_bytes: usize,
	/// How long an invalid transaction's hash stays banned.
	pub ban_time: Duration,
	/// Most banned hashes remembered (the oldest bans are forgotten first).
	pub ban_capacity: usize,
}

impl Default for Limits {
	fn default() -> Self {
		Self::with_count_and_kbytes(8192, 20480)
	}
}

impl Limits {
	/// Limits for `count` ready transactions of `kbytes` in all; the future queue gets a tenth.
	pub fn with_count_and_kbytes(count: usize, kbytes: usize) -> Self {
		Self {
			ready_count: count,
			ready_bytes: kbytes * 1024,
			future_count: (count / 10).max(1),
			future_bytes: (kbytes * 1024 / 10).max(1024),
			ban_time: Duration::from_secs(30 * 60),
			ban_capacity: 65_536,
		}
	}
}

/// Sizes of the queues, for RPC, metrics and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Status {
	/// Transactions in the ready queue.
	pub ready: usize,
	/// Bytes in the ready queue.
	pub ready_bytes: usize,
	/// Transactions in the future queue.
	pub future: usize,
	/// Bytes in the future queue.
	pub future_bytes: usize,
}

/// A receiver of one transaction's status changes.
pub type Watcher = mpsc::UnboundedReceiver<TxStatus>;

struct PoolTx {
	xt: OpaqueExtrinsic,
	bytes: usize,
	priority: TransactionPriority,
	requires: Vec<TransactionTag>,
	provides: Vec<TransactionTag>,
	/// The last block number at which it may still be included.
	valid_till: BlockNumber,
	/// Arrival order.
	seq: u64,
	ready: bool,
}

impl PoolTx {
	/// `xt` as validated at block `at`, with arrival number `seq`.
	fn new(xt: OpaqueExtrinsic, valid: ValidTransaction, at: BlockNumber, seq: u64) -> Self {
		let longevity = BlockNumber::try_from(valid.longevity).unwrap_or(BlockNumber::MAX);
		Self {
			bytes: xt.encoded_size(),
			xt,
			priority: valid.priority,
			requires: valid.requires,
			provides: valid.provides,
			valid_till: at.saturating_add(longevity),
			seq,
			ready: false,
		}
	}
}

#[derive(Default)]
struct Inner {
	txs: HashMap<TxHash, PoolTx>,
	/// Tag → the ready transaction that provides it.
	provided: HashMap<TransactionTag, TxHash>,
	/// Tag → future transactions waiting for it.
	waiting: HashMap<TransactionTag, BTreeSet<(u64, TxHash)>>,
	status: Status,
	next_seq: u64,
	watchers: HashMap<TxHash, Vec<mpsc::UnboundedSender<TxStatus>>>,
	/// Block hash → (number, watched transactions it included), until finalized.
	in_block: HashMap<Hash, (BlockNumber, Vec<TxHash>)>,
	banned: HashMap<TxHash, Instant>,
	ban_order: VecDeque<(TxHash, Instant)>,
}

/// The transaction pool.
pub struct Pool<V> {
	validator: V,
	limits: Limits,
	inner: Mutex<Inner>,
	/// Signalled whenever a transaction becomes ready (instant sealing waits on it).
	ready_signal: Condvar,
	/// Told of every transaction added (the network passes them on to peers).
	listener: std::sync::OnceLock<NewTxListener>,
}

/// A function told of every transaction the pool accepts; it must be quick.
pub type NewTxListener = Box<dyn Fn(&OpaqueExtrinsic) + Send + Sync>;

impl<V: Validator> Pool<V> {
	/// An empty pool validating with `validator`.
	pub fn new(validator: V, limits: Limits) -> Self {
		Self {
			validator,
			limits,
			inner: Mutex::new(Inner::default()),
			ready_signal: Condvar::new(),
			listener: std::sync::OnceLock::new(),
		}
	}

	/// Sets the function told of every accepted transaction (once; later calls are ignored).
	pub fn set_listener(&self, listener: NewTxListener) {
		let _ = self.listener.set(listener);
	}

	/// The validator (the chain, in the node).
	pub fn validator(&self) -> &V {
		&self.validator
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
		self.inner.lock().expect("the pool lock is never poisoned")
	}

	/// Validates `xt` at the best block and adds it. Returns its hash.
	pub fn submit(&self, xt: OpaqueExtrinsic) -> Result<TxHash, PoolError> {
		self.submit_inner(xt, None)
	}

	/// Like [`Pool::submit`], and returns a receiver of its status changes, starting with
	/// `ready` or `future`.
	pub fn submit_and_watch(&self, xt: OpaqueExtrinsic) -> Result<(TxHash, Watcher), PoolError> {
		let (sender, receiver) = mpsc::unbounded_channel();
		let hash = self.submit_inner(xt, Some(sender))?;
		Ok((hash, receiver))
	}

	fn submit_inner(
		&self,
		xt: OpaqueExtrinsic,
		watcher: Option<mpsc::UnboundedSender<TxStatus>>,
	) -> Result<TxHash, PoolError> {
		let hash = tx_hash(&xt);
		{
			let mut inner = self.lock();
			if inner.is_banned(&hash) {
				return Err(PoolError::TemporarilyBanned);
			}
			if inner.txs.contains_key(&hash) {
				return Err(PoolError::AlreadyImported(hash));
			}
		}
		let (at, number) = self.validator.best();
		let validity = self.validator.validate(at, &xt).map_err(PoolError::Validation)?;
		let valid = match validity {
			Ok(valid) => valid,
			Err(TransactionValidityError::Invalid(e)) => {
				self.lock().ban(hash, &self.limits);
				return Err(PoolError::Invalid(e));
			},
			Err(TransactionValidityError::Unknown(e)) => return Err(PoolError::Unknown(e)),
		};
		if valid.provides.is_empty() {
			return Err(PoolError::NoTagsProvided);
		}
		let mut inner = self.lock();
		// the same transaction may have arrived while we validated
		if inner.txs.contains_key(&hash) {
			return Err(PoolError::AlreadyImported(hash));
		}
		let tx = inner.new_tx(xt, valid, number);
		inner.insert(hash, tx)?;
		if let Some(watcher) = watcher {
			let status = if inner.txs[&hash].ready { TxStatus::Ready } else { TxStatus::Future };
			let _ = watcher.send(status);
			inner.watchers.entry(hash).or_default().push(watcher);
		}
		inner.enforce_limits(&self.limits);
		if !inner.txs.contains_key(&hash) {
			return Err(PoolError::ImmediatelyDropped);
		}
		let ready = inner.txs[&hash].ready;
		let xt = self.listener.get().map(|_| inner.txs[&hash].xt.clone());
		drop(inner);
		if ready {
			self.ready_signal.notify_all();
		}
		if let (Some(listener), Some(xt)) = (self.listener.get(), xt) {
			listener(&xt);
		}
		Ok(hash)
	}

	/// The ready transactions in the order a block should include them: dependencies first,
	/// then by priority (highest first) and arrival.
	pub fn ready(&self) -> Vec<(TxHash, OpaqueExtrinsic)> {
		let inner = self.lock();
		let mut unmet: HashMap<TxHash, usize> = HashMap::new();
		let mut dependents: HashMap<&TransactionTag, Vec<TxHash>> = HashMap::new();
		let mut heap = BinaryHeap::new();
		for (hash, tx) in inner.txs.iter().filter(|(_, tx)| tx.ready) {
			let count = tx.requires.iter().filter(|tag| inner.provided.contains_key(*tag)).count();
			for tag in tx.requires.iter().filter(|tag| inner.provided.contains_key(*tag)) {
				dependents.entry(tag).or_default().push(*hash);
			}
			if count == 0 {
				heap.push((tx.priority, std::cmp::Reverse(tx.seq), *hash));
			} else {
				unmet.insert(*hash, count);
			}
		}
		let mut out = Vec::with_capacity(inner.status.ready);
		while let Some((_, _, hash)) = heap.pop() {
			let tx = &inner.txs[&hash];
			out.push((hash, tx.xt.clone()));
			for tag in &tx.provides {
				for dependent in dependents.get(tag).into_iter().flatten() {
					let left = unmet.get_mut(dependent).expect("every dependent is counted; qed");
					*left -= 1;
					if *left == 0 {
						let d = &inner.txs[dependent];
						heap.push((d.priority, std::cmp::Reverse(d.seq), *dependent));
					}
				}
			}
		}
		out
	}

	/// The encoded transactions of the ready queue (`author_pendingExtrinsics`).
	pub fn pending(&self) -> Vec<OpaqueExtrinsic> {
		self.ready().into_iter().map(|(_, xt)| xt).collect()
	}

	/// Whether a ready transaction provides `tag` (`system_accountNextIndex` walks nonces
	/// with it).
	pub fn is_provided(&self, tag: &[u8]) -> bool {
		self.lock().provided.contains_key(tag)
	}

	/// The queues' sizes.
	pub fn status(&self) -> Status {
		self.lock().status
	}

	/// Whether `hash` is in the pool.
	pub fn contains(&self, hash: &TxHash) -> bool {
		self.lock().txs.contains_key(hash)
	}

	/// Waits up to `timeout` for a ready transaction; true when there is one.
	pub fn wait_for_ready(&self, timeout: Duration) -> bool {
		let inner = self.lock();
		let (inner, _) = self
			.ready_signal
			.wait_timeout_while(inner, timeout, |inner| inner.status.ready == 0)
			.expect("the pool lock is never poisoned");
		inner.status.ready > 0
	}

	/// Removes transactions a block builder found invalid, banning them.
	pub fn report_invalid(&self, hashes: &[TxHash]) {
		let mut inner = self.lock();
		for hash in hashes {
			if inner.remove(hash).is_some() {
				inner.notify(hash, TxStatus::Invalid);
			}
			inner.ban(*hash, &self.limits);
		}
		inner.rebuild();
	}

	/// Brings the pool up to date with a new best block `block_hash` (number `number`) whose
	/// extrinsics are `included`: removes them (watchers hear `inBlock`), drops what outlived
	/// its longevity, and re-validates the rest at the new block.
	pub fn maintain(&self, block_hash: Hash, number: BlockNumber, included: &[OpaqueExtrinsic]) {
		let mut inner = self.lock();
		let mut watched = Vec::new();
		for xt in included {
			let hash = tx_hash(xt);
			inner.remove(&hash);
			if inner.watchers.contains_key(&hash) {
				inner.notify(&hash, TxStatus::InBlock(block_hash));
				watched.push(hash);
			}
		}
		if !watched.is_empty() {
			inner.in_block.insert(block_hash, (number, watched));
		}

		// re-validate the rest in arrival order, then rebuild the queues from the answers
		for (hash, old) in inner.take_all() {
			if old.valid_till < number {
				inner.notify(&hash, TxStatus::Invalid);
				continue;
			}
			match self.validator.validate(block_hash, &old.xt) {
				Ok(Ok(valid)) if !valid.provides.is_empty() => {
					let was_ready = old.ready;
					let tx = PoolTx::new(old.xt, valid, number, old.seq);
					match inner.insert(hash, tx) {
						Ok(()) => {
							if inner.txs[&hash].ready && !was_ready {
								inner.notify(&hash, TxStatus::Ready);
							}
						},
						Err(_) => inner.notify(&hash, TxStatus::Dropped),
					}
				},
				Ok(Err(TransactionValidityError::Unknown(_))) => {
					// cannot tell now: keep it as it was, the next block decides
					let _ = inner.insert(hash, old);
				},
				Ok(_) => {
					inner.ban(hash, &self.limits);
					inner.notify(&hash, TxStatus::Invalid);
				},
				Err(e) => {
					tracing::warn!(target: "txpool", "re-validating {hash:?} failed: {e}");
					let _ = inner.insert(hash, old);
				},
			}
		}
		inner.enforce_limits(&self.limits);
		inner.forget_expired_bans();
		let ready = inner.status.ready > 0;
		drop(inner);
		if ready {
			self.ready_signal.notify_all();
		}
	}

	/// Tells watchers of transactions in blocks up to `number` (the finalized height) that
	/// they are final; `is_canonical(number, hash)` says whether a block is on the finalized
	/// chain (one that is not timed out of finality).
	pub fn finalized(
		&self,
		number: BlockNumber,
		is_canonical: impl Fn(BlockNumber, &Hash) -> bool,
	) {
		let mut inner = self.lock();
		let done: Vec<Hash> = inner
			.in_block
			.iter()
			.filter(|(_, (n, _))| *n <= number)
			.map(|(hash, _)| *hash)
			.collect();
		for block in done {
			let (n, txs) = inner.in_block.remove(&block).expect("collected above; qed");
			let status = if is_canonical(n, &block) {
				TxStatus::Finalized(block)
			} else {
				TxStatus::FinalityTimeout(block)
			};
			for tx in txs {
				inner.notify(&tx, status.clone());
			}
		}
	}
}

impl Inner {
	/// A transaction arriving now: the next in arrival order.
	fn new_tx(&mut self, xt: OpaqueExtrinsic, valid: ValidTransaction, at: BlockNumber) -> PoolTx {
		self.next_seq += 1;
		PoolTx::new(xt, valid, at, self.next_seq)
	}

	/// Every transaction, in arrival order, leaving the queues empty (to be re-inserted).
	fn take_all(&mut self) -> Vec<(TxHash, PoolTx)> {
		let mut all: Vec<(TxHash, PoolTx)> = self.txs.drain().collect();
		all.sort_by_key(|(_, tx)| tx.seq);
		self.provided.clear();
		self.waiting.clear();
		self.status = Status::default();
		all
	}

	fn is_banned(&mut self, hash: &TxHash) -> bool {
		match self.banned.get(hash) {
			Some(until) if *until > Instant::now() => true,
			Some(_) => {
				self.banned.remove(hash);
				false
			},
			None => false,
		}
	}

	fn ban(&mut self, hash: TxHash, limits: &Limits) {
		let until = Instant::now() + limits.ban_time;
		self.banned.insert(hash, until);
		self.ban_order.push_back((hash, until));
		while self.ban_order.len() > limits.ban_capacity {
			if let Some((old, when)) = self.ban_order.pop_front() {
				if self.banned.get(&old) == Some(&when) {
					self.banned.remove(&old);
				}
			}
		}
	}

	fn forget_expired_bans(&mut self) {
		let now = Instant::now();
		while let Some((hash, until)) = self.ban_order.front().copied() {
			if until > now {
				break;
			}
			self.ban_order.pop_front();
			if self.banned.get(&hash) == Some(&until) {
				self.banned.remove(&hash);
			}
		}
	}

	fn notify(&mut self, hash: &TxHash, status: TxStatus) {
		let last = status.is_final();
		if let Some(watchers) = self.watchers.get_mut(hash) {
			watchers.retain(|w| w.send(status.clone()).is_ok());
			if last || watchers.is_empty() {
				self.watchers.remove(hash);
			}
		}
	}

	/// Adds `tx`, ready if its requirements are provided, promoting future transactions it
	/// unblocks. A conflicting ready transaction with a lower priority is usurped.
	fn insert(&mut self, hash: TxHash, tx: PoolTx) -> Result<(), PoolError> {
		let ready = tx.requires.iter().all(|tag| self.provided.contains_key(tag));
		if ready {
			// a tag already provided by a ready transaction: the higher priority keeps it
			let rivals: BTreeSet<TxHash> =
				tx.provides.iter().filter_map(|tag| self.provided.get(tag).copied()).collect();
			for rival in &rivals {
				let old = self.txs[rival].priority;
				if old >= tx.priority {
					return Err(PoolError::TooLowPriority { old, new: tx.priority });
				}
			}
			for rival in rivals {
				self.remove(&rival);
				self.notify(&rival, TxStatus::Usurped(hash));
			}
		}
		// every transaction enters counted as future; `make_ready` moves it over
		self.status.future += 1;
		self.status.future_bytes += tx.bytes;
		self.txs.insert(hash, tx);
		if ready {
			self.make_ready(hash);
		} else {
			let tx = &self.txs[&hash];
			let (seq, missing): (u64, Vec<TransactionTag>) = (
				tx.seq,
				tx.requires.iter().filter(|t| !self.provided.contains_key(*t)).cloned().collect(),
			);
			for tag in missing {
				self.waiting.entry(tag).or_default().insert((seq, hash));
			}
		}
		Ok(())
	}

	/// Marks `hash` ready and promotes, transitively, the future transactions it unblocks.
	fn make_ready(&mut self, hash: TxHash) {
		let mut queue = vec![hash];
		while let Some(hash) = queue.pop() {
			let tx = self.txs.get_mut(&hash).expect("queued hashes are in the pool; qed");
			if tx.ready {
				continue;
			}
			tx.ready = true;
			let (bytes, provides) = (tx.bytes, tx.provides.clone());
			self.status.future -= 1;
			self.status.future_bytes -= bytes;
			self.status.ready += 1;
			self.status.ready_bytes += bytes;
			for tag in provides {
				self.provided.entry(tag.clone()).or_insert(hash);
				for (_, waiter) in self.waiting.remove(&tag).unwrap_or_default() {
					let Some(w) = self.txs.get(&waiter) else { continue };
					if !w.ready && w.requires.iter().all(|t| self.provided.contains_key(t)) {
						// conflicts with a ready transaction: the waiter gives way
						if w.provides.iter().any(|t| self.provided.contains_key(t)) {
							self.remove(&waiter);
							self.notify(&waiter, TxStatus::Usurped(hash));
						} else {
							queue.push(waiter);
						}
					}
				}
			}
		}
	}

	/// Removes `hash`. A removed ready transaction's tags are no longer provided, so the queues
	/// must be rebuilt ([`Inner::rebuild`]) if it had dependents.
	fn remove(&mut self, hash: &TxHash) -> Option<PoolTx> {
		let tx = self.txs.remove(hash)?;
		if tx.ready {
			self.status.ready -= 1;
			self.status.ready_bytes -= tx.bytes;
			for tag in &tx.provides {
				if self.provided.get(tag) == Some(hash) {
					self.provided.remove(tag);
				}
			}
		} else {
			self.status.future -= 1;
			self.status.future_bytes -= tx.bytes;
			for tag in &tx.requires {
				if let Some(waiters) = self.waiting.get_mut(tag) {
					waiters.remove(&(tx.seq, *hash));
					if waiters.is_empty() {
						self.waiting.remove(tag);
					}
				}
			}
		}
		Some(tx)
	}

	/// Recomputes which transactions are ready (after removals that may break chains).
	fn rebuild(&mut self) {
		for (hash, mut tx) in self.take_all() {
			tx.ready = false;
			if self.insert(hash, tx).is_err() {
				self.notify(&hash, TxStatus::Dropped);
			}
		}
	}

	/// Evicts the worst transactions until both queues are within their limits: from the
	/// future queue the oldest, from the ready queue the lowest priority (newest first) that
	/// no other ready transaction depends on.
	fn enforce_limits(&mut self, limits: &Limits) {
		while self.status.future > limits.future_count
			|| self.status.future_bytes > limits.future_bytes
		{
			let Some(oldest) =
				self.txs.iter().filter(|(_, tx)| !tx.ready).min_by_key(|(_, tx)| tx.seq)
			else {
				break;
			};
			let oldest = *oldest.0;
			self.remove(&oldest);
			self.notify(&oldest, TxStatus::Dropped);
		}
		while self.status.ready > limits.ready_count || self.status.ready_bytes > limits.ready_bytes
		{
			let required: HashSet<&TransactionTag> =
				self.txs.values().filter(|tx| tx.ready).flat_map(|tx| tx.requires.iter()).collect();
			let worst = self
				.txs
				.iter()
				.filter(|(_, tx)| tx.ready && !tx.provides.iter().any(|t| required.contains(t)))
				.min_by_key(|(_, tx)| (tx.priority, std::cmp::Reverse(tx.seq)))
				.map(|(hash, _)| *hash);
			let Some(worst) = worst else { break };
			self.remove(&worst);
			self.notify(&worst, TxStatus::Dropped);
		}
	}
}

/// The chain validates at its best block through the runtime.
impl Validator for std::sync::Arc<crate::chain::Chain> {
	fn best(&self) -> (Hash, BlockNumber) {
		let info = self.info();
		(info.best_hash, info.best_number)
	}

	fn validate(&self, at: Hash, xt: &OpaqueExtrinsic) -> Result<TransactionValidity, String> {
		use codec::Decode;
		let source = sp_runtime::transaction_validity::TransactionSource::External;
		let out = self
			.call_at(at, "TaggedTransactionQueue_validate_transaction", &(source, xt, at).encode())
			.map_err(|e| e.to_string())?;
		TransactionValidity::decode(&mut &out[..]).map_err(|e| format!("undecodable validity: {e}"))
	}
}
