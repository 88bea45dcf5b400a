//! The VRF rule and the accumulator, in a runtime with System and this pallet; Alice and Bob
//! take turns by slot.

use super::*;
use codec::Encode;
use frame_support::{derive_impl, parameter_types, traits::Hooks};
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_core::{crypto::VrfSecret, sr25519::Pair, Pair as _};
use sp_keyring::Sr25519Keyring;
use sp_runtime::generic::DigestItem;
use sp_runtime::{generic::Digest, BuildStorage};
use tos_primitives::vrf;

type Block = frame_system::mocking::MockBlock<Test>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Randomness = crate;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

parameter_types! {
	pub Authorities: Vec<Public> = vec![Sr25519Keyring::Alice.public(), Sr25519Keyring::Bob.public()];
}

impl Config for Test {
	type Authorities = Authorities;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

#[cfg(feature = "runtime-benchmarks")]
impl BenchmarkHelper for () {
	fn set_authorities(_: Vec<Public>) {}
}

pub(crate) fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	storage.into()
}

/// The digest of a block in `slot` signed by `pair` over `randomness`.
fn digest(slot: u64, pair: &Pair, randomness: &H256) -> Digest {
	let signature = pair.vrf_sign(&vrf::sign_data(&randomness.0, slot));
	Digest {
		logs: vec![
			DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(slot).encode()),
			DigestItem::PreRuntime(vrf::ENGINE_ID, signature.encode()),
		],
	}
}

/// Runs block `n` with `digest` and returns the accumulator it leaves.
fn block(n: u64, digest: Digest) -> H256 {
	System::set_block_number(n - 1);
	System::initialize(&n, &H256::repeat_byte(n as u8), &digest);
	Randomness::on_initialize(n);
	Accumulator::<Test>::get().unwrap()
}

#[test]
fn the_slot_authors_vrf_is_folded_in_and_cannot_be_rerolled() {
	new_test_ext().execute_with(|| {
		let genesis = Accumulator::<Test>::get().unwrap();
		// slot 4: Alice's turn (4 % 2 = 0)
		let alice = Sr25519Keyring::Alice.pair();
		let first = block(1, digest(4, &alice, &genesis));
		assert_ne!(first, genesis);
		// the same author, slot and parent: the same randomness, whatever else the block holds
		Accumulator::<Test>::put(genesis);
		assert_eq!(block(1, digest(4, &alice, &genesis)), first);
		// withholding it hands the choice to the next slot's author, with another output
		Accumulator::<Test>::put(genesis);
		let bob = block(1, digest(5, &Sr25519Keyring::Bob.pair(), &genesis));
		assert_ne!(bob, first);
		// what the panel draws read changes with it
		let (seed, at) = <Randomness as frame_support::traits::Randomness<_, _>>::random(b"draw");
		assert_eq!(at, 1);
		assert_eq!(seed, BlakeTwo256::hash_of(&(&b"draw"[..], bob)));
	});
}

#[test]
fn a_vrf_by_another_key_for_another_input_or_none_is_refused() {
	new_test_ext().execute_with(|| {
		let genesis = Accumulator::<Test>::get().unwrap();
		let authorities = Authorities::get();
		let check = |d: &Digest| verified_output(d, &authorities, &genesis.0);
		let alice = Sr25519Keyring::Alice.pair();
		assert!(check(&digest(4, &alice, &genesis)).is_ok());
		// Bob signing Alice's slot
		assert_eq!(
			check(&digest(4, &Sr25519Keyring::Bob.pair(), &genesis)),
			Err(VrfError::BadProof)
		);
		// Alice's signature of another slot's input, relabelled
		let mut relabelled = digest(6, &alice, &genesis);
		relabelled.logs[0] = DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(4).encode());
		assert_eq!(check(&relabelled), Err(VrfError::BadProof));
		// over another parent's randomness
		assert_eq!(check(&digest(4, &alice, &H256::repeat_byte(1))), Err(VrfError::BadProof));
		let mut none = digest(4, &alice, &genesis);
		none.logs.pop();
		assert_eq!(check(&none), Err(VrfError::NoVrf));
		none.logs.clear();
		assert_eq!(check(&none), Err(VrfError::NoSlot));
		assert_eq!(
			verified_output(&digest(4, &alice, &genesis), &[], &genesis.0),
			Err(VrfError::NoAuthority)
		);
	});
}

#[test]
#[should_panic(expected = "the block's VRF is refused: BadProof")]
fn a_block_with_a_bad_vrf_does_not_execute() {
	new_test_ext().execute_with(|| {
		let genesis = Accumulator::<Test>::get().unwrap();
		block(1, digest(4, &Sr25519Keyring::Bob.pair(), &genesis));
	});
}

#[test]
fn a_chain_upgraded_into_the_pallet_starts_from_the_parent() {
	new_test_ext().execute_with(|| {
		Accumulator::<Test>::kill();
		// no VRF needed in the first block
		let start = block(1, Digest::default());
		assert_eq!(start, BlakeTwo256::hash_of(&H256::repeat_byte(1)));
		// from then on it is
		let next = block(2, digest(4, &Sr25519Keyring::Alice.pair(), &start));
		assert_ne!(next, start);
	});
}

#[test]
fn the_benchmarks_vrf_vector_verifies() {
	let alice = Sr25519Keyring::Alice.pair();
	assert_eq!(alice.public().0, vector::AUTHORITY);
	let digest = Digest {
		logs: vec![
			DigestItem::PreRuntime(AURA_ENGINE_ID, Slot::from(vector::SLOT).encode()),
			DigestItem::PreRuntime(vrf::ENGINE_ID, vector::SIGNATURE.to_vec()),
		],
	};
	let fresh = alice.vrf_sign(&vrf::sign_data(&vector::RANDOMNESS, vector::SLOT)).encode();
	assert_eq!(
		verified_output(&digest, &[alice.public()], &vector::RANDOMNESS).map(|_| ()),
		Ok(()),
		"regenerate vector::SIGNATURE: {fresh:?}"
	);
}
