//! The validator registry, certification, unbonding and panel draws; judging in `rounds`,
//! disputes and the council in `disputes`, honeypots and verdicts in `honeypots`, the storage
//! migration in `migrations`.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	Score, SolutionScore, SpecializationSet, TaskId, TaskType, TaskValidation, ValidationRequest,
};

use crate::{
	mock::*, score_commitment, Certified, Error, Event, HoldReason, Judgement, Rounds, Validators,
};

pub(crate) const CODE: TaskType = TaskType::CodeGeneration;
pub(crate) const PUBLISHER: u64 = 22;
pub(crate) const SOLVERS: [u64; 2] = [20, 21];
pub(crate) const TASK: TaskId = 7;

pub(crate) fn code() -> SpecializationSet {
	SpecializationSet::from_types(&[CODE])
}

pub(crate) fn held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::ValidatorBond.into(), &who)
}

fn members(panel: Vec<(u64, u128)>) -> Vec<u64> {
	panel.into_iter().map(|(v, _)| v).collect()
}

pub(crate) fn certified_validator(who: u64, bond: u64) {
	assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(who), code(), bond));
	assert_ok!(Validation::certify(RuntimeOrigin::root(), who, CODE));
	events();
}

pub(crate) fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

/// A judgement of scores alone (the fingerprint fine, a copy of nothing).
pub(crate) fn j(quality: u8, innovation: u8) -> Judgement {
	Judgement::scores(sc(quality, innovation))
}

pub(crate) fn salt(who: u64) -> H256 {
	H256::from_low_u64_be(who * 1_000 + 1)
}

/// Hands task `TASK` with `solvers` and a reward of 1 000 to validation now: with 4
/// validation blocks the commit and reveal windows last 2 blocks each.
pub(crate) fn begin_with(panel_size: u32, solvers: &[u64], copies: &[(u32, u32)]) -> Vec<u64> {
	Validation::begin_validation(ValidationRequest {
		task_id: TASK,
		task_type: CODE,
		publisher: &PUBLISHER,
		reward: 1_000,
		solvers,
		copies,
		panel_size,
		validation_blocks: 4,
	});
	panel()
}

/// [`begin_with`] the two solvers of `SOLVERS`, no copies.
pub(crate) fn begin(panel_size: u32) -> Vec<u64> {
	begin_with(panel_size, &SOLVERS, &[])
}

/// The panel now judging `TASK`, in account order.
pub(crate) fn panel() -> Vec<u64> {
	let mut panel: Vec<u64> = Rounds::<Test>::get(TASK)
		.map(|r| r.panel.iter().map(|(v, _)| *v).collect())
		.unwrap_or_default();
	panel.sort();
	panel
}

pub(crate) fn commit(who: u64, judgements: &[Judgement]) {
	let hash = score_commitment(judgements, &salt(who), &who);
	assert_ok!(Validation::commit_scores(RuntimeOrigin::signed(who), TASK, hash));
}

pub(crate) fn reveal(who: u64, judgements: &[Judgement]) -> sp_runtime::DispatchResult {
	Validation::reveal_scores(
		RuntimeOrigin::signed(who),
		TASK,
		judgements.to_vec().try_into().unwrap(),
		salt(who),
	)
}

/// What `who` holds as dispute bonds.
pub(crate) fn dispute_held(who: u64) -> u64 {
	Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &who)
}

pub(crate) fn free(who: u64) -> u64 {
	Balances::free_balance(who)
}

/// The one final result handed to the task pallet, its validators in account order.
pub(crate) fn outcome() -> tos_primitives::ValidationOutcome<u64> {
	let mut outcomes = MockTasks::outcomes();
	assert_eq!(outcomes.len(), 1, "one final result");
	let mut outcome = outcomes.remove(0).1;
	outcome.validators.sort_by_key(|v| v.validator);
	outcome
}

pub(crate) fn run_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

/// Every member of the panel commits in this block and reveals in the first of the reveal
/// window; then the window closes. `judge` gives each member's judgements.
pub(crate) fn judge_round(judge: impl Fn(u64) -> Vec<Judgement>) {
	let members = panel();
	for who in members.iter() {
		commit(*who, &judge(*who));
	}
	let round = Rounds::<Test>::get(TASK).unwrap();
	let crate::RoundPhase::Commit { until } = round.phase else { panic!("not committing") };
	run_to(until);
	for who in members.iter() {
		assert_ok!(reveal(*who, &judge(*who)));
	}
	run_to(until + round.window);
}

#[test]
fn applying_holds_the_bond() {
	build_and_execute(|| {
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(1), code(), 100));
		assert_eq!(held(1), 100);
		let v = Validators::<Test>::get(1).unwrap();
		assert_eq!(
			(v.bond, v.specializations, v.certified),
			(100, code(), SpecializationSet::empty())
		);
		assert_eq!(
			events(),
			vec![Event::ValidatorApplied { who: 1, specializations: code(), bond: 100 }]
		);
	});
}

#[test]
fn apply_errors() {
	build_and_execute(|| {
		let apply =
			|who, set, bond| Validation::apply_validator(RuntimeOrigin::signed(who), set, bond);
		assert_noop!(
			Validation::apply_validator(RuntimeOrigin::none(), code(), 100),
			DispatchError::BadOrigin
		);
		assert_noop!(
			apply(1, SpecializationSet::empty(), 100),
			Error::<Test>::InvalidSpecializations
		);
		assert_noop!(apply(1, code(), 9), Error::<Test>::BondBelowMinimum);
		assert_noop!(apply(9, code(), 10), Error::<Test>::InsufficientBalance);
		assert_ok!(apply(1, code(), 100));
		assert_noop!(apply(1, code(), 100), Error::<Test>::AlreadyApplied);
	});
}

#[test]
fn certification_by_governance_only_for_applied_specializations() {
	build_and_execute(|| {
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(1), code(), 100));
		events();
		assert_noop!(
			Validation::certify(RuntimeOrigin::signed(1), 1, CODE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 2, CODE),
			Error::<Test>::NotAValidator
		);
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 1, TaskType::DataAnalysis),
			Error::<Test>::NotApplied
		);
		assert_ok!(Validation::certify(RuntimeOrigin::root(), 1, CODE));
		assert_eq!(events(), vec![Event::Certified { who: 1, specialization: CODE }]);
		assert_eq!(Certified::<Test>::get(CODE).to_vec(), vec![1]);
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 1, CODE),
			Error::<Test>::AlreadyCertified
		);
		assert_noop!(
			Validation::decertify(RuntimeOrigin::signed(1), 1, CODE),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::decertify(RuntimeOrigin::root(), 2, CODE),
			Error::<Test>::NotAValidator
		);
		assert_ok!(Validation::decertify(RuntimeOrigin::root(), 1, CODE));
		assert_eq!(events(), vec![Event::Decertified { who: 1, specialization: CODE }]);
		assert!(Certified::<Test>::get(CODE).is_empty());
		assert_noop!(
			Validation::decertify(RuntimeOrigin::root(), 1, CODE),
			Error::<Test>::NotCertified
		);
	});
}

#[test]
fn the_certified_list_is_bounded() {
	build_and_execute(|| {
		// twelve fit (MaxCandidates)
		for who in (1..=8).chain(10..=13) {
			certified_validator(who, 100);
		}
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(14), code(), 100));
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 14, CODE),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn unbonding_leaves_the_panels_at_once_and_the_bond_after_the_delay() {
	build_and_execute(|| {
		certified_validator(1, 100);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		assert_eq!(
			events(),
			vec![
				Event::Decertified { who: 1, specialization: CODE },
				Event::Unbonding { who: 1, amount: 100, unlock_at: 6 }
			]
		);
		assert!(Certified::<Test>::get(CODE).is_empty(), "no longer drawn");
		assert_eq!(held(1), 100, "still held during the delay");
		assert_noop!(Validation::unbond(RuntimeOrigin::signed(1)), Error::<Test>::AlreadyUnbonding);
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 1, CODE),
			Error::<Test>::AlreadyUnbonding
		);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
		System::set_block_number(6);
		assert_ok!(Validation::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(events(), vec![Event::Withdrawn { who: 1, amount: 100 }]);
		assert_eq!((held(1), Balances::free_balance(1)), (0, 1_000));
		assert!(Validators::<Test>::get(1).is_none());
	});
}

#[test]
fn unbond_and_withdraw_errors() {
	build_and_execute(|| {
		assert_noop!(Validation::unbond(RuntimeOrigin::signed(1)), Error::<Test>::NotAValidator);
		assert_noop!(Validation::unbond(RuntimeOrigin::none()), DispatchError::BadOrigin);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NotAValidator
		);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::none()),
			DispatchError::BadOrigin
		);
		certified_validator(1, 100);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::NothingToWithdraw
		);
	});
}

#[test]
fn one_slash_rule_takes_the_bond_first_then_what_is_unbonding() {
	use tos_primitives::Penalties;
	build_and_execute(|| {
		certified_validator(1, 100);
		let treasury = Balances::free_balance(99);
		assert_eq!(<Validation as Penalties<_, _, _>>::slash(&1, 30, &99), 30);
		assert_eq!(Validators::<Test>::get(1).unwrap().bond, 70);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		// the bond moved to unbonding: the same rule reaches it, never more than is there
		assert_eq!(<Validation as Penalties<_, _, _>>::slash(&1, 100, &99), 70);
		assert_eq!(Validators::<Test>::get(1).unwrap().unbonding, Some((0, 6)));
		assert_eq!(Balances::free_balance(99) - treasury, 100);
		assert_eq!(held(1), 0);
	});
}

#[test]
fn panels_are_distinct_deterministic_and_respect_exclusions() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		let seed = H256::repeat_byte(7);
		let draw = |size, exclude: &[u64]| {
			members(Validation::select_panel(CODE, 1_000, size, seed, exclude))
		};
		let panel = draw(3, &[]);
		assert_eq!(panel.len(), 3);
		let mut distinct = panel.clone();
		distinct.sort();
		distinct.dedup();
		assert_eq!(distinct.len(), 3);
		assert_eq!(draw(3, &[]), panel, "same seed, same panel");
		let appeal = draw(3, &panel);
		assert_eq!(appeal.len(), 1);
		assert!(!panel.contains(&appeal[0]));
		assert_eq!(draw(10, &[]).len(), 4, "more seats than candidates: everyone, once");
		assert!(Validation::select_panel(TaskType::DataAnalysis, 1_000, 3, seed, &[]).is_empty());
	});
}

#[test]
fn a_seat_needs_a_bond_in_proportion_to_the_reward() {
	build_and_execute(|| {
		// a seat needs 5 % of the reward at stake
		certified_validator(1, 50);
		certified_validator(2, 49);
		let seed = H256::repeat_byte(1);
		assert_eq!(members(Validation::select_panel(CODE, 1_000, 3, seed, &[])), vec![1]);
		assert_eq!(Validation::select_panel(CODE, 2_000, 3, seed, &[]).len(), 0);
		assert_eq!(Validation::select_panel(CODE, 980, 3, seed, &[]).len(), 2);
	});
}

#[test]
fn draws_follow_capped_bond_times_reputation() {
	build_and_execute(|| {
		// 1 has ten times 2's bond; 3 has 1's bond but a tenth of the reputation; 4 has none;
		// 5 has a hundred times 1's bond, but the cap counts only 10 000 of it
		certified_validator(1, 500);
		certified_validator(2, 50);
		certified_validator(3, 500);
		certified_validator(4, 500);
		assert_eq!(Validation::weight_of(&1), 500);
		MockReputation::set(3, Perbill::from_percent(10));
		MockReputation::set(4, Perbill::zero());
		let mut firsts = [0u32; 6];
		for n in 0..3_000u32 {
			let seed = H256::from_low_u64_be(u64::from(n));
			firsts[Validation::select_panel(CODE, 1_000, 1, seed, &[])[0].0 as usize] += 1;
		}
		// weights 500 : 50 : 50 : 0 → about 83 %, 8 %, 8 %, never
		assert_eq!(firsts[4], 0, "zero reputation is never drawn");
		assert!((2_350..2_650).contains(&firsts[1]), "{firsts:?}");
		assert!((150..350).contains(&firsts[2]) && (150..350).contains(&firsts[3]), "{firsts:?}");
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&5, 100_000);
		certified_validator(5, 50_000);
		assert_eq!(Validation::weight_of(&5), 10_000, "bond past the cap counts nothing");
	});
}

#[test]
fn params_are_governed_and_bounded() {
	build_and_execute(|| {
		let params = Validation::params();
		assert_noop!(
			Validation::set_params(RuntimeOrigin::signed(1), params),
			DispatchError::BadOrigin
		);
		for bad in [
			crate::ValidationParams { clip_band: 101, ..params },
			crate::ValidationParams { outlier_margin: params.clip_band + 1, ..params },
			crate::ValidationParams { overturn_margin: 101, ..params },
			crate::ValidationParams { dispute_blocks: 0, ..params },
			crate::ValidationParams { council_blocks: 0, ..params },
			crate::ValidationParams { min_panel: 0, ..params },
			crate::ValidationParams { max_seat_share: Perbill::zero(), ..params },
			crate::ValidationParams { stake_cap: 0, ..params },
		] {
			assert_noop!(
				Validation::set_params(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParams
			);
		}
		let changed = crate::ValidationParams { clip_band: 20, ..params };
		assert_ok!(Validation::set_params(RuntimeOrigin::root(), changed));
		assert_eq!(Validation::params(), changed);
		assert_eq!(events(), vec![Event::ParamsUpdated]);
	});
}

mod disputes;
mod honeypots;
mod migrations;
mod rounds;
mod sealed;
mod sortition;
