//! A runtime with System, Balances and this pallet.

use frame_support::{derive_impl, parameter_types, traits::ConstU64, PalletId};
use sp_runtime::{BuildStorage, Perbill};

use crate as pallet_rewards;

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
	pub type Rewards = pallet_rewards;
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

pub const PUBLISHER: u64 = 51;
pub const TREASURY: u64 = 99;

parameter_types! {
	pub const RewardsPalletId: PalletId = PalletId(*b"tos/rwrd");
	pub const EraLength: u64 = 10;
	pub const InitialEmission: u64 = 1_000;
	pub const HalvingInterval: u64 = 20;
	pub storage MaxSupply: u64 = 1_000_000_000;
	pub const MinerShare: Perbill = Perbill::from_percent(80);
	pub const EmissionPerBurn: Perbill = Perbill::one();
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type PalletId = RewardsPalletId;
	type EraLength = EraLength;
	type InitialEmission = InitialEmission;
	type HalvingInterval = HalvingInterval;
	type MaxSupply = MaxSupply;
	type MinerShare = MinerShare;
	type EmissionPerBurn = EmissionPerBurn;
	type DefaultSplit = frame_support::traits::GetDefault;
	type WeightInfo = ();
	type MaxSolutions = frame_support::traits::ConstU32<8>;
	type MaxValidators = frame_support::traits::ConstU32<8>;
}

/// Accounts 1..=9 hold 1 000 each, as do the publisher and the treasury.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9).chain([PUBLISHER, TREASURY]).map(|a| (a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	crate::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Runs `test` and checks the invariants afterwards.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		crate::Pallet::<Test>::do_try_state().expect("invariants hold");
	});
}

/// This pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Rewards(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
