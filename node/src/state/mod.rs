//! State: the Substrate state trie over the node's database, and runtime calls against it.
//!
//! A block's state is the trie under its header's `state_root`; its nodes live in
//! [`Column::State`](crate::db::Column::State), keyed exactly as Substrate keys them (the
//! node hash prefixed with its position), so roots are byte-for-byte Substrate's. Nothing here
//! writes: running the runtime fills an [`OverlayedChanges`], and [`into_commit`] turns the
//! result into the trie nodes for the caller to put in the block's database transaction.

use std::sync::Arc;

use sp_core::{
	storage::{StateVersion, Storage},
	traits::CallContext,
	Hasher as _,
};
use sp_runtime::traits::BlakeTwo256;
use sp_state_machine::{
	backend::Backend as _, BackendTransaction, OverlayedChanges, StateMachine, TrieBackend,
	TrieBackendBuilder, TrieBackendStorage,
};
use sp_trie::{prefixed_key, DBValue};

use crate::{
	db::{Column, Database, Transaction},
	executor::NodeExecutor,
};
use tos_primitives::Hash;

/// The state version the chain uses for tries (the runtime's `system_version` is 1).
pub const STATE_VERSION: StateVersion = StateVersion::V1;

/// Reads trie nodes from the database.
#[derive(Clone)]
pub struct DbTrieStorage {
	db: Arc<dyn Database>,
}

impl TrieBackendStorage<BlakeTwo256> for DbTrieStorage {
	fn get(&self, key: &Hash, prefix: (&[u8], Option<u8>)) -> Result<Option<DBValue>, String> {
		self.db
			.get(Column::State, &prefixed_key::<BlakeTwo256>(key, prefix))
			.map_err(|e| e.to_string())
	}
}

/// The state of one block, read from the database.
pub type StateBackend = TrieBackend<DbTrieStorage, BlakeTwo256>;

/// The state whose trie root is `root`, read straight from the database.
pub fn state_at(db: Arc<dyn Database>, root: Hash) -> StateBackend {
	TrieBackendBuilder::new(DbTrieStorage { db }, root).build()
}

/// A cache of trie nodes and values shared by every state the node reads: nodes are keyed by
/// their hash and values by (state root, key), so entries stay correct across forks.
pub type TrieCache = sp_trie::cache::SharedTrieCache<BlakeTwo256>;

/// A shared trie cache of `bytes` bytes.
pub fn new_trie_cache(bytes: usize) -> TrieCache {
	TrieCache::new(sp_trie::cache::CacheSize::new(bytes), None)
}

/// The state whose trie root is `root`, reading through `cache`. What this state reads is
/// added to the shared cache when the backend is dropped.
pub fn state_at_cached(db: Arc<dyn Database>, root: Hash, cache: &TrieCache) -> StateBackend {
	TrieBackendBuilder::new(DbTrieStorage { db }, root)
		.with_cache(cache.local_cache_trusted())
		.build()
}

/// The trie root of an empty state.
pub fn empty_root() -> Hash {
	BlakeTwo256::hash(&[0u8])
}

/// A runtime call failed.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct CallError(pub String);

/// Runs `method` with `input` against `state`, recording writes in `overlay`, as part of
/// building a block or answering a query. The runtime's code is read from `:code` in `state`
/// (so the block after an upgrade runs the new code).
pub fn call(
	state: &StateBackend,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
	executor: &NodeExecutor,
	method: &str,
	input: &[u8],
) -> Result<Vec<u8>, CallError> {
	call_in(state, overlay, executor, method, input, CallContext::Onchain { import: false })
}

/// Like [`call`], in the given context (`Onchain { import: true }` while importing a block).
pub fn call_in(
	state: &StateBackend,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
	executor: &NodeExecutor,
	method: &str,
	input: &[u8],
	context: CallContext,
) -> Result<Vec<u8>, CallError> {
	call_with(state, overlay, executor, method, input, context, Default::default())
}

/// Like [`call_in`], with extra externalities extensions (a keystore, for example).
pub fn call_with(
	state: &StateBackend,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
	executor: &NodeExecutor,
	method: &str,
	input: &[u8],
	context: CallContext,
	mut extensions: sp_externalities::Extensions,
) -> Result<Vec<u8>, CallError> {
	let runtime_code_source =
		sp_state_machine::backend::BackendRuntimeCode::new(state, context.into());
	let runtime_code = runtime_code_source.runtime_code().map_err(|e| CallError(e.into()))?;
	extensions.register(sp_core::traits::ReadRuntimeVersionExt::new(executor.clone()));
	let result = StateMachine::new(
		state,
		overlay,
		executor,
		method,
		input,
		&mut extensions,
		&runtime_code,
		context,
	)
	.execute();
	result.map_err(|e| CallError(format!("{e}")))
}

/// The outcome of running a block: the new root and the trie nodes to store.
pub struct StateCommit {
	/// The state root after the block.
	pub root: Hash,
	/// New trie nodes.
	pub nodes: BackendTransaction<BlakeTwo256>,
}

/// Computes the root and the new trie nodes of `state` with `overlay`'s changes applied.
pub fn into_commit(
	state: &StateBackend,
	overlay: &mut OverlayedChanges<BlakeTwo256>,
) -> Result<StateCommit, CallError> {
	let changes = overlay
		.drain_storage_changes(state, STATE_VERSION)
		.map_err(|e| CallError(e.to_string()))?;
	Ok(StateCommit { root: changes.transaction_storage_root, nodes: changes.transaction })
}

/// Adds the inserted nodes of `nodes` to `transaction`. Nodes are content-addressed, so a node
/// already present is simply written again; nothing is deleted (archive mode).
pub fn write_nodes(transaction: &mut Transaction, mut nodes: BackendTransaction<BlakeTwo256>) {
	for (key, (value, rc)) in nodes.drain() {
		if rc > 0 {
			transaction.set(Column::State, key, value);
		}
	}
}

/// The root and trie nodes of a complete `storage` (a genesis state), built on an empty trie.
pub fn genesis_commit(db: Arc<dyn Database>, storage: &Storage) -> StateCommit {
	let empty = state_at(db, empty_root());
	let top = storage.top.iter().map(|(k, v)| (&k[..], Some(&v[..])));
	let children = storage
		.children_default
		.values()
		.map(|child| (&child.child_info, child.data.iter().map(|(k, v)| (&k[..], Some(&v[..])))));
	let (root, nodes) = empty.full_storage_root(top, children, STATE_VERSION);
	StateCommit { root, nodes }
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::db::MemoryDb;
	use sp_core::storage::well_known_keys;

	fn storage(pairs: &[(&[u8], &[u8])]) -> Storage {
		Storage {
			top: pairs.iter().map(|(k, v)| (k.to_vec(), v.to_vec())).collect(),
			children_default: Default::default(),
		}
	}

	#[test]
	fn root_matches_substrate_in_memory_backend() {
		let db: Arc<dyn Database> = Arc::new(MemoryDb::new());
		let genesis =
			storage(&[(b"alpha", b"1"), (b"beta", &[7u8; 40]), (well_known_keys::CODE, b"x")]);
		let commit = genesis_commit(db.clone(), &genesis);
		let reference = sp_state_machine::InMemoryBackend::<BlakeTwo256>::from((
			genesis.clone(),
			STATE_VERSION,
		));
		assert_eq!(commit.root, *reference.root());
	}

	#[test]
	fn committed_state_reads_back_from_the_database() {
		let db: Arc<dyn Database> = Arc::new(MemoryDb::new());
		let commit = genesis_commit(db.clone(), &storage(&[(b"alpha", b"1"), (b"beta", b"2")]));
		let mut tx = Transaction::new();
		write_nodes(&mut tx, commit.nodes);
		db.write(tx).unwrap();

		let state = state_at(db.clone(), commit.root);
		assert_eq!(state.storage(b"alpha").unwrap(), Some(b"1".to_vec()));
		assert_eq!(state.storage(b"gamma").unwrap(), None);

		// an overlay on top computes the next root without touching the database
		let mut overlay = OverlayedChanges::default();
		overlay.set_storage(b"gamma".to_vec(), Some(b"3".to_vec()));
		let next = into_commit(&state, &mut overlay).unwrap();
		assert_ne!(next.root, commit.root);
		assert_eq!(state_at(db, commit.root).storage(b"gamma").unwrap(), None);
	}

	#[test]
	fn empty_state_has_the_empty_root() {
		let db: Arc<dyn Database> = Arc::new(MemoryDb::new());
		assert_eq!(genesis_commit(db, &Storage::default()).root, empty_root());
	}
}
