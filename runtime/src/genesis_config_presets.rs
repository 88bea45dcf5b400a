//! Genesis presets: named JSON patches over the default genesis config, served by the
//! `GenesisBuilder` runtime API so that a node (or `build-spec`) can start a chain without
//! knowing the runtime's types.
//!
//! - `development`: Alice alone authors (Aura) and finalizes (GRANDPA) and holds the sudo
//!   key; the well-known dev accounts are funded.
//! - `local_testnet`: Alice, Bob, Charlie and Dave are the authorities; Alice holds sudo.
//!
//! Both are test chains: governance runs `Fast` (referenda in minutes), Alice, Bob and
//! Charlie form the expert council, and every task type's minimum solve time is two blocks
//! (the runtime's default genesis has the production times of
//! `pallet_tos_fraud_flags::Pallet::default_min_solve_times`).

use alloc::{vec, vec::Vec};
use frame_support::build_struct_json_patch;
use serde_json::Value;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_consensus_grandpa::AuthorityId as GrandpaId;
use sp_genesis_builder::{self, PresetId};
use sp_keyring::{Ed25519Keyring, Sr25519Keyring};

use crate::{
	configs::TreasuryAccount, AccountId, Balance, BalancesConfig, CouncilConfig, FraudFlagsConfig,
	GovernanceConfig, RuntimeGenesisConfig, SudoConfig, EXISTENTIAL_DEPOSIT, UNIT,
};
use pallet_tos_governance::GovernanceSpeed;

/// What each well-known dev account starts with: one million TOS.
pub const DEV_ENDOWMENT: Balance = 1_000_000 * UNIT;

/// The patch for a test chain with the given authorities, funded accounts and sudo key. The
/// treasury account is created with the existential deposit so that the first fees paid to
/// it are kept however small they are.
fn testnet_genesis(
	authorities: Vec<(AuraId, GrandpaId)>,
	endowed_accounts: Vec<AccountId>,
	root: AccountId,
) -> Value {
	let mut balances: Vec<(AccountId, Balance)> =
		endowed_accounts.into_iter().map(|account| (account, DEV_ENDOWMENT)).collect();
	balances.push((TreasuryAccount::get(), EXISTENTIAL_DEPOSIT));

	build_struct_json_patch!(RuntimeGenesisConfig {
		balances: BalancesConfig { balances },
		aura: pallet_aura::GenesisConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.clone()).collect::<Vec<_>>(),
		},
		grandpa: pallet_grandpa::GenesisConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.clone(), 1))
				.collect::<Vec<_>>(),
		},
		sudo: SudoConfig { key: Some(root) },
		// test chains: an expert council of three, and referenda that take minutes
		council: CouncilConfig {
			members: vec![
				Sr25519Keyring::Alice.to_account_id(),
				Sr25519Keyring::Bob.to_account_id(),
				Sr25519Keyring::Charlie.to_account_id(),
			],
		},
		governance: GovernanceConfig { speed: GovernanceSpeed::Fast },
		// test chains: tasks of a few blocks, so two blocks of minimum solve time for every type
		fraud_flags: FraudFlagsConfig {
			min_solve_times: tos_primitives::TaskType::ALL
				.iter()
				.map(|t| (*t, 2))
				.collect::<Vec<_>>(),
		},
	})
}

/// The Aura (sr25519) and GRANDPA (ed25519) keys of a well-known dev identity.
fn authority_keys(who: Sr25519Keyring) -> (AuraId, GrandpaId) {
	let grandpa = match who {
		Sr25519Keyring::Alice => Ed25519Keyring::Alice,
		Sr25519Keyring::Bob => Ed25519Keyring::Bob,
		Sr25519Keyring::Charlie => Ed25519Keyring::Charlie,
		Sr25519Keyring::Dave => Ed25519Keyring::Dave,
		Sr25519Keyring::Eve => Ed25519Keyring::Eve,
		_ => Ed25519Keyring::Ferdie,
	};
	(who.public().into(), grandpa.public().into())
}

/// The well-known dev accounts that start funded: Alice to Ferdie and their stashes.
fn dev_accounts() -> Vec<AccountId> {
	Sr25519Keyring::iter()
		.filter(|k| *k != Sr25519Keyring::One && *k != Sr25519Keyring::Two)
		.map(|k| k.to_account_id())
		.collect()
}

/// The `development` preset: a single-authority chain for one node.
pub fn development_config_genesis() -> Value {
	testnet_genesis(
		vec![authority_keys(Sr25519Keyring::Alice)],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The `local_testnet` preset: four authorities for a local network.
pub fn local_config_genesis() -> Value {
	testnet_genesis(
		vec![
			authority_keys(Sr25519Keyring::Alice),
			authority_keys(Sr25519Keyring::Bob),
			authority_keys(Sr25519Keyring::Charlie),
			authority_keys(Sr25519Keyring::Dave),
		],
		dev_accounts(),
		Sr25519Keyring::Alice.to_account_id(),
	)
}

/// The JSON patch of the preset `id`, or `None` if there is no such preset.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	serde_json::to_vec(&patch).ok()
}

/// The names of the presets this runtime offers.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(sp_genesis_builder::LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
