//! Storage migrations.
//!
//! - [`v1`]: collusion counted per validator instead of per (validator, miner) pair; the
//!   rules gain the collusion share and lose the margin (the outlier margin lives with the
//!   judging rules now); task types without a minimum solve time get the runtime's default.
//! - [`v2`]: a report may name the task the fraud was committed in (reports filed before name
//!   none).

use super::*;
use frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade};

/// Version 0 → 1.
pub mod v1 {
	use super::*;

	/// The rules as version 0 stored them.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldFraudParams<Balance, BlockNumber> {
		pub hamming_threshold: u16,
		pub plagiarism_slash: Perbill,
		pub collusion_slash: Perbill,
		pub precompute_slash: Perbill,
		pub reporter_share: Perbill,
		pub collusion_margin: u8,
		pub collusion_threshold: u32,
		pub collusion_window: BlockNumber,
		pub ban_after: u32,
		pub ban_period: BlockNumber,
		pub report_bond: Balance,
	}

	impl<Balance, BlockNumber> OldFraudParams<Balance, BlockNumber> {
		/// The same rules in version 1: the threshold becomes the least number of flagged
		/// rounds, a quarter of the rounds judged must be flagged too.
		pub fn upgraded(self) -> FraudParams<Balance, BlockNumber> {
			FraudParams {
				hamming_threshold: self.hamming_threshold,
				plagiarism_slash: self.plagiarism_slash,
				collusion_slash: self.collusion_slash,
				precompute_slash: self.precompute_slash,
				reporter_share: self.reporter_share,
				collusion_rounds: self.collusion_threshold.max(1),
				collusion_share: Perbill::from_percent(25),
				collusion_window: self.collusion_window,
				ban_after: self.ban_after,
				ban_period: self.ban_period,
				report_bond: self.report_bond,
			}
		}
	}

	/// The version-0 storage items this migration reads or removes.
	pub mod old {
		use super::*;
		use frame_support::storage_alias;

		#[storage_alias]
		pub type Params<T: Config> =
			StorageValue<Pallet<T>, OldFraudParams<BalanceOf<T>, BlockNumberFor<T>>, OptionQuery>;

		#[storage_alias]
		pub type CollusionRecords<T: Config> = StorageDoubleMap<
			Pallet<T>,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			Blake2_128Concat,
			<T as frame_system::Config>::AccountId,
			(u32, BlockNumberFor<T>),
		>;
	}

	/// The unversioned migration; use [`MigrateToV1`].
	pub struct InnerMigrateToV1<T, MinSolveTimes>(core::marker::PhantomData<(T, MinSolveTimes)>);

	impl<T: Config, MinSolveTimes: Get<Vec<(TaskType, BlockNumberFor<T>)>>>
		UncheckedOnRuntimeUpgrade for InnerMigrateToV1<T, MinSolveTimes>
	{
		fn on_runtime_upgrade() -> Weight {
			let (mut reads, mut writes) = (1u64, 1u64);
			let params = old::Params::<T>::take()
				.map(OldFraudParams::upgraded)
				.unwrap_or_else(T::DefaultParams::get);
			Params::<T>::put(params);
			// at most one record per pair that ever met: bounded by the validators and miners
			let cleared = old::CollusionRecords::<T>::clear(u32::MAX, None);
			reads += u64::from(cleared.loops);
			writes += u64::from(cleared.unique);
			for (task_type, blocks) in MinSolveTimes::get() {
				reads += 1;
				if MinSolveTime::<T>::get(task_type).is_zero() {
					MinSolveTime::<T>::insert(task_type, blocks);
					writes += 1;
				}
			}
			T::DbWeight::get().reads_writes(reads, writes)
		}
	}

	/// Migrates version 0 to 1, once: `MinSolveTimes` are the defaults given to task types
	/// that have none.
	pub type MigrateToV1<T, MinSolveTimes> = VersionedMigration<
		0,
		1,
		InnerMigrateToV1<T, MinSolveTimes>,
		Pallet<T>,
		<T as frame_system::Config>::DbWeight,
	>;
}

/// Version 1 → 2.
pub mod v2 {
	use super::*;

	/// A report as version 1 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldReport<AccountId, Balance> {
		pub reporter: AccountId,
		pub target: AccountId,
		pub kind: FraudKind,
		pub evidence: H256,
		pub bond: Balance,
	}

	/// Gives every report filed before the upgrade no task.
	pub struct InnerMigrateToV2<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV2<T> {
		fn on_runtime_upgrade() -> Weight {
			let mut count = 0u64;
			Reports::<T>::translate::<OldReport<T::AccountId, BalanceOf<T>>, _>(|_, old| {
				count += 1;
				Some(Report {
					reporter: old.reporter,
					target: old.target,
					kind: old.kind,
					task_id: None,
					evidence: old.evidence,
					bond: old.bond,
				})
			});
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
