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

mod governance;
pub use governance::*;

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
	/// 10 validators (appeals up to 21).
	pub TaskDefaults: pallet_tos_tasks::TaskParamsOf<Runtime> = pallet_tos_tasks::TaskParams {
		min_window: 10,
		max_window: 7 * crate::DAYS,
		min_reward: crate::UNIT,
		submission_bond: crate::UNIT,
		task_deposit: crate::UNIT / 10,
		deposit_per_byte: crate::MILLI_UNIT,
		network_fee: Perbill::from_percent(5),
		retention: crate::DAYS,
		max_panel: 10,
	};
}

/// `pallet_tos_miner_reputation`: bonded miners and their reputation. Its rules change by
/// Root until governance (issue 9) gives them a parameters track.
impl pallet_tos_miner_reputation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ParamsOrigin = EnsureParametersOrRoot;
	type MaxUnbondingDelay = MaxUnbondingDelay;
	type DefaultParams = ReputationDefaults;
	type WeightInfo = pallet_tos_miner_reputation::weights::SubstrateWeight<Runtime>;
}

/// `pallet_tos_tasks`: the task market. Eligibility and reputation come from
/// `MinerReputation`; revealed solutions go to `ValidationVoting`. Bounds: 256-byte URIs, 32
/// solutions per task, 2 deadlines per block.
impl pallet_tos_tasks::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = crate::MinerReputation;
	type Reputation = crate::MinerReputation;
	type Validation = crate::ValidationVoting;
	type Fraud = crate::FraudFlags;
	type ParamsOrigin = EnsureParametersOrRoot;
	type Treasury = TreasuryAccount;
	type MaxUriLen = ConstU32<256>;
	type MaxSolutions = MaxSolutions;
	// the AI-mining hooks' worst case per block stays under a tenth of a block
	// (docs/PERFORMANCE.md)
	type MaxDeadlinesPerBlock = ConstU32<2>;
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

parameter_types! {
	/// The most solutions of one task, shared by the task, validation and rewards pallets.
	pub const MaxSolutions: u32 = 32;
	/// The largest panel: an appeal of the largest first panel (10), 2 × 10 + 1.
	pub const MaxPanel: u32 = 21;
	/// The judging rules at genesis: a 15-point clip band, 10 % of the bond for not revealing,
	/// disputes for 100 blocks (ten minutes) with a 10 TOS bond, and an overturn margin of 10
	/// points.
	pub ValidationDefaults: pallet_tos_validation_voting::ValidationParamsOf<Runtime> =
		pallet_tos_validation_voting::ValidationParams {
			clip_band: 15,
			non_reveal_slash: Perbill::from_percent(10),
			dispute_blocks: 10 * crate::MINUTES,
			dispute_bond: 10 * crate::UNIT,
			overturn_margin: 10,
		};
	/// Names the emission pot's account.
	pub const RewardsPalletId: PalletId = PalletId(*b"tos/rwrd");
	/// One TOS per block at first, halving every four years of six-second blocks: at most
	/// 42 million TOS in all.
	pub const InitialEmission: Balance = crate::UNIT;
	/// Four years of blocks.
	pub const HalvingInterval: BlockNumber = 4 * 365 * crate::DAYS;
	/// Emission stops when total issuance reaches one billion TOS.
	pub const MaxSupply: Balance = 1_000_000_000 * crate::UNIT;
	/// Miners get 80 % of each era's emission, validators 20 %.
	pub const MinerShare: Perbill = Perbill::from_percent(80);
}

/// `pallet_tos_validation_voting`: certified expert validators judge revealed solutions.
/// Certification and the rules are Root's until governance (issue 9) gives them the expert
/// council and a parameters track. Up to 100 certified validators per specialization (the
/// draw's candidates), panels of up to 21 (appeals).
impl pallet_tos_validation_voting::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CertifyOrigin = EnsureCertifier;
	type ParamsOrigin = EnsureParametersOrRoot;
	type Reputation = crate::MinerReputation;
	type Ledger = crate::MinerReputation;
	type Tasks = crate::Tasks;
	type OnValidated = crate::Rewards;
	type Fraud = crate::FraudFlags;
	type Treasury = TreasuryAccount;
	type MinBond = ConstU128<{ 10 * crate::UNIT }>;
	type UnbondingDelay = ConstU32<{ 7 * crate::DAYS }>;
	type MaxCandidates = ConstU32<100>;
	type MaxPanel = MaxPanel;
	type MaxSolutions = MaxSolutions;
	// an appeal's end with settlement can cost ~70 ms of weight (docs/PERFORMANCE.md)
	type MaxDeadlinesPerBlock = ConstU32<1>;
	type DefaultParams = ValidationDefaults;
	type WeightInfo = pallet_tos_validation_voting::weights::SubstrateWeight<Runtime>;
}

/// `pallet_tos_rewards`: settles judged tasks from their escrow and mints the mining emission
/// (hourly eras).
impl pallet_tos_rewards::Config for Runtime {
	type Currency = Balances;
	type Tasks = crate::Tasks;
	type ParamsOrigin = EnsureParametersOrRoot;
	type Treasury = TreasuryAccount;
	type PalletId = RewardsPalletId;
	type EraLength = ConstU32<{ crate::HOURS }>;
	type InitialEmission = InitialEmission;
	type HalvingInterval = HalvingInterval;
	type MaxSupply = MaxSupply;
	type MinerShare = MinerShare;
	type DefaultSplit = frame_support::traits::GetDefault;
	type WeightInfo = pallet_tos_rewards::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterMiner;
	type MaxSolutions = MaxSolutions;
	type MaxValidators = ConstU32<{ 10 + 21 }>;
}

/// Makes a task with revealed solutions that validation is judging.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_tos_rewards::BenchmarkHelper<AccountId> for RegisterMiner {
	fn judged_task(solutions: u32) -> (tos_primitives::TaskId, alloc::vec::Vec<AccountId>) {
		use frame_support::traits::{fungible::Mutate, Hooks};
		use pallet_tos_tasks::BenchmarkHelper as _;
		use sp_core::H256;
		let publisher: AccountId = frame_benchmarking::account("publisher", 0, 0);
		let _ = Balances::mint_into(&publisher, 1_000_000 * crate::UNIT);
		let task_id = pallet_tos_tasks::NextTaskId::<Runtime>::get();
		let start = System::block_number();
		let spec = pallet_tos_tasks::TaskSpec {
			task_type: tos_primitives::TaskType::CodeGeneration,
			content_hash: H256::repeat_byte(1),
			uri: Default::default(),
			reward: 1_000 * crate::UNIT,
			commit_blocks: 10,
			reveal_blocks: 10,
			validation_blocks: 10,
			max_solutions: solutions,
			min_level: tos_primitives::MinerLevel::Novice,
			panel_size: 1,
			quality_threshold: tos_primitives::Score::default(),
		};
		let _ = crate::Tasks::publish_task(RuntimeOrigin::signed(publisher), spec);
		// each miner's own work (identical solutions would be flagged as plagiarism)
		let salt = H256::repeat_byte(3);
		let solution = |i: u64| H256::from(sp_io::hashing::blake2_256(&(i + 1_000).to_le_bytes()));
		let fingerprint =
			|i: u64| tos_primitives::Fingerprint(sp_io::hashing::blake2_256(&i.to_le_bytes()));
		let miners: alloc::vec::Vec<AccountId> =
			(0..solutions).map(|i| frame_benchmarking::account("miner", i, 0)).collect();
		for (i, miner) in miners.iter().enumerate() {
			let _ = Balances::mint_into(miner, 1_000 * crate::UNIT);
			Self::make_miner(miner);
			let hash = pallet_tos_tasks::commitment_of(
				&solution(i as u64),
				&fingerprint(i as u64),
				&salt,
				miner,
			);
			let _ =
				crate::Tasks::commit_solution(RuntimeOrigin::signed(miner.clone()), task_id, hash);
		}
		System::set_block_number(start + 10);
		crate::Tasks::on_initialize(start + 10);
		for (i, miner) in miners.iter().enumerate() {
			let _ = crate::Tasks::reveal_solution(
				RuntimeOrigin::signed(miner.clone()),
				task_id,
				solution(i as u64),
				salt,
				fingerprint(i as u64),
				Default::default(),
			);
		}
		System::set_block_number(start + 20);
		crate::Tasks::on_initialize(start + 20);
		(task_id, miners)
	}
}

parameter_types! {
	/// The fraud layer's rules at genesis: the pallet's suggestions, with a 10 TOS report bond,
	/// collusion counted over a day and bans of a week.
	pub FraudDefaults: pallet_tos_fraud_flags::FraudParamsOf<Runtime> =
		pallet_tos_fraud_flags::FraudParams {
			report_bond: 10 * crate::UNIT,
			collusion_window: crate::DAYS,
			ban_period: 7 * crate::DAYS,
			..pallet_tos_fraud_flags::Pallet::<Runtime>::default_params()
		};
}

/// `pallet_tos_fraud_flags`: the detectors (asked by Tasks and ValidationVoting), reports, and
/// slashes of both miner and validator bonds. Adjudication and the rules are Root's until
/// governance (issue 9) gives them to the expert council and a parameters track.
impl pallet_tos_fraud_flags::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Penalties = (crate::MinerReputation, crate::ValidationVoting);
	type Reputation = crate::MinerReputation;
	type AdjudicateOrigin = EnsureAdjudicator;
	type ParamsOrigin = EnsureParametersOrRoot;
	type Treasury = TreasuryAccount;
	type DefaultParams = FraudDefaults;
	type MaxPunishmentsPerBlock = ConstU32<4>;
	type MaxSolutions = MaxSolutions;
	type WeightInfo = pallet_tos_fraud_flags::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterMiner;
}

/// Bonds benchmark accounts as miners and certified validators of every type.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_tos_fraud_flags::BenchmarkHelper<AccountId> for RegisterMiner {
	fn stake(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		use pallet_tos_tasks::BenchmarkHelper as _;
		let _ = Balances::mint_into(who, 1_000 * crate::UNIT);
		Self::make_miner(who);
		let _ = crate::ValidationVoting::apply_validator(
			RuntimeOrigin::signed(who.clone()),
			tos_primitives::SpecializationSet::from_types(&tos_primitives::TaskType::ALL),
			100 * crate::UNIT,
		);
		for task_type in tos_primitives::TaskType::ALL {
			let _ = crate::ValidationVoting::certify(RuntimeOrigin::root(), who.clone(), task_type);
		}
	}
}

/// `upgrade_probe` (the `upgrade-test` build only).
#[cfg(feature = "upgrade-test")]
impl crate::upgrade_probe::Config for Runtime {}
