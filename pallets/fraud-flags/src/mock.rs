//! A runtime with System, Balances and this pallet; stake and reputation are stand-ins.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{
	derive_impl, parameter_types,
	traits::{
		fungible::{Inspect, Mutate},
		tokens::Preservation,
		ConstU32, ConstU64,
	},
};
use sp_runtime::BuildStorage;
use tos_primitives::{Penalties, ReputationLedger, TaskId, TaskType};

use crate as pallet_fraud_flags;

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
	pub type Fraud = pallet_fraud_flags;
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

/// Where the stand-in stake sits.
pub const STAKE: u64 = 77;
pub const TREASURY: u64 = 99;

thread_local! {
	static STAKES: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
	static BANS: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
	static FRAUDS: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	static PAID: RefCell<BTreeMap<(TaskId, u64), u64>> = const { RefCell::new(BTreeMap::new()) };
	static PRIZES: RefCell<BTreeMap<(TaskId, u64), u64>> = const { RefCell::new(BTreeMap::new()) };
	static UNVESTED: RefCell<BTreeMap<u64, u64>> = const { RefCell::new(BTreeMap::new()) };
}

/// What tasks paid whom, the rewards of the tasks they committed to, and the pay each still
/// has vesting: a test says.
pub struct MockPayments;
impl MockPayments {
	pub fn set(task_id: TaskId, who: u64, amount: u64) {
		PAID.with(|p| p.borrow_mut().insert((task_id, who), amount));
	}
	pub fn set_prize(task_id: TaskId, who: u64, reward: u64) {
		PRIZES.with(|p| p.borrow_mut().insert((task_id, who), reward));
	}
	pub fn set_unvested(who: u64, amount: u64) {
		UNVESTED.with(|u| u.borrow_mut().insert(who, amount));
	}
	pub fn unvested(who: u64) -> u64 {
		UNVESTED.with(|u| u.borrow().get(&who).copied().unwrap_or(0))
	}
}
impl tos_primitives::TaskPayments<u64, u64> for MockPayments {
	fn paid(task_id: TaskId, who: &u64) -> u64 {
		PAID.with(|p| p.borrow().get(&(task_id, *who)).copied().unwrap_or(0))
	}
	fn prize(task_id: TaskId, who: &u64) -> u64 {
		PRIZES.with(|p| p.borrow().get(&(task_id, *who)).copied().unwrap_or(0))
	}
	// (the vesting pay is the tasks pallet's hold: here it leaves the mock's ledger and
	// reaches `to` as a deposit)
	fn take_unvested(who: &u64, amount: u64, to: &u64) -> u64 {
		let taken = Self::unvested(*who).min(amount);
		Self::set_unvested(*who, Self::unvested(*who) - taken);
		let _ = <Balances as frame_support::traits::fungible::Mutate<u64>>::mint_into(to, taken);
		taken
	}
}

/// Every account has 1 000 at stake (on account 77) unless a test says otherwise.
pub struct MockPenalties;
impl MockPenalties {
	pub fn stake(who: u64) -> u64 {
		STAKES.with(|s| s.borrow().get(&who).copied().unwrap_or(1_000))
	}
	pub fn bans() -> Vec<(u64, u64)> {
		BANS.with(|b| b.borrow().clone())
	}
	pub fn frauds() -> Vec<u64> {
		FRAUDS.with(|f| f.borrow().clone())
	}
}
impl Penalties<u64, u64, u64> for MockPenalties {
	fn bonded(who: &u64) -> u64 {
		Self::stake(*who)
	}
	fn slash(who: &u64, amount: u64, to: &u64) -> u64 {
		let stake = Self::stake(*who);
		let take = amount.min(stake);
		STAKES.with(|s| s.borrow_mut().insert(*who, stake - take));
		Balances::transfer(&STAKE, to, take, Preservation::Preserve).unwrap();
		take
	}
	fn ban(who: &u64, until: u64) {
		BANS.with(|b| b.borrow_mut().push((*who, until)));
	}
}

/// Records frauds.
pub struct MockReputation;
impl ReputationLedger<u64> for MockReputation {
	fn record(_: &u64, _: TaskType, _: tos_primitives::OutcomeScores, _: u128) {}
	fn record_fraud(who: &u64) {
		FRAUDS.with(|f| f.borrow_mut().push(*who));
	}
}

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub TestParams: crate::FraudParamsOf<Test> = crate::FraudParams {
		report_bond: 50,
		collusion_window: 10,
		ban_period: 100,
		..crate::Pallet::<Test>::default_params()
	};
}

impl pallet_fraud_flags::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Penalties = MockPenalties;
	type Reputation = MockReputation;
	type Payments = MockPayments;
	type AdjudicateOrigin = frame_system::EnsureRoot<u64>;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type Treasury = Treasury;
	type DefaultParams = TestParams;
	type MaxPunishmentsPerBlock = ConstU32<2>;
	type MaxSolutions = ConstU32<8>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = ();
}

/// Accounts 1..=9 and the treasury hold 1 000; the stake account 1 000 000.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=9)
			.chain([TREASURY])
			.map(|a| (a, 1_000))
			.chain([(STAKE, 1_000_000)])
			.collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	// no minimum solve times: the tests set the ones they need
	crate::GenesisConfig::<Test> { min_solve_times: Vec::new() }
		.assimilate_storage(&mut storage)
		.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		STAKES.with(|s| s.borrow_mut().clear());
		BANS.with(|b| b.borrow_mut().clear());
		FRAUDS.with(|f| f.borrow_mut().clear());
		PAID.with(|p| p.borrow_mut().clear());
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
			RuntimeEvent::Fraud(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}

/// The free balance of `who`.
pub fn free(who: u64) -> u64 {
	Balances::balance(&who)
}
