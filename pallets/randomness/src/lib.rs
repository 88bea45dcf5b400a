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

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
#[cfg(test)]
mod tests;
pub mod weights;

pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::{pallet_prelude::*, traits::Randomness};
use frame_system::pallet_prelude::*;
use sp_core::{sr25519::Public, H256};
use sp_runtime::traits::{BlakeTwo256, Hash as _};

pub use tos_primitives::vrf::{slot_of, verified_output, vrf_of, VrfError};

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
		/// The weights of the hook (a VRF verification), from the benchmarks.
		type WeightInfo: WeightInfo;
		/// Sets the authorities for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: BenchmarkHelper;
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
				return T::WeightInfo::on_initialize_first();
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
			T::WeightInfo::on_initialize()
		}
	}
}

/// What the benchmarks need of the runtime.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper {
	/// Makes `authorities` the Aura authorities.
	fn set_authorities(authorities: Vec<Public>);
}

/// A block's VRF the benchmarks verify (no signing in a runtime): `//Alice`'s, over
/// [`vector::RANDOMNESS`] for slot [`vector::SLOT`]. A unit test checks that it verifies.
#[cfg(any(test, feature = "runtime-benchmarks"))]
pub mod vector {
	/// `//Alice`'s sr25519 public key.
	pub const AUTHORITY: [u8; 32] = [
		0xd4, 0x35, 0x93, 0xc7, 0x15, 0xfd, 0xd3, 0x1c, 0x61, 0x14, 0x1a, 0xbd, 0x04, 0xa9, 0x9f,
		0xd6, 0x82, 0x2c, 0x85, 0x58, 0x85, 0x4c, 0xcd, 0xe3, 0x9a, 0x56, 0x84, 0xe7, 0xa5, 0x6d,
		0xa2, 0x7d,
	];
	/// The parent's randomness.
	pub const RANDOMNESS: [u8; 32] = [7; 32];
	/// The block's slot.
	pub const SLOT: u64 = 42;
	/// The encoded `VrfSignature` (pre-output and proof).
	pub const SIGNATURE: [u8; 96] = [
		0x8a, 0x64, 0x90, 0x38, 0x91, 0x17, 0x1e, 0x09, 0xc1, 0x28, 0x18, 0xc6, 0xc9, 0xa6, 0x31,
		0x08, 0x66, 0xf4, 0x4a, 0x73, 0x8d, 0xbb, 0x31, 0x5a, 0xae, 0x05, 0x80, 0xa3, 0x8b, 0xfa,
		0x9b, 0x73, 0x1e, 0x38, 0x29, 0x88, 0x0b, 0xe7, 0x42, 0x4d, 0xd3, 0x70, 0x86, 0x94, 0x97,
		0x21, 0x76, 0xf4, 0x3e, 0xc4, 0x48, 0x3a, 0xdc, 0x81, 0x42, 0x1f, 0x8b, 0x6a, 0xeb, 0xa8,
		0x77, 0x13, 0x0a, 0x0e, 0x1b, 0x4a, 0xeb, 0x24, 0x18, 0xb3, 0xcf, 0xd9, 0x07, 0x6a, 0x9d,
		0x18, 0x9c, 0x60, 0x1a, 0xe6, 0x60, 0x56, 0x43, 0xb9, 0x2d, 0x08, 0x24, 0xfc, 0x64, 0x6f,
		0x63, 0xf9, 0xf0, 0xde, 0xd5, 0x00,
	];
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
