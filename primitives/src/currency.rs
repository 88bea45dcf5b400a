//! The TOS token.

use crate::chain::Balance;

/// The ticker wallets show.
pub const TOKEN_SYMBOL: &str = "TOS";
/// Decimal places of one TOS.
pub const TOKEN_DECIMALS: u8 = 12;
/// The SS58 address prefix (the generic Substrate prefix).
pub const SS58_PREFIX: u16 = 42;

/// One TOS in plancks.
pub const UNIT: Balance = 1_000_000_000_000;
/// One thousandth of a TOS.
pub const MILLI_UNIT: Balance = UNIT / 1_000;
/// One millionth of a TOS.
pub const MICRO_UNIT: Balance = UNIT / 1_000_000;

/// The least balance an account must hold to exist: 0.001 TOS.
pub const EXISTENTIAL_DEPOSIT: Balance = MILLI_UNIT;

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn unit_matches_decimals() {
		assert_eq!(UNIT, 10u128.pow(TOKEN_DECIMALS as u32));
		const { assert!(EXISTENTIAL_DEPOSIT > 0 && EXISTENTIAL_DEPOSIT < UNIT) };
	}
}
