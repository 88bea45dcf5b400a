//! # The TOS runtime
//!
//! The state-transition function of the TOS chain: every block is executed by this code,
//! compiled to Wasm and stored on chain under `:code`, so a governance vote can replace it
//! without restarting a node. The native build exists for tests.
//!
//! This file holds only the chain's types, its version and the list of pallets with their
//! indices. The rest is split by job:
//!
//! - [`configs`]: one `impl pallet_x::Config for Runtime` per pallet: block limits, the
//!   existential deposit, fees, slot duration.
//! - [`apis`]: the runtime APIs a node and a wallet call (Core, Metadata, BlockBuilder,
//!   TaggedTransactionQueue, OffchainWorkerApi, SessionKeys, AuraApi, GrandpaApi,
//!   AccountNonceApi, TransactionPaymentApi, GenesisBuilder).
//! - [`genesis_config_presets`]: the `development` and `local_testnet` genesis presets.
//! - [`weights`]: the SDK pallets' weights as measured in this runtime.
//!
//! Conventions: token TOS with 12 decimals, SS58 prefix 42, BlakeTwo256, u32 block numbers,
//! `MultiAddress` + `MultiSignature`, and only the standard transaction extensions, so that
//! wallets need no custom types to sign.
#![cfg_attr(not(feature = "std"), no_std)]
// `construct_runtime` generates code that needs a higher recursion limit.
#![recursion_limit = "256"]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

// before `apis`: `define_benchmarks!` defines the macros the benchmark API uses
#[cfg(feature = "runtime-benchmarks")]
#[macro_use]
mod benchmarks;
pub mod apis;
pub mod configs;
pub mod genesis_config_presets;
pub mod mining_api;
#[cfg(feature = "upgrade-test")]
pub mod upgrade_probe;
pub mod weights;

extern crate alloc;

use alloc::vec::Vec;
use sp_runtime::{generic, impl_opaque_keys};
use sp_version::RuntimeVersion;

pub use tos_primitives::{
	opaque, AccountId, Address, Balance, BlockNumber, Hash, Moment, Nonce, Signature,
	EXISTENTIAL_DEPOSIT, MICRO_UNIT, MILLI_UNIT, SS58_PREFIX, TOKEN_DECIMALS, TOKEN_SYMBOL, UNIT,
};

pub use frame_system::Call as SystemCall;
pub use pallet_balances::Call as BalancesCall;
pub use pallet_timestamp::Call as TimestampCall;
#[cfg(feature = "std")]
pub use sp_runtime::BuildStorage;

impl_opaque_keys! {
	/// The keys a validator registers: one for authoring (Aura, sr25519) and one for finality
	/// (GRANDPA, ed25519).
	pub struct SessionKeys {
		pub aura: Aura,
		pub grandpa: Grandpa,
	}
}

/// The runtime's version. Bump `spec_version` with every change of behaviour, and
/// `transaction_version` whenever the encoding of calls or extensions changes.
#[cfg(not(feature = "upgrade-test"))]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tos"),
	impl_name: alloc::borrow::Cow::Borrowed("tos-node"),
	authoring_version: 1,
	spec_version: 115,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// The `upgrade-test` build's version: `spec_version` one higher than the real runtime's.
#[cfg(feature = "upgrade-test")]
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("tos"),
	impl_name: alloc::borrow::Cow::Borrowed("tos-node"),
	authoring_version: 1,
	spec_version: 116,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 3,
	system_version: 1,
};

/// Block times: one block per slot of six seconds.
pub mod block_times {
	use super::BlockNumber;

	/// The target time between blocks. Aura's slot duration is this value; it cannot be
	/// changed on a running chain without halting block production.
	pub const MILLI_SECS_PER_BLOCK: u64 = 6000;
	/// Aura's slot duration.
	pub const SLOT_DURATION: u64 = MILLI_SECS_PER_BLOCK;

	/// Blocks per minute.
	pub const MINUTES: BlockNumber = 60_000 / (MILLI_SECS_PER_BLOCK as BlockNumber);
	/// Blocks per hour.
	pub const HOURS: BlockNumber = MINUTES * 60;
	/// Blocks per day.
	pub const DAYS: BlockNumber = HOURS * 24;
}
pub use block_times::*;

/// The block header.
pub type Header = generic::Header<BlockNumber, sp_runtime::traits::BlakeTwo256>;

/// A block as this runtime sees it.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// A block together with its justifications.
pub type SignedBlock = generic::SignedBlock<Block>;

/// The transaction extensions, in the order wallets sign them. All are standard FRAME
/// extensions, known to polkadot.js, polkadot-api, subxt and py-substrate-interface.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	frame_metadata_hash_extension::CheckMetadataHash<Runtime>,
);

/// The extensions a wallet attaches to an immortal transaction with `nonce` and no tip (the
/// metadata-hash check disabled). For tests, benchmarks and dev tooling; wallets build the
/// same from metadata.
#[cfg(feature = "std")]
pub fn immortal_tx_extension(nonce: Nonce) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(sp_runtime::generic::Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::from(0),
		frame_metadata_hash_extension::CheckMetadataHash::new(false),
	)
}

/// An extrinsic as it travels over the wire and sits in a block.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a signer signs: the call, the extensions and their implicit data.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// Storage migrations run on the next runtime upgrade: the AI-mining pallets' storage
/// version 1 (the incentives that hold against cheaters, issues 16 and 17; emission that
/// follows value, issue 30), the fraud layer's version 2 (reports that name a task, issue
/// 30) and miner reputation's version 2 (records counted by value, issue 30). Each runs
/// once, guarded by its pallet's storage version.
type Migrations = (
	pallet_tos_miner_reputation::migrations::v1::MigrateToV1<Runtime>,
	pallet_tos_miner_reputation::migrations::v2::MigrateToV2<Runtime>,
	pallet_tos_rewards::migrations::v1::MigrateToV1<Runtime>,
	pallet_tos_tasks::migrations::v1::MigrateToV1<Runtime>,
	pallet_tos_validation_voting::migrations::v1::MigrateToV1<Runtime>,
	pallet_tos_fraud_flags::migrations::v1::MigrateToV1<Runtime, configs::DefaultMinSolveTimes>,
	pallet_tos_fraud_flags::migrations::v2::MigrateToV2<Runtime>,
);

/// Dispatches blocks and extrinsics to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

/// The pallets, with explicit indices. Indices are part of the encoding of every call and
/// event, so they never change; gaps leave room for the governance (30–39) and AI-mining
/// (50–59) pallets.
///
/// Written once, for both builds: the real runtime, and the `upgrade-test` build, which adds
/// `UpgradeProbe` at index 49 so that an upgrade to it shows a new call in the metadata. (A
/// `#[cfg]` on one pallet inside `#[frame_support::runtime]` does not expand in this SDK
/// release, hence the macro.)
macro_rules! tos_runtime {
	($($extra:tt)*) => {
		#[frame_support::runtime]
		mod runtime {
			#[runtime::runtime]
			#[runtime::derive(
				RuntimeCall,
				RuntimeEvent,
				RuntimeError,
				RuntimeOrigin,
				RuntimeFreezeReason,
				RuntimeHoldReason,
				RuntimeSlashReason,
				RuntimeLockId,
				RuntimeTask,
				RuntimeViewFunction
			)]
			pub struct Runtime;

			#[runtime::pallet_index(0)]
			pub type System = frame_system;

			#[runtime::pallet_index(1)]
			pub type Timestamp = pallet_timestamp;

			#[runtime::pallet_index(2)]
			pub type Aura = pallet_aura;

			#[runtime::pallet_index(3)]
			pub type Grandpa = pallet_grandpa;

			// before every pallet that draws: the block author's VRF, verified and accumulated
			#[runtime::pallet_index(4)]
			pub type Randomness = pallet_tos_randomness;

			#[runtime::pallet_index(10)]
			pub type Balances = pallet_balances;

			#[runtime::pallet_index(11)]
			pub type TransactionPayment = pallet_transaction_payment;

			#[runtime::pallet_index(20)]
			pub type Utility = pallet_utility;

			// 30–39: governance.
			#[runtime::pallet_index(30)]
			pub type Preimage = pallet_preimage;

			#[runtime::pallet_index(31)]
			pub type Scheduler = pallet_scheduler;

			#[runtime::pallet_index(32)]
			pub type Referenda = pallet_referenda;

			#[runtime::pallet_index(33)]
			pub type ConvictionVoting = pallet_conviction_voting;

			#[runtime::pallet_index(34)]
			pub type Council = pallet_collective<Instance1>;

			#[runtime::pallet_index(35)]
			pub type Treasury = pallet_treasury;

			#[runtime::pallet_index(36)]
			pub type Governance = pallet_tos_governance;

			// 50–59: AI mining.
			#[runtime::pallet_index(50)]
			pub type MinerReputation = pallet_tos_miner_reputation;

			#[runtime::pallet_index(51)]
			pub type Tasks = pallet_tos_tasks;

			#[runtime::pallet_index(52)]
			pub type ValidationVoting = pallet_tos_validation_voting;

			#[runtime::pallet_index(53)]
			pub type Rewards = pallet_tos_rewards;

			#[runtime::pallet_index(54)]
			pub type FraudFlags = pallet_tos_fraud_flags;

			// pallets only some builds have (the `upgrade-test` build's probe)
			$($extra)*

			#[runtime::pallet_index(255)]
			pub type Sudo = pallet_sudo;
		}
	};
}

#[cfg(not(feature = "upgrade-test"))]
tos_runtime!();

#[cfg(feature = "upgrade-test")]
tos_runtime! {
	// the `upgrade-test` build only: a harmless extra call to find after an upgrade
	#[runtime::pallet_index(49)]
	pub type UpgradeProbe = crate::upgrade_probe;
}

#[cfg(test)]
mod tests;
