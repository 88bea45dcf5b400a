//! Weights of the pallet's calls and hook.
//!
//! NOT YET GENERATED: conservative estimates (the storage reads and writes each call makes,
//! counted from the code, at the runtime's database weights, plus a fixed execution
//! allowance; the hook at its worst case per deadline: a reveal window closing on
//! `MaxSolutions` commitments) until the benchmarks in `benchmarking.rs` run through a
//! benchmark runner. Replace this file with the runner's output.

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, RuntimeDbWeight, Weight},
};

/// The weight of each call and of the hook.
pub trait WeightInfo {
	/// `publish_task`.
	fn publish_task() -> Weight;
	/// `cancel_task`.
	fn cancel_task() -> Weight;
	/// `commit_solution`.
	fn commit_solution() -> Weight;
	/// `reveal_solution`.
	fn reveal_solution() -> Weight;
	/// `rate_solution`.
	fn rate_solution() -> Weight;
	/// `set_params`.
	fn set_params() -> Weight;
	/// `on_initialize` handling `n` deadlines.
	fn on_initialize(n: u32) -> Weight;
}

/// Execution allowance per call before storage: 60 µs.
const BASE: u64 = 60_000_000;
/// Commitments a deadline may touch (the runtime's `MaxSolutions`).
const SOLUTIONS: u64 = 64;

fn estimate(db: RuntimeDbWeight) -> [Weight; 7] {
	let w = |reads, writes, proof| {
		Weight::from_parts(BASE, proof).saturating_add(db.reads_writes(reads, writes))
	};
	[
		w(5, 6, 6_000), // publish: params, next id, deadline, holds ×2, task
		w(3, 4, 5_000), // cancel
		w(6, 4, 7_000), // commit: task, commitment, eligibility (miner, reputation, params), hold
		w(2, 2, 4_000), // reveal
		w(6, 4, 6_000), // rate: task, commitment, rating, reputation ×2
		w(0, 1, 0),     // set_params
		// per deadline: the task, every commitment, bonds, reputation ×2 each
		Weight::from_parts(BASE * 4, 20_000)
			.saturating_add(db.reads_writes(2 + 5 * SOLUTIONS, 2 + 5 * SOLUTIONS)),
	]
}

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn publish_task() -> Weight {
		estimate(T::DbWeight::get())[0]
	}
	fn cancel_task() -> Weight {
		estimate(T::DbWeight::get())[1]
	}
	fn commit_solution() -> Weight {
		estimate(T::DbWeight::get())[2]
	}
	fn reveal_solution() -> Weight {
		estimate(T::DbWeight::get())[3]
	}
	fn rate_solution() -> Weight {
		estimate(T::DbWeight::get())[4]
	}
	fn set_params() -> Weight {
		estimate(T::DbWeight::get())[5]
	}
	fn on_initialize(n: u32) -> Weight {
		T::DbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(estimate(T::DbWeight::get())[6].saturating_mul(n.into()))
	}
}

/// The same estimates with RocksDB weights, for tests.
impl WeightInfo for () {
	fn publish_task() -> Weight {
		estimate(RocksDbWeight::get())[0]
	}
	fn cancel_task() -> Weight {
		estimate(RocksDbWeight::get())[1]
	}
	fn commit_solution() -> Weight {
		estimate(RocksDbWeight::get())[2]
	}
	fn reveal_solution() -> Weight {
		estimate(RocksDbWeight::get())[3]
	}
	fn rate_solution() -> Weight {
		estimate(RocksDbWeight::get())[4]
	}
	fn set_params() -> Weight {
		estimate(RocksDbWeight::get())[5]
	}
	fn on_initialize(n: u32) -> Weight {
		RocksDbWeight::get()
			.reads_writes(1, 1)
			.saturating_add(estimate(RocksDbWeight::get())[6].saturating_mul(n.into()))
	}
}
