//! Hold accounting: escrows, deposits and bonds are holds on their owners' balances
//! ([`HoldReason`]); releasing them, moving them to the treasury or a payee, burning them, and
//! the check that every account's holds are what this pallet's storage says.

use super::*;

impl<T: Config> Pallet<T> {
	pub(crate) fn release(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		tos_primitives::holds::release::<_, T::Currency>(&reason.into(), who, amount);
	}

	/// Moves `amount` held from `who` to the treasury (free there).
	pub(crate) fn to_treasury(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		tos_primitives::holds::transfer::<_, T::Currency>(
			&reason.into(),
			who,
			&T::Treasury::get(),
			amount,
		);
	}

	/// Burns `amount` held from `who`.
	pub(crate) fn burn(reason: HoldReason, who: &T::AccountId, amount: BalanceOf<T>) {
		tos_primitives::holds::burn::<_, T::Currency>(&reason.into(), who, amount);
	}

	/// Pays `amount` of `publisher`'s escrow to `to` (free there), exactly or not at all.
	/// Returns whether it was paid.
	pub(crate) fn pay_from_escrow(
		publisher: &T::AccountId,
		to: &T::AccountId,
		amount: BalanceOf<T>,
	) -> bool {
		amount.is_zero()
			|| T::Currency::transfer_on_hold(
				&HoldReason::TaskEscrow.into(),
				publisher,
				to,
				amount,
				Precision::Exact,
				Restriction::Free,
				Fortitude::Force,
			)
			.is_ok()
	}

	/// What each account should have on hold, by reason (0 escrow, 1 deposit, 2 bond, 3 pay
	/// vesting), according to this pallet's storage: escrows of tasks still holding one,
	/// deposits of stored tasks, bonds of stored commitments, pay of stored tasks (at most:
	/// a fraud takes from it).
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn expected_holds(
	) -> alloc::collections::btree_map::BTreeMap<(T::AccountId, u8), BalanceOf<T>> {
		let mut expected: alloc::collections::btree_map::BTreeMap<
			(T::AccountId, u8),
			BalanceOf<T>,
		> = alloc::collections::btree_map::BTreeMap::new();
		let mut add = |who: &T::AccountId, reason: u8, amount: BalanceOf<T>| {
			let entry = expected.entry((who.clone(), reason)).or_insert_with(Zero::zero);
			*entry = entry.saturating_add(amount);
		};
		for (task_id, task) in Tasks::<T>::iter() {
			if task.status.escrow_held() {
				add(&task.publisher, 0, task.reward);
			}
			add(&task.publisher, 1, task.deposit);
			for (miner, commitment) in Commitments::<T>::iter_prefix(task_id) {
				add(&miner, 2, commitment.bond);
			}
		}
		for (_, miner, pay) in Unvested::<T>::iter() {
			add(&miner, 3, pay);
		}
		expected
	}

	/// The hold reason of [`Pallet::expected_holds`]' index.
	pub fn hold_reason(index: u8) -> HoldReason {
		[
			HoldReason::TaskEscrow,
			HoldReason::TaskDeposit,
			HoldReason::SubmissionBond,
			HoldReason::PayVesting,
		][usize::from(index.min(3))]
	}

	/// Checks the pallet's invariants: holds match storage (vesting pay at most what
	/// storage says: a fraud takes from it), counts match commitments, and every live phase
	/// has its deadline queued.
	#[cfg(any(feature = "std", feature = "try-runtime"))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for ((who, reason), amount) in Self::expected_holds() {
			let held = T::Currency::balance_on_hold(&Self::hold_reason(reason).into(), &who);
			let vesting = Self::hold_reason(reason) == HoldReason::PayVesting;
			frame_support::ensure!(
				held == amount || (vesting && held < amount),
				"an account's hold differs from storage"
			);
		}
		for (task_id, task) in Tasks::<T>::iter() {
			let (mut commitments, mut reveals) = (0u32, 0u32);
			for (_, commitment) in Commitments::<T>::iter_prefix(task_id) {
				commitments += 1;
				reveals += u32::from(commitment.solution.is_some());
				frame_support::ensure!(
					CommitmentHashes::<T>::contains_key(task_id, commitment.hash),
					"a commitment is not indexed by its hash"
				);
			}
			frame_support::ensure!(
				CommitmentHashes::<T>::iter_prefix(task_id).count() as u32 == commitments,
				"the hash index names commitments that are gone"
			);
			frame_support::ensure!(commitments == task.commitments, "commitment count");
			frame_support::ensure!(reveals == task.reveals, "reveal count");
			frame_support::ensure!(commitments <= task.max_solutions, "too many commitments");
			let queued = Queue::<T>::contains(task_id);
			let needs_deadline = !matches!(
				task.status,
				TaskStatus::Validating | TaskStatus::Provisional | TaskStatus::Disputed
			);
			frame_support::ensure!(!needs_deadline || queued, "a task has no deadline queued");
		}
		Ok(())
	}
}
