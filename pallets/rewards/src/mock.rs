//! A runtime with System, Balances and this pallet; the task pallet is a stand-in whose escrow
//! is the balance of account 50.

use core::cell::RefCell;

use frame_support::{
	derive_impl, parameter_types,
	traits::{fungible::Mutate, tokens::Preservation, ConstU64},
	PalletId,
};
use sp_runtime::{BuildStorage, DispatchError, Perbill};
use tos_primitives::{SettlementInfo, TaskId, TaskSettlement};

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

pub const ESCROW: u64 = 50;
pub const PUBLISHER: u64 = 51;
pub const TREASURY: u64 = 99;

thread_local! {
	static TASK: RefCell<Option<SettlementInfo<u64, u64, u64>>> = const { RefCell::new(None) };
}

/// One task being judged at a time, its escrow on account 50.
pub struct MockTasks;
impl MockTasks {
	/// Puts `info` up for settlement as task 1, funding the escrow.
	pub fn judging(info: SettlementInfo<u64, u64, u64>) {
		Balances::set_balance(&ESCROW, info.reward + 1);
		TASK.with(|t| *t.borrow_mut() = Some(info));
	}
}
impl MockTasks {
	/// The solvers of the task up for settlement.
	pub fn settlement_info_of() -> Vec<(u64, Perbill)> {
		TASK.with(|t| t.borrow().clone()).map(|i| i.solvers).unwrap_or_default()
	}
}
impl TaskSettlement<u64, u64, u64> for MockTasks {
	fn settlement_info(task_id: TaskId) -> Option<SettlementInfo<u64, u64, u64>> {
		TASK.with(|t| t.borrow().clone()).filter(|_| task_id == 1)
	}
	fn settle(
		task_id: TaskId,
		_: &[(u64, tos_primitives::SolutionScore)],
		payouts: &[(u64, u64)],
		refund: u64,
	) -> Result<u64, DispatchError> {
		let info = Self::settlement_info(task_id).ok_or(DispatchError::Other("unknown"))?;
		let paid: u64 = payouts.iter().map(|(_, a)| a).sum::<u64>() + refund;
		if paid > info.reward {
			return Err(DispatchError::Other("too much"));
		}
		for (who, amount) in payouts {
			Balances::transfer(&ESCROW, who, *amount, Preservation::Preserve)?;
		}
		Balances::transfer(&ESCROW, &info.publisher, refund, Preservation::Preserve)?;
		Balances::transfer(&ESCROW, &TREASURY, info.reward - paid, Preservation::Preserve)?;
		TASK.with(|t| *t.borrow_mut() = None);
		Ok(info.reward - paid)
	}
}

parameter_types! {
	pub const Treasury: u64 = TREASURY;
	pub const RewardsPalletId: PalletId = PalletId(*b"tos/rwrd");
	pub const EraLength: u64 = 10;
	pub const InitialEmission: u64 = 1_000;
	pub const HalvingInterval: u64 = 20;
	pub storage MaxSupply: u64 = 1_000_000_000;
	pub const MinerShare: Perbill = Perbill::from_percent(80);
}

impl pallet_rewards::Config for Test {
	type Currency = Balances;
	type Tasks = MockTasks;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type Treasury = Treasury;
	type PalletId = RewardsPalletId;
	type EraLength = EraLength;
	type InitialEmission = InitialEmission;
	type HalvingInterval = HalvingInterval;
	type MaxSupply = MaxSupply;
	type MinerShare = MinerShare;
	type DefaultSplit = frame_support::traits::GetDefault;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockTasks;
	type MaxSolutions = frame_support::traits::ConstU32<8>;
	type MaxValidators = frame_support::traits::ConstU32<8>;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockTasks {
	fn judged_task(solutions: u32) -> (TaskId, Vec<u64>) {
		let solvers: Vec<u64> = (0..u64::from(solutions)).map(|i| 100 + i).collect();
		for who in &solvers {
			Balances::set_balance(who, 10);
		}
		Self::judging(SettlementInfo {
			publisher: PUBLISHER,
			published_at: 0,
			reward: 1_000_000,
			quality_threshold: tos_primitives::Score::default(),
			solvers: solvers.iter().map(|w| (*w, Perbill::from_percent(50))).collect(),
		});
		(1, solvers)
	}
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
	ext.execute_with(|| {
		System::set_block_number(1);
		TASK.with(|t| *t.borrow_mut() = None);
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
			RuntimeEvent::Rewards(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
