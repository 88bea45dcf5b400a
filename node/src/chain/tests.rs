//! Chain tests with the real runtime Wasm over an in-memory database (and RocksDB where
//! persistence is the point).

use super::*;
use crate::{chain::spec::ChainSpec, db::MemoryDb, dev_tx};
use sp_keyring::Sr25519Keyring;
use std::sync::OnceLock;
use tos_primitives::UNIT;

/// The dev chain's genesis storage, built once for all tests.
fn dev_genesis() -> &'static Storage {
	static GENESIS: OnceLock<Storage> = OnceLock::new();
	GENESIS.get_or_init(|| {
		let code = tos_runtime::WASM_BINARY.expect("tests need the Wasm blob");
		ChainSpec::from_preset(
			&executor(),
			code,
			"development",
			"Development",
			"dev",
			"Development",
		)
		.and_then(|spec| spec.genesis_storage(&executor()))
		.expect("dev genesis builds")
	})
}

fn executor() -> NodeExecutor {
	static EXECUTOR: OnceLock<NodeExecutor> = OnceLock::new();
	EXECUTOR.get_or_init(NodeExecutor::new).clone()
}

fn new_chain() -> (Chain, Arc<MemoryDb>) {
	let db = Arc::new(MemoryDb::new());
	let chain = Chain::open(db.clone(), executor(), dev_genesis(), Finality::Never).unwrap();
	(chain, db)
}

const SLOT_DURATION: u64 = 6000;

/// Builds a block on the best block at `slot` with `txs`, sealed by Alice.
fn build(chain: &Chain, slot: u64, txs: Vec<OpaqueExtrinsic>) -> BuiltBlock {
	chain
		.build(
			chain.info().best_hash,
			Slot::from(slot),
			SLOT_DURATION,
			txs,
			&Sr25519Keyring::Alice.pair(),
		)
		.expect("block builds")
}

fn free_balance(chain: &Chain, at: Hash, who: Sr25519Keyring) -> u128 {
	use sp_state_machine::Backend;
	let key = frame_system_account_key(&who.to_account_id());
	let state = chain.state_at(at).unwrap();
	let Some(bytes) = state.storage(&key).unwrap() else { return 0 };
	let info = frame_system::AccountInfo::<u32, pallet_balances::AccountData<u128>>::decode(
		&mut &bytes[..],
	)
	.unwrap();
	info.data.free
}

fn frame_system_account_key(who: &tos_primitives::AccountId) -> Vec<u8> {
	let mut key = sp_io::hashing::twox_128(b"System").to_vec();
	key.extend(sp_io::hashing::twox_128(b"Account"));
	key.extend(sp_io::hashing::blake2_128(who.as_ref()));
	key.extend(who.encode());
	key
}

#[test]
fn genesis_is_written_once_and_recognised_on_reopen() {
	let db = Arc::new(MemoryDb::new());
	let first = Chain::open(db.clone(), executor(), dev_genesis(), Finality::Never).unwrap();
	let info = first.info();
	assert_eq!(info.best_number, 0);
	assert_eq!(info.best_hash, info.genesis_hash);
	let again = Chain::open(db.clone(), executor(), dev_genesis(), Finality::Never).unwrap();
	assert_eq!(again.info(), info);

	let mut other = dev_genesis().clone();
	other.top.insert(b"something else".to_vec(), b"!".to_vec());
	assert!(matches!(
		Chain::open(db, executor(), &other, Finality::Never),
		Err(ChainError::OtherChain { .. })
	));
}

#[test]
fn a_built_block_with_transfers_imports_on_another_node_to_the_same_state() {
	let (author, _) = new_chain();
	let genesis = author.info().genesis_hash;
	let txs = (0..3)
		.map(|n| dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, n, genesis))
		.collect();
	let built = build(&author, 100, txs);
	assert!(built.rejected.is_empty(), "{:?}", built.rejected);
	assert_eq!(built.block.extrinsics.len(), 4, "timestamp + 3 transfers");
	let block = built.block.clone();
	assert_eq!(author.import_built(built).unwrap(), ImportOutcome::Best);

	// a second node re-executes the block in Wasm and reaches the same state root
	let (importer, _) = new_chain();
	assert_eq!(importer.import(block.clone()).unwrap(), ImportOutcome::Best);
	assert_eq!(importer.info().best_hash, block.header.hash());
	assert_eq!(importer.import(block.clone()).unwrap(), ImportOutcome::AlreadyKnown);
	let bob_before = free_balance(&importer, genesis, Sr25519Keyring::Bob);
	assert_eq!(
		free_balance(&importer, block.header.hash(), Sr25519Keyring::Bob),
		bob_before + 3 * UNIT
	);
	assert_eq!(importer.canonical_hash(1).unwrap(), Some(block.header.hash()));
}

#[test]
fn invalid_transactions_are_left_out_of_built_blocks() {
	let (chain, _) = new_chain();
	let genesis = chain.info().genesis_hash;
	let good = dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, 0, genesis);
	let stale = dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, 0, genesis);
	let wrong_chain =
		dev_tx::transfer(Sr25519Keyring::Bob, Sr25519Keyring::Alice, UNIT, 0, Hash::repeat_byte(1));
	let built = build(&chain, 100, vec![good, stale, wrong_chain]);
	assert_eq!(built.block.extrinsics.len(), 2, "timestamp + the one good transfer");
	assert_eq!(built.rejected.len(), 2);
	assert!(built.rejected[0].1.contains("Stale"), "{}", built.rejected[0].1);
	assert!(built.rejected[1].1.contains("BadProof"), "{}", built.rejected[1].1);
}

/// Imports `block` into a fresh chain holding only genesis and expects `check` of the error;
/// the database must be unchanged afterwards.
fn assert_rejected(block: Block, check: impl Fn(&ImportError) -> bool) {
	let (chain, db) = new_chain();
	let info = chain.info();
	let entries: Vec<usize> = Column::ALL.iter().map(|c| db.len(*c)).collect();
	let err = chain.import(block).expect_err("the block is invalid");
	assert!(check(&err), "unexpected error: {err}");
	assert_eq!(chain.info(), info, "pointers unchanged");
	assert_eq!(
		Column::ALL.iter().map(|c| db.len(*c)).collect::<Vec<_>>(),
		entries,
		"nothing written"
	);
}

fn reseal(mut header: Header) -> Header {
	header.digest.pop();
	aura::seal(header, &Sr25519Keyring::Alice.pair())
}

#[test]
fn tampered_blocks_are_rejected_and_leave_the_database_unchanged() {
	let (author, _) = new_chain();
	let genesis = author.info().genesis_hash;
	let tx = dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, 0, genesis);
	let block = build(&author, 100, vec![tx]).block;

	// state root changed, seal left as it was: the seal no longer matches
	let mut bad_root = block.clone();
	bad_root.header.state_root = Hash::repeat_byte(7);
	assert_rejected(bad_root.clone(), |e| {
		matches!(e, ImportError::Seal(aura::SealError::BadSignature { .. }))
	});

	// state root changed and re-sealed by the rightful author: execution catches it
	bad_root.header = reseal(bad_root.header);
	assert_rejected(bad_root, |e| matches!(e, ImportError::Execution(m) if m.contains("root")));

	// an extrinsic swapped for another: the extrinsics root no longer matches
	let mut bad_body = block.clone();
	bad_body.extrinsics[1] =
		dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Charlie, UNIT, 0, genesis);
	assert_rejected(bad_body, |e| matches!(e, ImportError::Execution(_)));

	// sealed by Bob, who is not an authority
	let mut wrong_author = block.clone();
	wrong_author.header.digest.pop();
	wrong_author.header = aura::seal(wrong_author.header, &Sr25519Keyring::Bob.pair());
	assert_rejected(wrong_author, |e| matches!(e, ImportError::Seal(_)));

	// no seal at all
	let mut unsealed = block.clone();
	unsealed.header.digest.pop();
	assert_rejected(unsealed, |e| matches!(e, ImportError::Seal(aura::SealError::MissingSeal)));

	// unknown parent and wrong number
	let mut orphan = block.clone();
	orphan.header.parent_hash = Hash::repeat_byte(3);
	orphan.header = reseal(orphan.header);
	assert_rejected(orphan, |e| matches!(e, ImportError::UnknownParent(_)));
	let mut skipped = block.clone();
	skipped.header.number = 5;
	skipped.header = reseal(skipped.header);
	assert_rejected(skipped, |e| matches!(e, ImportError::BadNumber { got: 5, parent: 0 }));

	// the untampered block still imports
	let (chain, _) = new_chain();
	assert_eq!(chain.import(block).unwrap(), ImportOutcome::Best);
}

fn randomness_at(chain: &Chain, at: Hash) -> Hash {
	let bytes = chain.call_at(at, "RandomnessApi_vrf_randomness", &[]).unwrap();
	Option::<Hash>::decode(&mut &bytes[..]).unwrap().expect("the runtime asks for a VRF")
}

/// `header` (unsealed) with its VRF digest replaced by `vrf` (none if `None`), re-sealed by
/// the rightful author.
fn with_vrf(mut header: Header, vrf: Option<sp_runtime::DigestItem>) -> Header {
	header.digest.pop();
	header
		.digest
		.logs
		.retain(|item| !matches!(item, sp_runtime::DigestItem::PreRuntime(id, _) if *id == tos_primitives::vrf::ENGINE_ID));
	header.digest.logs.extend(vrf);
	aura::seal(header, &Sr25519Keyring::Alice.pair())
}

#[test]
fn a_block_without_the_slot_author_s_vrf_is_refused_by_the_node_and_the_runtime() {
	let (author, _) = new_chain();
	let genesis = author.info().genesis_hash;
	let block = build(&author, 100, vec![]).block;
	let parent_randomness = randomness_at(&author, genesis);

	// no VRF at all
	let no_vrf = Block { header: with_vrf(block.header.clone(), None), ..block.clone() };
	assert_rejected(no_vrf.clone(), |e| {
		matches!(e, ImportError::Vrf(tos_primitives::vrf::VrfError::NoVrf))
	});
	// Bob's VRF in Alice's slot, and Alice's over another parent's randomness
	for (pair, randomness) in [
		(Sr25519Keyring::Bob.pair(), parent_randomness),
		(Sr25519Keyring::Alice.pair(), Hash::repeat_byte(9)),
	] {
		let vrf = vrf::pre_digest(&pair, &randomness, Slot::from(100));
		let bad = Block { header: with_vrf(block.header.clone(), Some(vrf)), ..block.clone() };
		assert_rejected(bad, |e| {
			matches!(e, ImportError::Vrf(tos_primitives::vrf::VrfError::BadProof))
		});
	}

	// the runtime refuses it too, had a node skipped the check
	let (chain, _) = new_chain();
	let state = chain.state_at(genesis).unwrap();
	let (unsealed, _) =
		aura::check_seal(no_vrf.header.clone(), &chain.authorities_at(genesis).unwrap()).unwrap();
	let err = state::call(
		&state,
		&mut OverlayedChanges::default(),
		&chain.executor,
		"Core_execute_block",
		&Block { header: unsealed, extrinsics: no_vrf.extrinsics }.encode(),
	)
	.expect_err("the runtime refuses a block without a VRF");
	assert!(err.0.contains("VRF"), "{}", err.0);

	assert_eq!(chain.import(block).unwrap(), ImportOutcome::Best);
}

#[test]
fn the_author_cannot_reroll_the_randomness_only_withhold_its_block() {
	let (chain, _) = new_chain();
	let genesis = chain.info().genesis_hash;
	let tx = |to| dev_tx::transfer(Sr25519Keyring::Alice, to, UNIT, 0, genesis);
	// two different blocks for the same slot: the same randomness
	let a = build(&chain, 100, vec![tx(Sr25519Keyring::Bob)]);
	let b = build(&chain, 100, vec![tx(Sr25519Keyring::Charlie)]);
	let (a_hash, b_hash) = (a.block.header.hash(), b.block.header.hash());
	assert_ne!(a_hash, b_hash);
	chain.import_built(a).unwrap();
	chain.import_built(b).unwrap();
	let after_a = randomness_at(&chain, a_hash);
	assert_eq!(after_a, randomness_at(&chain, b_hash), "the block's contents do not move it");
	assert_ne!(after_a, randomness_at(&chain, genesis), "each block moves it");
	// the only other outcome: no block in slot 100, a block in a later slot
	let later = chain
		.build(
			genesis,
			Slot::from(101),
			SLOT_DURATION,
			vec![tx(Sr25519Keyring::Bob)],
			&Sr25519Keyring::Alice.pair(),
		)
		.unwrap();
	let later_hash = later.block.header.hash();
	chain.import_built(later).unwrap();
	assert_ne!(randomness_at(&chain, later_hash), after_a);
}

#[test]
fn the_longest_chain_wins_and_ties_go_to_the_first_seen() {
	let (a, _) = new_chain();
	let (b, _) = new_chain();
	let genesis = a.info().genesis_hash;
	let a1 = build(&a, 100, vec![]).block;
	let b1 = build(&b, 101, vec![]).block;
	b.import(b1.clone()).unwrap();
	let b2 = build(&b, 102, vec![]).block;

	let (chain, _) = new_chain();
	assert_eq!(chain.import(a1.clone()).unwrap(), ImportOutcome::Best);
	assert_eq!(chain.import(b1.clone()).unwrap(), ImportOutcome::Fork, "a tie: first seen stays");
	assert_eq!(chain.info().best_hash, a1.header.hash());
	assert_eq!(chain.import(b2.clone()).unwrap(), ImportOutcome::Best, "longer fork wins");
	assert_eq!(chain.canonical_hash(1).unwrap(), Some(b1.header.hash()), "reorg rewrote #1");
	assert_eq!(chain.canonical_hash(2).unwrap(), Some(b2.header.hash()));
	assert_eq!(chain.canonical_hash(0).unwrap(), Some(genesis));
}

#[test]
fn finality_never_reverts() {
	let (a, _) = new_chain();
	let (b, _) = new_chain();
	let a1 = build(&a, 100, vec![]).block;
	a.import(a1.clone()).unwrap();
	let a2 = build(&a, 101, vec![]).block;
	let b1 = build(&b, 102, vec![]).block;
	b.import(b1.clone()).unwrap();
	let b2 = build(&b, 103, vec![]).block;
	b.import(b2.clone()).unwrap();
	let b3 = build(&b, 104, vec![]).block;

	let (chain, _) = new_chain();
	chain.import(a1.clone()).unwrap();
	chain.import(a2.clone()).unwrap();
	chain.finalize(a2.header.hash()).unwrap();
	assert_eq!(chain.info().finalized_number, 2);
	// a fork from genesis cannot be imported, however long it grows
	assert!(matches!(chain.import(b1.clone()), Err(ImportError::BelowFinalized(1))));
	assert!(matches!(chain.import(b2.clone()), Err(ImportError::UnknownParent(_))));
	assert!(matches!(chain.finalize(b2.header.hash()), Err(ChainError::UnknownBlock(_))));
	assert_eq!(chain.info().best_hash, a2.header.hash());

	// but a chain that imported b1 and b2 before finalizing cannot be moved by them either:
	// finalizing a block on one fork makes every block of another fork unimportable
	let (other, _) = new_chain();
	other.import(a1.clone()).unwrap();
	other.import(b1.clone()).unwrap();
	other.finalize(a1.header.hash()).unwrap();
	assert!(matches!(other.import(b2), Err(ImportError::BelowFinalized(2))));
	assert!(other.import(b3).is_err());
	assert_eq!(other.info().best_hash, a1.header.hash());
}

#[test]
fn finalizing_a_block_of_a_shorter_fork_makes_it_the_best() {
	let (a, _) = new_chain();
	let a1 = build(&a, 100, vec![]).block;
	a.import(a1.clone()).unwrap();
	let a2 = build(&a, 101, vec![]).block;
	a.import(a2.clone()).unwrap();
	let a3 = build(&a, 102, vec![]).block;
	let (b, _) = new_chain();
	let b1 = build(&b, 103, vec![]).block;
	b.import(b1.clone()).unwrap();
	let b2 = build(&b, 104, vec![]).block;

	let (chain, _) = new_chain();
	for block in [a1, a2.clone(), b1.clone()] {
		chain.import(block).unwrap();
	}
	assert_eq!(chain.info().best_hash, a2.header.hash());
	// the voters finalized b1: it becomes best, the longer fork is abandoned
	chain.finalize(b1.header.hash()).unwrap();
	let info = chain.info();
	assert_eq!((info.best_hash, info.finalized_hash), (b1.header.hash(), b1.header.hash()));
	assert_eq!(chain.canonical_hash(1).unwrap(), Some(b1.header.hash()));
	assert_eq!(chain.canonical_hash(2).unwrap(), None);
	// the abandoned fork cannot grow back, the finalized one grows
	assert!(chain.import(a3).is_err());
	assert_eq!(chain.import(b2.clone()).unwrap(), ImportOutcome::Best);
	assert_eq!(chain.info().best_hash, b2.header.hash());
}

#[test]
fn instant_finality_follows_the_best_block() {
	let db = Arc::new(MemoryDb::new());
	let chain = Chain::open(db, executor(), dev_genesis(), Finality::Instant).unwrap();
	let built = build(&chain, 100, vec![]);
	let hash = built.block.header.hash();
	chain.import_built(built).unwrap();
	assert_eq!(chain.info().finalized_hash, hash);
}

#[test]
fn blocks_and_state_survive_reopening_rocksdb() {
	let dir = tempfile::tempdir().unwrap();
	let (best, root) = {
		let db = Arc::new(crate::db::RocksDb::open(dir.path()).unwrap());
		let chain = Chain::open(db, executor(), dev_genesis(), Finality::Never).unwrap();
		let genesis = chain.info().genesis_hash;
		for (n, slot) in [(0u32, 100u64), (1, 101)] {
			let tx = dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, n, genesis);
			let built = build(&chain, slot, vec![tx]);
			chain.import_built(built).unwrap();
		}
		let info = chain.info();
		(info.best_hash, chain.header(info.best_hash).unwrap().unwrap().state_root)
	};
	let db = Arc::new(crate::db::RocksDb::open(dir.path()).unwrap());
	let chain = Chain::open(db, executor(), dev_genesis(), Finality::Never).unwrap();
	assert_eq!(chain.info().best_hash, best);
	assert_eq!(chain.info().best_number, 2);
	assert_eq!(chain.header(best).unwrap().unwrap().state_root, root);
	// and the chain goes on from there, with the state read back from disk
	let genesis = chain.info().genesis_hash;
	let tx = dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, 2, genesis);
	let built = build(&chain, 102, vec![tx]);
	assert!(built.rejected.is_empty(), "nonce 2 is next: state was kept");
	chain.import_built(built).unwrap();
	assert_eq!(chain.info().best_number, 3);
}

mod with_pool {
	//! The transaction pool against the real runtime: FRAME's nonce tags, fees, and blocks
	//! that other authors build.
	use super::*;
	use crate::txpool::{Limits, Pool, PoolError, TxStatus};
	use sp_runtime::transaction_validity::InvalidTransaction;

	fn setup() -> (Arc<Chain>, Pool<Arc<Chain>>) {
		let (chain, _) = new_chain();
		let chain = Arc::new(chain);
		(chain.clone(), Pool::new(chain, Limits::default()))
	}

	fn transfer(nonce: u32, chain: &Chain) -> OpaqueExtrinsic {
		dev_tx::transfer(
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			UNIT,
			nonce,
			chain.info().genesis_hash,
		)
	}

	/// Builds a block from `txs` on the best block, imports it and maintains the pool.
	fn author(chain: &Chain, pool: &Pool<Arc<Chain>>, slot: u64, txs: Vec<OpaqueExtrinsic>) {
		let built = build(chain, slot, txs);
		let block = built.block.clone();
		assert_eq!(chain.import_built(built).unwrap(), ImportOutcome::Best);
		pool.maintain(block.header.hash(), block.header.number, &block.extrinsics);
	}

	#[test]
	fn nonce_gaps_wait_and_blocks_take_the_ready_transactions_in_order() {
		let (chain, pool) = setup();
		// sr25519 signatures are randomised: keep the very transactions submitted
		let txs: Vec<_> = (0..3).map(|n| transfer(n, &chain)).collect();
		pool.submit(txs[2].clone()).unwrap();
		pool.submit(txs[1].clone()).unwrap();
		assert_eq!((pool.status().ready, pool.status().future), (0, 2));
		pool.submit(txs[0].clone()).unwrap();
		assert_eq!((pool.status().ready, pool.status().future), (3, 0));

		let ready: Vec<_> = pool.ready().into_iter().map(|(_, xt)| xt).collect();
		assert_eq!(ready, txs, "nonce order, whatever the arrival order");
		author(&chain, &pool, 100, ready);
		assert_eq!(pool.status().ready + pool.status().future, 0, "included ones are pruned");
		let best = chain.info().best_hash;
		assert_eq!(free_balance(&chain, best, Sr25519Keyring::Bob), 1_000_000 * UNIT + 3 * UNIT);
	}

	#[test]
	fn bad_signatures_stale_nonces_and_replays_are_refused() {
		let (chain, pool) = setup();
		let mut bad = transfer(0, &chain).encode();
		// length prefix (2), version (1), address (33), signature type (1), then the signature
		bad[45] ^= 0xff;
		let bad = OpaqueExtrinsic::decode(&mut &bad[..]).unwrap();
		assert!(matches!(pool.submit(bad), Err(PoolError::Invalid(InvalidTransaction::BadProof))));

		let first = transfer(0, &chain);
		pool.submit(first.clone()).unwrap();
		assert!(matches!(pool.submit(first.clone()), Err(PoolError::AlreadyImported(_))));
		author(&chain, &pool, 100, vec![first.clone()]);
		// a replay of the included transaction: its nonce is spent
		assert_eq!(pool.submit(first), Err(PoolError::Invalid(InvalidTransaction::Stale)));
	}

	#[test]
	fn a_transaction_made_invalid_by_another_authors_block_leaves_with_invalid() {
		let (chain, pool) = setup();
		let (hash, mut watcher) = pool.submit_and_watch(transfer(0, &chain)).unwrap();
		// another author's block spends Alice's nonce 0 with a different transfer
		let rival = dev_tx::transfer(
			Sr25519Keyring::Alice,
			Sr25519Keyring::Charlie,
			UNIT,
			0,
			chain.info().genesis_hash,
		);
		author(&chain, &pool, 100, vec![rival]);
		assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
		assert_eq!(watcher.try_recv().unwrap(), TxStatus::Invalid);
		assert!(!pool.contains(&hash));
	}

	#[test]
	fn watchers_see_in_block_then_finalized() {
		let (chain, pool) = setup();
		let (_, mut watcher) = pool.submit_and_watch(transfer(0, &chain)).unwrap();
		author(&chain, &pool, 100, pool.pending());
		let block = chain.info().best_hash;
		chain.finalize(block).unwrap();
		pool.finalized(chain.info().finalized_number, |n, h| {
			chain.canonical_hash(n).unwrap() == Some(*h)
		});
		assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
		assert_eq!(watcher.try_recv().unwrap(), TxStatus::InBlock(block));
		assert_eq!(watcher.try_recv().unwrap(), TxStatus::Finalized(block));
	}
}

mod pruning {
	//! `--state-pruning N` with the real runtime: old states go, kept ones stay whole, forks
	//! below finality are cleaned up, and the database stays small.
	use super::*;
	use sp_state_machine::Backend as _;

	fn open(db: Arc<MemoryDb>, pruning: Pruning) -> Result<Chain, ChainError> {
		Chain::open_with_pruning(db, executor(), dev_genesis(), Finality::Never, pruning)
	}

	/// Reads every key and value of the state at `hash`: fails if any trie node is missing.
	fn read_whole_state(chain: &Chain, hash: Hash) -> usize {
		let state = chain.state_at(hash).unwrap();
		let mut count = 0;
		for pair in state.pairs(Default::default()).unwrap() {
			pair.expect("every node of a kept state is in the database");
			count += 1;
		}
		count
	}

	/// Authors `count` blocks with a transfer each on the best block, finalizing each.
	fn author_finalized(chain: &Chain, first_slot: u64, count: u32) -> Vec<Hash> {
		let genesis = chain.info().genesis_hash;
		(0..count)
			.map(|i| {
				let nonce = chain.info().best_number;
				let tx = dev_tx::transfer(
					Sr25519Keyring::Alice,
					Sr25519Keyring::Bob,
					UNIT,
					nonce,
					genesis,
				);
				let built = build(chain, first_slot + u64::from(i), vec![tx]);
				let hash = built.block.header.hash();
				chain.import_built(built).unwrap();
				chain.finalize(hash).unwrap();
				hash
			})
			.collect()
	}

	#[test]
	fn old_states_are_discarded_and_kept_ones_stay_whole() {
		let db = Arc::new(MemoryDb::new());
		let chain = open(db.clone(), Pruning::Keep(3)).unwrap();
		let genesis = chain.info().genesis_hash;
		let hashes = author_finalized(&chain, 100, 12);
		// the last three finalized states are kept, whole
		for hash in &hashes[9..] {
			assert!(read_whole_state(&chain, *hash) > 10);
		}
		// older ones are refused with a clear error, genesis included
		for hash in hashes[..9].iter().chain([&genesis]) {
			assert!(matches!(chain.state_at(*hash), Err(ChainError::StatePruned(_))));
		}
		// and the chain goes on on the kept state
		author_finalized(&chain, 200, 1);
		assert_eq!(
			free_balance(&chain, chain.info().best_hash, Sr25519Keyring::Bob),
			1_000_000 * UNIT + 13 * UNIT
		);
	}

	/// The trie nodes (and hashed values) the states of `hashes` consist of.
	fn nodes_of(chain: &Chain, hashes: &[Hash]) -> std::collections::BTreeSet<Vec<u8>> {
		let mut nodes = std::collections::BTreeSet::new();
		for hash in hashes {
			let state = chain.state_at(*hash).unwrap();
			let keys: Vec<Vec<u8>> =
				state.keys(Default::default()).unwrap().map(|k| k.unwrap()).collect();
			let proof =
				sp_state_machine::prove_read(chain.state_at(*hash).unwrap(), &keys).unwrap();
			nodes.extend(proof.into_nodes());
		}
		nodes
	}

	fn stored_nodes(db: &MemoryDb) -> std::collections::BTreeSet<Vec<u8>> {
		db.keys_with_prefix(Column::State, &[])
			.unwrap()
			.into_iter()
			.map(|key| db.get(Column::State, &key).unwrap().unwrap())
			.collect()
	}

	#[test]
	fn the_database_holds_exactly_the_kept_states_nodes() {
		let archive_db = Arc::new(MemoryDb::new());
		let archive = open(archive_db.clone(), Pruning::Archive).unwrap();
		let pruned_db = Arc::new(MemoryDb::new());
		let pruned = open(pruned_db.clone(), Pruning::Keep(2)).unwrap();
		author_finalized(&archive, 100, 25);
		let hashes = author_finalized(&pruned, 100, 25);

		// nothing more, nothing less than the last two states' nodes
		assert_eq!(stored_nodes(&pruned_db), nodes_of(&pruned, &hashes[23..]));
		// block 25's removals wait until state 24 goes; every older journal is dealt with
		assert_eq!(pruned_db.len(Column::Journal), 1);
		let (archive_nodes, pruned_nodes) =
			(archive_db.len(Column::State), pruned_db.len(Column::State));
		assert!(archive_nodes > 3 * pruned_nodes, "archive {archive_nodes}, pruned {pruned_nodes}");
	}

	#[test]
	fn forks_below_finality_are_removed() {
		let db = Arc::new(MemoryDb::new());
		let chain = open(db.clone(), Pruning::Keep(1)).unwrap();
		let genesis = chain.info().genesis_hash;
		// two blocks at height 1 with different transfers
		let a = build(
			&chain,
			100,
			vec![dev_tx::transfer(Sr25519Keyring::Alice, Sr25519Keyring::Bob, UNIT, 0, genesis)],
		);
		let b = build(
			&chain,
			101,
			vec![dev_tx::transfer(Sr25519Keyring::Bob, Sr25519Keyring::Charlie, UNIT, 0, genesis)],
		);
		let (a_hash, b_hash) = (a.block.header.hash(), b.block.header.hash());
		chain.import_built(a).unwrap();
		let before_fork = db.len(Column::State);
		chain.import_built(b).unwrap();
		assert!(db.len(Column::State) > before_fork, "the fork's nodes are stored");
		assert_eq!(read_whole_state(&chain, b_hash), read_whole_state(&chain, a_hash));

		chain.finalize(a_hash).unwrap();
		assert!(matches!(chain.state_at(b_hash), Err(ChainError::StatePruned(_))));
		read_whole_state(&chain, a_hash);
		assert_eq!(db.len(Column::Journal), 0, "both journals are dealt with (keep 1)");
		assert!(db.len(Column::State) <= before_fork, "the fork's own nodes are gone");
	}

	#[test]
	fn a_database_keeps_its_mode() {
		let db = Arc::new(MemoryDb::new());
		open(db.clone(), Pruning::Keep(8)).unwrap();
		let err = open(db.clone(), Pruning::Archive).err().unwrap();
		assert!(err.to_string().contains("--state-pruning 8"), "{err}");
		assert!(open(db.clone(), Pruning::Keep(9)).is_err());
		assert!(open(db, Pruning::Keep(8)).is_ok());
		assert_eq!("256".parse::<Pruning>(), Ok(Pruning::Keep(256)));
		assert_eq!("archive".parse::<Pruning>(), Ok(Pruning::Archive));
		assert!("0".parse::<Pruning>().is_err() && "many".parse::<Pruning>().is_err());
	}
}

/// The runtime version the code at `at` reports.
fn spec_version_at(chain: &Chain, at: Hash) -> u32 {
	let bytes = chain.call_at(at, "Core_version", &[]).unwrap();
	sp_version::RuntimeVersion::decode(&mut &bytes[..]).unwrap().spec_version
}

#[test]
fn a_runtime_upgrade_takes_effect_from_the_next_block_and_syncs_across() {
	let (chain, _) = new_chain();
	let genesis = chain.info().genesis_hash;
	let old = spec_version_at(&chain, genesis);
	let new_code = tos_runtime_upgrade_test::WASM_BINARY.expect("the test runtime is built");

	// Alice (sudo on the dev chain) sets the upgrade-test runtime's code in block 1
	let set_code =
		tos_runtime::RuntimeCall::System(frame_system::Call::set_code { code: new_code.to_vec() });
	let sudo = tos_runtime::RuntimeCall::Sudo(pallet_sudo::Call::sudo_unchecked_weight {
		call: Box::new(set_code),
		weight: Default::default(),
	});
	let xt = dev_tx::signed(sudo, Sr25519Keyring::Alice, 0, genesis);
	let built = build(&chain, 100, vec![xt]);
	assert!(built.rejected.is_empty(), "{:?}", built.rejected);
	let block1 = built.block.clone();
	chain.import_built(built).unwrap();
	// the block that upgrades says so in its digest, and the code changed in its state
	assert!(block1
		.header
		.digest
		.logs
		.iter()
		.any(|item| matches!(item, sp_runtime::generic::DigestItem::RuntimeEnvironmentUpdated)));
	let code_at = |at| chain.state_at(at).unwrap().storage(sp_core::storage::well_known_keys::CODE);
	use sp_state_machine::Backend as _;
	assert_eq!(code_at(block1.header.hash()).unwrap().as_deref(), Some(new_code));
	assert_eq!(spec_version_at(&chain, genesis), old, "the parent keeps the old code");
	assert_eq!(spec_version_at(&chain, block1.header.hash()), old + 1);

	// block 2 is built and executed with the new code: its extra call works
	let probe = dev_tx::signed_encoded(
		&tos_runtime_upgrade_test::PROBE_CALL,
		Sr25519Keyring::Bob,
		0,
		genesis,
		old + 1,
	);
	let built = build(&chain, 101, vec![probe]);
	assert!(built.rejected.is_empty(), "{:?}", built.rejected);
	assert_eq!(built.block.extrinsics.len(), 2, "timestamp and the probe");
	let block2 = built.block.clone();
	chain.import_built(built).unwrap();

	// a node syncing from genesis executes each block with its parent's code and agrees
	let (other, _) = new_chain();
	other.import(block1.clone()).unwrap();
	other.import(block2.clone()).unwrap();
	assert_eq!(other.info().best_hash, block2.header.hash());
	assert_eq!(spec_version_at(&other, block2.header.hash()), old + 1);
}
