//! The validator registry: applying with a bond, certification, leaving, and the one rule by
//! which a validator's stake is slashed.

use super::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn do_apply(
		who: T::AccountId,
		specializations: SpecializationSet,
		bond: BalanceOf<T>,
	) -> DispatchResult {
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

	pub(crate) fn do_certify(who: T::AccountId, specialization: TaskType) -> DispatchResult {
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

	pub(crate) fn do_decertify(who: T::AccountId, specialization: TaskType) -> DispatchResult {
		let mut validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
		ensure!(validator.certified.contains(specialization), Error::<T>::NotCertified);
		Self::uncertify(&who, &mut validator, SpecializationSet::empty().with(specialization));
		Validators::<T>::insert(&who, validator);
		Ok(())
	}

	pub(crate) fn do_unbond(who: T::AccountId) -> DispatchResult {
		let mut validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
		ensure!(validator.unbonding.is_none(), Error::<T>::AlreadyUnbonding);
		let all = validator.certified;
		Self::uncertify(&who, &mut validator, all);
		let unlock_at =
			frame_system::Pallet::<T>::block_number().saturating_add(T::UnbondingDelay::get());
		let amount = core::mem::take(&mut validator.bond);
		validator.unbonding = Some((amount, unlock_at));
		Validators::<T>::insert(&who, validator);
		Self::deposit_event(Event::Unbonding { who, amount, unlock_at });
		Ok(())
	}

	pub(crate) fn do_withdraw(who: T::AccountId) -> DispatchResult {
		let validator = Validators::<T>::get(&who).ok_or(Error::<T>::NotAValidator)?;
		let now = frame_system::Pallet::<T>::block_number();
		let (amount, unlock_at) = validator.unbonding.ok_or(Error::<T>::NothingToWithdraw)?;
		ensure!(unlock_at <= now, Error::<T>::NothingToWithdraw);
		ensure!(!ActivePanels::<T>::contains_key(&who), Error::<T>::StillOnPanel);
		tos_primitives::holds::release::<_, T::Currency>(
			&HoldReason::ValidatorBond.into(),
			&who,
			amount,
		);
		Validators::<T>::remove(&who);
		Self::deposit_event(Event::Withdrawn { who, amount });
		Ok(())
	}

	/// Withdraws `who`'s certifications for `specializations` (those it holds), from its record
	/// and the draw lists, with an event for each: the one way a certification ends.
	pub(crate) fn uncertify(
		who: &T::AccountId,
		validator: &mut ValidatorInfo<BalanceOf<T>, BlockNumberFor<T>>,
		specializations: SpecializationSet,
	) {
		let held = validator.certified;
		for specialization in specializations.iter().filter(|s| held.contains(*s)) {
			Certified::<T>::mutate(specialization, |list| list.retain(|v| v != who));
			validator.certified = validator.certified.without(specialization);
			Self::deposit_event(Event::Decertified { who: who.clone(), specialization });
		}
	}

	/// What `who` has at stake: its bond and what it is unbonding.
	pub fn bonded(who: &T::AccountId) -> BalanceOf<T> {
		Validators::<T>::get(who)
			.map(|v| v.bond.saturating_add(v.unbonding.map(|(a, _)| a).unwrap_or_default()))
			.unwrap_or_default()
	}

	/// The one slash rule: moves up to `amount` of `who`'s stake to `to`, from the bond first
	/// and then from what is unbonding. Returns what moved.
	pub fn slash(who: &T::AccountId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
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

	/// Slashes `share` of everything `who` has at stake to the treasury, with the event.
	pub(crate) fn penalise(
		task_id: TaskId,
		who: &T::AccountId,
		share: Perbill,
		reason: Penalty,
	) -> BalanceOf<T> {
		let slashed = Self::slash(who, share * Self::bonded(who), &T::Treasury::get());
		Self::deposit_event(Event::ValidatorPenalised {
			task_id,
			validator: who.clone(),
			slashed,
			reason,
		});
		slashed
	}
}

impl<T: Config> tos_primitives::Penalties<T::AccountId, BalanceOf<T>, BlockNumberFor<T>>
	for Pallet<T>
{
	fn bonded(who: &T::AccountId) -> BalanceOf<T> {
		Pallet::<T>::bonded(who)
	}

	/// The pallet's one slash rule: the bond first, then what is unbonding.
	fn slash(who: &T::AccountId, amount: BalanceOf<T>, to: &T::AccountId) -> BalanceOf<T> {
		Pallet::<T>::slash(who, amount, to)
	}

	/// A banned validator loses every certification (governance may certify it again).
	fn ban(who: &T::AccountId, _until: BlockNumberFor<T>) {
		let Some(mut validator) = Validators::<T>::get(who) else { return };
		let all = validator.certified;
		Self::uncertify(who, &mut validator, all);
		Validators::<T>::insert(who, validator);
	}
}
