//! One `Config` implementation per pallet.
//!
//! The economic constants of the chain live here: the existential deposit, the fee formula,
//! block limits and slot duration. Fees have two parts, both paid to the treasury account:
//!
//! - a **weight** part: one planck per picosecond of reference execution time
//!   ([`IdentityFee`]), so a simple transfer costs about 0.0002 TOS;
//! - a **length** part: [`TRANSACTION_BYTE_FEE`] (one micro-TOS) per encoded byte.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{
		tokens::imbalance::ResolveTo, ConstBool, ConstU128, ConstU32, ConstU64, ConstU8,
		VariantCountOf,
	},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_SECOND},
		ConstantMultiplier, IdentityFee, Weight,
	},
	PalletId,
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{
	traits::{AccountIdConversion, One},
	Perbill,
};
use sp_version::RuntimeVersion;

use super::{
	AccountId, Aura, Balance, Balances, Block, BlockNumber, Hash, Nonce, OriginCaller, PalletInfo,
	Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason, RuntimeOrigin,
	RuntimeTask, System, EXISTENTIAL_DEPOSIT, MICRO_UNIT, SLOT_DURATION, SS58_PREFIX, VERSION,
};

/// The share of a block's weight and length that ordinary transactions may fill; the rest is
/// kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// The length part of the fee: plancks per encoded byte of an extrinsic.
pub const TRANSACTION_BYTE_FEE: Balance = MICRO_UNIT;

parameter_types! {
	pub const BlockHashCount: BlockNumber = 2400;
	pub const Version: RuntimeVersion = VERSION;

	/// Two seconds of compute in a six-second block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(2u64 * WEIGHT_REF_TIME_PER_SECOND, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// At most 5 MiB of extrinsics per block.
	pub RuntimeBlockLength: BlockLength =
		BlockLength::builder()
			.max_length(5 * 1024 * 1024)
			.modify_max_length_for_class(DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * *max
			})
			.build();
	pub const SS58Prefix: u16 = SS58_PREFIX;

	/// The treasury's pallet id; its account receives transaction fees now and the network
	/// share of task rewards later. `pallet-treasury` will use the same id.
	pub const TreasuryPalletId: PalletId = PalletId(*b"py/trsry");
	/// The account derived from [`TreasuryPalletId`].
	pub TreasuryAccount: AccountId = TreasuryPalletId::get().into_account_truncating();

	/// Fees are not scaled with congestion yet: the multiplier stays at one.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

/// `frame_system`: accounts, nonces, events, block bookkeeping.
#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = BlockHashCount;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	type SS58Prefix = SS58Prefix;
	type MaxConsumers = ConstU32<16>;
}

/// `pallet_aura`: round-robin block authorship by slot.
impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<32>;
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = pallet_aura::MinimumPeriodTimesTwo<Runtime>;
}

/// `pallet_grandpa`: the finality voter set. Equivocation reports are not accepted yet.
impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<32>;
	type MaxNominators = ConstU32<0>;
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// `pallet_timestamp`: the time inherent. Half a slot is the least time between blocks.
impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = Aura;
	type MinimumPeriod = ConstU64<{ SLOT_DURATION / 2 }>;
	type WeightInfo = ();
}

/// `pallet_balances`: TOS balances, holds, freezes and the existential deposit.
impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ConstU32<50>;
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

/// `pallet_transaction_payment`: weight fee + length fee, paid to the treasury account.
impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ResolveTo<TreasuryAccount, Balances>>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = ConstantMultiplier<Balance, ConstU128<TRANSACTION_BYTE_FEE>>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

/// `pallet_utility`: batches and dispatch-as helpers.
impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// `pallet_sudo`: a root key for development and test chains; governance replaces it.
impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// A miner's bond may be withdrawn at most 28 days after unbonding.
	pub const MaxUnbondingDelay: BlockNumber = 28 * crate::DAYS;
	/// The reputation rules at genesis: a 10 TOS minimum bond, a 7-day unbonding delay,
	/// decay of 1 % of the distance to the 10 % floor per inactive day.
	pub ReputationDefaults: pallet_tos_miner_reputation::ReputationParams<Balance, BlockNumber> =
		pallet_tos_miner_reputation::ReputationParams {
			min_bond: 10 * crate::UNIT,
			unbonding_delay: 7 * crate::DAYS,
			decay_period: crate::DAYS,
			..pallet_tos_miner_reputation::Pallet::<Runtime>::default_params()
		};
	/// The market's rules at genesis: windows of 10 blocks (one minute) to 7 days, rewards of
	/// at least 1 TOS, a 1 TOS bond per commitment, a 0.1 TOS deposit per task plus 0.001 TOS
	/// per URI byte, a 5 % network fee on expired tasks, one day of retention, panels of up to
	/// 21 validators.
	pub TaskDefaults: pallet_tos_tasks::TaskParamsOf<Runtime> = pallet_tos_tasks::TaskParams {
		min_window: 10,
		max_window: 7 * crate::DAYS,
		min_reward: crate::UNIT,
		submission_bond: crate::UNIT,
		task_deposit: crate::UNIT / 10,
		deposit_per_byte: crate::MILLI_UNIT,
		network_fee: Perbill::from_percent(5),
		retention: crate::DAYS,
		max_panel: 21,
	};
}

/// `pallet_tos_miner_reputation`: bonded miners and their reputation. Its rules change by
/// Root until governance (issue 9) gives them a parameters track.
impl pallet_tos_miner_reputation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ParamsOrigin = frame_system::EnsureRoot<AccountId>;
	type MaxUnbondingDelay = MaxUnbondingDelay;
	type DefaultParams = ReputationDefaults;
	type WeightInfo = pallet_tos_miner_reputation::weights::SubstrateWeight<Runtime>;
}

/// `pallet_tos_tasks`: the task market. Eligibility and reputation come from
/// `MinerReputation`; validation is not wired yet (issue 6), so revealed tasks wait in
/// `Validating`. Bounds: 256-byte URIs, 32 solutions per task, 8 deadlines per block (the
/// hook's worst case stays under a tenth of a block).
impl pallet_tos_tasks::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = crate::MinerReputation;
	type Reputation = crate::MinerReputation;
	type Validation = ();
	type ParamsOrigin = frame_system::EnsureRoot<AccountId>;
	type Treasury = TreasuryAccount;
	type MaxUriLen = ConstU32<256>;
	type MaxSolutions = ConstU32<32>;
	type MaxDeadlinesPerBlock = ConstU32<8>;
	type DefaultParams = TaskDefaults;
	type WeightInfo = pallet_tos_tasks::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterMiner;
}

/// Registers benchmark accounts as miners of every task type.
#[cfg(feature = "runtime-benchmarks")]
pub struct RegisterMiner;
#[cfg(feature = "runtime-benchmarks")]
impl pallet_tos_tasks::BenchmarkHelper<AccountId> for RegisterMiner {
	fn make_miner(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		let bond = 100 * crate::UNIT;
		let _ = Balances::mint_into(who, bond);
		let _ = crate::MinerReputation::register_miner(
			RuntimeOrigin::signed(who.clone()),
			tos_primitives::SpecializationSet::from_types(&tos_primitives::TaskType::ALL),
			bond,
		);
	}
}
