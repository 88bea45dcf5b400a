//! JSON-RPC errors with Substrate's codes and messages, so wallets that branch on them keep
//! working: 1000+ authoring and pool, 2000+ system, 3000+ chain, 4000+ state, 1 and 2 for
//! `payment_*`, and the JSON-RPC standard codes for malformed requests.

use jsonrpsee::types::{error::ErrorObject, ErrorObjectOwned};
use sp_runtime::transaction_validity::InvalidTransaction;

use crate::txpool::PoolError;

/// Extrinsic has an invalid format.
pub const BAD_FORMAT: i32 = 1001;
/// Error during transaction verification in the runtime.
pub const VERIFICATION_ERROR: i32 = 1002;
/// The pool rejected the transaction as invalid.
pub const POOL_INVALID_TX: i32 = 1010;
/// Cannot determine transaction validity.
pub const POOL_UNKNOWN_VALIDITY: i32 = 1011;
/// The transaction is temporarily banned.
pub const POOL_TEMPORARILY_BANNED: i32 = 1012;
/// The transaction is already in the pool.
pub const POOL_ALREADY_IMPORTED: i32 = 1013;
/// Too low priority to replace the transaction already in the pool.
pub const POOL_TOO_LOW_PRIORITY: i32 = 1014;
/// Not admitted because of the pool's limits.
pub const POOL_IMMEDIATELY_DROPPED: i32 = 1016;
/// Provides no tags.
pub const POOL_NO_TAGS: i32 = 1019;
/// Key type ID is not four bytes.
pub const BAD_KEY_TYPE: i32 = 1005;
/// Other authoring errors (keystore unavailable, for example).
pub const AUTHOR_OTHER: i32 = 1040;
/// A chain query failed.
pub const CHAIN_OTHER: i32 = 3001;
/// `state_getKeysPaged` asked for too many keys.
pub const STATE_INVALID_COUNT: i32 = 4002;
/// A state query failed (unknown block, runtime call failed).
pub const STATE_CLIENT: i32 = 4003;
/// `payment_queryInfo`: the runtime call failed.
pub const PAYMENT_RUNTIME: i32 = 1;
/// Invalid method parameters (JSON-RPC standard).
pub const INVALID_PARAMS: i32 = -32602;
/// Unsafe method called on a public interface (Substrate uses "method not found").
pub const UNSAFE_RPC: i32 = -32601;
/// Internal error (JSON-RPC standard).
pub const INTERNAL: i32 = -32603;

/// An error with `code`, `message` and no data.
pub fn err(code: i32, message: impl Into<String>) -> ErrorObjectOwned {
	ErrorObject::owned(code, message.into(), None::<()>)
}

/// `-32602 Invalid params`, with what was wrong as data.
pub fn invalid_params(what: impl std::fmt::Display) -> ErrorObjectOwned {
	ErrorObject::owned(INVALID_PARAMS, "Invalid params", Some(what.to_string()))
}

/// The error of an unsafe method called where only safe ones are allowed.
pub fn unsafe_denied() -> ErrorObjectOwned {
	err(UNSAFE_RPC, "RPC call is unsafe to be called externally")
}

/// A failed state query: Substrate's `4003 Client error: …`.
pub fn state_client(e: impl std::fmt::Display) -> ErrorObjectOwned {
	err(STATE_CLIENT, format!("Client error: {e}"))
}

/// A failed chain query.
pub fn chain_client(e: impl std::fmt::Display) -> ErrorObjectOwned {
	err(CHAIN_OTHER, format!("Client error: {e}"))
}

/// An extrinsic that is not a length-prefixed blob, or that the runtime cannot decode.
pub fn bad_format(e: impl std::fmt::Display) -> ErrorObjectOwned {
	err(BAD_FORMAT, format!("Extrinsic has invalid format: {e}"))
}

/// Substrate's JSON for a refused transaction.
pub fn pool(e: PoolError) -> ErrorObjectOwned {
	match e {
		PoolError::Invalid(InvalidTransaction::Custom(code)) => ErrorObject::owned(
			POOL_INVALID_TX,
			"Invalid Transaction",
			Some(format!("Custom error: {code}")),
		),
		PoolError::Invalid(invalid) => {
			let reason: &'static str = invalid.into();
			ErrorObject::owned(POOL_INVALID_TX, "Invalid Transaction", Some(reason))
		},
		PoolError::Unknown(unknown) => ErrorObject::owned(
			POOL_UNKNOWN_VALIDITY,
			"Unknown Transaction Validity",
			Some(format!("{unknown:?}")),
		),
		PoolError::TemporarilyBanned =>
			err(POOL_TEMPORARILY_BANNED, "Transaction is temporarily banned"),
		PoolError::AlreadyImported(hash) => ErrorObject::owned(
			POOL_ALREADY_IMPORTED,
			"Transaction Already Imported",
			Some(format!("{hash:?}")),
		),
		PoolError::TooLowPriority { old, new } => ErrorObject::owned(
			POOL_TOO_LOW_PRIORITY,
			format!("Priority is too low: ({old} vs {new})"),
			Some("The transaction has too low priority to replace another transaction already in the pool."),
		),
		PoolError::ImmediatelyDropped => ErrorObject::owned(
			POOL_IMMEDIATELY_DROPPED,
			"Immediately Dropped",
			Some("The transaction couldn't enter the pool because of the limit"),
		),
		PoolError::NoTagsProvided => ErrorObject::owned(
			POOL_NO_TAGS,
			"No tags provided",
			Some("Transaction does not provide any tags, so the pool can't identify it"),
		),
		// The runtime could not even decode the extrinsic: a format error, as Substrate
		// reports it when it decodes natively.
		PoolError::Validation(message)
			if message.contains("Bad input data provided to validate_transaction") =>
			bad_format("the runtime cannot decode it"),
		PoolError::Validation(message) => ErrorObject::owned(
			VERIFICATION_ERROR,
			format!("Verification Error: {message}"),
			Some(message),
		),
	}
}
