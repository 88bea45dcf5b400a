//! Storage migrations.
//!
//! - [`v1`]: frauds are forgiven after a clean record — the rules gain `fraud_recovery`, every
//!   reputation the block its recovery counts from.
//! - [`v2`]: a record counts value — each reputation's record, counted in whole tasks until
//!   now, is counted in thousandths of a task ([`RECORD_UNIT`]); the tasks already on record
//!   keep their full weight (their rewards are not on chain to weigh them again).

use super::*;
use codec::{Decode, Encode, MaxEncodedLen};
use frame_support::{
	migrations::VersionedMigration, pallet_prelude::*, traits::UncheckedOnRuntimeUpgrade,
};
use frame_system::pallet_prelude::BlockNumberFor;
use scale_info::TypeInfo;

/// Version 0 → 1.
pub mod v1 {
	use super::*;

	/// A reputation as version 0 stored it.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldReputation<BlockNumber> {
		pub dimensions: [Perbill; 5],
		pub score: Perbill,
		pub last_active: BlockNumber,
		pub fraud_flags: u32,
		pub outcomes: u32,
	}

	impl<BlockNumber: Copy> OldReputation<BlockNumber> {
		/// The same reputation, its recovery counted from its last activity.
		pub fn upgraded(self) -> Reputation<BlockNumber> {
			Reputation {
				dimensions: self.dimensions,
				score: self.score,
				last_active: self.last_active,
				fraud_flags: self.fraud_flags,
				// whole tasks, as version 1 counted; [`v2`] counts them in thousandths
				record: self.outcomes,
				last_fraud: self.last_active,
			}
		}
	}

	/// The rules as version 0 stored them.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldParams<Balance, BlockNumber> {
		pub min_bond: Balance,
		pub unbonding_delay: BlockNumber,
		pub learning_rate: Perbill,
		pub floor: Perbill,
		pub decay_period: BlockNumber,
		pub decay_rate: Perbill,
		pub fraud_penalty: Perbill,
		pub innovation_bonus: Perbill,
		pub level_thresholds: [Perbill; 3],
	}

	/// The version-0 rules.
	pub mod old {
		use super::*;
		#[frame_support::storage_alias]
		pub type Params<T: Config> =
			StorageValue<Pallet<T>, OldParams<BalanceOf<T>, BlockNumberFor<T>>, OptionQuery>;
	}

	/// The unversioned migration; use [`MigrateToV1`].
	pub struct InnerMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let recovery = T::DefaultParams::get().fraud_recovery;
			let params = old::Params::<T>::take().map(|p| ReputationParams {
				min_bond: p.min_bond,
				unbonding_delay: p.unbonding_delay,
				learning_rate: p.learning_rate,
				floor: p.floor,
				decay_period: p.decay_period,
				decay_rate: p.decay_rate,
				fraud_penalty: p.fraud_penalty,
				fraud_recovery: recovery,
				innovation_bonus: p.innovation_bonus,
				level_thresholds: p.level_thresholds,
			});
			Params::<T>::put(params.unwrap_or_else(T::DefaultParams::get));
			let mut count = 0u64;
			Reputations::<T>::translate::<OldReputation<BlockNumberFor<T>>, _>(|_, old| {
				count += 1;
				Some(old.upgraded())
			});
			SpecializationReputations::<T>::translate::<OldReputation<BlockNumberFor<T>>, _>(
				|_, _, old| {
					count += 1;
					Some(old.upgraded())
				},
			);
			T::DbWeight::get().reads_writes(count + 1, count + 1)
		}
	}

	/// Migrates version 0 to 1, once.
	pub type MigrateToV1<T> = VersionedMigration<
		0,
		1,
		InnerMigrateToV1<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 1 → 2.
pub mod v2 {
	use super::*;

	/// The unversioned migration; use [`MigrateToV2`].
	pub struct InnerMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			let scaled = |mut reputation: Reputation<BlockNumberFor<T>>| {
				reputation.record = reputation.record.saturating_mul(RECORD_UNIT);
				reputation
			};
			Reputations::<T>::translate::<Reputation<BlockNumberFor<T>>, _>(|_, old| {
				count += 1;
				Some(scaled(old))
			});
			SpecializationReputations::<T>::translate::<Reputation<BlockNumberFor<T>>, _>(
				|_, _, old| {
					count += 1;
					Some(scaled(old))
				},
			);
			T::DbWeight::get().reads_writes(count, count)
		}
	}

	/// Migrates version 1 to 2, once.
	pub type MigrateToV2<T> = VersionedMigration<
		1,
		2,
		InnerMigrateToV2<T>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}
