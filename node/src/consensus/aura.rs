//! Aura: round-robin authorship by time slot.
//!
//! Time is cut into slots of the runtime's slot duration; slot `s` belongs to authority
//! `authorities[s % n]`. A block names its slot in a pre-runtime digest
//! (`PreRuntime(*b"aura", slot)`), and its author signs the hash of the header without the
//! seal with its sr25519 key, appending `Seal(*b"aura", signature)`.
//!
//! This module checks the seal: the right authority for the slot signed the header. It does
//! *not* check that the slot increases or that the timestamp matches the slot — the runtime
//! (`pallet-aura`, `pallet-timestamp`) does that while executing the block.

use codec::{Decode, Encode};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{
	sr25519::{Pair, Public, Signature},
	Pair as _,
};
use sp_runtime::generic::DigestItem;
use tos_primitives::opaque::Header;

/// Why a block's seal was refused.
#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum SealError {
	/// The last digest item is not an Aura seal.
	#[error("the header has no Aura seal")]
	MissingSeal,
	/// The header names no slot.
	#[error("the header has no Aura pre-runtime digest (slot)")]
	MissingSlot,
	/// The seal is not a 64-byte sr25519 signature.
	#[error("the Aura seal is malformed")]
	MalformedSeal,
	/// The runtime has no authorities.
	#[error("the runtime has no Aura authorities")]
	NoAuthorities,
	/// The signature is not the slot author's.
	#[error("bad Aura seal: slot {slot} belongs to {expected}, whose signature this is not")]
	BadSignature {
		/// The block's slot.
		slot: u64,
		/// The authority of that slot, SS58.
		expected: String,
	},
}

/// The pre-runtime digest item naming `slot`.
pub fn pre_digest(slot: Slot) -> DigestItem {
	DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())
}

/// The slot a header names, if it names one.
pub fn slot_of(header: &Header) -> Option<Slot> {
	header.digest.logs.iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => {
			Slot::decode(&mut &data[..]).ok()
		},
		_ => None,
	})
}

/// The authority whose turn `slot` is.
pub fn slot_author(slot: Slot, authorities: &[Public]) -> Option<&Public> {
	if authorities.is_empty() {
		return None;
	}
	let index = *slot % authorities.len() as u64;
	authorities.get(index as usize)
}

/// Seals `header` (which must not be sealed yet) with `pair`.
pub fn seal(mut header: Header, pair: &Pair) -> Header {
	let signature = pair.sign(header.hash().as_ref());
	header.digest.push(DigestItem::Seal(AURA_ENGINE_ID, signature.encode()));
	header
}

/// Checks that `header` is sealed by the authority of its slot, and returns the header
/// without its seal (what the runtime executes) and the slot.
pub fn check_seal(mut header: Header, authorities: &[Public]) -> Result<(Header, Slot), SealError> {
	let signature = match header.digest.pop() {
		Some(DigestItem::Seal(id, data)) if id == AURA_ENGINE_ID => {
			Signature::decode(&mut &data[..]).map_err(|_| SealError::MalformedSeal)?
		},
		_ => return Err(SealError::MissingSeal),
	};
	let slot = slot_of(&header).ok_or(SealError::MissingSlot)?;
	let author = slot_author(slot, authorities).ok_or(SealError::NoAuthorities)?;
	if Pair::verify(&signature, header.hash().as_ref(), author) {
		Ok((header, slot))
	} else {
		Err(SealError::BadSignature { slot: *slot, expected: author.to_string() })
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_keyring::Sr25519Keyring;
	use sp_runtime::{generic::Digest, traits::Header as _};

	fn header(slot: u64) -> Header {
		Header::new(
			1,
			Default::default(),
			Default::default(),
			Default::default(),
			Digest { logs: vec![pre_digest(Slot::from(slot))] },
		)
	}

	fn authorities() -> Vec<Public> {
		vec![Sr25519Keyring::Alice.public(), Sr25519Keyring::Bob.public()]
	}

	#[test]
	fn the_slot_author_seal_is_accepted() {
		// slot 7 → 7 % 2 = 1 → Bob
		let sealed = seal(header(7), &Sr25519Keyring::Bob.pair());
		let (unsealed, slot) = check_seal(sealed, &authorities()).unwrap();
		assert_eq!(slot, Slot::from(7));
		assert_eq!(unsealed, header(7));
	}

	#[test]
	fn another_authority_cannot_seal_the_slot() {
		let sealed = seal(header(7), &Sr25519Keyring::Alice.pair());
		assert!(matches!(
			check_seal(sealed, &authorities()),
			Err(SealError::BadSignature { slot: 7, .. })
		));
	}

	#[test]
	fn a_tampered_header_breaks_the_seal() {
		let mut sealed = seal(header(8), &Sr25519Keyring::Alice.pair());
		sealed.state_root = [1u8; 32].into();
		assert!(matches!(check_seal(sealed, &authorities()), Err(SealError::BadSignature { .. })));
	}

	#[test]
	fn unsealed_or_slotless_headers_are_refused() {
		assert_eq!(check_seal(header(1), &authorities()), Err(SealError::MissingSeal));
		let mut no_slot = header(1);
		no_slot.digest.logs.clear();
		let sealed = seal(no_slot, &Sr25519Keyring::Bob.pair());
		assert_eq!(check_seal(sealed, &authorities()), Err(SealError::MissingSlot));
		let sealed = seal(header(2), &Sr25519Keyring::Alice.pair());
		assert_eq!(check_seal(sealed, &[]), Err(SealError::NoAuthorities));
	}

	#[test]
	fn a_short_seal_is_malformed() {
		let mut h = header(2);
		h.digest.push(DigestItem::Seal(AURA_ENGINE_ID, vec![1, 2, 3]));
		assert_eq!(check_seal(h, &authorities()), Err(SealError::MalformedSeal));
	}
}
