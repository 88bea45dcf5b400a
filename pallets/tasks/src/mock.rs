//! A runtime with System, Balances and this pallet; the other pallets are stand-ins that
//! record what they are told.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	weights::Weight,
	BoundedVec,
};
use sp_core::H256;
use sp_runtime::{BuildStorage, Perbill};
use tos_primitives::{
	Ineligible, MinerLevel, MinerRegistry, OutcomeScores, ReputationLedger, Score, TaskId,
	TaskType, TaskValidation, ValidationRequest,
};

use crate as pallet_tasks;

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
	pub type Tasks = pallet_tasks;
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
	static INELIGIBLE: RefCell<BTreeMap<u64, Ineligible>> = const { RefCell::new(BTreeMap::new()) };
	static PRIORITY: RefCell<BTreeMap<u64, u32>> = const { RefCell::new(BTreeMap::new()) };
	static RECORDED: RefCell<Vec<(u64, TaskType, OutcomeScores)>> = const { RefCell::new(Vec::new()) };
	static VALIDATIONS: RefCell<Vec<Handed>> = const { RefCell::new(Vec::new()) };
	static OPEN: RefCell<BTreeMap<u64, i32>> = const { RefCell::new(BTreeMap::new()) };
	static PRECOMPUTED: RefCell<Vec<u64>> = const { RefCell::new(Vec::new()) };
	static PAIRS: RefCell<Vec<(u32, u32)>> = const { RefCell::new(Vec::new()) };
	static MIN_SOLVE: RefCell<u64> = const { RefCell::new(0) };
	static CHECKED: RefCell<Vec<Vec<u64>>> = const { RefCell::new(Vec::new()) };
	static WORK: RefCell<Vec<(bool, u64)>> = const { RefCell::new(Vec::new()) };
}

/// What validation was handed: the task, its panel size, solvers, copies and reward.
pub type Handed = (TaskId, u32, Vec<u64>, Vec<(u32, u32)>, u64);

/// Flags the miners a test names at commit (pre-computation); pairs the copies a test names
/// when the reveal window closes; a minimum solve time a test sets.
pub struct MockFraud;
impl MockFraud {
	pub fn precomputed(miners: Vec<u64>) {
		PRECOMPUTED.with(|f| *f.borrow_mut() = miners);
	}
	pub fn pairs(pairs: Vec<(u32, u32)>) {
		PAIRS.with(|p| *p.borrow_mut() = pairs);
	}
	pub fn set_min_solve(blocks: u64) {
		MIN_SOLVE.with(|m| *m.borrow_mut() = blocks);
	}
	/// The miners each plagiarism filter was given.
	pub fn checked() -> Vec<Vec<u64>> {
		CHECKED.with(|c| c.borrow().clone())
	}
}
impl tos_primitives::FraudOracle<u64, u64> for MockFraud {
	fn min_solve_time(_: TaskType) -> u64 {
		MIN_SOLVE.with(|m| *m.borrow())
	}
	fn check_commit(_: TaskId, _: TaskType, miner: &u64, _: u64) -> bool {
		PRECOMPUTED.with(|f| f.borrow().contains(miner))
	}
	fn similar_pairs(
		_: TaskId,
		solutions: &[tos_primitives::RevealedSolution<u64, u64>],
	) -> Vec<(u32, u32)> {
		CHECKED.with(|c| c.borrow_mut().push(solutions.iter().map(|s| s.miner).collect()));
		PAIRS.with(|p| p.borrow().clone())
	}
	fn leaning(_: &u64, _: &[u64], _: u32) -> bool {
		false
	}
	fn note_judged(_: TaskId, _: &u64, _: bool, _: &[(u64, i16)]) -> bool {
		false
	}
	fn commit_weight() -> Weight {
		Weight::zero()
	}
	fn solutions_weight(_: u32) -> Weight {
		Weight::zero()
	}
	fn judged_weight() -> Weight {
		Weight::zero()
	}
}

/// Miners are eligible unless a test says otherwise; priorities are 0 unless set.
pub struct MockMiners;
impl MockMiners {
	pub fn refuse(who: u64, why: Ineligible) {
		INELIGIBLE.with(|m| m.borrow_mut().insert(who, why));
	}
	pub fn set_priority(who: u64, priority: u32) {
		PRIORITY.with(|p| p.borrow_mut().insert(who, priority));
	}
	/// Each miner's commitments whose reveal window is open, as the registry was told.
	pub fn open(who: u64) -> i32 {
		OPEN.with(|o| o.borrow().get(&who).copied().unwrap_or(0))
	}
}
impl MinerRegistry<u64> for MockMiners {
	fn check_eligible(who: &u64, _: TaskType, level: MinerLevel) -> Result<(), Ineligible> {
		if level > MinerLevel::Novice {
			return Err(Ineligible::LevelTooLow);
		}
		INELIGIBLE.with(|m| m.borrow().get(who).copied().map_or(Ok(()), Err))
	}
	fn commitment_opened(who: &u64) {
		OPEN.with(|o| *o.borrow_mut().entry(*who).or_default() += 1);
	}
	fn commitment_closed(who: &u64) {
		OPEN.with(|o| *o.borrow_mut().entry(*who).or_default() -= 1);
	}
	fn priority(who: &u64) -> (Perbill, u128) {
		let p = PRIORITY.with(|p| p.borrow().get(who).copied().unwrap_or(0));
		(Perbill::from_percent(p), 0)
	}
}

/// Records reputation outcomes.
pub struct MockReputation;
impl MockReputation {
	pub fn take() -> Vec<(u64, TaskType, OutcomeScores)> {
		RECORDED.with(|r| core::mem::take(&mut *r.borrow_mut()))
	}
}
impl ReputationLedger<u64> for MockReputation {
	fn record(who: &u64, specialization: TaskType, scores: OutcomeScores, _: u128) {
		RECORDED.with(|r| r.borrow_mut().push((*who, specialization, scores)));
	}
	fn record_fraud(_: &u64) {}
}

/// Records hand-overs to validation.
pub struct MockValidation;
impl MockValidation {
	pub fn take() -> Vec<Handed> {
		VALIDATIONS.with(|v| core::mem::take(&mut *v.borrow_mut()))
	}
}
impl TaskValidation<u64, u64, u64> for MockValidation {
	fn begin_validation(request: ValidationRequest<'_, u64, u64, u64>) {
		VALIDATIONS.with(|v| {
			v.borrow_mut().push((
				request.task_id,
				request.panel_size,
				request.solvers.to_vec(),
				request.copies.to_vec(),
				request.reward,
			))
		});
	}
	fn weight() -> Weight {
		Weight::zero()
	}
}

/// A simple split: a 10 % fee; winners share 60 % equally (a group of copies as one),
/// validators 10 % by pay weight; nothing winning refunds all but the fee and the validators'
/// part; an unjudged task all but the fee.
pub struct MockRewards;
impl MockRewards {
	/// The judged outcomes noted for emission: (whether the task was won, what it burned).
	pub fn work() -> Vec<(bool, u64)> {
		WORK.with(|w| w.borrow().clone())
	}
}
impl tos_primitives::RewardPolicy<u64, u64, u64> for MockRewards {
	fn split_escrow(
		terms: &tos_primitives::SettlementTerms<u64, u64>,
		_: &[(u64, Perbill)],
		outcome: &tos_primitives::ValidationOutcome<u64>,
	) -> tos_primitives::Payouts<u64, u64> {
		use tos_primitives::scoring::pro_rata;
		let fee = terms.reward / 10;
		if !outcome.judged {
			return tos_primitives::Payouts {
				payouts: vec![],
				refund: terms.reward - fee,
				winners: 0,
			};
		}
		let mut payouts: BTreeMap<u64, u64> = BTreeMap::new();
		let weights: Vec<u128> = outcome.validators.iter().map(|v| v.pay_weight).collect();
		let (shares, _) = pro_rata(u128::from(terms.reward / 10), &weights);
		for (v, share) in outcome.validators.iter().zip(shares) {
			*payouts.entry(v.validator).or_default() += share as u64;
		}
		let winners: Vec<&tos_primitives::JudgedSolution<u64>> = outcome
			.solutions
			.iter()
			.filter(|s| matches!(s.fate, tos_primitives::SolutionFate::Judged { .. }))
			.filter(|s| s.score.quality >= terms.quality_threshold)
			.collect();
		let groups = |s: &tos_primitives::JudgedSolution<u64>| {
			winners.iter().filter(|w| w.fate == s.fate).count() as u128
		};
		let weights: Vec<u128> = winners.iter().map(|w| 1_000_000 / groups(w)).collect();
		let (shares, _) = pro_rata(u128::from(terms.reward * 6 / 10), &weights);
		for (w, share) in winners.iter().zip(shares) {
			*payouts.entry(w.miner).or_default() += share as u64;
		}
		let paid: u64 = payouts.values().sum();
		let refund = if winners.is_empty() { terms.reward - fee - paid } else { 0 };
		tos_primitives::Payouts {
			payouts: payouts.into_iter().filter(|(_, a)| *a > 0).collect(),
			refund,
			winners: winners.len() as u32,
		}
	}
	fn network_fee(_: u64, reward: u64) -> u64 {
		reward / 10
	}
	fn note_work(_: &tos_primitives::ValidationOutcome<u64>, won: bool, burned: u64) {
		WORK.with(|w| w.borrow_mut().push((won, burned)));
	}
	fn weight(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
}

parameter_types! {
	pub const TreasuryAccount: u64 = 99;
	pub const MaxSolutions: u32 = 8;
	pub const MaxDeadlinesPerBlock: u32 = 3;
	pub TestParams: crate::TaskParamsOf<Test> = test_params();
}

impl pallet_tasks::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type Miners = MockMiners;
	type Reputation = MockReputation;
	type Validation = MockValidation;
	type Rewards = MockRewards;
	type Fraud = MockFraud;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type Treasury = TreasuryAccount;
	type MaxUriLen = ConstU32<64>;
	type MaxSolutions = MaxSolutions;
	type MaxDeadlinesPerBlock = MaxDeadlinesPerBlock;
	type DefaultParams = TestParams;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockMiners;
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockMiners {
	fn make_miner(_: &u64) {}
	fn raise_priority(who: &u64) {
		MockMiners::set_priority(*who, 100);
	}
}

pub const PUBLISHER: u64 = 1;
pub const MINER_A: u64 = 2;
pub const MINER_B: u64 = 3;
pub const MINER_C: u64 = 4;
pub const TREASURY: u64 = 99;
/// Holds nothing.
pub const PAUPER: u64 = 9;
/// Every account the tests use.
pub const ACCOUNTS: [u64; 6] = [PUBLISHER, MINER_A, MINER_B, MINER_C, TREASURY, PAUPER];

/// Test rules: windows 2..=50 blocks, reward ≥ 10, a bond of 0.5 % of the reward and at
/// least 5, junk below quality 10, a Skilled miner from 5 000 of reward, deposit 3 + 1 per URI
/// byte, retention 20 blocks, panels up to 5.
pub fn test_params() -> crate::TaskParamsOf<Test> {
	crate::TaskParams {
		min_window: 2,
		max_window: 50,
		min_reward: 10,
		min_submission_bond: 5,
		submission_bond_share: Perbill::from_parts(5_000_000),
		junk_quality: Score::new(10).unwrap(),
		reward_levels: [5_000, 20_000, 50_000],
		task_deposit: 3,
		deposit_per_byte: 1,
		retention: 20,
		max_panel: 5,
	}
}

/// A valid task: 1 000 reward, commit 10 blocks, reveal 5, validate 5, up to 3 solutions, a
/// 4-byte URI (deposit 3 + 4 = 7).
pub fn spec() -> crate::TaskSpecOf<Test> {
	crate::TaskSpec {
		task_type: TaskType::CodeGeneration,
		content_hash: H256::repeat_byte(1),
		uri: BoundedVec::truncate_from(b"ipfs".to_vec()),
		reward: 1_000,
		commit_blocks: 10,
		reveal_blocks: 5,
		validation_blocks: 5,
		max_solutions: 3,
		min_level: MinerLevel::Novice,
		panel_size: 3,
		quality_threshold: Score::new(60).unwrap(),
	}
}

/// The publisher holds 10 000, the miners 100 each, the treasury 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: vec![
			(PUBLISHER, 10_000),
			(MINER_A, 100),
			(MINER_B, 100),
			(MINER_C, 100),
			(TREASURY, 1),
		],
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	pallet_tasks::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		INELIGIBLE.with(|m| m.borrow_mut().clear());
		PRIORITY.with(|p| p.borrow_mut().clear());
		OPEN.with(|o| o.borrow_mut().clear());
		MockReputation::take();
		MockValidation::take();
		MockFraud::precomputed(Vec::new());
		MockFraud::pairs(Vec::new());
		MockFraud::set_min_solve(0);
		CHECKED.with(|c| c.borrow_mut().clear());
		WORK.with(|w| w.borrow_mut().clear());
	});
	ext
}

/// Runs `test` and checks the pallet's invariants and the conservation of money afterwards:
/// the issuance moved by exactly the network fees the tasks' events say were burned.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		forget_burns();
		let issuance = Balances::total_issuance();
		test();
		crate::Pallet::<Test>::do_try_state().expect("invariants hold");
		assert_eq!(Balances::total_issuance() + burned(), issuance, "no money created or lost");
	});
}

thread_local! {
	/// The network fees burned so far, by the tasks' events, and how many of the events now
	/// on record were counted (events stay until a test takes them).
	static BURNED: RefCell<(u64, usize)> = const { RefCell::new((0, 0)) };
}

/// Counts the burns of the events not counted yet.
fn note_burns() {
	let events = System::events();
	BURNED.with(|b| {
		let (burned, seen) = &mut *b.borrow_mut();
		for r in events.iter().skip(*seen) {
			*burned += match r.event {
				RuntimeEvent::Tasks(crate::Event::TaskExpired { fee, .. }) => fee,
				RuntimeEvent::Tasks(crate::Event::TaskSettled { burned, .. }) => burned,
				_ => 0,
			};
		}
		*seen = events.len();
	});
}

/// The network fees burned since the test began (or [`forget_burns`]), by the events.
pub fn burned() -> u64 {
	note_burns();
	BURNED.with(|b| b.borrow().0)
}

/// Starts counting burns afresh.
pub fn forget_burns() {
	BURNED.with(|b| *b.borrow_mut() = (0, System::events().len()));
}

/// Moves to block `n`, running the hooks.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// This pallet's events since the last call.
pub fn events() -> Vec<crate::Event<Test>> {
	note_burns();
	BURNED.with(|b| b.borrow_mut().1 = 0);
	let events = System::events()
		.into_iter()
		.filter_map(|r| match r.event {
			RuntimeEvent::Tasks(e) => Some(e),
			_ => None,
		})
		.collect();
	System::reset_events();
	events
}
