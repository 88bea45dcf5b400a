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
	/// decay of 1 % of the distance to the 10 % floor per inactive day, one confirmed fraud
	/// forgiven per 30 clean days.
	pub ReputationDefaults: pallet_tos_miner_reputation::ReputationParams<Balance, BlockNumber> =
		pallet_tos_miner_reputation::ReputationParams {
			min_bond: 10 * crate::UNIT,
			unbonding_delay: 7 * crate::DAYS,
			decay_period: crate::DAYS,
			fraud_recovery: 30 * crate::DAYS,
			..pallet_tos_miner_reputation::Pallet::<Runtime>::default_params()
		};
	/// The market's rules at genesis: windows of 10 blocks (one minute) to 7 days, rewards of
	/// at least 1 TOS, a bond per commitment of 2 % of the reward and at least 1 TOS (20 TOS on a
	/// 1 000 TOS task), bonds forfeited by solutions judged below quality 10, Skilled miners
	/// for rewards from 10 000 TOS, Expert from 100 000, Master from 1 000 000; a 0.1 TOS
	/// deposit per task plus 0.001 TOS per URI byte, one day of retention, panels of up to 10
	/// validators (appeals up to 21).
	pub TaskDefaults: pallet_tos_tasks::TaskParamsOf<Runtime> = pallet_tos_tasks::TaskParams {
		min_window: 10,
		max_window: 7 * crate::DAYS,
		min_reward: crate::UNIT,
		min_submission_bond: crate::UNIT,
		submission_bond_share: Perbill::from_percent(2),
		junk_quality: tos_primitives::Score::new(10).unwrap_or_default(),
		reward_levels: [10_000 * crate::UNIT, 100_000 * crate::UNIT, 1_000_000 * crate::UNIT],
		task_deposit: crate::UNIT / 10,
		deposit_per_byte: crate::MILLI_UNIT,
		retention: crate::DAYS,
		max_panel: 10,
	};
}

/// `pallet_tos_miner_reputation`: bonded miners and their reputation; its rules change by the
/// parameters track.
impl pallet_tos_miner_reputation::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ParamsOrigin = EnsureParametersOrRoot;
	type MaxUnbondingDelay = MaxUnbondingDelay;
	type DefaultParams = ReputationDefaults;
	type LevelOutcomes = LevelOutcomes;
	type RecordValue = RecordValue;
	type WeightInfo = pallet_tos_miner_reputation::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// 20, 100 and 300 tasks on record for Skilled, Expert and Master: at ten tasks a day, a
	/// new identity takes a month to be a Master again — as long as a confirmed fraud takes
	/// to be forgiven.
	pub const LevelOutcomes: [u32; 3] = [20, 100, 300];
	/// A task of 100 TOS counts as a whole task on record, a smaller one by its share: twenty
	/// tasks a miner publishes to itself at the 1 TOS minimum make a fifth of one task's record,
	/// and a Skilled record of its own making burns at least 100 TOS of network fees (5 % of
	/// 2 000 TOS of rewards), of which emission returns at most part.
	pub const RecordValue: Balance = 100 * crate::UNIT;
}

/// `pallet_tos_tasks`: the task market. Eligibility and reputation come from
/// `MinerReputation`; revealed solutions go to `ValidationVoting`, its results come back and
/// are paid by the split of `Rewards`. Bounds: 256-byte URIs, 32 solutions per task, 2
/// deadlines per block.
impl pallet_tos_tasks::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = crate::MinerReputation;
	type Reputation = crate::MinerReputation;
	type Validation = crate::ValidationVoting;
	type Rewards = crate::Rewards;
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

	fn raise_priority(who: &AccountId) {
		use frame_support::traits::fungible::Mutate;
		let _ = Balances::mint_into(who, 1_000 * crate::UNIT);
		let _ = crate::MinerReputation::bond_extra(
			RuntimeOrigin::signed(who.clone()),
			500 * crate::UNIT,
		);
	}
}

parameter_types! {
	/// The most solutions of one task, shared by the task, validation and rewards pallets.
	pub const MaxSolutions: u32 = 32;
	/// The largest panel: an appeal of the largest first panel (10), 2 × 10 + 1.
	pub const MaxPanel: u32 = 21;
	/// The judging rules at genesis: the pallet's suggestions (a 15-point clip band and a
	/// 15-point outlier margin, panels of at least 3 with no seat over a quarter, a seat
	/// needing 5 % of the reward at stake, dispute bonds of 5 % of the reward, an appeal paid by
	/// the losing side), with bonds counted up to 10 000 TOS, disputes for 100 blocks (ten
	/// minutes) with a bond of at least 10 TOS, and a day for the council.
	pub ValidationDefaults: pallet_tos_validation_voting::ValidationParamsOf<Runtime> =
		pallet_tos_validation_voting::ValidationParams {
			dispute_blocks: 10 * crate::MINUTES,
			min_dispute_bond: 10 * crate::UNIT,
			stake_cap: 10_000 * crate::UNIT,
			council_blocks: crate::DAYS,
			..pallet_tos_validation_voting::Pallet::<Runtime>::default_params()
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
	/// A task earns emission points worth 90 % of the network fee it burned: never more than
	/// it cost, so self-dealing loses at least a tenth of every fee it burns.
	pub const EmissionPerBurn: Perbill = Perbill::from_percent(90);
}

/// A validator's seat key when it set none: an sr25519 account's own public key (the bytes of
/// every account id; for other key types they are no key anybody can sign with).
pub struct AccountSeatKey;
impl sp_runtime::traits::Convert<AccountId, Option<[u8; 32]>> for AccountSeatKey {
	fn convert(who: AccountId) -> Option<[u8; 32]> {
		Some(who.into())
	}
}

parameter_types! {
	/// Whether panels are drawn privately (each validator's VRF ticket, shown with its
	/// commitment): yes unless the storage item under `:PrivateDraws:` says otherwise (root's
	/// `System.set_storage` switches to public draws, named by `PanelSelected`, and back).
	pub storage PrivateDraws: bool = true;
	/// Whether a task's first draw seats sealed members too, one more than its panel, who reveal
	/// after the provisional result and hear its appeal (`:SealedSeats:` switches it).
	pub storage SealedSeats: bool = true;
}

/// `pallet_tos_validation_voting`: certified expert validators judge revealed solutions,
/// drawn with the block authors' VRF randomness. The expert council certifies, registers
/// honeypot providers and judges what no panel can; the parameters track sets the rules. Up
/// to 100 certified validators per specialization (the draw's candidates), panels of up to 21
/// (appeals), 64 honeypot providers.
impl pallet_tos_validation_voting::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CertifyOrigin = EnsureCertifier;
	type CouncilOrigin = EnsureAdjudicator;
	type ParamsOrigin = EnsureParametersOrRoot;
	type Randomness = crate::Randomness;
	type Reputation = crate::MinerReputation;
	type Ledger = crate::MinerReputation;
	type Tasks = crate::Tasks;
	type Salts = crate::Tasks;
	type Fraud = crate::FraudFlags;
	type Treasury = TreasuryAccount;
	type MinBond = ConstU128<{ 10 * crate::UNIT }>;
	type UnbondingDelay = ConstU32<{ 7 * crate::DAYS }>;
	type MaxCandidates = ConstU32<100>;
	type PrivateDraws = PrivateDraws;
	type SealedSeats = SealedSeats;
	type DefaultSeatKey = AccountSeatKey;
	type MaxPanel = MaxPanel;
	type MaxSolutions = MaxSolutions;
	type MaxHoneypotProviders = ConstU32<64>;
	// an appeal's end with settlement can cost ~70 ms of weight (docs/PERFORMANCE.md)
	type MaxDeadlinesPerBlock = ConstU32<1>;
	type DefaultParams = ValidationDefaults;
	type WeightInfo = pallet_tos_validation_voting::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = RegisterMiner;
}

/// Makes a miner have revealed a solution with a given salt, for the honeypot benchmark.
#[cfg(feature = "runtime-benchmarks")]
impl pallet_tos_validation_voting::BenchmarkHelper<AccountId> for RegisterMiner {
	fn public_draws() {
		PrivateDraws::set(&false);
	}

	fn revealed(task_id: tos_primitives::TaskId, miner: &AccountId, salt: sp_core::H256) {
		pallet_tos_tasks::Commitments::<Runtime>::insert(
			task_id,
			miner,
			pallet_tos_tasks::Commitment {
				hash: Default::default(),
				committed_at: 0,
				bond: 0,
				solution: Some(pallet_tos_tasks::Solution {
					solution_hash: Default::default(),
					fingerprint: Default::default(),
					salt,
					uri: Default::default(),
				}),
				flagged: false,
				score: None,
				reward: 0,
			},
		);
	}
}

/// The Aura authorities' sr25519 keys, for the VRF check.
pub struct AuraAuthorities;
impl frame_support::traits::Get<alloc::vec::Vec<sp_core::sr25519::Public>> for AuraAuthorities {
	fn get() -> alloc::vec::Vec<sp_core::sr25519::Public> {
		pallet_aura::Authorities::<Runtime>::get().into_iter().map(|a| a.into_inner()).collect()
	}
}

/// `pallet_tos_randomness`: the block authors' VRF, verified and accumulated, the randomness
/// of the panel draws.
impl pallet_tos_randomness::Config for Runtime {
	type Authorities = AuraAuthorities;
	type WeightInfo = pallet_tos_randomness::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = AuraAuthorities;
}

#[cfg(feature = "runtime-benchmarks")]
impl pallet_tos_randomness::BenchmarkHelper for AuraAuthorities {
	fn set_authorities(authorities: alloc::vec::Vec<sp_core::sr25519::Public>) {
		let keys: alloc::vec::Vec<AuraId> = authorities.into_iter().map(Into::into).collect();
		pallet_aura::Authorities::<Runtime>::put(frame_support::BoundedVec::truncate_from(keys));
	}
}

/// `pallet_tos_rewards`: settles judged tasks from their escrow and mints the mining emission
/// (hourly eras).
impl pallet_tos_rewards::Config for Runtime {
	type Currency = Balances;
	type ParamsOrigin = EnsureParametersOrRoot;
	type PalletId = RewardsPalletId;
	type EraLength = ConstU32<{ crate::HOURS }>;
	type InitialEmission = InitialEmission;
	type HalvingInterval = HalvingInterval;
	type MaxSupply = MaxSupply;
	type MinerShare = MinerShare;
	type EmissionPerBurn = EmissionPerBurn;
	type DefaultSplit = frame_support::traits::GetDefault;
	type WeightInfo = pallet_tos_rewards::weights::SubstrateWeight<Runtime>;
	type MaxSolutions = MaxSolutions;
	type MaxValidators = ConstU32<{ 10 + 21 }>;
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
	/// The minimum solve times a live chain's task types get when it upgrades to storage
	/// version 1 of the fraud layer (and a new chain's genesis by default).
	pub DefaultMinSolveTimes: alloc::vec::Vec<(tos_primitives::TaskType, BlockNumber)> =
		pallet_tos_fraud_flags::Pallet::<Runtime>::default_min_solve_times();
}

/// `pallet_tos_fraud_flags`: the detectors (asked by Tasks and ValidationVoting), reports, and
/// slashes of both miner and validator bonds. The expert council adjudicates; the parameters
/// track sets the rules.
impl pallet_tos_fraud_flags::Config for Runtime {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Penalties = (crate::MinerReputation, crate::ValidationVoting);
	type Reputation = crate::MinerReputation;
	type Payments = crate::Tasks;
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

	/// A task of the largest reward a Novice may take, published, with `who`'s commitment to
	/// it on record as paid 10 000 TOS: its free balance cannot cover both, so a fine reaches
	/// its bonds too.
	fn paid_task(who: &AccountId) -> tos_primitives::TaskId {
		use frame_support::traits::fungible::Mutate;
		let publisher: AccountId = frame_benchmarking::account("publisher", 0, 0);
		let _ = Balances::mint_into(&publisher, 10_000_000 * crate::UNIT);
		let params = crate::Tasks::params();
		let task_id = pallet_tos_tasks::NextTaskId::<Runtime>::get();
		let spec = pallet_tos_tasks::TaskSpec {
			task_type: tos_primitives::TaskType::CodeGeneration,
			content_hash: sp_core::H256::repeat_byte(1),
			uri: Default::default(),
			reward: params.reward_levels[0].saturating_sub(1),
			commit_blocks: params.min_window,
			reveal_blocks: params.min_window,
			validation_blocks: params.min_window,
			max_solutions: 1,
			min_level: tos_primitives::MinerLevel::Novice,
			panel_size: 1,
			quality_threshold: tos_primitives::Score::MAX,
		};
		let _ = crate::Tasks::publish_task(RuntimeOrigin::signed(publisher), spec);
		pallet_tos_tasks::Commitments::<Runtime>::insert(
			task_id,
			who,
			pallet_tos_tasks::Commitment {
				hash: sp_core::H256::repeat_byte(2),
				committed_at: 1,
				bond: 0,
				solution: None,
				flagged: false,
				score: None,
				reward: 10_000 * crate::UNIT,
			},
		);
		task_id
	}
}

/// `upgrade_probe` (the `upgrade-test` build only).
#[cfg(feature = "upgrade-test")]
impl crate::upgrade_probe::Config for Runtime {}
