//! # Randomness
//!
//! Randomness no block author can choose, for the panel draws of the validation pallet.
//!
//! ## Overview
//!
//! Every block's author signs, with its Aura key, a VRF over the randomness accumulated so
//! far and the block's slot, and carries it in a pre-runtime digest (`tos_primitives::vrf`).
//! This pallet's `on_initialize` — before the pallets that draw — checks it against the
//! authority whose turn the slot is (the node checks it too, before it executes the block)
//! and folds its output into the accumulator: `next = BlakeTwo256(previous ‖ output)`.
//! A block without a valid VRF is invalid.
//!
//! A VRF output is fixed by the author's key and the input; the input is fixed by the parent
//! and the slot. So an author cannot re-roll it by trying other blocks for its slot, and the
//! author of the parent, who does not hold this author's key, cannot aim it: an author's only
//! lever is to withhold its block, after which the next slot's author decides with another
//! key and slot. The validation pallet draws with [`Randomness::random`] of the block in
//! which the draw happens: for an appeal, a block after the dispute was sent.
//!
//! A chain whose runtime gains this pallet by an upgrade starts its accumulator from the
//! parent hash in the first block; every block after needs the VRF.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(test)]
mod tests;

use alloc::vec::Vec;
use codec::Decode;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::*;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{
	crypto::VrfPublic,
	sr25519::{vrf::VrfSignature, Public},
	H256,
};
use sp_runtime::{
	generic::DigestItem,
	traits::{BlakeTwo256, Hash as _},
};
use tos_primitives::vrf;

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
pub fn slot_of(digest: &sp_runtime::generic::Digest) -> Option<Slot> {
	digest.logs.iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == AURA_ENGINE_ID => {
			Slot::decode(&mut &data[..]).ok()
		},
		_ => None,
	})
}

/// The VRF `digest` carries.
pub fn vrf_of(digest: &sp_runtime::generic::Digest) -> Option<VrfSignature> {
	digest.logs.iter().find_map(|item| match item {
		DigestItem::PreRuntime(id, data) if *id == vrf::ENGINE_ID => {
			VrfSignature::decode(&mut &data[..]).ok()
		},
		_ => None,
	})
}

/// The VRF output of a block with `digest` whose parent left `randomness`, checked against
/// `authorities` (whose turn is `slot % len`).
pub fn verified_output(
	digest: &sp_runtime::generic::Digest,
	authorities: &[Public],
	randomness: &[u8; 32],
) -> Result<[u8; 32], VrfError> {
	let slot = slot_of(digest).ok_or(VrfError::NoSlot)?;
	let signature = vrf_of(digest).ok_or(VrfError::NoVrf)?;
	if authorities.is_empty() {
		return Err(VrfError::NoAuthority);
	}
	let author = &authorities[(*slot % authorities.len() as u64) as usize];
	if !author.vrf_verify(&vrf::sign_data(randomness, *slot), &signature) {
		return Err(VrfError::BadProof);
	}
	vrf::output(author, randomness, *slot, &signature.pre_output).ok_or(VrfError::BadProof)
}

#[frame_support::pallet]
pub mod pallet {
	use super::*;

	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// The pallet's configuration.
	#[pallet::config]
	pub trait Config: frame_system::Config {
		/// The Aura authorities (their sr25519 keys sign the VRF).
		type Authorities: Get<Vec<Public>>;
		/// The weight of `on_initialize` (a VRF verification).
		#[pallet::constant]
		type VerifyWeight: Get<Weight>;
	}

	/// The randomness accumulated up to and including this block's VRF output. Absent before
	/// the first block of a chain that did not start with this pallet.
	#[pallet::storage]
	pub type Accumulator<T: Config> = StorageValue<_, H256, OptionQuery>;

	/// Genesis starts the accumulator from a fixed value.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			Accumulator::<T>::put(BlakeTwo256::hash(b"tos genesis randomness"));
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_initialize(_n: BlockNumberFor<T>) -> Weight {
			let Some(previous) = Accumulator::<T>::get() else {
				// upgraded into: start from the parent
				Accumulator::<T>::put(BlakeTwo256::hash_of(
					&frame_system::Pallet::<T>::parent_hash(),
				));
				return T::DbWeight::get().reads_writes(2, 1);
			};
			let digest = frame_system::Pallet::<T>::digest();
			let output = verified_output(&digest, &T::Authorities::get(), &previous.0);
			// consensus: the node refuses such a block before it executes it; a block
			// built without a valid VRF cannot be made valid
			let output = match output {
				Ok(output) => output,
				Err(e) => panic!("the block's VRF is refused: {e:?}"),
			};
			Accumulator::<T>::put(BlakeTwo256::hash_of(&(previous, output)));
			T::VerifyWeight::get().saturating_add(T::DbWeight::get().reads_writes(3, 1))
		}
	}
}

impl<T: Config> Pallet<T> {
	/// The accumulator as the last block left it (the input of the next block's VRF).
	pub fn current() -> Option<H256> {
		Accumulator::<T>::get()
	}
}

impl<T: Config> Randomness<H256, BlockNumberFor<T>> for Pallet<T> {
	/// `BlakeTwo256(subject ‖ accumulator)`, known from the current block on (its author knew
	/// it when it built the block).
	fn random(subject: &[u8]) -> (H256, BlockNumberFor<T>) {
		let current = Accumulator::<T>::get().unwrap_or_default();
		(BlakeTwo256::hash_of(&(subject, current)), frame_system::Pallet::<T>::block_number())
	}
}
