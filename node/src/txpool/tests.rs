//! Queue logic with a fake validator that mimics FRAME's nonce tags: a transaction is
//! `(sender, nonce, priority)`, provides `(sender, nonce)` and requires `(sender, nonce - 1)`
//! when its nonce is ahead of the chain's. The pool against the real runtime is exercised in
//! `crate::chain::tests` and the node's RPC tests.

use std::{collections::HashMap, sync::Mutex};

use codec::{Decode, Encode};
use sp_runtime::transaction_validity::{InvalidTransaction, ValidTransaction};

use super::*;

#[derive(Default)]
struct Fake {
	/// sender → next nonce on chain
	nonces: Mutex<HashMap<u8, u32>>,
	best: Mutex<(Hash, BlockNumber)>,
	validations: Mutex<usize>,
}

#[derive(Encode, Decode)]
struct FakeTx {
	sender: u8,
	nonce: u32,
	priority: u64,
	longevity: u64,
	bad: bool,
	padding: Vec<u8>,
}

fn tx(sender: u8, nonce: u32, priority: u64) -> OpaqueExtrinsic {
	OpaqueExtrinsic::from_blob(
		FakeTx { sender, nonce, priority, longevity: 64, bad: false, padding: vec![] }.encode(),
	)
}

fn bad_tx(sender: u8) -> OpaqueExtrinsic {
	OpaqueExtrinsic::from_blob(
		FakeTx { sender, nonce: 0, priority: 1, longevity: 64, bad: true, padding: vec![] }
			.encode(),
	)
}

impl Validator for Fake {
	fn best(&self) -> (Hash, BlockNumber) {
		*self.best.lock().unwrap()
	}
	fn validate(&self, _at: Hash, xt: &OpaqueExtrinsic) -> Result<TransactionValidity, String> {
		*self.validations.lock().unwrap() += 1;
		let t = FakeTx::decode(&mut xt.inner()).map_err(|e| e.to_string())?;
		if t.bad {
			return Ok(Err(InvalidTransaction::BadProof.into()));
		}
		let chain = *self.nonces.lock().unwrap().get(&t.sender).unwrap_or(&0);
		if t.nonce < chain {
			return Ok(Err(InvalidTransaction::Stale.into()));
		}
		let requires =
			if t.nonce > chain { vec![(t.sender, t.nonce - 1).encode()] } else { vec![] };
		// like a mortal transaction born at block 0: what is left of its lifetime
		let left = t.longevity.saturating_sub(u64::from(self.best.lock().unwrap().1));
		Ok(Ok(ValidTransaction {
			priority: t.priority,
			requires,
			provides: vec![(t.sender, t.nonce).encode()],
			longevity: left,
			propagate: true,
		}))
	}
}

fn pool() -> Pool<Fake> {
	Pool::new(Fake::default(), Limits::default())
}

fn order(pool: &Pool<Fake>) -> Vec<(u8, u32)> {
	pool.ready()
		.into_iter()
		.map(|(_, xt)| {
			let t = FakeTx::decode(&mut xt.inner()).unwrap();
			(t.sender, t.nonce)
		})
		.collect()
}

/// Simulates a block that includes `xts`: the chain's nonces advance, then the pool maintains.
fn include(pool: &Pool<Fake>, number: BlockNumber, xts: &[OpaqueExtrinsic]) -> Hash {
	let hash = Hash::repeat_byte(number as u8);
	for xt in xts {
		let t = FakeTx::decode(&mut xt.inner()).unwrap();
		pool.validator().nonces.lock().unwrap().insert(t.sender, t.nonce + 1);
	}
	*pool.validator().best.lock().unwrap() = (hash, number);
	pool.maintain(hash, number, xts);
	hash
}

#[test]
fn nonce_gap_waits_in_future_and_is_promoted_when_filled() {
	let pool = pool();
	let (_, mut w2) = pool.submit_and_watch(tx(1, 2, 10)).unwrap();
	pool.submit(tx(1, 1, 10)).unwrap();
	assert_eq!(w2.try_recv().unwrap(), TxStatus::Future);
	assert_eq!(pool.status().future, 2);
	assert_eq!(pool.status().ready, 0);
	assert!(order(&pool).is_empty());

	pool.submit(tx(1, 0, 10)).unwrap();
	assert_eq!(pool.status().ready, 3);
	assert_eq!(pool.status().future, 0);
	assert_eq!(order(&pool), vec![(1, 0), (1, 1), (1, 2)]);
}

#[test]
fn ready_order_is_priority_then_arrival_respecting_dependencies() {
	let pool = pool();
	pool.submit(tx(1, 0, 5)).unwrap();
	pool.submit(tx(1, 1, 100)).unwrap(); // high priority, but after its predecessor
	pool.submit(tx(2, 0, 50)).unwrap();
	pool.submit(tx(3, 0, 5)).unwrap(); // same priority as (1,0), later
	assert_eq!(order(&pool), vec![(2, 0), (1, 0), (1, 1), (3, 0)]);
}

#[test]
fn duplicate_and_conflicting_transactions() {
	let pool = pool();
	let hash = pool.submit(tx(1, 0, 10)).unwrap();
	assert_eq!(pool.submit(tx(1, 0, 10)), Err(PoolError::AlreadyImported(hash)));
	// same tag (sender 1, nonce 0), not a higher priority: refused
	let lower = OpaqueExtrinsic::from_blob(
		FakeTx { sender: 1, nonce: 0, priority: 10, longevity: 7, bad: false, padding: vec![] }
			.encode(),
	);
	assert_eq!(pool.submit(lower), Err(PoolError::TooLowPriority { old: 10, new: 10 }));
	// a higher priority replaces it, and the watcher of the old one hears who did
	let pool = self::pool();
	let (old, mut watcher) = pool.submit_and_watch(tx(1, 0, 10)).unwrap();
	let new = pool.submit(tx(1, 0, 11)).unwrap();
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Usurped(new));
	assert!(!pool.contains(&old));
	assert_eq!(pool.status().ready, 1);
}

#[test]
fn invalid_transactions_are_refused_and_banned() {
	let pool = pool();
	assert_eq!(pool.submit(bad_tx(1)), Err(PoolError::Invalid(InvalidTransaction::BadProof)));
	let validations = *pool.validator().validations.lock().unwrap();
	assert_eq!(pool.submit(bad_tx(1)), Err(PoolError::TemporarilyBanned));
	assert_eq!(*pool.validator().validations.lock().unwrap(), validations, "no re-validation");
	assert_eq!(pool.status(), Status::default());
}

#[test]
fn included_transactions_are_pruned_and_watchers_follow_to_finalized() {
	let pool = pool();
	let (_, mut watcher) = pool.submit_and_watch(tx(1, 0, 10)).unwrap();
	pool.submit(tx(1, 1, 10)).unwrap();
	let block = include(&pool, 1, &[tx(1, 0, 10)]);
	assert_eq!(order(&pool), vec![(1, 1)]);
	pool.finalized(1, |_, _| true);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::InBlock(block));
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Finalized(block));
	assert!(watcher.try_recv().is_err(), "the stream ends after finalized");
}

#[test]
fn transactions_made_invalid_by_a_block_are_dropped_with_invalid_status() {
	let pool = pool();
	// a rival transaction with the same nonce is included by someone else's block
	let (hash, mut watcher) = pool.submit_and_watch(tx(1, 0, 10)).unwrap();
	let rival = OpaqueExtrinsic::from_blob(
		FakeTx { sender: 1, nonce: 0, priority: 1, longevity: 64, bad: false, padding: vec![7] }
			.encode(),
	);
	include(&pool, 1, &[rival]);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Invalid);
	assert!(!pool.contains(&hash));
	assert_eq!(pool.submit(tx(1, 0, 10)), Err(PoolError::TemporarilyBanned));
}

#[test]
fn longevity_expires() {
	let pool = pool();
	let short = OpaqueExtrinsic::from_blob(
		FakeTx { sender: 1, nonce: 0, priority: 1, longevity: 2, bad: false, padding: vec![] }
			.encode(),
	);
	let (_, mut watcher) = pool.submit_and_watch(short).unwrap();
	include(&pool, 1, &[]);
	include(&pool, 2, &[]);
	assert_eq!(pool.status().ready, 1, "still valid at its last block");
	include(&pool, 3, &[]);
	assert_eq!(pool.status().ready, 0);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Ready);
	assert_eq!(watcher.try_recv().unwrap(), TxStatus::Invalid);
}

#[test]
fn a_flood_never_exceeds_the_limits() {
	let limits = Limits { ready_count: 50, future_count: 5, ..Limits::default() };
	let pool = Pool::new(Fake::default(), limits);
	let mut dropped = 0;
	for sender in 0..100u8 {
		// the first 50 at priority 1, the next 50 at priority 2: they push the first out
		match pool.submit(tx(sender, 0, 1 + u64::from(sender / 50))) {
			Ok(_) => {},
			Err(PoolError::ImmediatelyDropped) => dropped += 1,
			Err(e) => panic!("{e}"),
		}
		// a nonce gap each: the future queue fills too
		let _ = pool.submit(tx(sender, 5, 1));
		let status = pool.status();
		assert!(status.ready <= 50 && status.future <= 5, "{status:?}");
	}
	assert_eq!(dropped, 0, "the newcomers had higher priority");
	let ready = order(&pool);
	assert_eq!(ready.len(), 50);
	assert!(ready.iter().all(|(sender, _)| *sender >= 50), "the lower priority ones were evicted");
	// now the pool is full of priority 2: a priority-1 newcomer is the worst and goes at once
	assert_eq!(pool.submit(tx(200, 0, 1)), Err(PoolError::ImmediatelyDropped));

	// byte limits too
	let limits = Limits { ready_bytes: 1000, ..Limits::default() };
	let pool = Pool::new(Fake::default(), limits);
	for sender in 0..50u8 {
		let big = OpaqueExtrinsic::from_blob(
			FakeTx {
				sender,
				nonce: 0,
				priority: u64::from(sender),
				longevity: 64,
				bad: false,
				padding: vec![0; 100],
			}
			.encode(),
		);
		let _ = pool.submit(big);
		assert!(pool.status().ready_bytes <= 1000);
	}
	assert_eq!(pool.status().ready, 1000 / 126, "as many 126-byte transactions as fit");
}

#[test]
fn evicting_keeps_dependency_chains_intact() {
	let limits = Limits { ready_count: 3, ..Limits::default() };
	let pool = Pool::new(Fake::default(), limits);
	pool.submit(tx(1, 0, 1)).unwrap();
	pool.submit(tx(1, 1, 1)).unwrap();
	pool.submit(tx(1, 2, 1)).unwrap();
	pool.submit(tx(2, 0, 5)).unwrap();
	// the leaf of sender 1's chain went, not its root
	assert_eq!(order(&pool), vec![(2, 0), (1, 0), (1, 1)]);
}

#[test]
fn report_invalid_removes_and_breaks_dependents_back_to_future() {
	let pool = pool();
	let first = pool.submit(tx(1, 0, 1)).unwrap();
	pool.submit(tx(1, 1, 1)).unwrap();
	pool.report_invalid(&[first]);
	assert_eq!(pool.status().ready, 0);
	assert_eq!(pool.status().future, 1);
}

#[test]
fn status_serialises_like_substrate() {
	let hash = Hash::repeat_byte(0xab);
	let json = |s: TxStatus| serde_json::to_string(&s).unwrap();
	assert_eq!(json(TxStatus::Ready), r#""ready""#);
	assert_eq!(json(TxStatus::Future), r#""future""#);
	assert_eq!(json(TxStatus::Invalid), r#""invalid""#);
	assert_eq!(json(TxStatus::Dropped), r#""dropped""#);
	assert_eq!(json(TxStatus::InBlock(hash)), format!(r#"{{"inBlock":"{hash:?}"}}"#));
	assert_eq!(json(TxStatus::Finalized(hash)), format!(r#"{{"finalized":"{hash:?}"}}"#));
	assert_eq!(json(TxStatus::Usurped(hash)), format!(r#"{{"usurped":"{hash:?}"}}"#));
	assert_eq!(json(TxStatus::Broadcast(vec!["a".into()])), r#"{"broadcast":["a"]}"#);
}
