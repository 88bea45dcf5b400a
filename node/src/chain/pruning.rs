//! State pruning: keep the state of the last N finalized blocks (and of every block not yet
//! final) instead of every state ever.
//!
//! Trie nodes are content-addressed and shared between states, so a node can only go when no
//! kept state uses it. Each pruned-mode node carries a reference count in
//! [`Column::StateRefs`]: every time a block's trie changes *insert* a node the count goes up;
//! every time a block *removes* one, the removal is journaled with the block
//! ([`Column::Journal`]) and applied only when the block's parent state is no longer kept.
//! A node whose count reaches zero is deleted with its count.
//!
//! When finality reaches block F:
//! - blocks at heights ≤ F that are not on the finalized chain will never be built on: their
//!   insertions are undone and their journals dropped;
//! - the canonical block at height h ≤ F − N + 1 has a parent whose state is no longer kept:
//!   its removals are applied.
//!
//! Each state kept is then whole: every node it uses was counted by the insertion that
//! created it, and that count is only taken back by a removal whose parent state is gone, or
//! by discarding a fork the kept state is not on. In archive mode (the default) none of this
//! runs and nodes are never deleted.

use std::collections::BTreeMap;

use codec::{Decode, Encode};
use sp_runtime::traits::BlakeTwo256;
use sp_state_machine::BackendTransaction;
use tos_primitives::{BlockNumber, Hash};

use crate::db::{columns::meta, columns::number_key, Column, Database, DbError, Transaction};

/// Which states the node keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pruning {
	/// Every block's state (the default).
	Archive,
	/// The last `n` finalized blocks' states, and every non-finalized block's (`n` ≥ 1).
	Keep(u32),
}

impl std::str::FromStr for Pruning {
	type Err = String;
	fn from_str(s: &str) -> Result<Self, String> {
		match s {
			"archive" => Ok(Self::Archive),
			n => match n.parse::<u32>() {
				Ok(n) if n >= 1 => Ok(Self::Keep(n)),
				_ => Err(format!("`{s}`: expected `archive` or a number of blocks ≥ 1")),
			},
		}
	}
}

impl std::fmt::Display for Pruning {
	fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
		match self {
			Self::Archive => write!(f, "archive"),
			Self::Keep(n) => write!(f, "{n}"),
		}
	}
}

impl Pruning {
	fn encode_meta(self) -> Vec<u8> {
		match self {
			Self::Archive => b"archive".to_vec(),
			Self::Keep(n) => n.to_le_bytes().to_vec(),
		}
	}

	fn decode_meta(bytes: &[u8]) -> Option<Self> {
		if bytes == b"archive" {
			return Some(Self::Archive);
		}
		Some(Self::Keep(u32::from_le_bytes(bytes.try_into().ok()?)))
	}

	/// The mode recorded in `db`, if any.
	pub fn stored(db: &dyn Database) -> Result<Option<Self>, PruningError> {
		match db.get(Column::Meta, meta::PRUNING)? {
			None => Ok(None),
			Some(bytes) => Self::decode_meta(&bytes).map(Some).ok_or(PruningError::Corrupt),
		}
	}

	/// Checks `self` against the mode the database was created with (recording it on a new
	/// database): a database keeps one mode for life, as in Substrate.
	pub fn check_or_record(self, db: &dyn Database, fresh: bool) -> Result<(), PruningError> {
		match db.get(Column::Meta, meta::PRUNING)? {
			None if fresh => {
				let mut tx = Transaction::new();
				tx.set(Column::Meta, meta::PRUNING.to_vec(), self.encode_meta());
				db.write(tx)?;
				Ok(())
			},
			// written before pruning existed: an archive
			None if self == Self::Archive => Ok(()),
			None => Err(PruningError::Mismatch { stored: Self::Archive, requested: self }),
			Some(bytes) => {
				let stored = Self::decode_meta(&bytes).ok_or(PruningError::Corrupt)?;
				if stored == self {
					Ok(())
				} else {
					Err(PruningError::Mismatch { stored, requested: self })
				}
			},
		}
	}

	/// Whether the state of a block at `number` is still kept with `finalized` final, for a
	/// block on the finalized chain (or above it).
	pub fn keeps(self, number: BlockNumber, finalized: BlockNumber) -> bool {
		match self {
			Self::Archive => true,
			Self::Keep(n) => number.saturating_add(n) > finalized,
		}
	}
}

/// Pruning errors.
#[derive(Debug, thiserror::Error)]
pub enum PruningError {
	/// The database was created with another mode.
	#[error("the database was created with --state-pruning {stored}, not {requested}; use the same mode or another --base-path")]
	Mismatch {
		/// The database's mode.
		stored: Pruning,
		/// The mode asked for.
		requested: Pruning,
	},
	/// The recorded mode is unreadable.
	#[error("corrupt pruning mode in the database")]
	Corrupt,
	/// The database failed.
	#[error(transparent)]
	Db(#[from] DbError),
}

/// What one block did to the trie: nodes inserted and removed, with their multiplicity.
#[derive(Debug, Default, Encode, Decode)]
struct Journal {
	inserted: Vec<(Vec<u8>, u32)>,
	removed: Vec<(Vec<u8>, u32)>,
}

fn journal_key(number: BlockNumber, hash: &Hash) -> Vec<u8> {
	let mut key = number_key(number).to_vec();
	key.extend_from_slice(hash.as_bytes());
	key
}

/// Adds a block's trie changes to `tx`: inserted nodes are written and counted, removed ones
/// journaled for later. The genesis block (`None`) is counted but not journaled: it is never
/// pruned.
pub fn write_block(
	db: &dyn Database,
	tx: &mut Transaction,
	block: Option<(BlockNumber, &Hash)>,
	mut nodes: BackendTransaction<BlakeTwo256>,
) -> Result<(), DbError> {
	let mut journal = Journal::default();
	let mut deltas = BTreeMap::new();
	for (key, (value, rc)) in nodes.drain() {
		if rc > 0 {
			tx.set(Column::State, key.clone(), value);
			*deltas.entry(key.clone()).or_insert(0i64) += i64::from(rc);
			journal.inserted.push((key, rc.unsigned_abs()));
		} else if rc < 0 {
			journal.removed.push((key, rc.unsigned_abs()));
		}
	}
	apply(db, tx, deltas)?;
	if let Some((number, hash)) = block {
		tx.set(Column::Journal, journal_key(number, hash), journal.encode());
	}
	Ok(())
}

/// Prunes what finality at `finalized` allows, in one transaction. `canonical(h)` is the hash
/// of the finalized chain's block at height `h`.
pub fn on_finalized(
	db: &dyn Database,
	keep: u32,
	finalized: BlockNumber,
	canonical: impl Fn(BlockNumber) -> Result<Option<Hash>, DbError>,
) -> Result<(), DbError> {
	let read = |key: &[u8]| -> Result<BlockNumber, DbError> {
		Ok(db
			.get(Column::Meta, key)?
			.and_then(|b| <[u8; 4]>::try_from(&b[..]).ok())
			.map(u32::from_le_bytes)
			.unwrap_or(0))
	};
	let (discarded, pruned) = (read(meta::DISCARDED)?, read(meta::PRUNED)?);
	let target = finalized.saturating_sub(keep - 1);
	if discarded >= finalized && pruned >= target {
		return Ok(());
	}
	let mut tx = Transaction::new();
	let mut deltas = BTreeMap::new();
	// forks below finality: undo what they inserted
	for h in discarded.saturating_add(1)..=finalized {
		let on_chain = canonical(h)?;
		for key in db.keys_with_prefix(Column::Journal, &number_key(h))? {
			let hash = Hash::from_slice(&key[4..]);
			if Some(hash) == on_chain {
				continue;
			}
			let journal = read_journal(db, &key)?;
			for (node, count) in journal.inserted {
				*deltas.entry(node).or_insert(0i64) -= i64::from(count);
			}
			tx.delete(Column::Journal, key);
		}
	}
	// canonical blocks whose parent state is gone: apply their removals
	for h in pruned.saturating_add(1)..=target {
		let Some(hash) = canonical(h)? else { continue };
		let key = journal_key(h, &hash);
		let journal = read_journal(db, &key)?;
		for (node, count) in journal.removed {
			*deltas.entry(node).or_insert(0i64) -= i64::from(count);
		}
		tx.delete(Column::Journal, key);
	}
	apply(db, &mut tx, deltas)?;
	tx.set(Column::Meta, meta::DISCARDED.to_vec(), finalized.max(discarded).to_le_bytes().to_vec());
	tx.set(Column::Meta, meta::PRUNED.to_vec(), target.max(pruned).to_le_bytes().to_vec());
	db.write(tx)
}

fn read_journal(db: &dyn Database, key: &[u8]) -> Result<Journal, DbError> {
	match db.get(Column::Journal, key)? {
		None => Ok(Journal::default()),
		Some(bytes) => Journal::decode(&mut &bytes[..])
			.map_err(|_| DbError::Backend("undecodable pruning journal".into())),
	}
}

/// Adds `deltas` to the nodes' reference counts, deleting nodes whose count reaches zero.
fn apply(
	db: &dyn Database,
	tx: &mut Transaction,
	deltas: BTreeMap<Vec<u8>, i64>,
) -> Result<(), DbError> {
	for (key, delta) in deltas {
		if delta == 0 {
			continue;
		}
		let current = db
			.get(Column::StateRefs, &key)?
			.and_then(|b| <[u8; 4]>::try_from(&b[..]).ok())
			.map(u32::from_le_bytes)
			.unwrap_or(0);
		let count = i64::from(current) + delta;
		if count <= 0 {
			tx.delete(Column::StateRefs, key.clone());
			tx.delete(Column::State, key);
		} else {
			let count = u32::try_from(count).unwrap_or(u32::MAX);
			tx.set(Column::StateRefs, key, count.to_le_bytes().to_vec());
		}
	}
	Ok(())
}
