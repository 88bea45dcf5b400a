//! The runtime, natively, in memory: genesis from a preset (as a node builds it), blocks
//! through `Executive` with an Aura slot and the timestamp inherent, calls dispatched with a
//! signed origin, and the events of each block.
//!
//! Calls are dispatched directly (`RuntimeCall::dispatch`), not as signed extrinsics: the
//! pallets' logic is the same, signatures and fees are not what the simulation measures.

use codec::Encode;
use frame_support::{
	dispatch::{DispatchResult, RawOrigin},
	traits::{fungible::Inspect, UnfilteredDispatchable},
};
use serde_json::Value;
use sp_consensus_aura::{Slot, AURA_ENGINE_ID};
use sp_genesis_builder::runtime_decl_for_genesis_builder::GenesisBuilder;
use sp_runtime::{
	generic::{Digest, DigestItem},
	traits::Header as _,
	AccountId32,
};
use tos_runtime::{
	Balance, Balances, Block, Executive, Header, Runtime, RuntimeCall, RuntimeEvent, RuntimeOrigin,
	System, SLOT_DURATION,
};

/// An account of the simulation.
pub type AccountId = AccountId32;

/// The sr25519 key pair of agent `index`, from a hash of it, so no two agents share one.
pub fn pair(index: u32) -> sp_core::sr25519::Pair {
	use sp_core::Pair as _;
	sp_core::sr25519::Pair::from_seed(&sp_io::hashing::blake2_256(&(b"tos-sim", index).encode()))
}

/// The account of agent `index`: its public key, which a validator's draws also use as its
/// seat key (the runtime's default for an account that set none).
pub fn account(index: u32) -> AccountId {
	use sp_core::Pair as _;
	AccountId32::from(pair(index).public())
}

/// Merges the JSON `patch` into `base`, objects key by key (how a preset becomes a config).
fn merge_json(base: &mut Value, patch: Value) {
	match (base, patch) {
		(Value::Object(base), Value::Object(patch)) => {
			for (key, value) in patch {
				merge_json(base.entry(key).or_insert(Value::Null), value);
			}
		},
		(base, patch) => *base = patch,
	}
}

/// Fresh externalities holding the genesis state of the `development` preset.
pub fn genesis() -> sp_io::TestExternalities {
	let default = <Runtime as GenesisBuilder<Block>>::get_preset(&None).expect("default config");
	let patch = <Runtime as GenesisBuilder<Block>>::get_preset(&Some("development".into()))
		.expect("the development preset exists");
	let mut config: Value = serde_json::from_slice(&default).expect("JSON");
	merge_json(&mut config, serde_json::from_slice(&patch).expect("JSON"));
	let config = serde_json::to_vec(&config).expect("a Value serializes");
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		<Runtime as GenesisBuilder<Block>>::build_state(config).expect("the preset builds");
	});
	ext.commit_all().expect("in-memory backend commits");
	ext
}

/// Starts block `number` as its Aura author (Alice, on the development chain) would: the slot
/// and the author's VRF in pre-runtime digests, the timestamp inherent matching the slot. The
/// hooks of every pallet run here.
pub fn start_block(number: u32) {
	use sp_block_builder::runtime_decl_for_block_builder::BlockBuilder;
	use sp_core::crypto::VrfSecret;
	let slot = Slot::from(1_000 + u64::from(number));
	let mut logs = vec![DigestItem::PreRuntime(AURA_ENGINE_ID, slot.encode())];
	if let Some(randomness) = pallet_tos_randomness::Pallet::<Runtime>::current() {
		let author = sp_keyring::Sr25519Keyring::Alice.pair();
		let signature = author.vrf_sign(&tos_primitives::vrf::sign_data(&randomness.0, *slot));
		logs.push(DigestItem::PreRuntime(tos_primitives::vrf::ENGINE_ID, signature.encode()));
	}
	let parent_hash = System::block_hash(number.saturating_sub(1));
	let header =
		Header::new(number, Default::default(), Default::default(), parent_hash, Digest { logs });
	Executive::initialize_block(&header);
	let mut inherent_data = sp_inherents::InherentData::new();
	inherent_data
		.put_data(sp_timestamp::INHERENT_IDENTIFIER, &(*slot * SLOT_DURATION))
		.expect("timestamp encodes");
	for inherent in <Runtime as BlockBuilder<Block>>::inherent_extrinsics(inherent_data) {
		Executive::apply_extrinsic(inherent).expect("inherent valid").expect("inherent dispatches");
	}
}

/// Ends the current block (its `on_finalize` hooks).
pub fn end_block() {
	Executive::finalize_block();
}

/// The events of the current block so far.
pub fn events() -> Vec<RuntimeEvent> {
	System::events().into_iter().map(|record| record.event).collect()
}

/// Dispatches `call` from `who`.
pub fn signed(who: &AccountId, call: RuntimeCall) -> DispatchResult {
	call.dispatch_bypass_filter(RuntimeOrigin::signed(who.clone())).map(|_| ()).map_err(|e| e.error)
}

/// Dispatches `call` as Root (governance, in a real chain).
pub fn root(call: RuntimeCall) -> DispatchResult {
	call.dispatch_bypass_filter(RawOrigin::Root.into()).map(|_| ()).map_err(|e| e.error)
}

/// Sets `who`'s free balance.
pub fn fund(who: &AccountId, amount: Balance) {
	root(RuntimeCall::Balances(pallet_balances::Call::force_set_balance {
		who: who.clone().into(),
		new_free: amount,
	}))
	.expect("root may set balances");
}

/// What `who` may spend and still keep its account.
pub fn spendable(who: &AccountId) -> Balance {
	use frame_support::traits::tokens::{Fortitude, Preservation};
	<Balances as Inspect<AccountId>>::reducible_balance(
		who,
		Preservation::Preserve,
		Fortitude::Polite,
	)
}

/// Everything `who` owns: free and held.
pub fn total_balance(who: &AccountId) -> Balance {
	<Balances as Inspect<AccountId>>::total_balance(who)
}

/// The money every account holds, free and reserved (holds included), counted account by
/// account: what total issuance must be.
pub fn money_in_accounts() -> Balance {
	frame_system::Account::<Runtime>::iter_values()
		.map(|info| info.data.free.saturating_add(info.data.reserved))
		.sum()
}

/// The total issuance as the balances pallet keeps it.
pub fn total_issuance() -> Balance {
	<Balances as Inspect<AccountId>>::total_issuance()
}

/// The current block number.
pub fn now() -> u32 {
	System::block_number()
}
