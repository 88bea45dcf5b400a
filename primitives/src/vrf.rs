//! The block author's VRF, the chain's randomness: what an author signs, and how the output
//! is derived, shared by the node (which signs and verifies) and the runtime (which
//! accumulates the outputs).
//!
//! Every block carries, besides Aura's slot, a pre-runtime digest `PreRuntime(*b"tosv",
//! VrfSignature)`: the author's sr25519 VRF over the transcript of [`input`] — the randomness
//! accumulated up to the parent block, and the block's slot. A VRF's output is fixed by the
//! key and the input, so an author cannot choose it: building another block for the same slot
//! gives the same output, and its only lever is to withhold its block (the next slot's
//! author, with another key and slot, then decides). The runtime folds each output into the
//! accumulator: `next = BlakeTwo256(previous ‖ output)`.

use codec::Decode;
use sp_core::{
	crypto::VrfPublic,
	sr25519::{
		vrf::{VrfInput, VrfPreOutput, VrfSignData, VrfSignature},
		Public,
	},
};
use sp_runtime::generic::{Digest, DigestItem};

/// The engine id of the VRF pre-runtime digest.
pub const ENGINE_ID: [u8; 4] = *b"tosv";

/// The transcript label.
const LABEL: &[u8] = b"TOS-VRF-1";

/// The context of the output bytes.
const OUTPUT_CONTEXT: &[u8] = b"tos-vrf-output";

/// The VRF input of a block in `slot` whose parent left `randomness`.
pub fn input(randomness: &[u8; 32], slot: u64) -> VrfInput {
	VrfInput::new(LABEL, &[(b"randomness", randomness), (b"slot", &slot.to_le_bytes())])
}

/// What the author signs for that block.
pub fn sign_data(randomness: &[u8; 32], slot: u64) -> VrfSignData {
	VrfSignData::new(input(randomness, slot))
}

/// The 32 output bytes of `pre_output` by `author` for that block (`None` if the pre-output
/// does not belong to the key and input).
pub fn output(
	author: &Public,
	randomness: &[u8; 32],
	slot: u64,
	pre_output: &VrfPreOutput,
) -> Option<[u8; 32]> {
	author.make_bytes::<32>(OUTPUT_CONTEXT, &input(randomness, slot), pre_output).ok()
}

/// Aura's engine id (its pre-runtime digest names the slot).
const AURA: [u8; 4] = *b"aura";

/// Why a block's VRF was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum VrfError {
	/// The block names no slot.
	NoSlot,
	/// The block carries no VRF.
	NoVrf,
	/// There is no authority for the slot.
	NoAuthority,
	/// The VRF is not the slot author's over this block's input.
	BadProof,
}

/// The slot `digest` names (Aura's pre-runtime item).
pub fn slot_of(digest: &Digest) -> Option<u64> {
	digest.logs.iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == AURA => u64::decode(&mut &data[..]).ok(),
		_ => None,
	})
}

/// The VRF `digest` carries.
pub fn vrf_of(digest: &Digest) -> Option<VrfSignature> {
	digest.logs.iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == ENGINE_ID => {
			VrfSignature::decode(&mut &data[..]).ok()
		},
		_ => None,
	})
}

/// The VRF output of a block with `digest` whose parent left `randomness`, checked against
/// `authorities` (whose turn slot `s` is: `s % len`).
pub fn verified_output(
	digest: &Digest,
	authorities: &[Public],
	randomness: &[u8; 32],
) -> Result<[u8; 32], VrfError> {
	let slot = slot_of(digest).ok_or(VrfError::NoSlot)?;
	let signature = vrf_of(digest).ok_or(VrfError::NoVrf)?;
	if authorities.is_empty() {
		return Err(VrfError::NoAuthority);
	}
	let author = &authorities[(slot % authorities.len() as u64) as usize];
	if !author.vrf_verify(&sign_data(randomness, slot), &signature) {
		return Err(VrfError::BadProof);
	}
	output(author, randomness, slot, &signature.pre_output).ok_or(VrfError::BadProof)
}
