//! Weights of the pallet's calls.
//!
//! NOT YET GENERATED: these are conservative estimates (the storage reads and writes each call
//! makes, counted from the code, at RocksDB weights, plus a fixed execution allowance) until
//! the benchmarks in `benchmarking.rs` run through a benchmark runner (see
//! `docs/PERFORMANCE.md`). Replace this file with the runner's output.

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// The weight of each call.
pub trait WeightInfo {
	/// `register_miner`.
	fn register_miner() -> Weight;
	/// `update_specializations`.
	fn update_specializations() -> Weight;
	/// `bond_extra`.
	fn bond_extra() -> Weight;
	/// `unbond`.
	fn unbond() -> Weight;
	/// `withdraw_unbonded`.
	fn withdraw_unbonded() -> Weight;
	/// `set_params`.
	fn set_params() -> Weight;
}

/// Execution allowance per call before storage: 50 µs.
const BASE: u64 = 50_000_000;

/// Weights for a runtime, with its database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);
impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn register_miner() -> Weight {
		// Params, Miners, the hold (account + holds)
		Weight::from_parts(BASE, 4_000).saturating_add(T::DbWeight::get().reads_writes(4, 3))
	}
	fn update_specializations() -> Weight {
		Weight::from_parts(BASE, 2_000).saturating_add(T::DbWeight::get().reads_writes(1, 1))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(BASE, 4_000).saturating_add(T::DbWeight::get().reads_writes(4, 3))
	}
	fn unbond() -> Weight {
		Weight::from_parts(BASE, 3_000).saturating_add(T::DbWeight::get().reads_writes(2, 1))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(BASE, 4_000).saturating_add(T::DbWeight::get().reads_writes(3, 3))
	}
	fn set_params() -> Weight {
		Weight::from_parts(BASE / 2, 0).saturating_add(T::DbWeight::get().writes(1))
	}
}

/// The same estimates with RocksDB weights, for tests.
impl WeightInfo for () {
	fn register_miner() -> Weight {
		Weight::from_parts(BASE, 4_000).saturating_add(RocksDbWeight::get().reads_writes(4, 3))
	}
	fn update_specializations() -> Weight {
		Weight::from_parts(BASE, 2_000).saturating_add(RocksDbWeight::get().reads_writes(1, 1))
	}
	fn bond_extra() -> Weight {
		Weight::from_parts(BASE, 4_000).saturating_add(RocksDbWeight::get().reads_writes(4, 3))
	}
	fn unbond() -> Weight {
		Weight::from_parts(BASE, 3_000).saturating_add(RocksDbWeight::get().reads_writes(2, 1))
	}
	fn withdraw_unbonded() -> Weight {
		Weight::from_parts(BASE, 4_000).saturating_add(RocksDbWeight::get().reads_writes(3, 3))
	}
	fn set_params() -> Weight {
		Weight::from_parts(BASE / 2, 0).saturating_add(RocksDbWeight::get().writes(1))
	}
}
