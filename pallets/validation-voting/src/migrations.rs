//! Storage migrations.
//!
//! - [`v1`]: reveals carry [`Judgement`]s (scores with verdicts on the content), rounds keep
//!   the reward, copy groups, every member seated and the provisional result's fates, and the
//!   rules gain the outlier margin, the honeypot, overturn and seat rules, the council's
//!   deadline and refills. A round in flight did not record its reward, so its refills and
//!   appeal seat anyone certified and its dispute bond is the minimum. A round committing or
//!   revealing at the upgrade starts its commit window again from the upgrade, without
//!   penalty: a version-0 commitment hashes scores without verdicts, which no version-1 reveal
//!   can open, so those commitments are dropped and their members commit anew; reveals
//!   already made are kept (with verdicts that find nothing).

use super::*;
use frame_support::{
	migrations::VersionedMigration, storage_alias, traits::UncheckedOnRuntimeUpgrade,
};
use tos_primitives::SolutionFate;

/// Version 0 → 1.
pub mod v1 {
	use super::*;

	/// The rules as version 0 stored them.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub struct OldParams<Balance, BlockNumber> {
		pub clip_band: u8,
		pub non_reveal_slash: Perbill,
		pub dispute_blocks: BlockNumber,
		pub dispute_bond: Balance,
		pub overturn_margin: u8,
	}

	/// A phase as version 0 stored it.
	#[derive(Clone, Copy, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
	pub enum OldPhase<BlockNumber> {
		Commit { until: BlockNumber },
		Reveal { until: BlockNumber },
		Provisional { until: BlockNumber },
	}

	/// A dispute as version 0 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub struct OldAppeal<AccountId, Balance> {
		pub disputer: AccountId,
		pub bond: Balance,
		pub first_panel: Vec<(AccountId, u128)>,
		pub first_result: Vec<SolutionScore>,
	}

	/// A round as version 0 stored it.
	#[derive(Clone, PartialEq, Eq, Encode, Decode, TypeInfo, Debug)]
	pub struct OldRound<AccountId, Balance, BlockNumber> {
		pub task_type: TaskType,
		pub publisher: AccountId,
		pub solvers: Vec<AccountId>,
		pub panel: Vec<(AccountId, u128)>,
		pub window: BlockNumber,
		pub phase: OldPhase<BlockNumber>,
		pub result: Vec<SolutionScore>,
		pub appeal: Option<OldAppeal<AccountId, Balance>>,
	}

	/// The version-0 items this migration reads.
	pub mod old {
		use super::*;

		#[storage_alias]
		pub type Params<T: Config> =
			StorageValue<Pallet<T>, OldParams<BalanceOf<T>, BlockNumberFor<T>>, OptionQuery>;
	}

	/// `old` in version 1's shape (see the module docs).
	pub fn upgrade_round<T: Config>(
		old: OldRound<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>,
	) -> RoundOf<T> {
		let n = old.solvers.len();
		let own = |result: &[SolutionScore]| Provisional {
			result: BoundedVec::truncate_from(result.to_vec()),
			fates: BoundedVec::truncate_from(
				(0..result.len()).map(|i| SolutionFate::Judged { group: i as u32 }).collect(),
			),
		};
		let phase = match old.phase {
			OldPhase::Commit { until } => RoundPhase::Commit { until },
			OldPhase::Reveal { until } => RoundPhase::Reveal { until },
			OldPhase::Provisional { until } => RoundPhase::Provisional { until },
		};
		let mut seated: Vec<T::AccountId> = old.panel.iter().map(|(v, _)| v.clone()).collect();
		let (provisional, appeal) = match old.appeal {
			Some(appeal) => {
				seated.extend(appeal.first_panel.iter().map(|(v, _)| v.clone()));
				(
					Some(own(&appeal.first_result)),
					Some(Appeal {
						disputer: appeal.disputer,
						bond: appeal.bond,
						first_judges: BoundedVec::truncate_from(appeal.first_panel),
					}),
				)
			},
			None => ((!old.result.is_empty()).then(|| own(&old.result)), None),
		};
		Round {
			task_type: old.task_type,
			publisher: old.publisher,
			reward: Zero::zero(),
			solvers: BoundedVec::truncate_from(old.solvers),
			groups: BoundedVec::truncate_from((0..n as u32).collect()),
			size: old.panel.len() as u32,
			panel: BoundedVec::truncate_from(old.panel),
			seated: BoundedVec::truncate_from(seated),
			unpaid: BoundedVec::new(),
			window: old.window,
			phase,
			redraws: 0,
			honeypots: BoundedVec::new(),
			provisional,
			appeal,
		}
	}

	/// The unversioned migration; use [`MigrateToV1`].
	pub struct InnerMigrateToV1<T>(core::marker::PhantomData<T>);

	impl<T: Config> UncheckedOnRuntimeUpgrade for InnerMigrateToV1<T> {
		fn on_runtime_upgrade() -> Weight {
			let defaults = T::DefaultParams::get();
			let params = old::Params::<T>::take().map(|p| ValidationParams {
				clip_band: p.clip_band,
				outlier_margin: defaults.outlier_margin.min(p.clip_band),
				non_reveal_slash: p.non_reveal_slash,
				dispute_blocks: p.dispute_blocks,
				min_dispute_bond: p.dispute_bond,
				overturn_margin: p.overturn_margin,
				..defaults
			});
			Params::<T>::put(params.unwrap_or(defaults));
			let mut count = 1u64;
			Rounds::<T>::translate::<OldRound<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>, _>(
				|_, old| {
					count += 1;
					Some(upgrade_round::<T>(old))
				},
			);
			ScoreReveals::<T>::translate::<Vec<SolutionScore>, _>(|_, _, scores| {
				count += 1;
				Some(BoundedVec::truncate_from(scores.into_iter().map(Judgement::scores).collect()))
			});
			// rounds committing or revealing start their commit window again
			let now = frame_system::Pallet::<T>::block_number();
			let open: Vec<TaskId> = Rounds::<T>::iter()
				.filter(|(_, r)| {
					matches!(r.phase, RoundPhase::Commit { .. } | RoundPhase::Reveal { .. })
				})
				.map(|(task_id, _)| task_id)
				.collect();
			for task_id in open {
				let Some(mut round) = Rounds::<T>::get(task_id) else { continue };
				for (member, _) in round.panel.iter() {
					count += 1;
					if !ScoreReveals::<T>::contains_key(task_id, member) {
						ScoreCommits::<T>::remove(task_id, member);
					}
				}
				let until = now.saturating_add(round.window);
				round.phase = RoundPhase::Commit { until };
				Rounds::<T>::insert(task_id, round);
				Pallet::<T>::schedule(until, task_id);
				count += 2;
			}
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
