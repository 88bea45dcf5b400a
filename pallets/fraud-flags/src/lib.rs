//! # Fraud flags
//!
//! Catches cheating in the AI-mining market, and punishes what is proven.
//!
//! ## Detectors
//!
//! They run inside the other pallets' flows, through [`FraudOracle`]. **None of them slashes a
//! miner**: a detector cannot tell who is to blame as surely as a person can, so its flag only
//! keeps a solution from being paid, and slashing a miner needs a confirmed report.
//!
//! - **pre-computation** (tasks, at commit): a commitment sooner after publication than the
//!   task type's minimum solve time ([`MinSolveTime`], set at genesis per type and by
//!   governance) was computed before the task existed, or elsewhere. The solution is
//!   excluded and its submission bond forfeited.
//! - **plagiarism, the chain's first filter** (tasks, when the reveal window closes):
//!   solutions with the same hash, or declared fingerprints within
//!   [`FraudParams::hamming_threshold`] bits, are copies of each other
//!   ([`FraudOracle::similar_pairs`]). Copies *share one solution's reward*: splitting a
//!   solution over identities earns nothing, and since who committed first says nothing about
//!   who wrote it (a leak can be committed before its author), nobody is flagged. Validators
//!   check the content itself (pallet-tos-validation-voting), which catches copies with a
//!   false fingerprint.
//! - **collusion** (validation, every round): a validator with a score further from the
//!   panel's median than the outlier margin — on any solution, either axis, either way — is
//!   flagged *for the round* (unpaid, its scores set aside). This pallet counts, per
//!   validator and whatever miners it judged (a partner changing identity changes nothing),
//!   the rounds judged and flagged in a window: at least [`FraudParams::collusion_rounds`]
//!   flagged rounds that make at least [`FraudParams::collusion_share`] of its rounds confirm
//!   it a colluder — its stake is slashed by the collusion share, its certifications
//!   withdrawn and it is banned. An honest validator, flagged in a round now and then by its
//!   own noise, never comes near the share (`docs/MECHANISM.md` measures it); the favoured
//!   miner is never punished on the validator's word. The colluder's coalition is the
//!   council's to name: a [report](Pallet::report_fraud) of a miner the colluder favoured,
//!   naming the task, confirmed on the council's own evidence, claws back the miner's pay
//!   from that task and punishes it (below) — so a partner's pay from the flagged rounds does
//!   not outlast the confirmation.
//! - **leaning** (validation, every round): a bias smaller than the outlier margin is, in
//!   one round, noise; repeated, it is not. Per validator, [`JudgingLeanings`] keeps the mean
//!   deviation of its scores from the consensus (quality and innovation added) on each of
//!   the last [`MAX_LEANINGS`] miners it judged, over its last [`LEAN_WINDOW`] rounds with
//!   each, against its mean deviation overall (each round's median, so a harsh or generous
//!   judge is not leaning). [`LEAN_MARGIN`] points above, over at least [`LEAN_ROUNDS`]
//!   rounds, and it leans towards that miner ([`FraudOracle::leaning`]): in a round judging
//!   that miner its scores count for nothing, it is unpaid and the round is flagged — so
//!   counted towards the collusion sanction above.
//!
//! ## Reports
//!
//! Anyone may [`report_fraud`](Pallet::report_fraud) with a bond and an evidence hash; the
//! adjudication origin (the expert council in the runtime) [`confirm`](Pallet::confirm)s it —
//! the reporter gets its bond back and a share of the slash — or
//! [`dismiss`](Pallet::dismiss)es it, and the reporter's bond goes to the treasury.
//!
//! ## Penalties
//!
//! **Penalties scale with the prize.** A report may name the task the fraud was committed in;
//! confirmed, the offender gives the treasury back everything it was paid from that task's
//! escrow and, on top, the most it could have won there — the task's whole reward, if it
//! committed a solution to it — from its pay that has not vested yet (a miner's pay is held
//! until its task is cleaned up: [`TaskPayments::take_unvested`]), then its free balance,
//! then its bonds ([`Event::ClawedBack`]), on top of the slash below. An identity that moves
//! its earnings out as soon as it can still has its last day's pay within reach. So a
//! confirmed fraud costs more than its
//! best case, whatever the task was worth, and a long con (honest work to earn a level, then a
//! copy on the one big task) loses the big task's reward: a cheat that would win at most the
//! reward *R* unseen and loses *R* when confirmed loses on average as soon as its chance of
//! confirmation is above ½. (The record of a task's pay is kept
//! until the task is cleaned up, a day after settlement in the runtime: a report must name the
//! task within it.)
//!
//! A confirmed offence slashes the offender's bonds ([`Penalties`]: its miner and validator
//! bonds, each from the bond at stake first, then from what is unbonding) by kind —
//! plagiarism 80 %, collusion 100 %, pre-computation 30 % by default, governance-settable —,
//! gives the reporter, if any, its share and the treasury the rest, lowers the offender's
//! reputation by the fraud multiplier ([`ReputationLedger::record_fraud`]), and bans an offender with `ban_after` offences (two
//! by default) for `ban_period` blocks. The detector's collusion
//! sanction waits in a queue the hook works through, at most `MaxPunishmentsPerBlock` a
//! block; a confirmed report is punished at once.
//!
//! ## Calls
//!
//! - [`report_fraud`](Pallet::report_fraud): by anyone, with a bond;
//! - [`confirm`](Pallet::confirm), [`dismiss`](Pallet::dismiss): by the adjudication origin;
//! - [`set_params`](Pallet::set_params), [`set_min_solve_time`](Pallet::set_min_solve_time):
//!   by the parameters origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;
pub use types::*;
pub use weights::WeightInfo;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::fungible::{Inspect, Mutate, MutateHold},
};
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _, Saturating, Zero},
	Perbill,
};
use tos_primitives::{
	FraudKind, FraudOracle, Penalties, ReputationLedger, RevealedSolution, TaskId, TaskPayments,
	TaskType,
};

/// Gives benchmark accounts stake to slash.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Bonds `who` as a miner and as a validator.
	fn stake(who: &AccountId);
	/// A task `who` committed a solution to and was paid from (its record of pay and its
	/// reward, what a confirmed fraud naming it gives back), made for the benchmark.
	fn paid_task(_who: &AccountId) -> TaskId {
		1
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl<AccountId> BenchmarkHelper<AccountId> for () {
	fn stake(_: &AccountId) {}
}

/// A balance of the currency bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
/// The rules.
pub type FraudParamsOf<T> = FraudParams<BalanceOf<T>, BlockNumberFor<T>>;

/// The storage version: 1 counts collusion per validator ([`JudgingRecords`]) and carries the
/// collusion share in [`FraudParams`]; 2 lets a [`Report`] name a task (see [`migrations`]).
const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);
#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency report bonds are held in (and a confirmed fraud's pay is clawed back
		/// from).
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ Mutate<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// The stake that can be slashed and the bans that can be imposed.
		type Penalties: Penalties<Self::AccountId, BalanceOf<Self>, BlockNumberFor<Self>>;
		/// Where frauds are recorded (the reputation fraud multiplier).
		type Reputation: ReputationLedger<Self::AccountId>;
		/// What tasks paid whom: a confirmed report on a task claws its pay back.
		type Payments: TaskPayments<Self::AccountId, BalanceOf<Self>>;
		/// Who confirms or dismisses reports (the expert council).
		type AdjudicateOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Who changes the rules and the minimum solve times.
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// Where slashes and dismissed reports' bonds go.
		#[pallet::constant]
		type Treasury: Get<Self::AccountId>;
		/// The rules genesis starts with.
		type DefaultParams: Get<FraudParamsOf<Self>>;
		/// The most queued punishments applied in one block.
		#[pallet::constant]
		type MaxPunishmentsPerBlock: Get<u32>;
		/// The most solutions of a task (for the detector benchmark's range).
		#[pallet::constant]
		type MaxSolutions: Get<u32>;
		/// Weights of the calls and detectors, from benchmarks.
		type WeightInfo: WeightInfo;
		/// Gives benchmark accounts stake.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper<Self::AccountId>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A report's bond, until it is adjudicated.
		ReportBond,
	}

	/// The rules.
	#[pallet::storage]
	pub type Params<T: Config> = StorageValue<_, FraudParamsOf<T>, OptionQuery>;

	/// The least blocks between a task's publication and a commitment, per task type.
	#[pallet::storage]
	pub type MinSolveTime<T: Config> =
		StorageMap<_, Twox64Concat, TaskType, BlockNumberFor<T>, ValueQuery>;

	/// Reports awaiting adjudication.
	#[pallet::storage]
	pub type Reports<T: Config> =
		StorageMap<_, Twox64Concat, ReportId, Report<T::AccountId, BalanceOf<T>>>;

	/// The next report's number.
	#[pallet::storage]
	pub type NextReportId<T> = StorageValue<_, ReportId, ValueQuery>;

	/// Punishments flagged by the detectors, waiting for the hook, by queue position.
	#[pallet::storage]
	pub type Punishments<T: Config> = StorageMap<_, Twox64Concat, u64, (T::AccountId, FraudKind)>;

	/// The punishment queue's (head, tail): entries `head..tail` are waiting.
	#[pallet::storage]
	pub type PunishmentQueue<T> = StorageValue<_, (u64, u64), ValueQuery>;

	/// How many confirmed offences each account has had.
	#[pallet::storage]
	pub type Offences<T: Config> = StorageMap<_, Blake2_128Concat, T::AccountId, u32, ValueQuery>;

	/// Per validator: rounds judged and flagged in its current collusion window.
	#[pallet::storage]
	pub type JudgingRecords<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, JudgingRecord<BlockNumberFor<T>>>;

	/// Per validator: how its scores lean, overall and per miner it judged (see [`Leanings`]).
	#[pallet::storage]
	pub type JudgingLeanings<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Leanings<T::AccountId>, ValueQuery>;

	/// Per validator: its own noise — the running mean of each round's median distance of its
	/// deviations from the consensus (points, quality and innovation added) from their median
	/// — which widens its leaning margin ([`LEAN_SPREAD_MARGIN_HALVES`]).
	#[pallet::storage]
	pub type JudgingSpreads<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, RunningMean, ValueQuery>;

	/// Genesis writes [`Config::DefaultParams`] and the minimum solve time of each task type.
	#[pallet::genesis_config]
	pub struct GenesisConfig<T: Config> {
		/// The least blocks between a task's publication and a commitment, per task type
		/// (types not named have none). By default [`Pallet::default_min_solve_times`].
		pub min_solve_times: Vec<(TaskType, BlockNumberFor<T>)>,
	}

	impl<T: Config> Default for GenesisConfig<T> {
		fn default() -> Self {
			Self { min_solve_times: Pallet::<T>::default_min_solve_times() }
		}
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Params::<T>::put(T::DefaultParams::get());
			for (task_type, blocks) in self.min_solve_times.iter() {
				MinSolveTime::<T>::insert(task_type, blocks);
			}
		}
	}

	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// `who` was flagged for `kind` fraud (in `task_id`, if a detector found it), with the
		/// hash of the evidence. A detector's flag on a miner only excludes its solution; a
		/// confirmed report, or the collusion detector's sanction of a validator, also slashes
		/// ([`Event::Slashed`]).
		Flagged { who: T::AccountId, kind: FraudKind, task_id: Option<TaskId>, evidence: H256 },
		/// A flag slashed `amount` of `who`'s bonds: `to_reporter` to the reporter, the rest
		/// to the treasury.
		Slashed {
			who: T::AccountId,
			kind: FraudKind,
			amount: BalanceOf<T>,
			to_reporter: BalanceOf<T>,
		},
		/// A repeat offender is banned until `until`.
		Banned { who: T::AccountId, until: BlockNumberFor<T> },
		/// A confirmed fraud gave the treasury `amount`: what it was paid from the task it
		/// cheated in, and the task's whole reward on top (from its free balance, then its
		/// bonds, as far as they went).
		ClawedBack { who: T::AccountId, task_id: TaskId, amount: BalanceOf<T> },
		/// A report was filed, its bond held.
		ReportFiled {
			report_id: ReportId,
			reporter: T::AccountId,
			target: T::AccountId,
			kind: FraudKind,
			evidence: H256,
		},
		/// A report was confirmed; the target was flagged.
		ReportConfirmed { report_id: ReportId },
		/// A report was dismissed; its bond went to the treasury.
		ReportDismissed { report_id: ReportId, bond: BalanceOf<T> },
		/// Governance changed the rules.
		ParamsUpdated,
		/// Governance set a task type's minimum solve time.
		MinSolveTimeSet { task_type: TaskType, blocks: BlockNumberFor<T> },
	}

	#[pallet::error]
	pub enum Error<T> {
		/// No such report.
		UnknownReport,
		/// One cannot report oneself.
		SelfReport,
		/// The account cannot hold the report bond.
		InsufficientBalance,
		/// The rules are out of bounds.
		InvalidParams,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_now: BlockNumberFor<T>) -> Weight {
			let applied = Self::apply_queued(T::MaxPunishmentsPerBlock::get());
			T::WeightInfo::on_initialize(applied)
		}

		fn integrity_test() {
			assert!(T::MaxPunishmentsPerBlock::get() > 0, "punishments must progress");
			assert!(T::DefaultParams::get().is_valid(), "default params are valid");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Reports `target` for `kind` fraud with the hash of off-chain evidence, holding the
		/// report bond until governance decides; `task_id` names the task it cheated in, whose
		/// pay a confirmation claws back.
		///
		/// Origin: signed. Emits [`Event::ReportFiled`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::report_fraud())]
		pub fn report_fraud(
			origin: OriginFor<T>,
			target: T::AccountId,
			kind: FraudKind,
			task_id: Option<TaskId>,
			evidence: H256,
		) -> DispatchResult {
			let reporter = ensure_signed(origin)?;
			ensure!(reporter != target, Error::<T>::SelfReport);
			let bond = Self::params().report_bond;
			T::Currency::hold(&HoldReason::ReportBond.into(), &reporter, bond)
				.map_err(|_| Error::<T>::InsufficientBalance)?;
			let report_id = NextReportId::<T>::get();
			NextReportId::<T>::put(report_id.saturating_add(1));
			Reports::<T>::insert(
				report_id,
				Report {
					reporter: reporter.clone(),
					target: target.clone(),
					kind,
					task_id,
					evidence,
					bond,
				},
			);
			Self::deposit_event(Event::ReportFiled { report_id, reporter, target, kind, evidence });
			Ok(())
		}

		/// Confirms a report: the target is flagged and slashed, the reporter gets its bond
		/// back and its share of the slash.
		///
		/// Origin: [`Config::AdjudicateOrigin`]. Emits [`Event::ReportConfirmed`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::confirm())]
		pub fn confirm(origin: OriginFor<T>, report_id: ReportId) -> DispatchResult {
			T::AdjudicateOrigin::ensure_origin(origin)?;
			let report = Reports::<T>::take(report_id).ok_or(Error::<T>::UnknownReport)?;
			tos_primitives::holds::release::<_, T::Currency>(
				&HoldReason::ReportBond.into(),
				&report.reporter,
				report.bond,
			);
			Self::deposit_event(Event::Flagged {
				who: report.target.clone(),
				kind: report.kind,
				task_id: report.task_id,
				evidence: report.evidence,
			});
			if let Some(task_id) = report.task_id {
				Self::claw_back(&report.target, task_id);
			}
			Self::punish(&report.target, report.kind, Some(&report.reporter));
			Self::deposit_event(Event::ReportConfirmed { report_id });
			Ok(())
		}

		/// Dismisses a report: the reporter's bond goes to the treasury.
		///
		/// Origin: [`Config::AdjudicateOrigin`]. Emits [`Event::ReportDismissed`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::dismiss())]
		pub fn dismiss(origin: OriginFor<T>, report_id: ReportId) -> DispatchResult {
			T::AdjudicateOrigin::ensure_origin(origin)?;
			let report = Reports::<T>::take(report_id).ok_or(Error::<T>::UnknownReport)?;
			tos_primitives::holds::transfer::<_, T::Currency>(
				&HoldReason::ReportBond.into(),
				&report.reporter,
				&T::Treasury::get(),
				report.bond,
			);
			Self::deposit_event(Event::ReportDismissed { report_id, bond: report.bond });
			Ok(())
		}

		/// Replaces the rules.
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::ParamsUpdated`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(origin: OriginFor<T>, params: FraudParamsOf<T>) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			ensure!(params.is_valid(), Error::<T>::InvalidParams);
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}

		/// Sets the least blocks between publication and a commitment for `task_type`.
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::MinSolveTimeSet`].
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_min_solve_time())]
		pub fn set_min_solve_time(
			origin: OriginFor<T>,
			task_type: TaskType,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			MinSolveTime::<T>::insert(task_type, blocks);
			Self::deposit_event(Event::MinSolveTimeSet { task_type, blocks });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The rules in force ([`Config::DefaultParams`] before genesis has set any).
	pub fn params() -> FraudParamsOf<T> {
		Params::<T>::get().unwrap_or_else(T::DefaultParams::get)
	}

	/// Suggested rules for a runtime's [`Config::DefaultParams`]: copies within
	/// [`tos_primitives::fingerprint::NEAR_DUPLICATE_BITS`] bits, slashes of 80 %
	/// (plagiarism), 100 % (collusion) and 30 % (pre-computation), 10 % of a slash to its
	/// reporter, a colluder confirmed by 3 flagged rounds making a quarter of its rounds within
	/// 14 400 blocks, a ban after the second offence for 100 800 blocks, a report bond of one
	/// unit.
	pub fn default_params() -> FraudParamsOf<T> {
		FraudParams {
			hamming_threshold: tos_primitives::fingerprint::NEAR_DUPLICATE_BITS,
			plagiarism_slash: Perbill::from_percent(80),
			collusion_slash: Perbill::from_percent(100),
			precompute_slash: Perbill::from_percent(30),
			reporter_share: Perbill::from_percent(10),
			collusion_rounds: 3,
			collusion_share: Perbill::from_percent(25),
			collusion_window: 14_400u32.into(),
			ban_after: 2,
			ban_period: 100_800u32.into(),
			report_bond: 1u32.into(),
		}
	}

	/// The minimum solve times a chain starts with, in blocks of six seconds: what the
	/// quickest honest work on each type takes — code generation and data analysis 5 minutes
	/// (50 blocks), model inference 1 minute (10), labelling 2 minutes (20), training 10 minutes
	/// (100), anything else 2 minutes (20). A commitment sooner than that was computed before
	/// the task existed.
	pub fn default_min_solve_times() -> Vec<(TaskType, BlockNumberFor<T>)> {
		use TaskType::*;
		[
			(CodeGeneration, 50u32),
			(DataAnalysis, 50),
			(ModelInference, 10),
			(DataLabelling, 20),
			(ModelTraining, 100),
			(Other, 20),
		]
		.into_iter()
		.map(|(t, b)| (t, b.into()))
		.collect()
	}

	/// A detector flagged `who`: the event with its evidence.
	fn flag(who: &T::AccountId, kind: FraudKind, task_id: TaskId, evidence: H256) {
		Self::deposit_event(Event::Flagged {
			who: who.clone(),
			kind,
			task_id: Some(task_id),
			evidence,
		});
	}

	/// Queues the punishment of a confirmed offence (the hook applies a few per block, oldest
	/// first, so a detector inside another pallet's hook stays cheap).
	fn queue_punishment(who: &T::AccountId, kind: FraudKind) {
		let (head, tail) = PunishmentQueue::<T>::get();
		Punishments::<T>::insert(tail, (who.clone(), kind));
		PunishmentQueue::<T>::put((head, tail.saturating_add(1)));
	}

	/// Applies up to `max` queued punishments; returns how many.
	fn apply_queued(max: u32) -> u32 {
		let (mut head, tail) = PunishmentQueue::<T>::get();
		let mut applied = 0;
		while head < tail && applied < max {
			if let Some((who, kind)) = Punishments::<T>::take(head) {
				Self::punish(&who, kind, None);
			}
			head = head.saturating_add(1);
			applied += 1;
		}
		PunishmentQueue::<T>::put((head, tail));
		applied
	}

	/// Takes from `who`, to the treasury, what it was paid from `task_id`'s escrow and, on top,
	/// the most it could have won there (the task's whole reward, if it committed a solution
	/// to it) — from its pay that has not vested yet first (an identity that moved its
	/// earnings out still has those), then its free balance, the rest from its bonds.
	fn claw_back(who: &T::AccountId, task_id: TaskId) {
		let due = T::Payments::paid(task_id, who).saturating_add(T::Payments::prize(task_id, who));
		if due.is_zero() {
			return;
		}
		let treasury = T::Treasury::get();
		let from_vesting = T::Payments::take_unvested(who, due, &treasury);
		let free = T::Currency::reducible_balance(
			who,
			frame_support::traits::tokens::Preservation::Expendable,
			frame_support::traits::tokens::Fortitude::Polite,
		)
		.min(due.saturating_sub(from_vesting));
		let from_free = if T::Currency::transfer(
			who,
			&treasury,
			free,
			frame_support::traits::tokens::Preservation::Expendable,
		)
		.is_ok()
		{
			free
		} else {
			Zero::zero()
		};
		let taken = from_vesting.saturating_add(from_free);
		let from_bonds = T::Penalties::slash(who, due.saturating_sub(taken), &treasury);
		Self::deposit_event(Event::ClawedBack {
			who: who.clone(),
			task_id,
			amount: taken.saturating_add(from_bonds),
		});
	}

	/// Punishes `who` for `kind`: the slash (the reporter's share to it, the rest to the
	/// treasury), the reputation fraud record, and a ban for a repeat offender.
	fn punish(who: &T::AccountId, kind: FraudKind, reporter: Option<&T::AccountId>) {
		let params = Self::params();
		let amount = params.slash_of(kind) * T::Penalties::bonded(who);
		let to_reporter = match reporter {
			Some(reporter) => T::Penalties::slash(who, params.reporter_share * amount, reporter),
			None => Zero::zero(),
		};
		let to_treasury =
			T::Penalties::slash(who, amount.saturating_sub(to_reporter), &T::Treasury::get());
		Self::deposit_event(Event::Slashed {
			who: who.clone(),
			kind,
			amount: to_reporter.saturating_add(to_treasury),
			to_reporter,
		});
		T::Reputation::record_fraud(who);
		let offences = Offences::<T>::mutate(who, |n| {
			*n = n.saturating_add(1);
			*n
		});
		if offences >= params.ban_after {
			let until = frame_system::Pallet::<T>::block_number().saturating_add(params.ban_period);
			T::Penalties::ban(who, until);
			Self::deposit_event(Event::Banned { who: who.clone(), until });
		}
	}

	/// The pairs of `solutions` (by index) that are copies by the chain's first filter: the
	/// same hash, or fingerprints within `threshold` bits.
	pub fn copies(
		solutions: &[RevealedSolution<T::AccountId, BlockNumberFor<T>>],
		threshold: u16,
	) -> Vec<(u32, u32)> {
		let mut pairs = Vec::new();
		for (i, a) in solutions.iter().enumerate() {
			for (j, b) in solutions.iter().enumerate().skip(i + 1) {
				if a.solution_hash == b.solution_hash
					|| a.fingerprint.hamming_distance(&b.fingerprint) <= u32::from(threshold)
				{
					pairs.push((i as u32, j as u32));
				}
			}
		}
		pairs
	}

	/// Checks that every report's bond is held.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::traits::fungible::InspectHold;
		let mut held: alloc::collections::btree_map::BTreeMap<T::AccountId, BalanceOf<T>> =
			Default::default();
		for (_, report) in Reports::<T>::iter() {
			let entry = held.entry(report.reporter).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(report.bond);
		}
		for (who, amount) in held {
			let on_hold = T::Currency::balance_on_hold(&HoldReason::ReportBond.into(), &who);
			frame_support::ensure!(on_hold == amount, "a report bond differs from its hold");
		}
		Ok(())
	}
}

impl<T: Config> FraudOracle<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn min_solve_time(task_type: TaskType) -> BlockNumberFor<T> {
		MinSolveTime::<T>::get(task_type)
	}

	fn check_commit(
		task_id: TaskId,
		task_type: TaskType,
		miner: &T::AccountId,
		elapsed: BlockNumberFor<T>,
	) -> bool {
		if elapsed >= MinSolveTime::<T>::get(task_type) {
			return false;
		}
		let evidence = BlakeTwo256::hash_of(&(task_id, miner, elapsed));
		Self::flag(miner, FraudKind::PreComputation, task_id, evidence);
		true
	}

	fn similar_pairs(
		_task_id: TaskId,
		solutions: &[RevealedSolution<T::AccountId, BlockNumberFor<T>>],
	) -> Vec<(u32, u32)> {
		Self::copies(solutions, Self::params().hamming_threshold)
	}

	fn leaning(validator: &T::AccountId, miners: &[T::AccountId], noise: u32) -> bool {
		let leanings = JudgingLeanings::<T>::get(validator);
		let spread = JudgingSpreads::<T>::get(validator);
		let own = if spread.rounds >= LEAN_ROUNDS {
			i64::from(spread.mean) * LEAN_SPREAD_MARGIN_HALVES / 2
		} else {
			0
		};
		miners.iter().any(|miner| leanings.leans_to(miner, noise, own))
	}

	fn note_judged(
		task_id: TaskId,
		validator: &T::AccountId,
		flagged: bool,
		deviations: &[(T::AccountId, i16)],
	) -> bool {
		JudgingLeanings::<T>::mutate(validator, |leanings| leanings.note(deviations));
		if !deviations.is_empty() {
			// the median distance from the round's median deviation: a harsh judge, or one
			// that marks every rival down to lift a partner, is not noisy for it
			let mut sorted: Vec<i32> = deviations.iter().map(|(_, d)| i32::from(*d)).collect();
			sorted.sort_unstable();
			let centre = sorted[(sorted.len() - 1) / 2];
			let mut distances: Vec<u32> = sorted.iter().map(|d| d.abs_diff(centre)).collect();
			distances.sort_unstable();
			let median = distances[(distances.len() - 1) / 2];
			JudgingSpreads::<T>::mutate(validator, |spread| spread.add(median as i32));
		}
		let params = Self::params();
		let now = frame_system::Pallet::<T>::block_number();
		let mut record = JudgingRecords::<T>::get(validator)
			.filter(|r| now.saturating_sub(r.since) <= params.collusion_window)
			.unwrap_or(JudgingRecord { judged: 0, flagged: 0, since: now });
		record.judged = record.judged.saturating_add(1);
		record.flagged = record.flagged.saturating_add(u32::from(flagged));
		let confirmed = flagged
			&& record.flagged >= params.collusion_rounds
			&& Perbill::from_rational(record.flagged, record.judged) >= params.collusion_share;
		if !confirmed {
			JudgingRecords::<T>::insert(validator, record);
			return false;
		}
		JudgingRecords::<T>::remove(validator);
		let evidence = BlakeTwo256::hash_of(&(task_id, validator, record.flagged, record.judged));
		Self::flag(validator, FraudKind::Collusion, task_id, evidence);
		Self::queue_punishment(validator, FraudKind::Collusion);
		true
	}

	fn commit_weight() -> Weight {
		T::WeightInfo::check_commit()
	}

	fn solutions_weight(n: u32) -> Weight {
		T::WeightInfo::check_solutions(n)
	}

	fn judged_weight() -> Weight {
		T::WeightInfo::note_judged()
	}
}
