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
//! Panels are drawn with [`Pallet::select_panel`]: without replacement, each candidate's
//! chance proportional to bond × reputation ([`ReputationView`]), from a seed the caller
//! passes. The validation flow (issue 6) seeds it with the hash of the block in which the
//! task's reveal window closes: unknown to miners when they committed, but known to that
//! block's author, who could grind it by withholding blocks — acceptable against miners,
//! to be replaced by a VRF output once consensus offers one.
//!
//! **Status:** the registry, certification and panel selection are built and tested; score
//! commit–reveal, consensus (see `tos_primitives::scoring`), disputes and the runtime wiring
//! are the rest of issue 6.
//!
//! ## Calls
//!
//! - [`apply_validator`](Pallet::apply_validator), [`unbond`](Pallet::unbond),
//!   [`withdraw_unbonded`](Pallet::withdraw_unbonded): by the validator;
//! - [`certify`](Pallet::certify), [`decertify`](Pallet::decertify): by the certify origin.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use frame_support::{
	pallet_prelude::*,
	traits::{
		fungible::{Inspect, InspectHold, MutateHold},
		tokens::Precision,
	},
};
use frame_system::pallet_prelude::*;
use sp_core::H256;
use sp_runtime::traits::{BlakeTwo256, Hash as _, Saturating, UniqueSaturatedInto, Zero};
use tos_primitives::{ReputationView, SpecializationSet, TaskType};

/// A balance of the currency bonds are held in.
pub type BalanceOf<T> =
	<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

/// A validator.
#[derive(Clone, PartialEq, Eq, Encode, Decode, MaxEncodedLen, TypeInfo, Debug)]
pub struct ValidatorInfo<Balance, BlockNumber> {
	/// What it applied to validate.
	pub specializations: SpecializationSet,
	/// What governance certified it for (a subset of `specializations`).
	pub certified: SpecializationSet,
	/// The bond at stake.
	pub bond: Balance,
	/// Bond being withdrawn, and from when it may be.
	pub unbonding: Option<(Balance, BlockNumber)>,
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
		/// Reputation, for panel weights.
		type Reputation: ReputationView<Self::AccountId>;
		/// The least bond of a validator.
		#[pallet::constant]
		type MinBond: Get<BalanceOf<Self>>;
		/// Blocks between `unbond` and `withdraw_unbonded`.
		#[pallet::constant]
		type UnbondingDelay: Get<BlockNumberFor<Self>>;
		/// The most validators certified for one specialization (bounds panel draws).
		#[pallet::constant]
		type MaxCandidates: Get<u32>;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// A validator's bond.
		ValidatorBond,
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
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Applies to validate `specializations`, holding `bond` (at least the minimum).
		///
		/// Origin: signed. Emits [`Event::ValidatorApplied`].
		#[pallet::call_index(0)]
		#[pallet::weight(Weight::from_parts(200_000_000, 5_000).saturating_add(T::DbWeight::get().reads_writes(4, 3)))]
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
		#[pallet::weight(Weight::from_parts(50_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(2, 2)))]
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
		#[pallet::weight(Weight::from_parts(50_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(2, 2)))]
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
		/// withdraw after the unbonding delay.
		///
		/// Origin: signed, a validator. Emits [`Event::Unbonding`].
		#[pallet::call_index(3)]
		#[pallet::weight(Weight::from_parts(50_000_000, 3_000).saturating_add(T::DbWeight::get().reads_writes(1 + u64::from(TaskType::ALL.len() as u32), 1 + u64::from(TaskType::ALL.len() as u32))))]
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
		#[pallet::weight(Weight::from_parts(150_000_000, 4_000).saturating_add(T::DbWeight::get().reads_writes(3, 3)))]
		pub fn withdraw_unbonded(origin: OriginFor<T>) -> DispatchResult {
			let who = ensure_signed(origin)?;
			let validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
			let now = frame_system::Pallet::<T>::block_number();
			let (amount, unlock_at) = validator.unbonding.ok_or(Error::<T>::NothingToWithdraw)?;
			ensure!(unlock_at <= now, Error::<T>::NothingToWithdraw);
			T::Currency::release(
				&HoldReason::ValidatorBond.into(),
				&who,
				amount,
				Precision::Exact,
			)?;
			Validators::<T>::remove(&who);
			Self::deposit_event(Event::Withdrawn { who, amount });
			Ok(())
		}
	}
}

impl<T: Config> Pallet<T> {
	/// A candidate's panel weight: bond × reputation.
	pub fn weight_of(who: &T::AccountId) -> u128 {
		let bond: u128 =
			Validators::<T>::get(who).map(|v| v.bond.unique_saturated_into()).unwrap_or(0);
		T::Reputation::score(who) * bond
	}

	/// Draws up to `size` distinct validators certified for `task_type`, none of `exclude`,
	/// each draw picking a remaining candidate with probability proportional to its weight.
	/// The same seed gives the same panel.
	pub fn select_panel(
		task_type: TaskType,
		size: u32,
		seed: H256,
		exclude: &[T::AccountId],
	) -> Vec<T::AccountId> {
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
			let mut point =
				u128::from_le_bytes(random.as_bytes()[..16].try_into().expect("16 bytes; qed"))
					% total;
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
			panel.push(candidates.swap_remove(index).0);
		}
		panel
	}

	/// Checks that every certified list names validators certified for it, and that holds
	/// match bonds.
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
		Ok(())
	}
}
