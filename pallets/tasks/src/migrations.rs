//! Storage migrations.
//!
//! - [`v1`]: tasks store their earliest commit and submission bond, solutions their salt,
//!   commitments are indexed by hash; the rules trade the fixed submission bond and the
//!   network fee (the rewards pallet's alone now) for a bond share, a junk quality and reward
//!   levels. A task in flight keeps the bond its miners already put up; its earliest commit
//!   is its publication; a solution revealed before the upgrade has a zero salt (no honeypot
//!   can be declared for it).

use super::*;
use frame_support::{migrations::VersionedMigration, traits::UncheckedOnRuntimeUpgrade};

/// Version 0 → 1.
pub mod v1 {
	use super::*;

	/// The rules as version 0 stored them.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldParams<Balance, BlockNumber> {
		pub min_window: BlockNumber,
		pub max_window: BlockNumber,
		pub min_reward: Balance,
		pub submission_bond: Balance,
		pub task_deposit: Balance,
		pub deposit_per_byte: Balance,
		pub network_fee: Perbill,
		pub retention: BlockNumber,
		pub max_panel: u32,
	}

	/// A task as version 0 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub struct OldTaskInfo<AccountId, Balance, BlockNumber> {
		pub publisher: AccountId,
		pub task_type: tos_primitives::TaskType,
		pub content_hash: H256,
		pub uri: Vec<u8>,
		pub reward: Balance,
		pub deposit: Balance,
		pub published_at: BlockNumber,
		pub commit_end: BlockNumber,
		pub reveal_end: BlockNumber,
		pub validation_blocks: BlockNumber,
		pub max_solutions: u32,
		pub min_level: tos_primitives::MinerLevel,
		pub panel_size: u32,
		pub quality_threshold: Score,
		pub status: TaskStatus<BlockNumber>,
		pub commitments: u32,
		pub reveals: u32,
	}

	/// A revealed solution as version 0 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub struct OldSolution {
		pub solution_hash: H256,
		pub fingerprint: Fingerprint,
		pub uri: Vec<u8>,
	}

	/// A commitment as version 0 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub struct OldCommitment<Balance, BlockNumber> {
		pub hash: H256,
		pub committed_at: BlockNumber,
		pub bond: Balance,
		pub solution: Option<OldSolution>,
		pub flagged: bool,
		pub score: Option<tos_primitives::SolutionScore>,
		pub reward: Balance,
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
			let defaults = T::DefaultParams::get();
			let old_bond = old::Params::<T>::get().map(|p| p.submission_bond);
			let params = old::Params::<T>::take().map(|p| TaskParams {
				min_window: p.min_window,
				max_window: p.max_window,
				min_reward: p.min_reward,
				min_submission_bond: p.submission_bond,
				task_deposit: p.task_deposit,
				deposit_per_byte: p.deposit_per_byte,
				retention: p.retention,
				max_panel: p.max_panel,
				..defaults
			});
			Params::<T>::put(params.unwrap_or(defaults));
			let bond = old_bond.unwrap_or(defaults.min_submission_bond);
			let mut count = 1u64;
			Tasks::<T>::translate::<OldTaskInfo<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>, _>(
				|_, old| {
					count += 1;
					Some(TaskInfo {
						publisher: old.publisher,
						task_type: old.task_type,
						content_hash: old.content_hash,
						uri: BoundedVec::truncate_from(old.uri),
						reward: old.reward,
						deposit: old.deposit,
						published_at: old.published_at,
						commit_end: old.commit_end,
						reveal_end: old.reveal_end,
						validation_blocks: old.validation_blocks,
						max_solutions: old.max_solutions,
						min_level: old.min_level,
						panel_size: old.panel_size,
						quality_threshold: old.quality_threshold,
						earliest_commit: old.published_at,
						submission_bond: bond,
						status: old.status,
						commitments: old.commitments,
						reveals: old.reveals,
					})
				},
			);
			Commitments::<T>::translate::<OldCommitment<BalanceOf<T>, BlockNumberFor<T>>, _>(
				|task_id, _, old| {
					count += 2;
					CommitmentHashes::<T>::insert(task_id, old.hash, ());
					Some(Commitment {
						hash: old.hash,
						committed_at: old.committed_at,
						bond: old.bond,
						solution: old.solution.map(|s| Solution {
							solution_hash: s.solution_hash,
							fingerprint: s.fingerprint,
							salt: H256::zero(),
							uri: BoundedVec::truncate_from(s.uri),
						}),
						flagged: old.flagged,
						score: old.score,
						reward: old.reward,
					})
				},
			);
			T::DbWeight::get().reads_writes(count, count)
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
