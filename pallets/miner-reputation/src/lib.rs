//! # Miner reputation
//!
//! Who may mine on TOS, and how well they have done.
//!
//! ## Overview
//!
//! To take AI tasks an account registers as a miner: it names the kinds of work it does (its
//! *specializations*) and puts up a *bond*, which stays held while it mines and is what fraud
//! slashes. It may add to the bond, and withdraw it in two steps — `unbond`, then after the
//! unbonding delay `withdraw_unbonded` — so a cheater cannot run before a slash lands.
//!
//! Every account carries a *reputation*, overall and per specialization, in five dimensions:
//! task completion (40 %), quality (30 %), validation accuracy (15 %), peer review (10 %) and
//! innovation (5 %). Other pallets record outcomes through the [`ReputationLedger`] trait: each
//! outcome scores some dimensions 0–100, each scored dimension moves part of the way (the
//! *learning rate*) towards its new score, and the weighted score moves towards
//! `Σ(weight × score) × fraud multiplier × innovation multiplier`. An inactive account decays
//! towards a floor, computed when it is next touched (no block ever iterates accounts). The
//! weighted score sets the account's [`MinerLevel`] — Novice, Skilled, Expert, Master — which
//! gates the tasks it may take ([`MinerRegistry`]), and its priority when a task is full. A
//! level takes a record as well as a score: at least [`Config::LevelOutcomes`] tasks on record
//! for Skilled, Expert and Master, whatever the score; in priority, what a score gained above
//! the floor counts by the share of a Master's record the account has, what it lost below the
//! floor counts at once. So a new identity starts a Novice at the floor and
//! needs as long to climb back as a confirmed fraud takes to be forgiven: a banned cheater's
//! fresh account is no way round its record (`docs/MECHANISM.md` simulates it).
//!
//! **A record counts value judged, not tasks.** Each task on record counts by its reward's
//! share of [`Config::RecordValue`], at most one: a task of 1 TOS adds a hundredth of a task
//! where a full one is worth 100 TOS. A record is what someone else paid to have work judged;
//! a self-dealer who publishes to its own miners pays for its record with what its tasks burn
//! (the network fee, 5 % of each reward, of which emission gives back at most what was
//! burned, and never all of it): twenty tasks of 1 TOS, a Skilled record once, now earn a fifth
//! of one task's, and a Skilled record burns at least 5 % of 20 × `RecordValue`.
//!
//! A confirmed fraud drops the level at once — the record falls back to the start of the level
//! below ([`record_after_fraud`]): a Skilled miner is a Novice again, with its record to build
//! from nothing — and lowers the fraud multiplier (20 % per fraud by default), not forever:
//! each `fraud_recovery` blocks of clean record forgive one, so an honest record rebuilds a
//! reputation an old offence took down. Forgiveness, like decay, is computed when the account
//! is next read.
//!
//! All arithmetic is fixed point ([`Perbill`]); the rules are storage
//! ([`ReputationParams`]) that a governance origin may change.
//!
//! ## Example
//!
//! From `tests.rs`:
//!
//! ```ignore
//! // Alice registers for code generation with a 100-token bond
//! assert_ok!(MinerReputation::register_miner(alice, code_generation, 100));
//! // a task of 100 tokens' outcome scores her completion 100 and quality 80
//! MinerReputation::record(&ALICE, TaskType::CodeGeneration, scores, 100);
//! assert!(MinerReputation::reputation_of(&ALICE).score > floor);
//! ```
//!
//! ## Calls
//!
//! - [`register_miner`](Pallet::register_miner), [`update_specializations`](Pallet::update_specializations),
//!   [`bond_extra`](Pallet::bond_extra), [`unbond`](Pallet::unbond),
//!   [`withdraw_unbonded`](Pallet::withdraw_unbonded): by the miner;
//! - [`set_params`](Pallet::set_params): by the parameters origin.
//!
//! ## Design notes
//!
//! - The bond is a hold ([`HoldReason::MinerBond`]) on the miner's balance: it stays the
//!   miner's, cannot be spent, and total issuance never changes here. `try_state` checks that
//!   every miner's held amount equals its bond plus what it is withdrawing.
//! - Decay is applied lazily: [`Pallet::reputation_of`] returns the decayed view, and a record
//!   writes it back. Steps are whole `decay_period`s, so the result does not depend on when an
//!   account happens to be touched.

#![cfg_attr(not(feature = "std"), no_std)]

pub use pallet::*;
pub use types::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod migrations;
#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;
pub mod types;
pub mod weights;

pub use weights::WeightInfo;

use frame_support::traits::{
	fungible::{Inspect, InspectHold, MutateHold},
	Get,
};
use sp_runtime::{traits::Zero, Perbill, SaturatedConversion, Saturating};
use tos_primitives::{
	Ineligible, MinerLevel, MinerRegistry, OutcomeScores, ReputationDimension, ReputationLedger,
	SpecializationSet, TaskType,
};

/// A balance of the currency the bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;
type BlockNumberOf<T> = frame_system::pallet_prelude::BlockNumberFor<T>;

/// The highest level a `record` (in thousandths of a task, [`RECORD_UNIT`]) allows, with
/// `needed` whole tasks for Skilled, Expert and Master.
pub fn level_by_record(record: u32, needed: [u32; 3]) -> MinerLevel {
	MinerLevel::reached(&record, &needed.map(|tasks| tasks.saturating_mul(RECORD_UNIT)))
}

/// The record a confirmed fraud leaves of `record`: the start of the level below the one the
/// record allows (a Master's record falls to where Expert starts, an Expert's to Skilled's, a
/// Skilled's to nothing), so the level drops at once and the climb back is a whole level.
pub fn record_after_fraud(record: u32, needed: [u32; 3]) -> u32 {
	let [skilled, expert, _] = needed.map(|tasks| tasks.saturating_mul(RECORD_UNIT));
	match level_by_record(record, needed) {
		MinerLevel::Master => expert,
		MinerLevel::Expert => skilled,
		MinerLevel::Skilled | MinerLevel::Novice => 0,
	}
}

/// How much a completion of a task worth `value` lengthens a record: `value`'s share of a task
/// worth `full`, in thousandths ([`RECORD_UNIT`]), at most one task. With `full` zero every
/// task counts in full.
pub fn record_share(value: u128, full: u128) -> u32 {
	if full == 0 || value >= full {
		return RECORD_UNIT;
	}
	// value < full, so the share is below RECORD_UNIT and fits
	(value.saturating_mul(RECORD_UNIT as u128) / full) as u32
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{pallet_prelude::*, traits::tokens::Precision};
	use frame_system::pallet_prelude::*;

	/// Version 1 adds fraud recovery to the rules and to every reputation
	/// ([`migrations::v1`]).
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(2);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The currency bonds are held in.
		type Currency: MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>
			+ InspectHold<Self::AccountId>;
		/// The runtime's hold reasons, which include this pallet's.
		type RuntimeHoldReason: From<HoldReason>;
		/// Who may change [`ReputationParams`].
		type ParamsOrigin: EnsureOrigin<Self::RuntimeOrigin>;
		/// The longest unbonding delay governance may set.
		#[pallet::constant]
		type MaxUnbondingDelay: Get<BlockNumberFor<Self>>;
		/// The rules genesis starts with (governance changes them later).
		type DefaultParams: Get<ReputationParams<BalanceOf<Self>, BlockNumberFor<Self>>>;
		/// Tasks on record (completions, each counted by its value's share of
		/// [`Config::RecordValue`]) an account needs to be Skilled, Expert and Master, whatever
		/// its score (ascending).
		#[pallet::constant]
		type LevelOutcomes: Get<[u32; 3]>;
		/// The reward of a task that counts as a whole task on record; a smaller task counts
		/// by its share (zero: every task counts in full).
		#[pallet::constant]
		type RecordValue: Get<BalanceOf<Self>>;
		/// Weights of the calls, from benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A miner's bond.
		MinerBond,
	}

	/// How many commitments each miner has whose reveal window has not closed: it may not
	/// withdraw stake before (the fraud detectors run when the window closes).
	#[pallet::storage]
	pub type OpenCommitments<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, u32, OptionQuery>;

	/// Registered miners.
	#[pallet::storage]
	pub type Miners<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, MinerInfo<BalanceOf<T>, BlockNumberFor<T>>>;

	/// Every account's overall reputation (absent: never recorded, at the floor).
	#[pallet::storage]
	pub type Reputations<T: Config> =
		StorageMap<_, Blake2_128Concat, T::AccountId, Reputation<BlockNumberFor<T>>>;

	/// Reputation per account and specialization.
	#[pallet::storage]
	pub type SpecializationReputations<T: Config> = StorageDoubleMap<
		_,
		Blake2_128Concat,
		T::AccountId,
		Twox64Concat,
		TaskType,
		Reputation<BlockNumberFor<T>>,
	>;

	/// The reputation rules.
	#[pallet::storage]
	pub type Params<T: Config> =
		StorageValue<_, ReputationParams<BalanceOf<T>, BlockNumberFor<T>>, OptionQuery>;

	/// Genesis writes [`Config::DefaultParams`]; governance changes them with
	/// [`Pallet::set_params`].
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
		/// An account registered as a miner.
		MinerRegistered {
			who: T::AccountId,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		},
		/// A miner changed the task types it takes.
		SpecializationsUpdated { who: T::AccountId, specializations: SpecializationSet },
		/// A miner added to its bond.
		Bonded { who: T::AccountId, amount: BalanceOf<T> },
		/// A miner started withdrawing part of its bond.
		Unbonding { who: T::AccountId, amount: BalanceOf<T>, unlock_at: BlockNumberFor<T> },
		/// A miner withdrew bond whose delay had passed.
		Withdrawn { who: T::AccountId, amount: BalanceOf<T> },
		/// A miner withdrew all its bond and is no longer registered.
		MinerDeregistered { who: T::AccountId },
		/// An outcome changed an account's reputation.
		ReputationRecorded {
			who: T::AccountId,
			specialization: TaskType,
			score: Perbill,
			level: MinerLevel,
		},
		/// A confirmed fraud lowered an account's fraud multiplier.
		FraudRecorded { who: T::AccountId, fraud_flags: u32 },
		/// Governance changed the rules.
		ParamsUpdated,
	}

	#[pallet::error]
	pub enum Error<T> {
		/// The miner has commitments whose reveal window is still open.
		OpenCommitments,
		/// The account is already a registered miner.
		AlreadyRegistered,
		/// The account is not a registered miner.
		NotRegistered,
		/// The bond left at stake would be below the minimum (unbond everything to leave).
		BondBelowMinimum,
		/// The specializations are empty or name an unknown task type.
		InvalidSpecializations,
		/// The account cannot hold that much (its free balance is too low).
		InsufficientBalance,
		/// A zero amount.
		ZeroAmount,
		/// More than the bond at stake.
		InsufficientBond,
		/// Too many withdrawals in flight: withdraw the ripe ones first.
		TooManyUnlockingChunks,
		/// No withdrawal has passed its delay.
		NothingToWithdraw,
		/// The level thresholds must ascend above the floor.
		InvalidThresholds,
		/// The learning rate must not be zero.
		InvalidLearningRate,
		/// The unbonding delay must be between one block and the maximum.
		InvalidUnbondingDelay,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(
				T::DefaultParams::get().validate(T::MaxUnbondingDelay::get()).is_ok(),
				"the default params fit the configured bounds"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_n: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Registers the caller as a miner of `specializations`, holding `bond` from its free
		/// balance (at least the minimum bond).
		///
		/// Origin: signed. Emits [`Event::MinerRegistered`].
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::register_miner())]
		pub fn register_miner(
			origin: OriginFor<T>,
			specializations: SpecializationSet,
			bond: BalanceOf<T>,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params();
			ensure!(!Miners::<T>::contains_key(&who), Error::<T>::AlreadyRegistered);
			ensure!(
				specializations.is_valid() && !specializations.is_empty(),
				Error::<T>::InvalidSpecializations
			);
			ensure!(bond >= params.min_bond && !bond.is_zero(), Error::<T>::BondBelowMinimum);

			Self::hold(&who, bond)?;
			let now = frame_system::Pallet::<T>::block_number();
			Miners::<T>::insert(
				&who,
				MinerInfo {
					specializations,
					bond,
					unlocking: Default::default(),
					registered_at: now,
					banned_until: None,
				},
			);
			Self::deposit_event(Event::MinerRegistered { who, specializations, bond });
			Ok(())
		}

		/// Replaces the caller's specializations.
		///
		/// Origin: signed, a registered miner. Emits [`Event::SpecializationsUpdated`].
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::update_specializations())]
		pub fn update_specializations(
			origin: OriginFor<T>,
			specializations: SpecializationSet,
		) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(
				specializations.is_valid() && !specializations.is_empty(),
				Error::<T>::InvalidSpecializations
			);
			Miners::<T>::try_mutate(&who, |miner| {
				let miner = miner.as_mut().ok_or(Error::<T>::NotRegistered)?;
				miner.specializations = specializations;
				Ok::<_, Error<T>>(())
			})?;
			Self::deposit_event(Event::SpecializationsUpdated { who, specializations });
			Ok(())
		}

		/// Holds `amount` more of the caller's free balance as bond.
		///
		/// Origin: signed, a registered miner. Emits [`Event::Bonded`].
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::bond_extra())]
		pub fn bond_extra(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut miner = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(
				miner.bond.saturating_add(amount) >= Self::params().min_bond,
				Error::<T>::BondBelowMinimum
			);
			Self::hold(&who, amount)?;
			miner.bond = miner.bond.saturating_add(amount);
			Miners::<T>::insert(&who, miner);
			Self::deposit_event(Event::Bonded { who, amount });
			Ok(())
		}

		/// Starts withdrawing `amount` of the caller's bond: it stops counting as stake now and
		/// may be withdrawn after the unbonding delay. What stays at stake must be zero or at
		/// least the minimum bond; with zero at stake the account takes no new tasks.
		///
		/// Origin: signed, a registered miner. Emits [`Event::Unbonding`].
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::unbond())]
		pub fn unbond(origin: OriginFor<T>, amount: BalanceOf<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let params = Self::params();
			ensure!(!amount.is_zero(), Error::<T>::ZeroAmount);
			let mut miner = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(amount <= miner.bond, Error::<T>::InsufficientBond);
			let left = miner.bond.saturating_sub(amount);
			ensure!(left.is_zero() || left >= params.min_bond, Error::<T>::BondBelowMinimum);

			let unlock_at =
				frame_system::Pallet::<T>::block_number().saturating_add(params.unbonding_delay);
			miner
				.unlocking
				.try_push(UnlockChunk { value: amount, unlock_at })
				.map_err(|_| Error::<T>::TooManyUnlockingChunks)?;
			miner.bond = left;
			Miners::<T>::insert(&who, miner);
			Self::deposit_event(Event::Unbonding { who, amount, unlock_at });
			Ok(())
		}

		/// Releases every part of the caller's bond whose unbonding delay has passed. A miner
		/// left with nothing at stake and nothing unbonding is deregistered.
		///
		/// Origin: signed, a registered miner. Emits [`Event::Withdrawn`], and
		/// [`Event::MinerDeregistered`] when the miner leaves.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::withdraw_unbonded())]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let mut miner = Miners::<T>::get(&who).ok_or(Error::<T>::NotRegistered)?;
			ensure!(!OpenCommitments::<T>::contains_key(&who), Error::<T>::OpenCommitments);
			let now = frame_system::Pallet::<T>::block_number();
			let mut amount = BalanceOf::<T>::zero();
			miner.unlocking.retain(|chunk| {
				let ripe = chunk.unlock_at <= now;
				if ripe {
					amount = amount.saturating_add(chunk.value);
				}
				!ripe
			});
			ensure!(!amount.is_zero(), Error::<T>::NothingToWithdraw);

			T::Currency::release(&HoldReason::MinerBond.into(), &who, amount, Precision::Exact)?;
			let leaves = miner.bond.is_zero() && miner.unlocking.is_empty();
			if leaves {
				Miners::<T>::remove(&who);
			} else {
				Miners::<T>::insert(&who, miner);
			}
			Self::deposit_event(Event::Withdrawn { who: who.clone(), amount });
			if leaves {
				Self::deposit_event(Event::MinerDeregistered { who });
			}
			Ok(())
		}

		/// Replaces the reputation rules.
		///
		/// Origin: [`Config::ParamsOrigin`]. Emits [`Event::ParamsUpdated`].
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_params())]
		pub fn set_params(
			origin: OriginFor<T>,
			params: ReputationParams<BalanceOf<T>, BlockNumberFor<T>>,
		) -> DispatchResult {
			T::ParamsOrigin::ensure_origin(origin)?;
			params.validate(T::MaxUnbondingDelay::get()).map_err(|e| match e {
				InvalidParams::Thresholds => Error::<T>::InvalidThresholds,
				InvalidParams::LearningRate => Error::<T>::InvalidLearningRate,
				InvalidParams::UnbondingDelay => Error::<T>::InvalidUnbondingDelay,
			})?;
			Params::<T>::put(params);
			Self::deposit_event(Event::ParamsUpdated);
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The rules in force ([`Config::DefaultParams`] before genesis has set any).
	pub fn params() -> ReputationParams<BalanceOf<T>, BlockNumberOf<T>> {
		Params::<T>::get().unwrap_or_else(T::DefaultParams::get)
	}

	/// Suggested rules, for a runtime's [`Config::DefaultParams`] to start from: a minimum bond
	/// of one unit of the currency, a delay of 100 blocks, outcomes moving scores 10 % of the
	/// way, a 10 % floor, 1 % decay per 1 000 inactive blocks, 20 % off per fraud with one
	/// fraud forgiven per 100 800 clean blocks, up to 10 % for innovation, and levels at 40 %,
	/// 65 % and 85 %.
	pub fn default_params() -> ReputationParams<BalanceOf<T>, BlockNumberOf<T>> {
		ReputationParams {
			min_bond: 1u32.into(),
			unbonding_delay: 100u32.into(),
			learning_rate: Perbill::from_percent(10),
			floor: Perbill::from_percent(10),
			decay_period: 1_000u32.into(),
			decay_rate: Perbill::from_percent(1),
			fraud_penalty: Perbill::from_percent(20),
			fraud_recovery: 100_800u32.into(),
			innovation_bonus: Perbill::from_percent(10),
			level_thresholds: [
				Perbill::from_percent(40),
				Perbill::from_percent(65),
				Perbill::from_percent(85),
			],
		}
	}

	fn hold(who: &T::AccountId, amount: BalanceOf<T>) -> Result<(), Error<T>> {
		T::Currency::hold(&HoldReason::MinerBond.into(), who, amount)
			.map_err(|_| Error::<T>::InsufficientBalance)
	}

	/// `reputation` as of block `now`: whole decay periods since its last activity applied.
	fn decay(
		mut reputation: Reputation<BlockNumberOf<T>>,
		now: BlockNumberOf<T>,
		params: &ReputationParams<BalanceOf<T>, BlockNumberOf<T>>,
	) -> Reputation<BlockNumberOf<T>> {
		if params.decay_period.is_zero() || now <= reputation.last_active {
			return reputation;
		}
		let elapsed = now.saturating_sub(reputation.last_active);
		let steps = elapsed / params.decay_period;
		if steps.is_zero() {
			return reputation;
		}
		let steps_u32: u32 = sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(steps);
		let decay = |value| decayed(value, params.floor, params.decay_rate, steps_u32);
		reputation.score = decay(reputation.score);
		for dimension in reputation.dimensions.iter_mut() {
			*dimension = decay(*dimension);
		}
		reputation.last_active =
			reputation.last_active.saturating_add(steps.saturating_mul(params.decay_period));
		reputation
	}

	/// `reputation` as of block `now` with the frauds a clean record has forgiven taken off:
	/// one per whole `fraud_recovery` since the last fraud (or forgiveness).
	fn forgive(
		mut reputation: Reputation<BlockNumberOf<T>>,
		now: BlockNumberOf<T>,
		params: &ReputationParams<BalanceOf<T>, BlockNumberOf<T>>,
	) -> Reputation<BlockNumberOf<T>> {
		if params.fraud_recovery.is_zero() || reputation.fraud_flags == 0 {
			return reputation;
		}
		let steps = now.saturating_sub(reputation.last_fraud) / params.fraud_recovery;
		let steps: u32 = sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(steps);
		let forgiven = steps.min(reputation.fraud_flags);
		if forgiven > 0 {
			reputation.fraud_flags -= forgiven;
			reputation.last_fraud = reputation
				.last_fraud
				.saturating_add(params.fraud_recovery.saturating_mul(forgiven.into()));
		}
		reputation
	}

	/// `who`'s overall reputation now (decayed; the floor if nothing was ever recorded).
	pub fn reputation_of(who: &T::AccountId) -> Reputation<BlockNumberOf<T>> {
		let params = Self::params();
		let now = frame_system::Pallet::<T>::block_number();
		match Reputations::<T>::get(who) {
			Some(reputation) => Self::forgive(Self::decay(reputation, now, &params), now, &params),
			None => Reputation::new(params.floor, now),
		}
	}

	/// `who`'s reputation in `specialization` now.
	pub fn specialization_reputation_of(
		who: &T::AccountId,
		specialization: TaskType,
	) -> Reputation<BlockNumberOf<T>> {
		let params = Self::params();
		let now = frame_system::Pallet::<T>::block_number();
		match SpecializationReputations::<T>::get(who, specialization) {
			Some(reputation) => Self::forgive(Self::decay(reputation, now, &params), now, &params),
			None => Reputation::new(params.floor, now),
		}
	}

	/// `who`'s level now.
	pub fn level_of(who: &T::AccountId) -> MinerLevel {
		Self::earned_level(&Self::params(), &Self::reputation_of(who))
	}

	/// The level `reputation` has earned: its score's, but no higher than its record allows.
	fn earned_level(
		params: &ReputationParams<BalanceOf<T>, BlockNumberOf<T>>,
		reputation: &Reputation<BlockNumberOf<T>>,
	) -> MinerLevel {
		params
			.level_of(reputation.score)
			.min(level_by_record(reputation.record, T::LevelOutcomes::get()))
	}

	/// The score that ranks `reputation` for a slot. What it gained above the floor (where a
	/// fresh identity starts) counts in proportion to the share of a Master's record it has,
	/// so that a new identity climbs no faster than its record; what it lost below the floor
	/// counts in full at once, so that a record of failures ranks below a fresh identity, never
	/// above it for its volume.
	fn priority_score(
		params: &ReputationParams<BalanceOf<T>, BlockNumberOf<T>>,
		reputation: &Reputation<BlockNumberOf<T>>,
	) -> Perbill {
		let [_, _, master] = T::LevelOutcomes::get();
		let master = master.saturating_mul(RECORD_UNIT);
		if reputation.record >= master || reputation.score <= params.floor {
			return reputation.score;
		}
		let gained = reputation.score.saturating_sub(params.floor);
		params.floor.saturating_add(Perbill::from_rational(reputation.record, master) * gained)
	}

	/// Applies `scores` of a task whose completion lengthens the record by `share` (thousandths
	/// of a task) to `reputation` (already decayed to now).
	fn apply(
		mut reputation: Reputation<BlockNumberOf<T>>,
		scores: &OutcomeScores,
		share: u32,
		now: BlockNumberOf<T>,
		params: &ReputationParams<BalanceOf<T>, BlockNumberOf<T>>,
	) -> Reputation<BlockNumberOf<T>> {
		for dimension in ReputationDimension::ALL {
			if let Some(score) = scores.get(dimension) {
				let slot = &mut reputation.dimensions[dimension.index()];
				*slot = move_towards(*slot, score.as_fraction(), params.learning_rate);
			}
		}
		if let Some(target) = outcome_target(
			scores,
			reputation.fraud_flags,
			params.fraud_penalty,
			params.innovation_bonus,
		) {
			reputation.score = move_towards(reputation.score, target, params.learning_rate);
		}
		reputation.last_active = now;
		// the record counts tasks by value: each task records one completion (accepted work,
		// junk or nothing delivered); its quality, a validator's accuracy and a publisher's
		// rating move the score without lengthening the record
		if scores.get(ReputationDimension::Completion).is_some() {
			reputation.record = reputation.record.saturating_add(share);
		}
		reputation
	}

	/// Bans `who` from taking tasks until block `until` (for the fraud layer).
	pub fn ban(who: &T::AccountId, until: BlockNumberOf<T>) {
		Miners::<T>::mutate(who, |miner| {
			if let Some(miner) = miner {
				miner.banned_until = Some(until);
			}
		});
	}

	/// Checks the pallet's invariants: every miner's held bond equals its bond at stake plus
	/// what it is withdrawing, and its stake is zero or at least the minimum.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		// a slash may leave a stake below the minimum: the miner is then not eligible until it
		// bonds more
		for (who, miner) in Miners::<T>::iter() {
			let unlocking = miner
				.unlocking
				.iter()
				.fold(BalanceOf::<T>::zero(), |sum, chunk| sum.saturating_add(chunk.value));
			let held = T::Currency::balance_on_hold(&HoldReason::MinerBond.into(), &who);
			frame_support::ensure!(
				held == miner.bond.saturating_add(unlocking),
				"a miner's hold differs from its bond"
			);
			frame_support::ensure!(miner.specializations.is_valid(), "invalid specializations");
		}
		Ok(())
	}
}

impl<T: Config> MinerRegistry<T::AccountId> for Pallet<T> {
	fn check_eligible(
		who: &T::AccountId,
		task_type: TaskType,
		min_level: MinerLevel,
	) -> Result<(), Ineligible> {
		let miner = Miners::<T>::get(who).ok_or(Ineligible::NotRegistered)?;
		if miner.bond.is_zero() || miner.bond < Self::params().min_bond {
			return Err(Ineligible::NotRegistered);
		}
		let now = frame_system::Pallet::<T>::block_number();
		if miner.banned_until.is_some_and(|until| until > now) {
			return Err(Ineligible::Banned);
		}
		if !miner.specializations.contains(task_type) {
			return Err(Ineligible::WrongSpecialization);
		}
		if Self::level_of(who) < min_level {
			return Err(Ineligible::LevelTooLow);
		}
		Ok(())
	}

	fn commitment_opened(who: &T::AccountId) {
		OpenCommitments::<T>::mutate(who, |n| *n = Some(n.unwrap_or(0).saturating_add(1)));
	}

	fn commitment_closed(who: &T::AccountId) {
		OpenCommitments::<T>::mutate_exists(who, |n| {
			*n = n.and_then(|n| n.checked_sub(1)).filter(|n| *n > 0);
		});
	}

	fn priority(who: &T::AccountId) -> (Perbill, u128) {
		let bond = Miners::<T>::get(who).map(|m| m.bond).unwrap_or_default();
		(
			Self::priority_score(&Self::params(), &Self::reputation_of(who)),
			sp_runtime::traits::UniqueSaturatedInto::unique_saturated_into(bond),
		)
	}
}

impl<T: Config> tos_primitives::ReputationView<T::AccountId> for Pallet<T> {
	fn score(who: &T::AccountId) -> Perbill {
		Self::reputation_of(who).score
	}
}

impl<T: Config> ReputationLedger<T::AccountId> for Pallet<T> {
	fn record(who: &T::AccountId, specialization: TaskType, scores: OutcomeScores, value: u128) {
		let params = Self::params();
		let now = frame_system::Pallet::<T>::block_number();
		let share = record_share(value, T::RecordValue::get().saturated_into());
		let overall = Self::apply(Self::reputation_of(who), &scores, share, now, &params);
		let mut special = Self::specialization_reputation_of(who, specialization);
		special.fraud_flags = overall.fraud_flags;
		let special = Self::apply(special, &scores, share, now, &params);
		Reputations::<T>::insert(who, overall);
		SpecializationReputations::<T>::insert(who, specialization, special);
		Self::deposit_event(Event::ReputationRecorded {
			who: who.clone(),
			specialization,
			score: overall.score,
			level: Self::earned_level(&params, &overall),
		});
	}

	fn record_fraud(who: &T::AccountId) {
		let mut reputation = Self::reputation_of(who);
		reputation.fraud_flags = reputation.fraud_flags.saturating_add(1);
		reputation.last_fraud = frame_system::Pallet::<T>::block_number();
		reputation.record = record_after_fraud(reputation.record, T::LevelOutcomes::get());
		Reputations::<T>::insert(who, reputation);
		Self::deposit_event(Event::FraudRecorded {
			who: who.clone(),
			fraud_flags: reputation.fraud_flags,
		});
	}
}

impl<T: Config> tos_primitives::Penalties<T::AccountId, BalanceOf<T>, BlockNumberOf<T>>
	for Pallet<T>
{
	fn bonded(who: &T::AccountId) -> BalanceOf<T> {
		Miners::<T>::get(who)
			.map(|m| m.unlocking.iter().fold(m.bond, |sum, chunk| sum.saturating_add(chunk.value)))
			.unwrap_or_default()
	}

	/// Takes from the stake first, then from the newest withdrawals.
	fn slash(who: &T::AccountId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
		let Some(mut miner) = Miners::<T>::get(who) else { return Zero::zero() };
		let mut left = amount;
		let from_bond = left.min(miner.bond);
		miner.bond.saturating_reduce(from_bond);
		left.saturating_reduce(from_bond);
		for chunk in miner.unlocking.iter_mut().rev() {
			let take = left.min(chunk.value);
			chunk.value.saturating_reduce(take);
			left.saturating_reduce(take);
		}
		miner.unlocking.retain(|chunk| !chunk.value.is_zero());
		let slashed = amount.saturating_sub(left);
		tos_primitives::holds::transfer::<_, T::Currency>(
			&HoldReason::MinerBond.into(),
			who,
			to,
			slashed,
		);
		Miners::<T>::insert(who, miner);
		slashed
	}

	fn ban(who: &T::AccountId, until: BlockNumberOf<T>) {
		Self::ban(who, until);
	}
}
