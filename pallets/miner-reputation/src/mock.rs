//! A runtime with only System, Balances and this pallet.

use frame_support::{derive_impl, parameter_types, traits::ConstU64};
use sp_runtime::BuildStorage;

use crate as pallet_miner_reputation;

type Block = frame_system::mocking::MockBlock<Test>;

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
	pub struct Test;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;
	#[runtime::pallet_index(1)]
	pub type Balances = pallet_balances;
	#[runtime::pallet_index(2)]
	pub type MinerReputation = pallet_miner_reputation;
}

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ExistentialDeposit = ConstU64<1>;
}

parameter_types! {
	pub const MaxUnbondingDelay: u64 = 10_000;
	pub TestParams: crate::ReputationParams<u64, u64> = test_params();
	pub static LevelOutcomes: [u32; 3] = [0, 0, 0];
	pub static RecordValue: u64 = 100;
}

impl pallet_miner_reputation::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type MaxUnbondingDelay = MaxUnbondingDelay;
	type DefaultParams = TestParams;
	type LevelOutcomes = LevelOutcomes;
	type RecordValue = RecordValue;
	type WeightInfo = ();
}

pub const ALICE: u64 = 1;
pub const BOB: u64 = 2;
pub const CHARLIE: u64 = 3;
/// Starts with nothing.
pub const PAUPER: u64 = 9;

/// The params tests run with: a minimum bond of 10, a 5-block unbonding delay, decay every 100
/// blocks.
pub fn test_params() -> crate::ReputationParams<u64, u64> {
	crate::ReputationParams {
		min_bond: 10,
		unbonding_delay: 5,
		decay_period: 100,
		fraud_recovery: 1_000,
		..crate::Pallet::<Test>::default_params()
	}
}

/// Alice, Bob and Charlie hold 1 000 each.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![(ALICE, 1_000), (BOB, 1_000), (CHARLIE, 1_000)],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_miner_reputation::GenesisConfig::<Test>::default()
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
	});
	ext
}

/// Runs `test` in a fresh externalities and checks the pallet's invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("invariants hold");
	});
}

/// Moves to block `n`.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// The events of this pallet since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::MinerReputation(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
