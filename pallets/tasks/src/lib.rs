//! # Tasks
//!
//! The task market: publishers post AI tasks with rewards held in escrow; miners commit to
//! solutions and reveal them; the revealed solutions go to validation; the judged result is
//! paid out here, from the escrow.
//!
//! ## Overview
//!
//! A publisher describes a task — its type, the hash and location of an off-chain
//! specification, a reward, the lengths of its commit, reveal and validation windows, how many
//! solutions it takes, the least miner level, the validator panel size and the quality a
//! winning solution needs — and the reward plus a storage deposit are held from its balance.
//! The commit window must outlast the task type's minimum solve time ([`FraudOracle`]).
//!
//! During the *commit window* eligible miners (registered, not banned, of the task's
//! specialization and level — the higher of the publisher's minimum and the level the reward
//! requires, so a fresh identity cannot take the richest tasks: [`MinerRegistry`]) each
//! commit once to `BlakeTwo256(solution_hash ‖ fingerprint ‖ salt ‖ miner)` and put up a bond
//! of the larger of a minimum and a share of the reward. Nobody can copy a solution from the
//! chain: the commitment hides it, and because the miner is inside the hash, a copied
//! commitment cannot be revealed by the copier; a commitment equal to one already made is
//! refused outright. A full task takes a new commitment only by bumping the one with the
//! lowest priority (reputation, then stake), if the newcomer's is higher: junk from fresh
//! identities cannot crowd out miners with a record. A commitment sooner after publication
//! than the minimum solve time is flagged as pre-computation: excluded, its bond forfeited.
//!
//! During the *reveal window* — judged by block number, whether or not the phase change has
//! run yet — each miner reveals its `solution_hash`, `salt`, its fingerprint
//! (`tos_primitives::fingerprint`) and the solution's location; a reveal that does not hash to
//! the commitment is refused. A commitment never revealed loses its bond to the treasury.
//!
//! When the reveal window closes, the chain's first plagiarism filter pairs solutions with the
//! same hash or close fingerprints, and the revealed solutions go to validation
//! ([`TaskValidation`]). The validation pallet's final result comes back
//! ([`TaskPhases::judged`]); the rewards pallet says how it splits the escrow
//! ([`RewardPolicy`]); this pallet pays, once: each payee its amount (what a payee cannot
//! receive goes to the treasury), the publisher its refund; the network fee (the rewards
//! pallet's, the one fee of the market) is *burned*, and the treasury takes the rest — exactly
//! the escrow. The burn is what bounds the emission the task earns (the rewards pallet's
//! crate docs). A solution with a false fingerprint, or judged below the minimum quality,
//! forfeits its bond; every other bond comes back at settlement. A task nobody solved
//! *expires*: the publisher gets the reward back less the network fee, burned.
//!
//! A miner's pay *vests*: it is the miner's, but held ([`HoldReason::PayVesting`]) until the
//! task is cleaned up, a retention period after settlement (a day on the chain's presets).
//! Until then a confirmed fraud that names any of the miner's tasks takes it back first
//! ([`tos_primitives::TaskPayments::take_unvested`]): an identity that moves its earnings out
//! the moment it is paid — a Sybil of copies, a long con — still has them within the fine's
//! reach. Validators' pay is free at once.
//!
//! Phases change by block number, in the pallet's `on_initialize`: each task's next deadline
//! is queued under its block, and each block handles them oldest first, at most
//! [`Config::MaxDeadlinesPerBlock`] and at most the weight of one deadline of the largest
//! task: a deadline is priced by its task's commitments, so small tasks share a block and the
//! largest has one to itself (what a full block leaves is handled by the next ones, never
//! lost).
//! Finished tasks stay readable for a retention period, then are removed and their deposits,
//! the bonds still held and the miners' vesting pay released.
//!
//! ## Modules
//!
//! - this file: the configuration, storage, events, errors and calls (publishing,
//!   cancelling, committing, revealing, rating, the rules);
//! - [`phases`]: the phase machine — deadlines, the reveal window's close, expiry, clean-up;
//! - [`settlement`]: the judged result paid out of the escrow, bonds returned or forfeited;
//! - [`holds`]: moving held funds, and the check that holds match storage;
//! - [`types`]: tasks, commitments, rules; [`migrations`]: storage versions.
//!
//! ## Calls
//!
//! - [`publish_task`](Pallet::publish_task), [`cancel_task`](Pallet::cancel_task),
//!   [`rate_solution`](Pallet::rate_solution): by a publisher;
//! - [`commit_solution`](Pallet::commit_solution), [`reveal_solution`](Pallet::reveal_solution):
//!   by a miner;
//! - [`set_params`](Pallet::set_params): by the parameters origin.
//!
//! ## Design notes
//!
//! - Money never leaves or enters existence here: escrow, deposits and bonds are holds
//!   ([`HoldReason`]) on the owners' balances; payouts, fees and forfeits move held funds.
//!   `try_state` checks that every account's holds equal the sums recorded in this pallet's
//!   storage, and a property test drives random calls and blocks against it.
//! - Outcomes feed reputation through [`ReputationLedger`]: revealing scores completion 100,
//!   failing to reveal scores it 0; a publisher's rating of a settled solution scores peer
//!   review.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod holds;
pub mod migrations;
#[cfg(test)]
mod mock;
mod phases;
mod settlement;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use weights::WeightInfo;

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::{Fortitude, Precision, Restriction},
	},
};
use frame_system::pallet_prelude::BlockNumberFor;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Saturating, Zero},
	Perbill, SaturatedConversion,
};
use tos_primitives::{
	Fingerprint, FraudOracle, Ineligible, MinerRegistry, OutcomeScores, ReputationDimension,
	ReputationLedger, RevealedSalts, RevealedSolution, RewardPolicy, Score, SettlementTerms,
	SolutionFate, TaskId, TaskPhases, TaskValidation, ValidationOutcome, ValidationRequest,
};

/// A balance of the currency escrows, deposits and bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A stored task.
pub type TaskInfoOf<T> = TaskInfo<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxUriLen,
>;
/// What a publisher submits.
pub type TaskSpecOf<T> = TaskSpec<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxUriLen>;
/// A stored commitment.
pub type CommitmentOf<T> = Commitment<BalanceOf<T>, BlockNumberFor<T>, <T as Config>::MaxUriLen>;
/// The rules.
pub type TaskParamsOf<T> = TaskParams<BalanceOf<T>, BlockNumberFor<T>>;

/// Sets up what the benchmarks need from the other pallets.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Makes `who` a miner eligible for every task type at every level.
	fn make_miner(who: &AccountId);
	/// Gives miner `who` a higher priority than a fresh miner's (more stake, say).
	fn raise_priority(who: &AccountId);
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn make_miner(_: &AccountId) {}
	fn raise_priority(_: &AccountId) {}
}

/// The most blocks the deadline cursor moves over in one block.
const DEADLINE_SCAN: u32 = 64;

/// The tasks' deadline queue.
type Queue<T> =
	tos_primitives::deadlines::Deadlines<Deadlines<T>, DeadlineCursor<T>, BlockNumberFor<T>>;

/// The storage version: 1 stores each task's earliest commit and bond, each solution's
/// salt, the commitments by hash, and the rules' bond share, junk quality and reward levels
/// ([`migrations::v1`]).
const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

/// The commitment a miner makes: `BlakeTwo256(solution_hash ‖ fingerprint ‖ salt ‖ miner)`.
/// The fingerprint is bound too, so nobody can reveal someone else's fingerprint to make them
/// look like the copier.
pub fn commitment_of<AccountId: Encode>(
	solution_hash: &H256,
	fingerprint: &Fingerprint,
	salt: &H256,
	miner: &AccountId,
) -> H256 {
	BlakeTwo256::hash_of(&(solution_hash, fingerprint, salt, miner))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_system::pallet_prelude::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency of rewards, deposits and bonds.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who may mine what.
		type Miners: MinerRegistry<Self::AccountId>;
		/// Where outcomes are recorded.
		type Reputation: ReputationLedger<Self::AccountId>;
		/// Who judges revealed solutions.
		type Validation: TaskValidation<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// How a judged task's escrow is split, the network fee, the emission points.
		type Rewards: RewardPolicy<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// The fraud detectors (pre-computation at commit, the first plagiarism filter at the
		/// reveal's end) and the minimum solve times.
		type Fraud: FraudOracle<Self::AccountId, BlockNumberFor<Self>>;
		/// Who may change [`TaskParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Where network fees, remainders and forfeited bonds go.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// The longest URI of a specification or solution.
		#[pallet::constant]
		type MaxUriLen: Get<u32> + 'static;
		/// The most solutions a task may take.
		#[pallet::constant]
		type MaxSolutions: Get<u32>;
		/// The most deadlines handled in one block (fewer when they are large: the block's
		/// deadlines together weigh at most one deadline of a task of `MaxSolutions`).
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;
		/// The rules genesis starts with (governance changes them later).
		type DefaultParams: Get<TaskParamsOf<Self>>;
		/// Weights of the calls and the hook, from benchmarks.
		type WeightInfo: WeightInfo;
		/// Makes accounts eligible miners for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A task's reward, until it is paid or refunded.
		TaskEscrow,
		/// A task's storage deposit, until it is cleaned up.
		TaskDeposit,
		/// A miner's bond on one commitment.
		SubmissionBond,
		/// A miner's pay from a task, until the task is cleaned up: within reach of a
		/// confirmed fraud that names it until then ([`Unvested`]).
		PayVesting,
	}

	/// The next task's id.
	#[pallet::storage]
	pub type NextTaskId<T> = StorageValue<_, TaskId, ValueQuery>;

	/// Tasks, until cleaned up.
	#[pallet::storage]
	pub type Tasks<T: Config> = StorageMap<_, Twox64Concat, TaskId, TaskInfoOf<T>>;

	/// Commitments (and revealed solutions) per task and miner.
	#[pallet::storage]
	pub type Commitments<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, CommitmentOf<T>>;

	/// What each miner was paid from a settled task and is still held (vesting) until the
	/// task is cleaned up, when it is released. A confirmed fraud takes from the miner's
	/// vesting pay first ([`tos_primitives::TaskPayments::take_unvested`]), so what a
	/// release finds held may be less.
	#[pallet::storage]
	pub type Unvested<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, BalanceOf<T>>;

	/// The commitments made to each task, by hash: a second, equal commitment is refused.
	#[pallet::storage]
	pub type CommitmentHashes<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Identity, H256, ()>;

	/// Ratings publishers gave to solutions (each at most once).
	#[pallet::storage]
	pub type Ratings<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, Score>;

	/// The tasks with a deadline at a block: phase ends and clean-ups (see
	/// `tos_primitives::deadlines`).
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, TaskId, ()>;

	/// The oldest block whose deadlines may not all have been handled.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// The market's rules.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, TaskParamsOf<T>, OptionQuery>;

	/// Genesis writes [`Config::DefaultParams`].
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Params::<T>::put(T::DefaultParams::get());
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A task was published; its reward and deposit are held.
		TaskPublished {
			task_id: TaskId,
			publisher: T::AccountId,
			task_type: tos_primitives::TaskType,
			reward: BalanceOf<T>,
			commit_end: BlockNumberFor<T>,
			reveal_end: BlockNumberFor<T>,
		},
		/// The publisher cancelled a task before any commitment; everything was returned.
		TaskCancelled { task_id: TaskId },
		/// A miner committed to a solution.
		SolutionCommitted { task_id: TaskId, miner: T::AccountId },
		/// The commit window closed; reveals are open.
		RevealStarted { task_id: TaskId, commitments: u32 },
		/// A miner revealed its solution.
		SolutionRevealed { task_id: TaskId, miner: T::AccountId, solution_hash: H256 },
		/// A miner's submission bond went to the treasury, for `reason`.
		BondForfeited { task_id: TaskId, miner: T::AccountId, bond: BalanceOf<T>, reason: Forfeit },
		/// A full task took `by`'s commitment, whose priority is higher, in place of `miner`'s,
		/// whose bond was returned.
		CommitmentBumped { task_id: TaskId, miner: T::AccountId, by: T::AccountId },
		/// The reveal window closed with solutions; they are with the validators.
		ValidationStarted { task_id: TaskId, solutions: u32 },
		/// Nobody solved the task: the publisher got `refunded`, and the network fee `fee`
		/// was burned.
		TaskExpired { task_id: TaskId, refunded: BalanceOf<T>, fee: BalanceOf<T> },
		/// A finished task was removed and its deposit returned.
		TaskCleanedUp { task_id: TaskId },
		/// The publisher rated a settled solution.
		SolutionRated { task_id: TaskId, miner: T::AccountId, score: Score },
		/// Governance changed the rules.
		ParamsUpdated,
		/// An account was paid from a task's escrow.
		RewardPaid { task_id: TaskId, who: T::AccountId, amount: BalanceOf<T> },
		/// The judged task was paid out: `paid` to winners, participants and validators,
		/// `refunded` back to the publisher, the network fee `burned`, `to_treasury` (rounding,
		/// and what a payee could not receive) to the treasury — the whole escrow.
		TaskSettled {
			task_id: TaskId,
			winners: u32,
			paid: BalanceOf<T>,
			refunded: BalanceOf<T>,
			burned: BalanceOf<T>,
			to_treasury: BalanceOf<T>,
		},
	}

	#[pallet::error]
	pub enum Error<T> {
		/// A window is shorter or longer than the rules allow.
		WindowOutOfBounds,
		/// The reward is below the minimum.
		RewardTooLow,
		/// The maximum number of solutions is zero or above the limit.
		InvalidMaxSolutions,
		/// The panel size is zero or above the rules' maximum.
		InvalidPanelSize,
		/// The quality threshold is above 100.
		InvalidQualityThreshold,
		/// The account cannot hold that much.
		InsufficientBalance,
		/// No such task.
		UnknownTask,
		/// Only the publisher may do this.
		NotPublisher,
		/// Someone has committed already: the task can no longer be cancelled.
		HasCommitments,
		/// The commit window is over.
		CommitWindowClosed,
		/// This miner has committed to this task already.
		AlreadyCommitted,
		/// The task has as many commitments as it takes solutions.
		TaskFull,
		/// The account is not a registered miner with stake.
		NotAMiner,
		/// The miner is banned for now.
		MinerBanned,
		/// The miner's specializations do not include the task's type.
		WrongSpecialization,
		/// The miner's level is below the task's minimum.
		LevelTooLow,
		/// The reveal window has not opened yet.
		RevealWindowNotOpen,
		/// The reveal window is over.
		RevealWindowClosed,
		/// This miner made no commitment to this task.
		NoCommitment,
		/// This miner's solution is revealed already.
		AlreadyRevealed,
		/// The revealed solution and salt do not hash, with the miner, to the commitment.
		CommitmentMismatch,
		/// Only settled solutions may be rated.
		NotSettled,
		/// This miner revealed no solution to this task.
		NoSolution,
		/// The publisher has rated this solution already.
		AlreadyRated,
		/// A score above 100.
		InvalidScore,
		/// Windows must be at least a block, panels non-empty, reward levels ascending.
		InvalidParams,
		/// The same commitment was made to this task already.
		DuplicateCommitment,
		/// The commit window does not outlast the task type's minimum solve time.
		CommitWindowTooShort,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			// the first due deadline is always taken; the next ones while the block's total
			// stays within one deadline of the largest task
			let budget = Self::deadline_weight(T::MaxSolutions::get());
			let mut used = Weight::zero();
			let mut priced = 0u64;
			let due = Queue::<T>::take_due_while(
				now,
				T::MaxDeadlinesPerBlock::get(),
				DEADLINE_SCAN,
				|task_id| {
					priced += 1;
					let commitments = Tasks::<T>::get(task_id).map_or(0, |t| t.commitments);
					let cost = Self::deadline_weight(commitments);
					if !used.is_zero() && used.saturating_add(cost).any_gt(budget) {
						return false;
					}
					used.saturating_accrue(cost);
					true
				},
			);
			for task_id in due.tasks {
				Self::on_deadline(task_id, now);
			}
			// the cursor, a read per block scanned and per deadline priced
			used.saturating_add(
				T::DbWeight::get().reads_writes(1 + u64::from(due.scanned) + priced, 1),
			)
		}

		fn integrity_test() {
			assert!(T::MaxSolutions::get() > 0, "tasks must take at least one solution");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "some deadline must fit a block");
			assert!(T::DefaultParams::get().validate().is_ok(), "default params are valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Publishes a task, holding its reward in escrow and a storage deposit from the
		/// caller.
		///
		/// Origin: signed. Emits [`Event::TaskPublished`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::publish_task())]
		pub fn publish_task(origin: OriginFor<T>, spec: TaskSpecOf<T>) -> DispatchResult {
			let publisher = ensure_signed(origin)?;
			let params = Self::params();
			let in_bounds = |w: BlockNumberFor<T>| w >= params.min_window && w <= params.max_window;
			ensure!(
				in_bounds(spec.commit_blocks)
					&& in_bounds(spec.reveal_blocks)
					&& in_bounds(spec.validation_blocks),
				Error::<T>::WindowOutOfBounds
			);
			ensure!(
				spec.reward >= params.min_reward && !spec.reward.is_zero(),
				Error::<T>::RewardTooLow
			);
			ensure!(
				spec.max_solutions > 0 && spec.max_solutions <= T::MaxSolutions::get(),
				Error::<T>::InvalidMaxSolutions
			);
			ensure!(
				spec.panel_size > 0 && spec.panel_size <= params.max_panel,
				Error::<T>::InvalidPanelSize
			);
			ensure!(spec.quality_threshold.is_valid(), Error::<T>::InvalidQualityThreshold);
			let min_solve = T::Fraud::min_solve_time(spec.task_type);
			ensure!(spec.commit_blocks > min_solve, Error::<T>::CommitWindowTooShort);

			let now = frame_system::Pallet::<T>::block_number();
			let commit_end = now.saturating_add(spec.commit_blocks);
			let submission_bond =
				params.min_submission_bond.max(params.submission_bond_share * spec.reward);
			let reveal_end = commit_end.saturating_add(spec.reveal_blocks);
			let deposit = params.task_deposit.saturating_add(
				params.deposit_per_byte.saturating_mul((spec.uri.len() as u32).into()),
			);
			let task_id = NextTaskId::<T>::get();

			T::Currency::hold(&HoldReason::TaskEscrow.into(), &publisher, spec.reward)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			if T::Currency::hold(&HoldReason::TaskDeposit.into(), &publisher, deposit).is_err() {
				// give the escrow back: nothing of this call may stay
				let _ = T::Currency::release(
					&HoldReason::TaskEscrow.into(),
					&publisher,
					spec.reward,
					Precision::Exact,
				);
				return Err(Error::<T>::InsufficientBalance.into());
			}
			Self::schedule(commit_end, task_id);
			NextTaskId::<T>::put(task_id.saturating_add(1));
			Tasks::<T>::insert(
				task_id,
				TaskInfo {
					publisher: publisher.clone(),
					task_type: spec.task_type,
					content_hash: spec.content_hash,
					uri: spec.uri,
					reward: spec.reward,
					deposit,
					published_at: now,
					commit_end,
					reveal_end,
					validation_blocks: spec.validation_blocks,
					max_solutions: spec.max_solutions,
					min_level: spec.min_level,
					panel_size: spec.panel_size,
					quality_threshold: spec.quality_threshold,
					earliest_commit: now.saturating_add(min_solve),
					submission_bond,
					status: TaskStatus::Open,
					commitments: 0,
					reveals: 0,
				},
			);
			Self::deposit_event(Event::TaskPublished {
				task_id,
				publisher,
				task_type: spec.task_type,
				reward: spec.reward,
				commit_end,
				reveal_end,
			});
			Ok(())
		}

		/// Cancels a task nobody has committed to, returning its reward and deposit in full.
		///
		/// Origin: signed, the publisher. Emits [`Event::TaskCancelled`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::cancel_task())]
		pub fn cancel_task(origin: OriginFor<T>, task_id: TaskId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let task = Tasks::<T>::get(task_id).ok_or(Error::<T>::UnknownTask)?;
			ensure!(task.publisher == who, Error::<T>::NotPublisher);
			ensure!(task.status == TaskStatus::Open, Error::<T>::CommitWindowClosed);
			ensure!(task.commitments == 0, Error::<T>::HasCommitments);

			Self::release(HoldReason::TaskEscrow, &who, task.reward);
			Self::release(HoldReason::TaskDeposit, &who, task.deposit);
			// its queued deadline finds no task and does nothing
			Tasks::<T>::remove(task_id);
			Self::deposit_event(Event::TaskCancelled { task_id });
			Ok(())
		}

		/// Commits to a solution of an open task: `commitment` is
		/// `BlakeTwo256(solution_hash ‖ fingerprint ‖ salt ‖ miner)` (see [`commitment_of`]).
		/// Holds the task's submission bond. A full task takes it in place of the commitment
		/// of lowest priority, if the caller's (reputation, then stake) is higher.
		///
		/// Origin: signed, an eligible miner. Emits [`Event::SolutionCommitted`], and
		/// [`Event::CommitmentBumped`] when it took another's slot.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::commit_solution(T::MaxSolutions::get()).saturating_add(T::Fraud::commit_weight()))]
		pub fn commit_solution(
			origin: OriginFor<T>,
			task_id: TaskId,
			commitment: H256,
		) -> DispatchResult {
			let miner = ensure_signed(origin)?;
			let mut task = Tasks::<T>::get(task_id).ok_or(Error::<T>::UnknownTask)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				task.status == TaskStatus::Open && now < task.commit_end,
				Error::<T>::CommitWindowClosed
			);
			ensure!(!Commitments::<T>::contains_key(task_id, &miner), Error::<T>::AlreadyCommitted);
			ensure!(
				!CommitmentHashes::<T>::contains_key(task_id, commitment),
				Error::<T>::DuplicateCommitment
			);
			let level = task.min_level.max(Self::params().level_for(&task.reward));
			T::Miners::check_eligible(&miner, task.task_type, level).map_err(|e| match e {
				Ineligible::NotRegistered => Error::<T>::NotAMiner,
				Ineligible::Banned => Error::<T>::MinerBanned,
				Ineligible::WrongSpecialization => Error::<T>::WrongSpecialization,
				Ineligible::LevelTooLow => Error::<T>::LevelTooLow,
			})?;
			// a full task: bump the lowest-priority commitment, if ours is higher
			let bumped = if task.commitments >= task.max_solutions {
				let ours = T::Miners::priority(&miner);
				let lowest = Commitments::<T>::iter_prefix(task_id)
					.map(|(who, c)| (T::Miners::priority(&who), who, c))
					.min_by(|a, b| a.0.cmp(&b.0));
				match lowest {
					Some((theirs, who, c)) if theirs < ours => Some((who, c)),
					_ => return Err(Error::<T>::TaskFull.into()),
				}
			} else {
				None
			};

			let bond = task.submission_bond;
			T::Currency::hold(&HoldReason::SubmissionBond.into(), &miner, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			if let Some((who, bumped)) = bumped {
				Self::release(HoldReason::SubmissionBond, &who, bumped.bond);
				CommitmentHashes::<T>::remove(task_id, bumped.hash);
				Commitments::<T>::remove(task_id, &who);
				T::Miners::commitment_closed(&who);
				task.commitments = task.commitments.saturating_sub(1);
				Self::deposit_event(Event::CommitmentBumped {
					task_id,
					miner: who,
					by: miner.clone(),
				});
			}
			T::Miners::commitment_opened(&miner);
			let elapsed = now.saturating_sub(task.published_at);
			let flagged = T::Fraud::check_commit(task_id, task.task_type, &miner, elapsed);
			Commitments::<T>::insert(
				task_id,
				&miner,
				Commitment {
					hash: commitment,
					committed_at: now,
					bond,
					solution: None,
					flagged,
					score: None,
					reward: Zero::zero(),
				},
			);
			CommitmentHashes::<T>::insert(task_id, commitment, ());
			task.commitments += 1;
			Tasks::<T>::insert(task_id, task);
			Self::deposit_event(Event::SolutionCommitted { task_id, miner });
			Ok(())
		}

		/// Reveals the solution committed to, in the reveal window (from the commit window's
		/// end to the reveal's, by block number): refused unless `solution_hash`,
		/// `fingerprint`, `salt` and the caller hash to the commitment.
		///
		/// Origin: signed, the committed miner. Emits [`Event::SolutionRevealed`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::reveal_solution())]
		pub fn reveal_solution(
			origin: OriginFor<T>,
			task_id: TaskId,
			solution_hash: H256,
			salt: H256,
			fingerprint: Fingerprint,
			uri: BoundedVec<u8, T::MaxUriLen>,
		) -> DispatchResult {
			let miner = ensure_signed(origin)?;
			let mut task = Tasks::<T>::get(task_id).ok_or(Error::<T>::UnknownTask)?;
			let now = frame_system::Pallet::<T>::block_number();
			// by block number: a phase change a full block delays costs nobody its reveal
			ensure!(now >= task.commit_end, Error::<T>::RevealWindowNotOpen);
			ensure!(
				matches!(task.status, TaskStatus::Open | TaskStatus::Reveal)
					&& now < task.reveal_end,
				Error::<T>::RevealWindowClosed
			);
			let mut commitment =
				Commitments::<T>::get(task_id, &miner).ok_or(Error::<T>::NoCommitment)?;
			ensure!(commitment.solution.is_none(), Error::<T>::AlreadyRevealed);
			ensure!(
				commitment_of(&solution_hash, &fingerprint, &salt, &miner) == commitment.hash,
				Error::<T>::CommitmentMismatch
			);

			commitment.solution = Some(Solution { solution_hash, fingerprint, salt, uri });
			Commitments::<T>::insert(task_id, &miner, commitment);
			task.reveals += 1;
			Tasks::<T>::insert(task_id, task);
			Self::deposit_event(Event::SolutionRevealed { task_id, miner, solution_hash });
			Ok(())
		}

		/// Rates a settled solution (0–100), once: the miner's peer-review reputation.
		///
		/// Origin: signed, the publisher. Emits [`Event::SolutionRated`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::rate_solution())]
		pub fn rate_solution(
			origin: OriginFor<T>,
			task_id: TaskId,
			miner: T::AccountId,
			score: Score,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let task = Tasks::<T>::get(task_id).ok_or(Error::<T>::UnknownTask)?;
			ensure!(task.publisher == who, Error::<T>::NotPublisher);
			ensure!(matches!(task.status, TaskStatus::Settled { .. }), Error::<T>::NotSettled);
			ensure!(score.is_valid(), Error::<T>::InvalidScore);
			let revealed = Commitments::<T>::get(task_id, &miner).and_then(|c| c.solution);
			ensure!(revealed.is_some(), Error::<T>::NoSolution);
			ensure!(!Ratings::<T>::contains_key(task_id, &miner), Error::<T>::AlreadyRated);

			Ratings::<T>::insert(task_id, &miner, score);
			T::Reputation::record(
				&miner,
				task.task_type,
				OutcomeScores::only(ReputationDimension::PeerReview, score),
				task.reward.saturated_into::<u128>(),
			);
			Self::deposit_event(Event::SolutionRated { task_id, miner, score });
			Ok(())
		}

		/// Replaces the market's rules (for tasks published from now on).
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::ParamsUpdated`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: TaskParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			params.validate().map_err(|_| Error::<T>::InvalidParams)?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The rules in force ([`Config::DefaultParams`] before genesis has set any).
	pub fn params() -> TaskParamsOf<T> {
		Params::<T>::get().unwrap_or_else(T::DefaultParams::get)
	}

	/// Suggested rules, for a runtime's [`Config::DefaultParams`] to start from: windows of
	/// 10 to 100 800 blocks (a week of 6-second blocks), any non-zero reward, a submission
	/// bond of 2 % of the reward and at least one unit, bonds forfeited below quality 10, no
	/// reward levels (every task open to Novices), a deposit of one unit, a retention of
	/// 14 400 blocks (a day) and panels of up to 10.
	pub fn default_params() -> TaskParamsOf<T> {
		TaskParams {
			min_window: 10u32.into(),
			max_window: 100_800u32.into(),
			min_reward: 1u32.into(),
			min_submission_bond: 1u32.into(),
			submission_bond_share: Perbill::from_percent(2),
			junk_quality: Score::new(10).unwrap_or_default(),
			reward_levels: [sp_runtime::traits::Bounded::max_value(); 3],
			task_deposit: 1u32.into(),
			deposit_per_byte: Zero::zero(),
			retention: 14_400u32.into(),
			max_panel: 10,
		}
	}
}

impl<T: Config> RevealedSalts<T::AccountId> for Pallet<T> {
	fn revealed_salt(task_id: TaskId, miner: &T::AccountId) -> Option<H256> {
		Commitments::<T>::get(task_id, miner).and_then(|c| c.solution).map(|s| s.salt)
	}
}
