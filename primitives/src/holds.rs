//! Moving held funds the way the AI-mining pallets do: what a pallet's storage says is held is
//! held, so these cannot fail short of a bug (a debug assertion says so), and a zero amount is
//! no operation.

use frame_support::traits::{
	fungible::MutateHold,
	tokens::{Fortitude, Precision, Restriction},
};
use sp_runtime::traits::Zero;

/// Releases `amount` of `who`'s funds held for `reason`.
pub fn release<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) {
	if amount.is_zero() {
		return;
	}
	let released = Currency::release(reason, who, amount, Precision::BestEffort);
	debug_assert!(released.is_ok(), "the pallet's holds match its storage; qed");
}

/// Moves `amount` of `from`'s funds held for `reason` to `to`, free there.
pub fn transfer<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	from: &AccountId,
	to: &AccountId,
	amount: Currency::Balance,
) {
	if amount.is_zero() {
		return;
	}
	let moved = Currency::transfer_on_hold(
		reason,
		from,
		to,
		amount,
		Precision::BestEffort,
		Restriction::Free,
		Fortitude::Force,
	);
	debug_assert!(moved.is_ok(), "the pallet's holds match its storage; qed");
}

/// Burns `amount` of `who`'s funds held for `reason` (total issuance falls by it).
pub fn burn<AccountId, Currency: MutateHold<AccountId>>(
	reason: &Currency::Reason,
	who: &AccountId,
	amount: Currency::Balance,
) {
	if amount.is_zero() {
		return;
	}
	let burned = Currency::burn_held(reason, who, amount, Precision::BestEffort, Fortitude::Force);
	debug_assert!(burned.is_ok(), "the pallet's holds match its storage; qed");
}
