//! A runtime with System, Balances and this pallet; reputation is a stand-in table.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{derive_impl, parameter_types, traits::ConstU64};
use sp_runtime::{BuildStorage, Perbill};
use tos_primitives::ReputationView;

use crate as pallet_validation_voting;

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
	pub type Validation = pallet_validation_voting;
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

thread_local! {
	static REPUTATION: RefCell<BTreeMap<u64, Perbill>> = const { RefCell::new(BTreeMap::new()) };
}

/// Reputation 100 % unless a test sets it.
pub struct MockReputation;
impl MockReputation {
	pub fn set(who: u64, score: Perbill) {
		REPUTATION.with(|r| r.borrow_mut().insert(who, score));
	}
}
impl ReputationView<u64> for MockReputation {
	fn score(who: &u64) -> Perbill {
		REPUTATION.with(|r| r.borrow().get(who).copied().unwrap_or(Perbill::one()))
	}
}

parameter_types! {
	pub const MinBond: u64 = 10;
	pub const UnbondingDelay: u64 = 5;
	pub const MaxCandidates: u32 = 4;
}

impl pallet_validation_voting::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CertifyOrigin = frame_system::EnsureRoot<u64>;
	type Reputation = MockReputation;
	type MinBond = MinBond;
	type UnbondingDelay = UnbondingDelay;
	type MaxCandidates = MaxCandidates;
}

/// Accounts 1..=8 hold 1 000 each; 9 holds nothing.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=8).map(|a| (a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		REPUTATION.with(|r| r.borrow_mut().clear());
	});
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
			RuntimeEvent::Validation(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
