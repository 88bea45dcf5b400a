//! Genesis presets, built through the `GenesisBuilder` runtime API.

use super::*;
use crate::{
	configs::TreasuryAccount, genesis_config_presets::DEV_ENDOWMENT, Aura, Balances, Grandpa,
	EXISTENTIAL_DEPOSIT,
};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_keyring::Ed25519Keyring;

#[test]
fn both_presets_are_listed() {
	let names = <Runtime as GenesisBuilder<Block>>::preset_names();
	let names: Vec<String> =
		names.iter().map(|n| String::from_utf8_lossy(n.as_ref()).into_owned()).collect();
	assert_eq!(names, vec!["development".to_string(), "local_testnet".to_string()]);
}

#[test]
fn unknown_preset_is_none() {
	assert_eq!(<Runtime as GenesisBuilder<Block>>::get_preset(&Some("mainnet".into())), None);
}

#[test]
fn development_has_alice_as_sole_authority_and_sudo() {
	genesis_ext("development").execute_with(|| {
		let alice_aura: AuraId = Sr25519Keyring::Alice.public().into();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), vec![alice_aura]);
		assert_eq!(
			Grandpa::grandpa_authorities(),
			vec![(Ed25519Keyring::Alice.public().into(), 1)]
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(Sr25519Keyring::Alice.to_account_id()));
		assert_eq!(Aura::slot_duration(), crate::SLOT_DURATION);
	});
}

#[test]
fn local_testnet_has_four_authorities() {
	genesis_ext("local_testnet").execute_with(|| {
		let expected: Vec<AuraId> = [
			Sr25519Keyring::Alice,
			Sr25519Keyring::Bob,
			Sr25519Keyring::Charlie,
			Sr25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.public().into())
		.collect();
		assert_eq!(pallet_aura::Authorities::<Runtime>::get().into_inner(), expected);
		let grandpa: Vec<_> =
			Grandpa::grandpa_authorities().into_iter().map(|(id, _)| id).collect();
		let expected_grandpa: Vec<sp_consensus_grandpa::AuthorityId> = [
			Ed25519Keyring::Alice,
			Ed25519Keyring::Bob,
			Ed25519Keyring::Charlie,
			Ed25519Keyring::Dave,
		]
		.iter()
		.map(|k| k.public().into())
		.collect();
		assert_eq!(grandpa, expected_grandpa);
	});
}

#[test]
fn presets_fund_the_dev_accounts_and_open_the_treasury() {
	for preset in ["development", "local_testnet"] {
		genesis_ext(preset).execute_with(|| {
			for who in [
				Sr25519Keyring::Alice,
				Sr25519Keyring::Bob,
				Sr25519Keyring::Charlie,
				Sr25519Keyring::Dave,
				Sr25519Keyring::Eve,
				Sr25519Keyring::Ferdie,
				Sr25519Keyring::AliceStash,
			] {
				assert_eq!(Balances::free_balance(who.to_account_id()), DEV_ENDOWMENT, "{who:?}");
			}
			assert_eq!(Balances::free_balance(TreasuryAccount::get()), EXISTENTIAL_DEPOSIT);
			// the emission pot opens with the existential deposit too
			let pot = pallet_tos_rewards::Pallet::<Runtime>::pot();
			assert_eq!(Balances::free_balance(pot), EXISTENTIAL_DEPOSIT);
			assert_eq!(Balances::free_balance(Sr25519Keyring::One.to_account_id()), 0);
			assert_eq!(
				pallet_balances::TotalIssuance::<Runtime>::get(),
				12 * DEV_ENDOWMENT + 2 * EXISTENTIAL_DEPOSIT
			);
		});
	}
}

#[test]
fn genesis_block_hash_is_recorded_for_signing() {
	genesis_ext("development").execute_with(|| {
		// CheckGenesis signs over block 0's hash: genesis must have stored one.
		assert_ne!(System::block_hash(0), Default::default());
	});
}

#[test]
fn malformed_genesis_config_is_an_error_not_a_panic() {
	let mut ext = sp_io::TestExternalities::new_empty();
	ext.execute_with(|| {
		let not_json = <Runtime as GenesisBuilder<Block>>::build_state(b"{ not json".to_vec());
		assert!(not_json.is_err());
		let unknown_field =
			<Runtime as GenesisBuilder<Block>>::build_state(br#"{"noSuchPallet": {}}"#.to_vec());
		let message = unknown_field.expect_err("unknown fields are refused");
		assert!(message.contains("noSuchPallet"), "error names the field: {message}");
	});
}

#[test]
fn merge_json_replaces_leaves_and_keeps_siblings() {
	let mut base = serde_json::json!({"a": {"x": 1, "y": 2}, "b": [1, 2]});
	merge_json(&mut base, serde_json::json!({"a": {"y": 3}, "b": [9], "c": true}));
	assert_eq!(base, serde_json::json!({"a": {"x": 1, "y": 3}, "b": [9], "c": true}));
}

#[test]
fn native_metadata_lists_every_pallet_at_v14_to_v16() {
	use codec::Decode;
	use frame_metadata::RuntimeMetadataPrefixed;

	let versions = Runtime::metadata_versions();
	for v in [14u32, 15, 16] {
		assert!(versions.contains(&v), "metadata v{v} offered: {versions:?}");
		let bytes = Runtime::metadata_at_version(v).expect("offered version is served");
		let prefixed = RuntimeMetadataPrefixed::decode(&mut &bytes[..]).expect("decodes");
		assert_eq!(prefixed.1.version(), v);
	}
}
