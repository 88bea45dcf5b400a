//! A runtime with System, Balances and this pallet; reputation is a stand-in table.

use core::cell::RefCell;
use std::collections::BTreeMap;

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU32, ConstU64},
	weights::Weight,
};
use sp_core::H256;
use sp_runtime::{
	traits::{BlakeTwo256, Hash as _},
	BuildStorage, Perbill,
};
use tos_primitives::{
	OutcomeScores, ReputationLedger, ReputationView, RevealedSalts, TaskId, TaskPhases, TaskType,
	ValidationOutcome,
};

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

/// A member's deviations from a final result, per miner.
type Deviations = Vec<(u64, i16)>;

thread_local! {
	static REPUTATION: RefCell<BTreeMap<u64, Perbill>> = const { RefCell::new(BTreeMap::new()) };
	static RECORDED: RefCell<Vec<(u64, OutcomeScores)>> = const { RefCell::new(Vec::new()) };
	static PHASES: RefCell<Vec<(TaskId, &'static str)>> = const { RefCell::new(Vec::new()) };
	static OUTCOMES: RefCell<Vec<(TaskId, ValidationOutcome<u64>)>> = const { RefCell::new(Vec::new()) };
	static SALTS: RefCell<BTreeMap<(TaskId, u64), H256>> = const { RefCell::new(BTreeMap::new()) };
	static JUDGED: RefCell<Vec<(u64, bool)>> = const { RefCell::new(Vec::new()) };
	static DEVIATIONS: RefCell<Vec<(u64, Deviations)>> = const { RefCell::new(Vec::new()) };
	static LEANING: RefCell<Vec<(u64, u64)>> = const { RefCell::new(Vec::new()) };
	static RANDOM: RefCell<u64> = const { RefCell::new(0) };
}

/// Reputation 100 % unless a test sets it; records outcomes.
pub struct MockReputation;
impl MockReputation {
	pub fn set(who: u64, score: Perbill) {
		REPUTATION.with(|r| r.borrow_mut().insert(who, score));
	}
	/// The outcomes recorded since the last call.
	pub fn take() -> Vec<(u64, OutcomeScores)> {
		RECORDED.with(|r| core::mem::take(&mut *r.borrow_mut()))
	}
}
impl ReputationView<u64> for MockReputation {
	fn score(who: &u64) -> Perbill {
		REPUTATION.with(|r| r.borrow().get(who).copied().unwrap_or(Perbill::one()))
	}
}
impl ReputationLedger<u64> for MockReputation {
	fn record(who: &u64, _: TaskType, scores: OutcomeScores, _: u128) {
		RECORDED.with(|r| r.borrow_mut().push((*who, scores)));
	}
	fn record_fraud(_: &u64) {}
}

/// Records phase notes and final outcomes; serves the salts tests reveal.
pub struct MockTasks;
impl MockTasks {
	pub fn phases() -> Vec<(TaskId, &'static str)> {
		PHASES.with(|p| core::mem::take(&mut *p.borrow_mut()))
	}
	pub fn outcomes() -> Vec<(TaskId, ValidationOutcome<u64>)> {
		OUTCOMES.with(|o| core::mem::take(&mut *o.borrow_mut()))
	}
	/// `miner` revealed `salt` for `task`.
	pub fn reveal_salt(task: TaskId, miner: u64, salt: H256) {
		SALTS.with(|s| s.borrow_mut().insert((task, miner), salt));
	}
}
impl TaskPhases<u64> for MockTasks {
	fn note_provisional(task_id: TaskId) {
		PHASES.with(|p| p.borrow_mut().push((task_id, "provisional")));
	}
	fn note_disputed(task_id: TaskId) {
		PHASES.with(|p| p.borrow_mut().push((task_id, "disputed")));
	}
	fn judged(task_id: TaskId, outcome: &ValidationOutcome<u64>) {
		OUTCOMES.with(|o| o.borrow_mut().push((task_id, outcome.clone())));
	}
	fn judged_weight(_: u32, _: u32) -> Weight {
		Weight::zero()
	}
}
impl RevealedSalts<u64> for MockTasks {
	fn revealed_salt(task_id: TaskId, miner: &u64) -> Option<H256> {
		SALTS.with(|s| s.borrow().get(&(task_id, *miner)).copied())
	}
}

/// Records the rounds each validator judged, whether it was flagged and its deviations; a
/// test says which validator leans towards which miner.
pub struct MockFraud;
impl MockFraud {
	/// (validator, flagged) since the last call.
	pub fn judged() -> Vec<(u64, bool)> {
		JUDGED.with(|j| core::mem::take(&mut *j.borrow_mut()))
	}
	/// (validator, its deviations per miner) since the last call.
	pub fn deviations() -> Vec<(u64, Deviations)> {
		DEVIATIONS.with(|d| core::mem::take(&mut *d.borrow_mut()))
	}
	/// From now on `validator` leans towards `miner`.
	pub fn set_leaning(validator: u64, miner: u64) {
		LEANING.with(|l| l.borrow_mut().push((validator, miner)));
	}
}
impl tos_primitives::FraudOracle<u64, u64> for MockFraud {
	fn min_solve_time(_: TaskType) -> u64 {
		0
	}
	fn check_commit(_: TaskId, _: TaskType, _: &u64, _: u64) -> bool {
		false
	}
	fn similar_pairs(
		_: TaskId,
		_: &[tos_primitives::RevealedSolution<u64, u64>],
	) -> Vec<(u32, u32)> {
		Vec::new()
	}
	fn leaning(validator: &u64, miners: &[u64], _: u32) -> bool {
		LEANING.with(|l| l.borrow().iter().any(|(v, m)| v == validator && miners.contains(m)))
	}
	fn note_judged(_: TaskId, validator: &u64, flagged: bool, deviations: &[(u64, i16)]) -> bool {
		JUDGED.with(|j| j.borrow_mut().push((*validator, flagged)));
		DEVIATIONS.with(|d| d.borrow_mut().push((*validator, deviations.to_vec())));
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

/// Randomness a test can change: the hash of the subject, the block and a test seed.
pub struct MockRandomness;
impl MockRandomness {
	pub fn set_seed(seed: u64) {
		RANDOM.with(|r| *r.borrow_mut() = seed);
	}
}
impl frame_support::traits::Randomness<H256, u64> for MockRandomness {
	fn random(subject: &[u8]) -> (H256, u64) {
		let seed = RANDOM.with(|r| *r.borrow());
		let block = System::block_number();
		(BlakeTwo256::hash_of(&(subject, block, seed)), block)
	}
}

parameter_types! {
	pub const MinBond: u64 = 10;
	pub const UnbondingDelay: u64 = 5;
	pub const MaxCandidates: u32 = 12;
	pub const Treasury: u64 = 99;
	/// Whether the tests draw panels privately (`with_private_draws`).
	pub static PrivateDraws: bool = false;
	/// Whether first draws seat sealed members too (`with_sealed_seats`).
	pub static SealedSeats: bool = false;
	pub TestParams: crate::ValidationParamsOf<Test> = crate::ValidationParams {
		dispute_blocks: 4,
		min_dispute_bond: 50,
		stake_cap: 10_000,
		council_blocks: 10,
		..crate::Pallet::<Test>::default_params()
	};
}

impl pallet_validation_voting::Config for Test {
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type CertifyOrigin = frame_system::EnsureRoot<u64>;
	type CouncilOrigin = frame_system::EnsureRoot<u64>;
	type ParamsOrigin = frame_system::EnsureRoot<u64>;
	type Randomness = MockRandomness;
	type Reputation = MockReputation;
	type Ledger = MockReputation;
	type Tasks = MockTasks;
	type Salts = MockTasks;
	type Fraud = MockFraud;
	type Treasury = Treasury;
	type MinBond = MinBond;
	type UnbondingDelay = UnbondingDelay;
	type MaxCandidates = MaxCandidates;
	type MaxPanel = ConstU32<11>;
	type MaxSolutions = ConstU32<4>;
	type MaxHoneypotProviders = ConstU32<2>;
	type MaxDeadlinesPerBlock = ConstU32<2>;
	type PrivateDraws = PrivateDraws;
	type SealedSeats = SealedSeats;
	type DefaultSeatKey = SeatKeyOf;
	type DefaultParams = TestParams;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = MockTasks;
}

/// Account `who`'s sr25519 seat key pair (every mock account has one).
pub fn seat_pair(who: u64) -> sp_core::sr25519::Pair {
	use sp_core::Pair as _;
	let mut seed = [0u8; 32];
	seed[..8].copy_from_slice(&who.to_le_bytes());
	sp_core::sr25519::Pair::from_seed(&seed)
}

/// Every account's default seat key is its [`seat_pair`]'s public key, except account 14's,
/// which has none (as a runtime's accounts of a key type without VRF would).
pub struct SeatKeyOf;
impl sp_runtime::traits::Convert<u64, Option<[u8; 32]>> for SeatKeyOf {
	fn convert(who: u64) -> Option<[u8; 32]> {
		use sp_core::Pair as _;
		(who != 14).then(|| seat_pair(who).public().0)
	}
}

#[cfg(feature = "runtime-benchmarks")]
impl crate::BenchmarkHelper<u64> for MockTasks {
	fn revealed(task_id: TaskId, miner: &u64, salt: H256) {
		MockTasks::reveal_salt(task_id, *miner, salt);
	}
}

/// Accounts 1..=8, 10..=14 and 20..=24 hold 1 000 each; 9 holds nothing; 99 is the treasury.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage = frame_system::GenesisConfig::<Test>::default().build_storage().unwrap();
	crate::GenesisConfig::<Test>::default().assimilate_storage(&mut storage).unwrap();
	pallet_balances::GenesisConfig::<Test> {
		balances: (1..=8).chain(10..=14).chain(20..=24).chain([99]).map(|a| (a, 1_000)).collect(),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.unwrap();
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		REPUTATION.with(|r| r.borrow_mut().clear());
		SALTS.with(|s| s.borrow_mut().clear());
		MockRandomness::set_seed(0);
		PrivateDraws::set(false);
		SealedSeats::set(false);
		MockReputation::take();
		MockTasks::phases();
		MockTasks::outcomes();
		MockFraud::judged();
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
