//! Signed transactions from the well-known dev accounts, built the way a wallet builds them.
//!
//! Used by the node's tests and benchmarks to feed real signed extrinsics to the runtime;
//! the node itself never signs transactions.

use codec::Encode;
use sp_core::Pair as _;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{MultiSignature, OpaqueExtrinsic};
use tos_primitives::{Balance, Hash, Nonce};
use tos_runtime::{Address, RuntimeCall, TxExtension, VERSION};

/// The key pair of a dev account, derived once: deriving it from its `//Name` URI runs a
/// deliberately slow key-derivation function.
fn pair_of(who: Sr25519Keyring) -> sp_core::sr25519::Pair {
	use std::{collections::BTreeMap, sync::Mutex};
	static PAIRS: Mutex<BTreeMap<String, sp_core::sr25519::Pair>> = Mutex::new(BTreeMap::new());
	let mut pairs = PAIRS.lock().expect("the key cache lock is never poisoned");
	pairs.entry(format!("{who:?}")).or_insert_with(|| who.pair()).clone()
}

/// An already encoded call signed by `signer` with `nonce` for the runtime whose
/// `spec_version` is `spec_version` — for a call of another runtime than the one this node is
/// built with (after an upgrade). The bytes are what `UncheckedExtrinsic::new_signed` writes.
pub fn signed_encoded(
	call: &[u8],
	signer: Sr25519Keyring,
	nonce: Nonce,
	genesis: Hash,
	spec_version: u32,
) -> OpaqueExtrinsic {
	let extension: TxExtension = tos_runtime::immortal_tx_extension(nonce);
	let implicit =
		((), spec_version, VERSION.transaction_version, genesis, genesis, (), (), (), None::<Hash>);
	let mut payload = call.to_vec();
	extension.encode_to(&mut payload);
	implicit.encode_to(&mut payload);
	let signature = if payload.len() > 256 {
		pair_of(signer).sign(&sp_io::hashing::blake2_256(&payload))
	} else {
		pair_of(signer).sign(&payload)
	};
	// version 4, signed
	let mut body = vec![0x84u8];
	Address::Id(signer.to_account_id()).encode_to(&mut body);
	MultiSignature::Sr25519(signature).encode_to(&mut body);
	extension.encode_to(&mut body);
	body.extend_from_slice(call);
	let mut xt = codec::Compact(body.len() as u32).encode();
	xt.extend(body);
	OpaqueExtrinsic::try_from_encoded_extrinsic(&xt)
		.expect("an encoded extrinsic is a length-prefixed blob; qed")
}

/// `call` signed by `signer` with `nonce`, for the chain whose genesis hash is `genesis`.
pub fn signed(
	call: RuntimeCall,
	signer: Sr25519Keyring,
	nonce: Nonce,
	genesis: Hash,
) -> OpaqueExtrinsic {
	signed_encoded(&call.encode(), signer, nonce, genesis, VERSION.spec_version)
}

/// A balance transfer of `amount` from `from` to `to`.
pub fn transfer(
	from: Sr25519Keyring,
	to: Sr25519Keyring,
	amount: Balance,
	nonce: Nonce,
	genesis: Hash,
) -> OpaqueExtrinsic {
	let call = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
		dest: Address::Id(to.to_account_id()),
		value: amount,
	});
	signed(call, from, nonce, genesis)
}
