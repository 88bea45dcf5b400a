//! The block author's VRF (the chain's randomness, see `tos_primitives::vrf`): the node signs
//! one into every block it builds and checks the one of every block it imports, before it
//! executes the block (the runtime checks it again in `pallet-tos-randomness`).
//!
//! The input is the randomness the parent left, read through `RandomnessApi`. A runtime
//! without that API (one from before the randomness pallet) needs no VRF, and gets none.

use sp_consensus_aura::Slot;
use sp_core::{crypto::VrfSecret, sr25519::Pair, H256};
use sp_runtime::DigestItem;
use sp_version::RuntimeVersion;
use tos_primitives::vrf;

/// Whether a runtime of `version` expects a VRF in every block.
pub fn expected_by(version: &RuntimeVersion) -> bool {
	version.has_api_with(&tos_primitives::api::RANDOMNESS_API_ID, |v| v >= 1)
}

/// The pre-runtime digest item carrying `pair`'s VRF for a block in `slot` whose parent left
/// `randomness`.
pub fn pre_digest(pair: &Pair, randomness: &H256, slot: Slot) -> DigestItem {
	let signature = pair.vrf_sign(&vrf::sign_data(&randomness.0, *slot));
	DigestItem::PreRuntime(vrf::ENGINE_ID, codec::Encode::encode(&signature))
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::Pair as _;
	use sp_runtime::generic::Digest;

	fn digest(pair: &Pair, randomness: &H256, slot: u64) -> Digest {
		Digest {
			logs: vec![
				crate::consensus::aura::pre_digest(Slot::from(slot)),
				pre_digest(pair, randomness, Slot::from(slot)),
			],
		}
	}

	#[test]
	fn the_slot_author_s_vrf_verifies_and_no_other() {
		let alice = Pair::from_string("//Alice", None).unwrap();
		let bob = Pair::from_string("//Bob", None).unwrap();
		let authorities = vec![alice.public(), bob.public()];
		let r = H256::repeat_byte(7);
		// slot 4 is Alice's turn, slot 5 Bob's
		let out = vrf::verified_output(&digest(&alice, &r, 4), &authorities, &r.0).unwrap();
		assert_eq!(
			vrf::verified_output(&digest(&alice, &r, 4), &authorities, &r.0),
			Ok(out),
			"the same key, parent and slot give the same output"
		);
		assert_eq!(
			vrf::verified_output(&digest(&bob, &r, 4), &authorities, &r.0),
			Err(vrf::VrfError::BadProof),
			"Bob's VRF in Alice's slot"
		);
		assert_eq!(
			vrf::verified_output(&digest(&alice, &r, 4), &authorities, &[8; 32]),
			Err(vrf::VrfError::BadProof),
			"a VRF over another parent's randomness"
		);
		let next = vrf::verified_output(&digest(&alice, &r, 6), &authorities, &r.0).unwrap();
		assert_ne!(out, next, "another slot, another output");
		let no_vrf = Digest { logs: vec![crate::consensus::aura::pre_digest(Slot::from(4))] };
		assert_eq!(vrf::verified_output(&no_vrf, &authorities, &r.0), Err(vrf::VrfError::NoVrf));
	}
}
