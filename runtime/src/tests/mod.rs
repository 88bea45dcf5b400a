//! Tests that run the real runtime logic natively: genesis through the `GenesisBuilder` API,
//! blocks through `Executive`, transactions through the same entry points a node calls.
//!
//! - [`genesis`]: every preset builds, and holds what it promises.
//! - [`governance`]: referenda through real blocks — a parameter change, an authorized
//!   upgrade, a rejected proposal.
//! - [`mining`]: the AI-mining pallets driven by signed extrinsics through real blocks.
//! - [`settlement`]: a task judged and paid out, with disputes, silent validators and
//!   refunds, every balance checked to the planck.
//! - [`transactions`]: a signed transfer in a real block, its fee and events; invalid
//!   transactions are refused with the right `TransactionValidityError`.

mod genesis;
mod governance;
mod hooks;
mod mining;
mod settlement;
mod transactions;

use codec::Encode;
use serde_json::Value;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilder;
use sp_keyring::Sr25519Keyring;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	MultiSignature,
};

use crate::{
	Address, Block, Executive, Header, Nonce, Runtime, RuntimeCall, RuntimeEvent, SignedPayload,
	System, TxExtension, UncheckedExtrinsic, SLOT_DURATION,
};

/// Merges the JSON `patch` into `base`: objects key by key, everything else replaced. This is
/// how a genesis preset (a patch) becomes a full config.
pub(crate) fn merge_json(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge_json(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// The full genesis config of `preset`, built as a node builds it: the default config from
/// `GenesisBuilder::get_preset(None)` with the preset's patch merged in.
pub(crate) fn preset_config(preset: &str) -> Value {
	let default = <Runtime as GenesisBuilder<Block>>::get_preset(&None)
		.expect("the default config is always served");
	let patch = <Runtime as GenesisBuilder<Block>>::get_preset(&Some(preset.into()))
		.unwrap_or_else(|| panic!("preset {preset} exists"));
	let mut config: Value = serde_json::from_slice(&default).expect("default config is JSON");
	merge_json(&mut config, serde_json::from_slice(&patch).expect("preset is JSON"));
	config
}

/// Fresh externalities holding the genesis state of `preset`, written by
/// `GenesisBuilder::build_state`.
pub(crate) fn genesis_ext(preset: &str) -> sp_io::TestExternalities {
	let config = serde_json::to_vec(&preset_config(preset)).expect("a Value serializes");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		<Runtime as GenesisBuilder<Block>>::build_state(config).expect("preset builds");
	});
	ext.commit_all().expect("in-memory backend commits");
	ext
}

/// The extensions a wallet attaches to a transaction with nonce `nonce` and no tip.
pub(crate) fn tx_extension(nonce: Nonce) -> TxExtension {
	crate::immortal_tx_extension(nonce)
}

/// `call` signed by `signer` with `nonce`, as a wallet would send it. Must run inside the
/// externalities: the signed payload includes the genesis hash read from storage.
pub(crate) fn signed(
	call: RuntimeCall,
	signer: Sr25519Keyring,
	nonce: Nonce,
) -> UncheckedExtrinsic {
	signed_as(call, signer, signer, nonce)
}

/// `call` claimed to come from `claimed` but signed by `key`: valid only if they are equal.
pub(crate) fn signed_as(
	call: RuntimeCall,
	claimed: Sr25519Keyring,
	key: Sr25519Keyring,
	nonce: Nonce,
) -> UncheckedExtrinsic {
	let extension = tx_extension(nonce);
	let payload =
		SignedPayload::new(call.clone(), extension.clone()).expect("extensions give implicit data");
	let signature = payload.using_encoded(|bytes| key.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		Address::Id(claimed.to_account_id()),
		MultiSignature::Sr25519(signature),
		extension,
	)
}

/// The pre-runtime digests of a block in `slot` as its author `author` makes them: the slot,
/// and the author's VRF over the randomness the state leaves (`tos_primitives::vrf`).
pub(crate) fn author_digest(slot: Slot, author: Sr25519Keyring) -> Digest {
	use sp_core::crypto::VrfSecret;
	let mut logs = vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())];
	if let Some(randomness) = pallet_tos_randomness::Pallet::<Runtime>::current() {
		let signature =
			author.pair().vrf_sign(&tos_primitives::vrf::sign_data(&randomness.0, *slot));
		logs.push(DigestItem::PreRuntime(tos_primitives::vrf::ENGINE_ID, signature.encode()));
	}
	Digest { logs }
}

/// Starts block `number` as an Aura author would: the pre-runtime digests name the slot and
/// carry the author's VRF (Alice authors every slot of the development chain), and the
/// timestamp inherent (built by the runtime's `inherent_extrinsics`) matches the slot.
pub(crate) fn start_block(number: u32) {
	use sp_block_builder::runtime_decl_for_block_builder::BlockBuilder;

	let slot = Slot::from(1_000 + u64::from(number));
	let author = slot_author(slot);
	let digest = author_digest(slot, author);
	let parent_hash = System::block_hash(number.saturating_sub(1));
	let header = Header::new(number, Default::default(), Default::default(), parent_hash, digest);
	Executive::initialize_block(&header);

	let mut inherent_data = sp_inherents::InherentData::new();
	inherent_data
		.put_data(sp_timestamp::INHERENT_IDENTIFIER, &(*slot * SLOT_DURATION))
		.expect("timestamp encodes");
	for inherent in <Runtime as BlockBuilder<Block>>::inherent_extrinsics(inherent_data) {
		Executive::apply_extrinsic(inherent)
			.expect("inherent is valid")
			.expect("inherent dispatches");
	}
}

/// The well-known key whose Aura turn `slot` is.
pub(crate) fn slot_author(slot: Slot) -> Sr25519Keyring {
	let authorities = pallet_aura::Authorities::<Runtime>::get();
	let author = &authorities[(*slot % authorities.len() as u64) as usize];
	Sr25519Keyring::iter()
		.find(|k| k.public() == author.clone().into_inner())
		.expect("the test chains' authorities are well-known keys")
}

/// The events emitted so far in this block.
pub(crate) fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|record| record.event).collect()
}

/// The fee the chain's formula asks for `xt`: base weight + call and extension weight (one
/// planck per picosecond) + one micro-TOS per encoded byte. Computed here from the
/// configuration, independently of pallet-transaction-payment.
pub(crate) fn expected_fee(xt: &UncheckedExtrinsic) -> u128 {
	use frame_support::dispatch::GetDispatchInfo;
	let info = xt.get_dispatch_info();
	let base =
		<Runtime as frame_system::Config>::BlockWeights::get().get(info.class).base_extrinsic;
	let weight = base.ref_time() + info.total_weight().ref_time();
	u128::from(weight) + xt.encoded_size() as u128 * crate::configs::TRANSACTION_BYTE_FEE
}

/// The proof `key` takes a seat with in the private draw open on `task`, if its ticket wins
/// (what a validator's program computes: its VRF over the draw's message, the ticket against
/// its threshold).
pub(crate) fn seat_proof(
	key: Sr25519Keyring,
	task: tos_primitives::TaskId,
) -> Option<tos_primitives::sortition::SeatProof> {
	let draw = pallet_tos_validation_voting::Draws::<Runtime>::get(task)?;
	let weight = crate::ValidationVoting::weight_of(&key.to_account_id());
	tos_primitives::sortition::try_seat(
		&key.pair(),
		&draw.message(task),
		weight,
		draw.eligible,
		draw.seats,
	)
}
