//! The pallets `tos-node benchmark` measures (with the `runtime-benchmarks` feature), and the
//! storage keys every block touches anyway, whose reads and writes are not charged to calls.

// the names resolve where the generated macros are used (`apis.rs`)
frame_benchmarking::define_benchmarks!(
	[pallet_tos_miner_reputation, MinerReputation]
	[pallet_tos_tasks, Tasks]
	[pallet_tos_validation_voting, ValidationVoting]
	[pallet_tos_rewards, Rewards]
	[pallet_tos_fraud_flags, FraudFlags]
	[pallet_tos_randomness, Randomness]
	[pallet_preimage, Preimage]
	[pallet_scheduler, Scheduler]
	[pallet_referenda, Referenda]
	[pallet_conviction_voting, ConvictionVoting]
	[pallet_collective, Council]
	[pallet_treasury, Treasury]
);

/// Keys read and written by every block: not charged to any call's weight.
pub fn whitelist() -> alloc::vec::Vec<sp_storage::TrackedStorageKey> {
	use frame_support::traits::WhitelistedStorageKeys;
	crate::AllPalletsWithSystem::whitelisted_storage_keys()
}
