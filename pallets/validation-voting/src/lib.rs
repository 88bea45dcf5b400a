//! # Validation voting
//!
//! Expert validators who judge the solutions miners reveal.
//!
//! ## Overview
//!
//! An account applies to validate some kinds of work (its *specializations*) and puts up a
//! bond, held on its balance. A governance origin (an expert council in the runtime; Root until
//! governance lands) *certifies* it per specialization, or withdraws a certification. Only
//! certified validators of a task's specialization can be drawn onto that task's panel. A
//! validator leaves in two steps, `unbond` then `withdraw_unbonded` after a delay, so a
//! penalty can still reach its bond.
//!
//! ## Judging a task
//!
//! When a task's reveal window closes, the task pallet hands its revealed solutions over
//! ([`TaskValidation`]). A *panel* is drawn from the validators certified for the task's
//! specialization, without replacement, each candidate's chance proportional to bond ×
//! reputation ([`ReputationView`]); each member's weight is fixed when drawn. The seed is the
//! parent block's hash with the task id: unknown to miners when they committed (the reveal
//! window lay between), but known to the author of the block in which the window closes, who
//! could grind it by withholding blocks. That is acceptable against miners, and is to be
//! replaced by a VRF output once consensus offers one; the insecure collective-flip pallet is
//! never used.
//!
//! The task's validation blocks are split in two windows. In the first, members commit
//! `BlakeTwo256(scores ‖ salt ‖ validator)` ([`score_commitment`]); in the second they reveal
//! a quality and an innovation score, 0–100, for every solution. Then, per solution and axis,
//! the *consensus* is the weighted mean of the scores clipped to a band around their weighted
//! median (`tos_primitives::scoring`): a minority of less than half the weight cannot move it
//! further than the band. A member who never revealed loses accuracy reputation and a slice of
//! its bond (to the treasury).
//!
//! The consensus is *provisional* for a dispute window, in which the publisher or a miner who
//! revealed may [`dispute`](Pallet::dispute) it with a bond. A larger appeal panel, drawn the
//! same way but excluding the first panel, scores again; its consensus replaces the first. If
//! it moved any score by more than the overturn margin the disputer gets its bond back,
//! otherwise the bond goes to the treasury. Either way the first panel's accuracy is measured
//! against the appeal's consensus.
//!
//! When the result is final, miners' quality and innovation and validators' accuracy (the
//! mean, over solutions and axes, of 100 less the distance to consensus) are recorded in
//! reputation ([`ReputationLedger`]), and the outcome is handed on ([`OnValidated`]: the
//! rewards pallet pays the escrow out).
//!
//! Rounds move by block number in `on_initialize`, through a deadline queue that handles at most
//! `MaxDeadlinesPerBlock` per block, oldest first, and never drops one
//! (`tos_primitives::deadlines`).
//!
//! Nobody is drawn onto the panel (or the appeal panel) of a task they published or solved, and
//! a validator cannot withdraw its bond while a task it judges is not final, so a non-reveal or
//! collusion penalty always reaches it. If nobody on an appeal reveals, the first result stands and the
//! disputer gets its bond back; if nobody judged at all, the rewards pallet refunds the whole
//! escrow.
//!
//! ## Calls
//!
//! - [`apply_validator`](Pallet::apply_validator), [`unbond`](Pallet::unbond),
//!   [`withdraw_unbonded`](Pallet::withdraw_unbonded): by the validator;
//! - [`commit_scores`](Pallet::commit_scores), [`reveal_scores`](Pallet::reveal_scores): by a
//!   panel member;
//! - [`dispute`](Pallet::dispute): by the publisher or a miner of the task;
//! - [`certify`](Pallet::certify), [`decertify`](Pallet::decertify): by the certify origin;
//! - [`set_params`](Pallet::set_params): by the parameters origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use codec::Encode;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, InspectHold, MutateHold},
};
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Saturating, UniqueSaturatedInto, Zero},
	Perbill,
};
use tos_primitives::{
	scoring::{self, WeightedScore},
	FraudOracle, OnValidated, OutcomeScores, ReputationDimension, ReputationLedger, ReputationView,
	Score, SolutionScore, SpecializationSet, TaskId, TaskPhases, TaskType, TaskValidation,
	ValidationOutcome, ValidationRequest, ValidatorResult,
};

/// A balance of the currency bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// A task being judged.
pub type RoundOf<T> = Round<
	<T as frame_system::Config>::AccountId,
	BalanceOf<T>,
	BlockNumberFor<T>,
	<T as Config>::MaxPanel,
	<T as Config>::MaxSolutions,
>;
/// The judging rules.
pub type ValidationParamsOf<T> = ValidationParams<BalanceOf<T>, BlockNumberFor<T>>;
/// A panel member's scores, one per solution.
pub type ScoresOf<T> = BoundedVec<SolutionScore, <T as Config>::MaxSolutions>;

/// The most blocks the deadline cursor moves over in one block.
const DEADLINE_SCAN: u32 = 64;

/// The rounds' deadline queue.
type Queue<T> =
	tos_primitives::deadlines::Deadlines<Deadlines<T>, DeadlineCursor<T>, BlockNumberFor<T>>;

/// The commitment a panel member makes: `BlakeTwo256(scores ‖ salt ‖ validator)`.
pub fn score_commitment<AccountId: Encode>(
	scores: &[SolutionScore],
	salt: &H256,
	validator: &AccountId,
) -> H256 {
	BlakeTwo256::hash_of(&(scores, salt, validator))
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who certifies validators (the expert council).
		type CertifyOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who may change [`ValidationParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Reputation, for panel weights.
		type Reputation: ReputationView<Self::AccountId>;
		/// Where outcomes (miners' quality, validators' accuracy) are recorded.
		type Ledger: ReputationLedger<Self::AccountId>;
		/// The task's record of where judging is.
		type Tasks: TaskPhases;
		/// Told of final results (pays them out).
		type OnValidated: OnValidated<Self::AccountId>;
		/// The collusion detector, told of scores above consensus.
		type Fraud: FraudOracle<Self::AccountId, BlockNumberFor<Self>>;
		/// Where slashed bonds go.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// The least bond of a validator.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;
		/// Blocks between `unbond` and `withdraw_unbonded`.
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;
		/// The most validators certified for one specialization (bounds panel draws).
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
		/// The largest panel, appeals included.
		#[pallet::constant]
		type MaxPanel: Get<u32>;
		/// The most solutions of one task (as in the task pallet).
		#[pallet::constant]
		type MaxSolutions: Get<u32>;
		/// The most deadlines handled in one block.
		#[pallet::constant]
		type MaxDeadlinesPerBlock: Get<u32>;
		/// The rules genesis starts with.
		type DefaultParams: Get<ValidationParamsOf<Self>>;
		/// Weights of the calls and the hook, from benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A validator's bond.
		ValidatorBond,
		/// A dispute's bond, until the appeal decides.
		DisputeBond,
	}

	/// Validators, certified or not.
	#[pallet::storage]
	pub type Validators<T: Config> = StorageMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		ValidatorInfo<BalanceOf<T>, BlockNumberFor<T>>,
	>;

	/// The validators certified for each specialization, for panel draws.
	#[pallet::storage]
	pub type Certified<T: Config> = StorageMap<
		_,
		Twox64Concat,
		TaskType,
		BoundedVec<T::AccountId, T::MaxCandidates>,
		ValueQuery,
	>;

	/// Tasks being judged.
	#[pallet::storage]
	pub type Rounds<T: Config> = StorageMap<_, Twox64Concat, TaskId, RoundOf<T>>;

	/// Panel members' score commitments, per task.
	#[pallet::storage]
	pub type ScoreCommits<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, H256>;

	/// Panel members' revealed scores, per task (both panels' when appealed).
	#[pallet::storage]
	pub type ScoreReveals<T: Config> =
		StorageDoubleMap<_, Twox64Concat, TaskId, Blake2_128Concat, T::AccountId, ScoresOf<T>>;

	/// The rounds with a deadline at a block (see `tos_primitives::deadlines`).
	#[pallet::storage]
	pub type Deadlines<T: Config> =
		StorageDoubleMap<_, Twox64Concat, BlockNumberFor<T>, Twox64Concat, TaskId, ()>;

	/// The oldest block whose deadlines may not all have been handled.
	#[pallet::storage]
	pub type DeadlineCursor<T: Config> = StorageValue<_, BlockNumberFor<T>, ValueQuery>;

	/// How many panels each validator sits on whose task is not final yet: it may not withdraw
	/// its bond before (a non-reveal or collusion penalty must be able to reach it).
	#[pallet::storage]
	pub type ActivePanels<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// The judging rules.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, ValidationParamsOf<T>, OptionQuery>;

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
		/// An account applied to validate, holding its bond.
		ValidatorApplied {
			who: T::AccountId,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		},
		/// Governance certified a validator for a specialization.
		Certified { who: T::AccountId, specialization: TaskType },
		/// Governance withdrew a validator's certification.
		Decertified { who: T::AccountId, specialization: TaskType },
		/// A validator started withdrawing its bond; it is no longer drawn.
		Unbonding { who: T::AccountId, amount: BalanceOf<T>, unlock_at: BlockNumberFor<T> },
		/// A validator withdrew its bond and left.
		Withdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// A panel was drawn for a task (an appeal panel when `appeal`).
		PanelSelected { task_id: TaskId, panel: Vec<T::AccountId>, appeal: bool },
		/// A panel member committed to its scores.
		ScoresCommitted { task_id: TaskId, validator: T::AccountId },
		/// A panel member revealed its scores.
		ScoresRevealed { task_id: TaskId, validator: T::AccountId },
		/// A panel member did not reveal: it lost `slashed` of its bond.
		ValidatorPenalised { task_id: TaskId, validator: T::AccountId, slashed: BalanceOf<T> },
		/// The panel's consensus, provisional until the dispute window closes.
		ProvisionalResult {
			task_id: TaskId,
			scores: Vec<SolutionScore>,
			dispute_until: BlockNumberFor<T>,
		},
		/// The provisional result was disputed; an appeal panel scores again.
		Disputed { task_id: TaskId, disputer: T::AccountId },
		/// The appeal decided: `overturned` returns the disputer's bond, otherwise it went to
		/// the treasury.
		AppealDecided { task_id: TaskId, overturned: bool },
		/// The result is final and handed on for payment.
		ResultFinal { task_id: TaskId, scores: Vec<SolutionScore> },
		/// Governance changed the rules.
		ParamsUpdated,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The account is a validator already.
		AlreadyApplied,
		/// The account is not a validator.
		NotAValidator,
		/// The bond is below the minimum.
		BondBelowMinimum,
		/// The specializations are empty or name an unknown task type.
		InvalidSpecializations,
		/// The account cannot hold that much.
		InsufficientBalance,
		/// The validator did not apply for this specialization.
		NotApplied,
		/// The validator is certified for it already.
		AlreadyCertified,
		/// The validator is not certified for it.
		NotCertified,
		/// Too many validators are certified for this specialization.
		TooManyCandidates,
		/// The validator is unbonding already.
		AlreadyUnbonding,
		/// Nothing is unbonding, or not for long enough.
		NothingToWithdraw,
		/// No task is being judged under this id.
		UnknownRound,
		/// The caller is not on the task's panel.
		NotOnPanel,
		/// The commit window is not open.
		NotCommitPhase,
		/// The reveal window is not open.
		NotRevealPhase,
		/// This member has committed already.
		AlreadyCommitted,
		/// This member made no commitment.
		NoCommitment,
		/// This member has revealed already.
		AlreadyRevealed,
		/// The scores do not number one per solution, or one is above 100.
		InvalidScores,
		/// The scores and salt do not hash, with the caller, to the commitment.
		CommitmentMismatch,
		/// The result is not provisional, or the dispute window is over.
		NotDisputable,
		/// Only the publisher or a miner with a revealed solution may dispute.
		NotAParticipant,
		/// The result has been disputed already.
		AlreadyDisputed,
		/// No validator outside the first panel can be drawn for an appeal.
		NoAppealPanel,
		/// Clip band and overturn margin are at most 100, and disputes need a window.
		InvalidParams,
		/// The validator judges a task whose result is not final yet.
		StillOnPanel,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(now: BlockNumberFor<T>) -> Weight {
			let due = Queue::<T>::take_due(now, T::MaxDeadlinesPerBlock::get(), DEADLINE_SCAN);
			// a read per block scanned and per deadline taken, a write per deadline removed
			let mut weight = T::WeightInfo::on_initialize_base().saturating_add(
				T::DbWeight::get().reads_writes(
					u64::from(due.scanned) + due.tasks.len() as u64,
					due.tasks.len() as u64,
				),
			);
			for task_id in due.tasks {
				weight.saturating_accrue(Self::on_deadline(task_id, now));
			}
			weight
		}

		fn integrity_test() {
			assert!(T::MaxPanel::get() > 0, "panels need a member");
			assert!(T::MaxSolutions::get() > 0, "tasks take at least one solution");
			assert!(T::MaxDeadlinesPerBlock::get() > 0, "some deadline must fit a block");
			assert!(T::DefaultParams::get().is_valid(), "default params are valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Applies to validate `specializations`, holding `bond` (at least the minimum).
		///
		/// Origin: signed. Emits [`Event::ValidatorApplied`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::apply_validator())]
		pub fn apply_validator(
			origin: OriginFor<T>,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!Validators::<T>::contains_key(&who), Error::<T>::AlreadyApplied);
			ensure!(
				specializations.is_valid() && !specializations.is_empty(),
				Error::<T>::InvalidSpecializations
			);
			ensure!(bond >= T::MinBond::get() && !bond.is_zero(), Error::<T>::BondBelowMinimum);
			T::Currency::hold(&HoldReason::ValidatorBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			Validators::<T>::insert(
				&who,
				ValidatorInfo {
					specializations,
					certified: SpecializationSet::empty(),
					bond,
					unbonding: None,
				},
			);
			Self::deposit_event(Event::ValidatorApplied { who, specializations, bond });
			Ok(())
		}

		/// Certifies `who` for `specialization`, which it applied for.
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::Certified`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::certify())]
		pub fn certify(
			origin: OriginFor<T>,
			who: T::AccountId,
			specialization: TaskType,
		) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			let mut validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
			ensure!(validator.specializations.contains(specialization), Error::<T>::NotApplied);
			ensure!(!validator.certified.contains(specialization), Error::<T>::AlreadyCertified);
			ensure!(validator.unbonding.is_none(), Error::<T>::AlreadyUnbonding);
			Certified::<T>::try_mutate(specialization, |list| list.try_push(who.clone()))
				.map_err(|_| Error::<T>::TooManyCandidates)?;
			validator.certified = validator.certified.with(specialization);
			Validators::<T>::insert(&who, validator);
			Self::deposit_event(Event::Certified { who, specialization });
			Ok(())
		}

		/// Withdraws `who`'s certification for `specialization`.
		///
		/// Origin: [`Config::CertifyOrigin`]. Emits [`Event::Decertified`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::decertify())]
		pub fn decertify(
			origin: OriginFor<T>,
			who: T::AccountId,
			specialization: TaskType,
		) -> DispatchResult {
			T::CertifyOrigin::ensure_origin(origin)?;
			let mut validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
			ensure!(validator.certified.contains(specialization), Error::<T>::NotCertified);
			validator.certified = validator.certified.without(specialization);
			Certified::<T>::mutate(specialization, |list| list.retain(|v| v != &who));
			Validators::<T>::insert(&who, validator);
			Self::deposit_event(Event::Decertified { who, specialization });
			Ok(())
		}

		/// Starts withdrawing the caller's whole bond: it is no longer drawn onto panels, and may
		/// withdraw after the unbonding delay. Penalties can still reach the unbonding amount.
		///
		/// Origin: signed, a validator. Emits [`Event::Unbonding`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
			ensure!(validator.unbonding.is_none(), Error::<T>::AlreadyUnbonding);
			for specialization in validator.certified.iter() {
				Certified::<T>::mutate(specialization, |list| list.retain(|v| v != &who));
			}
			let unlock_at =
				frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get());
			let amount = core::mem::take(&mut validator.bond);
			validator.certified = SpecializationSet::empty();
			validator.unbonding = Some((amount, unlock_at));
			Validators::<T>::insert(&who, validator);
			Self::deposit_event(Event::Unbonding { who, amount, unlock_at });
			Ok(())
		}

		/// Releases the bond once the unbonding delay has passed; the validator leaves.
		///
		/// Origin: signed, an unbonding validator. Emits [`Event::Withdrawn`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
			let now = frame_system::Pallet::<T>::block_number();
			let (amount, unlock_at) = validator.unbonding.ok_or(Error::<T>::NothingToWithdraw)?;
			ensure!(unlock_at <= now, Error::<T>::NothingToWithdraw);
			ensure!(!ActivePanels::<T>::contains_key(&who), Error::<T>::StillOnPanel);
			Self::release(HoldReason::ValidatorBond, &who, amount);
			Validators::<T>::remove(&who);
			Self::deposit_event(Event::Withdrawn { who, amount });
			Ok(())
		}

		/// Commits to scores for task `task_id`'s solutions: `commitment` is
		/// `BlakeTwo256(scores ‖ salt ‖ validator)` (see [`score_commitment`]).
		///
		/// Origin: signed, a member of the task's panel. Emits [`Event::ScoresCommitted`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::commit_scores())]
		pub fn commit_scores(
			origin: OriginFor<T>,
			task_id: TaskId,
			commitment: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				matches!(round.phase, RoundPhase::Commit { until } if now < until),
				Error::<T>::NotCommitPhase
			);
			ensure!(round.panel.iter().any(|(v, _)| v == &who), Error::<T>::NotOnPanel);
			ensure!(!ScoreCommits::<T>::contains_key(task_id, &who), Error::<T>::AlreadyCommitted);
			ScoreCommits::<T>::insert(task_id, &who, commitment);
			Self::deposit_event(Event::ScoresCommitted { task_id, validator: who });
			Ok(())
		}

		/// Reveals the scores committed to: one quality and innovation score (0–100) per
		/// solution, in the order of the task's solvers. Refused unless they hash, with `salt`
		/// and the caller, to the commitment.
		///
		/// Origin: signed, a panel member who committed. Emits [`Event::ScoresRevealed`].
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::reveal_scores(scores.len() as u32))]
		pub fn reveal_scores(
			origin: OriginFor<T>,
			task_id: TaskId,
			scores: ScoresOf<T>,
			salt: H256,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				matches!(round.phase, RoundPhase::Reveal { until } if now < until),
				Error::<T>::NotRevealPhase
			);
			ensure!(round.panel.iter().any(|(v, _)| v == &who), Error::<T>::NotOnPanel);
			let commitment =
				ScoreCommits::<T>::get(task_id, &who).ok_or(Error::<T>::NoCommitment)?;
			ensure!(!ScoreReveals::<T>::contains_key(task_id, &who), Error::<T>::AlreadyRevealed);
			ensure!(
				scores.len() == round.solvers.len() && scores.iter().all(|s| s.is_valid()),
				Error::<T>::InvalidScores
			);
			ensure!(
				score_commitment(&scores, &salt, &who) == commitment,
				Error::<T>::CommitmentMismatch
			);
			ScoreReveals::<T>::insert(task_id, &who, scores);
			Self::deposit_event(Event::ScoresRevealed { task_id, validator: who });
			Ok(())
		}

		/// Disputes a provisional result, holding the dispute bond: an appeal panel, larger
		/// than the first and drawn without its members, scores again.
		///
		/// Origin: signed, the publisher or a miner with a revealed solution. Emits
		/// [`Event::Disputed`] and [`Event::PanelSelected`].
		#[pallet::call_index(7)]
		#[pallet::weight(T::WeightInfo::dispute(T::MaxCandidates::get()))]
		pub fn dispute(origin: OriginFor<T>, task_id: TaskId) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut round = Rounds::<T>::get(task_id).ok_or(Error::<T>::UnknownRound)?;
			let now = frame_system::Pallet::<T>::block_number();
			ensure!(
				matches!(round.phase, RoundPhase::Provisional { until } if now < until),
				Error::<T>::NotDisputable
			);
			ensure!(round.appeal.is_none(), Error::<T>::AlreadyDisputed);
			ensure!(
				round.publisher == who || round.solvers.contains(&who),
				Error::<T>::NotAParticipant
			);
			let size = (round.panel.len() as u32).saturating_mul(2).saturating_add(1);
			// neither the first panel nor anyone with a stake in the result
			let mut exclude: Vec<T::AccountId> =
				round.panel.iter().map(|(v, _)| v.clone()).collect();
			exclude.push(round.publisher.clone());
			exclude.extend(round.solvers.iter().cloned());
			let panel = Self::draw(round.task_type, size, task_id, true, &exclude);
			ensure!(!panel.is_empty(), Error::<T>::NoAppealPanel);
			let bond = Self::params().dispute_bond;
			T::Currency::hold(&HoldReason::DisputeBond.into(), &who, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;

			let until = now.saturating_add(round.window);
			round.appeal = Some(Appeal {
				disputer: who.clone(),
				bond,
				first_panel: core::mem::replace(&mut round.panel, panel),
				first_result: core::mem::take(&mut round.result),
			});
			round.phase = RoundPhase::Commit { until };
			Self::schedule(until, task_id);
			Self::deposit_event(Event::PanelSelected {
				task_id,
				panel: round.panel.iter().map(|(v, _)| v.clone()).collect(),
				appeal: true,
			});
			Rounds::<T>::insert(task_id, round);
			T::Tasks::note_disputed(task_id);
			Self::deposit_event(Event::Disputed { task_id, disputer: who });
			Ok(())
		}

		/// Replaces the judging rules (for rounds from now on; windows already running keep
		/// theirs).
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::ParamsUpdated`].
		#[pallet::call_index(8)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: ValidationParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The rules in force ([`Config::DefaultParams`] before genesis has set any).
	pub fn params() -> ValidationParamsOf<T> {
		Params::<T>::get().unwrap_or_else(T::DefaultParams::get)
	}

	/// Suggested rules for a runtime's [`Config::DefaultParams`]: a clip band of 15 points,
	/// 10 % of the bond for not revealing, a dispute window of 10 blocks, a dispute bond of
	/// one unit of the currency, and an overturn margin of 10 points.
	pub fn default_params() -> ValidationParamsOf<T> {
		ValidationParams {
			clip_band: 15,
			non_reveal_slash: Perbill::from_percent(10),
			dispute_blocks: 10u32.into(),
			dispute_bond: 1u32.into(),
			overturn_margin: 10,
		}
	}

	/// A candidate's panel weight: bond × reputation.
	pub fn weight_of(who: &T::AccountId) -> u128 {
		let bond: u128 =
			Validators::<T>::get(who).map(|v| v.bond.unique_saturated_into()).unwrap_or(0);
		T::Reputation::score(who) * bond
	}

	/// Draws up to `size` distinct validators certified for `task_type`, none of `exclude`,
	/// each draw picking a remaining candidate with probability proportional to its weight.
	/// The same seed gives the same panel. Returns each member with its weight.
	pub fn select_panel(
		task_type: TaskType,
		size: u32,
		seed: H256,
		exclude: &[T::AccountId],
	) -> Vec<(T::AccountId, u128)> {
		let mut candidates: Vec<(T::AccountId, u128)> = Certified::<T>::get(task_type)
			.into_iter()
			.filter(|v| !exclude.contains(v))
			.map(|v| {
				let w = Self::weight_of(&v);
				(v, w)
			})
			.filter(|(_, w)| *w > 0)
			.collect();
		let mut panel = Vec::new();
		let mut draw = 0u32;
		while (panel.len() as u32) < size && !candidates.is_empty() {
			let total: u128 = candidates.iter().fold(0, |a, (_, w)| a.saturating_add(*w));
			let random = BlakeTwo256::hash_of(&(seed, draw));
			draw = draw.saturating_add(1);
			let mut bytes = [0u8; 16];
			bytes.copy_from_slice(&random.as_bytes()[..16]);
			let mut point = u128::from_le_bytes(bytes) % total;
			let index = candidates
				.iter()
				.position(|(_, w)| {
					if point < *w {
						true
					} else {
						point -= *w;
						false
					}
				})
				.unwrap_or(candidates.len() - 1);
			panel.push(candidates.swap_remove(index));
		}
		panel
	}

	/// Draws a panel for `task_id` seeded by the parent block's hash (see the module docs).
	fn draw(
		task_type: TaskType,
		size: u32,
		task_id: TaskId,
		appeal: bool,
		exclude: &[T::AccountId],
	) -> BoundedVec<(T::AccountId, u128), T::MaxPanel> {
		let seed =
			BlakeTwo256::hash_of(&(frame_system::Pallet::<T>::parent_hash(), task_id, appeal));
		let size = size.min(T::MaxPanel::get());
		let mut panel = Self::select_panel(task_type, size, seed, exclude);
		panel.truncate(size as usize);
		for (member, _) in panel.iter() {
			ActivePanels::<T>::mutate(member, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
		}
		BoundedVec::truncate_from(panel)
	}

	fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		tos_primitives::holds::release::<_, T::Currency>(&reason.into(), who, amount);
	}

	/// Moves `amount` held from `who` to the treasury (free there).
	fn to_treasury(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		tos_primitives::holds::transfer::<_, T::Currency>(
			&reason.into(),
			who,
			&T::Treasury::get(),
			amount,
		);
	}

	/// Takes `share` of `who`'s bond (or of what it is unbonding) to the treasury.
	fn slash_validator(who: &T::AccountId, share: Perbill) -> BalanceOf<T> {
		let Some(mut validator) = Validators::<T>::get(who) else { return Zero::zero() };
		let slashed = if let Some((amount, _)) = validator.unbonding.as_mut() {
			let slashed = share * *amount;
			*amount = amount.saturating_sub(slashed);
			slashed
		} else {
			let slashed = share * validator.bond;
			validator.bond = validator.bond.saturating_sub(slashed);
			slashed
		};
		Self::to_treasury(HoldReason::ValidatorBond, who, slashed);
		Validators::<T>::insert(who, validator);
		slashed
	}

	/// Queues `task_id`'s next deadline at `at`; never lost, handled in order (see
	/// `tos_primitives::deadlines`).
	fn schedule(at: BlockNumberFor<T>, task_id: TaskId) {
		Queue::<T>::schedule(at, task_id);
	}

	/// A round's deadline arrived: move it on. Returns the weight used.
	fn on_deadline(task_id: TaskId, now: BlockNumberFor<T>) -> Weight {
		let Some(mut round) = Rounds::<T>::get(task_id) else {
			return T::WeightInfo::on_deadline_commit();
		};
		let (panel, solutions) = (round.panel.len() as u32, round.solvers.len() as u32);
		match round.phase {
			RoundPhase::Commit { until } if now >= until => {
				let until = now.saturating_add(round.window);
				round.phase = RoundPhase::Reveal { until };
				Self::schedule(until, task_id);
				Rounds::<T>::insert(task_id, round);
				T::WeightInfo::on_deadline_commit()
			},
			RoundPhase::Reveal { until } if now >= until => {
				let (result, silent) = Self::tally(task_id, &round);
				let tallied = T::WeightInfo::on_deadline_reveal(panel, solutions)
					.saturating_add(T::WeightInfo::on_deadline_silent(silent));
				match round.appeal.take() {
					None => {
						let until = now.saturating_add(Self::params().dispute_blocks);
						round.phase = RoundPhase::Provisional { until };
						round.result = BoundedVec::truncate_from(result.clone());
						Self::schedule(until, task_id);
						Rounds::<T>::insert(task_id, round);
						T::Tasks::note_provisional(task_id);
						Self::deposit_event(Event::ProvisionalResult {
							task_id,
							scores: result,
							dispute_until: until,
						});
						tallied
					},
					Some(appeal) if !Self::any_revealed(task_id, &round.panel) => {
						// nobody on the appeal judged: the first result stands, and the
						// disputer, who could not be heard, gets its bond back
						Self::release(HoldReason::DisputeBond, &appeal.disputer, appeal.bond);
						Self::deposit_event(Event::AppealDecided { task_id, overturned: false });
						let first = appeal.first_result.to_vec();
						let judges = appeal.first_panel.len() as u32;
						let handed_on =
							Self::finalize(task_id, &round, &first, &appeal.first_panel);
						tallied
							.saturating_add(T::WeightInfo::on_deadline_final(judges, solutions))
							.saturating_add(handed_on)
					},
					Some(appeal) => {
						let margin = Self::params().overturn_margin;
						let overturned = appeal.first_result.iter().zip(result.iter()).any(
							|(first, appealed)| {
								first.quality.get().abs_diff(appealed.quality.get()) > margin
									|| first.innovation.get().abs_diff(appealed.innovation.get())
										> margin
							},
						);
						if overturned {
							Self::release(HoldReason::DisputeBond, &appeal.disputer, appeal.bond);
						} else {
							Self::to_treasury(
								HoldReason::DisputeBond,
								&appeal.disputer,
								appeal.bond,
							);
						}
						Self::deposit_event(Event::AppealDecided { task_id, overturned });
						let first = appeal.first_panel.len() as u32;
						let mut judges = appeal.first_panel.into_inner();
						judges.extend(round.panel.iter().cloned());
						let handed_on = Self::finalize(task_id, &round, &result, &judges);
						tallied
							.saturating_add(T::WeightInfo::on_deadline_final(
								first.saturating_add(panel),
								solutions,
							))
							.saturating_add(handed_on)
					},
				}
			},
			RoundPhase::Provisional { until } if now >= until => {
				let result = round.result.to_vec();
				let handed_on = Self::finalize(task_id, &round, &result, &round.panel);
				T::WeightInfo::on_deadline_final(panel, solutions).saturating_add(handed_on)
			},
			_ => T::WeightInfo::on_deadline_commit(),
		}
	}

	/// The consensus of the current panel's revealed scores, per solution (zero where nobody
	/// revealed); penalises the members who did not reveal, and returns how many they were.
	fn tally(task_id: TaskId, round: &RoundOf<T>) -> (Vec<SolutionScore>, u32) {
		let params = Self::params();
		let (band, slash) = (params.clip_band, params.non_reveal_slash);
		let mut revealed: Vec<(ScoresOf<T>, u128)> = Vec::new();
		let mut silent = 0u32;
		for (validator, weight) in round.panel.iter() {
			match ScoreReveals::<T>::get(task_id, validator) {
				Some(scores) => revealed.push((scores, *weight)),
				None => {
					silent += 1;
					let slashed = Self::slash_validator(validator, slash);
					T::Ledger::record(
						validator,
						round.task_type,
						OutcomeScores::only(
							ReputationDimension::ValidationAccuracy,
							Score::default(),
						),
					);
					Self::deposit_event(Event::ValidatorPenalised {
						task_id,
						validator: validator.clone(),
						slashed,
					});
				},
			}
		}
		let result = (0..round.solvers.len())
			.map(|i| {
				let axis = |pick: fn(&SolutionScore) -> Score| {
					let scores: Vec<WeightedScore> = revealed
						.iter()
						.filter_map(|(scores, weight)| {
							scores.get(i).map(|s| WeightedScore { score: pick(s), weight: *weight })
						})
						.collect();
					scoring::consensus(&scores, band).unwrap_or_default()
				};
				SolutionScore { quality: axis(|s| s.quality), innovation: axis(|s| s.innovation) }
			})
			.collect();
		(result, silent)
	}

	/// Whether any of `panel` revealed scores for `task_id`.
	fn any_revealed(task_id: TaskId, panel: &[(T::AccountId, u128)]) -> bool {
		panel.iter().any(|(v, _)| ScoreReveals::<T>::contains_key(task_id, v))
	}

	/// The accuracy of `scores` against `result`: the mean over solutions and axes of 100 less
	/// the distance.
	fn accuracy_of(scores: &[SolutionScore], result: &[SolutionScore]) -> Score {
		let total: u32 = scores
			.iter()
			.zip(result.iter())
			.map(|(given, agreed)| {
				u32::from(scoring::accuracy(given.quality, agreed.quality).get())
					+ u32::from(scoring::accuracy(given.innovation, agreed.innovation).get())
			})
			.sum();
		let count = (result.len() as u32).saturating_mul(2).max(1);
		Score::new((total / count).min(100) as u8).unwrap_or_default()
	}

	/// The result is final: record reputation, hand it on, and forget the round.
	///
	/// Each judge's score furthest above consensus goes to the collusion detector (one check per
	/// judge and round); a miner it flags leaves the outcome (neither judged nor paid). The
	/// panels' members may withdraw again. Returns the weight of the checks and the hand-over.
	fn finalize(
		task_id: TaskId,
		round: &RoundOf<T>,
		result: &[SolutionScore],
		judges: &[(T::AccountId, u128)],
	) -> Weight {
		let mut validators = Vec::new();
		let mut colluding: Vec<T::AccountId> = Vec::new();
		let mut checks = 0u32;
		// one read of each judge's scores: its accuracy, and its most favoured solution (the
		// largest excess over consensus, if any) for the collusion detector — at most one check
		// per judge and round
		for (validator, weight) in judges {
			let Some(given) = ScoreReveals::<T>::get(task_id, validator) else { continue };
			let accuracy = Self::accuracy_of(&given, result);
			T::Ledger::record(
				validator,
				round.task_type,
				OutcomeScores::only(ReputationDimension::ValidationAccuracy, accuracy),
			);
			validators.push(ValidatorResult {
				validator: validator.clone(),
				accuracy,
				weight: *weight,
			});
			let favoured = round
				.solvers
				.iter()
				.zip(result)
				.zip(given.iter())
				.filter(|((_, agreed), mine)| mine.quality > agreed.quality)
				.max_by_key(|((_, agreed), mine)| mine.quality.get() - agreed.quality.get());
			if let Some(((miner, agreed), mine)) = favoured {
				checks = checks.saturating_add(1);
				if T::Fraud::check_score(task_id, validator, miner, mine.quality, agreed.quality) {
					colluding.push(miner.clone());
				}
			}
		}
		// the panels are done: their members may withdraw again (kept until now so that a
		// collusion flag can still reach their bonds)
		let mut members: Vec<&T::AccountId> = judges.iter().map(|(v, _)| v).collect();
		for (member, _) in round.panel.iter() {
			if !members.contains(&member) {
				members.push(member);
			}
		}
		for member in members {
			ActivePanels::<T>::mutate_exists(member, |n| {
				*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0u32);
			});
		}
		// a colluder's favourite leaves the outcome: neither judged nor paid
		let solutions: Vec<(T::AccountId, SolutionScore)> = round
			.solvers
			.iter()
			.cloned()
			.zip(result.iter().copied())
			.filter(|(miner, _)| !colluding.contains(miner))
			.collect();
		let handed_on = T::Fraud::score_weight().saturating_mul(checks.into()).saturating_add(
			T::OnValidated::weight(solutions.len() as u32, validators.len() as u32),
		);
		for (miner, score) in solutions.iter() {
			T::Ledger::record(
				miner,
				round.task_type,
				OutcomeScores::only(ReputationDimension::Quality, score.quality)
					.with(ReputationDimension::Innovation, score.innovation),
			);
		}
		let limit = T::MaxPanel::get().saturating_mul(2);
		let _ = ScoreCommits::<T>::clear_prefix(task_id, limit, None);
		let _ = ScoreReveals::<T>::clear_prefix(task_id, limit, None);
		Rounds::<T>::remove(task_id);
		Self::deposit_event(Event::ResultFinal { task_id, scores: result.to_vec() });
		T::OnValidated::on_validated(task_id, &ValidationOutcome { solutions, validators });
		handed_on
	}

	/// Checks that every certified list names validators certified for it, that holds match
	/// bonds and disputes, and that every round has its deadline queued.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (task_type, list) in Certified::<T>::iter() {
			for who in list.iter() {
				let certified =
					Validators::<T>::get(who).is_some_and(|v| v.certified.contains(task_type));
				frame_support::ensure!(certified, "a listed validator is not certified");
			}
		}
		for (who, validator) in Validators::<T>::iter() {
			let expected = validator
				.bond
				.saturating_add(validator.unbonding.map(|(a, _)| a).unwrap_or_default());
			let held = T::Currency::balance_on_hold(&HoldReason::ValidatorBond.into(), &who);
			frame_support::ensure!(held == expected, "a validator's hold differs from its bond");
		}
		let mut disputes: alloc::collections::btree_map::BTreeMap<T::AccountId, BalanceOf<T>> =
			Default::default();
		for (task_id, round) in Rounds::<T>::iter() {
			if let Some(appeal) = round.appeal {
				let entry = disputes.entry(appeal.disputer).or_insert_with(Zero::zero);
				*entry = entry.saturating_add(appeal.bond);
			}
			frame_support::ensure!(Queue::<T>::contains(task_id), "a round has no deadline queued");
		}
		for (who, amount) in disputes {
			let held = T::Currency::balance_on_hold(&HoldReason::DisputeBond.into(), &who);
			frame_support::ensure!(held == amount, "a dispute hold differs from its bond");
		}
		Ok(())
	}
}

impl<T: Config> TaskValidation<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn begin_validation(request: ValidationRequest<'_, T::AccountId, BlockNumberFor<T>>) {
		// nobody judges their own task
		let mut exclude = request.solvers.to_vec();
		exclude.push(request.publisher.clone());
		let panel =
			Self::draw(request.task_type, request.panel_size, request.task_id, false, &exclude);
		// half the validation blocks to commit, the rest to reveal; at least one each
		let window = (request.validation_blocks / 2u32.into()).max(1u32.into());
		let until = frame_system::Pallet::<T>::block_number().saturating_add(window);
		Self::deposit_event(Event::PanelSelected {
			task_id: request.task_id,
			panel: panel.iter().map(|(v, _)| v.clone()).collect(),
			appeal: false,
		});
		Rounds::<T>::insert(
			request.task_id,
			Round {
				task_type: request.task_type,
				publisher: request.publisher.clone(),
				solvers: BoundedVec::truncate_from(request.solvers.to_vec()),
				panel,
				window,
				phase: RoundPhase::Commit { until },
				result: BoundedVec::new(),
				appeal: None,
			},
		);
		Self::schedule(until, request.task_id);
	}

	fn weight() -> Weight {
		T::WeightInfo::begin_validation(T::MaxCandidates::get())
	}
}

impl<T: Config> tos_primitives::Penalties<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>
	for Pallet<T>
{
	fn bonded(who: &T::AccountId) -> BalanceOf<T> {
		Validators::<T>::get(who)
			.map(|v| v.bond.saturating_add(v.unbonding.map(|(a, _)| a).unwrap_or_default()))
			.unwrap_or_default()
	}

	/// Takes from the bond first, then from what is unbonding.
	fn slash(who: &T::AccountId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
		let Some(mut validator) = Validators::<T>::get(who) else { return Zero::zero() };
		let mut left = amount;
		let from_bond = left.min(validator.bond);
		validator.bond.saturating_reduce(from_bond);
		left.saturating_reduce(from_bond);
		if let Some((unbonding, _)) = validator.unbonding.as_mut() {
			let take = left.min(*unbonding);
			unbonding.saturating_reduce(take);
			left.saturating_reduce(take);
		}
		let slashed = amount.saturating_sub(left);
		tos_primitives::holds::transfer::<_, T::Currency>(
			&HoldReason::ValidatorBond.into(),
			who,
			to,
			slashed,
		);
		Validators::<T>::insert(who, validator);
		slashed
	}

	/// A banned validator loses every certification (governance may certify it again).
	fn ban(who: &T::AccountId, _until: BlockNumberFor<T>) {
		let Some(mut validator) = Validators::<T>::get(who) else { return };
		for specialization in validator.certified.iter() {
			Certified::<T>::mutate(specialization, |list| list.retain(|v| v != who));
			Self::deposit_event(Event::Decertified { who: who.clone(), specialization });
		}
		validator.certified = SpecializationSet::empty();
		Validators::<T>::insert(who, validator);
	}
}
