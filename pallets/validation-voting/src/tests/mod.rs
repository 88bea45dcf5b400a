//! The validator registry, certification, unbonding and panel draws; judging in `rounds`.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{SpecializationSet, TaskType};

use crate::{mock::*, Certified, Error, Event, HoldReason, Validators};

pub(crate) const CODE: TaskType = TaskType::CodeGeneration;

pub(crate) fn code() -> SpecializationSet {
	SpecializationSet::from_types(&[CODE])
}

fn held(who: u64) -> u64 {
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
		// eight fit (MaxCandidates)
		for who in (1..=7).chain([20]) {
			certified_validator(who, 100);
		}
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(21), code(), 100));
		assert_noop!(
			Validation::certify(RuntimeOrigin::root(), 21, CODE),
			Error::<Test>::TooManyCandidates
		);
	});
}

#[test]
fn unbonding_leaves_the_panels_at_once_and_the_bond_after_the_delay() {
	build_and_execute(|| {
		certified_validator(1, 100);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		assert_eq!(events(), vec![Event::Unbonding { who: 1, amount: 100, unlock_at: 6 }]);
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
fn panels_are_distinct_deterministic_and_respect_exclusions() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		let seed = H256::repeat_byte(7);
		let panel = members(Validation::select_panel(CODE, 3, seed, &[]));
		assert_eq!(panel.len(), 3);
		let mut distinct = panel.clone();
		distinct.sort();
		distinct.dedup();
		assert_eq!(distinct.len(), 3);
		assert_eq!(
			members(Validation::select_panel(CODE, 3, seed, &[])),
			panel,
			"same seed, same panel"
		);
		// an appeal panel excludes the first
		let appeal = Validation::select_panel(CODE, 3, seed, &panel);
		assert_eq!(appeal.len(), 1);
		assert!(!panel.contains(&appeal[0].0));
		// more seats than candidates: everyone, once
		assert_eq!(Validation::select_panel(CODE, 10, seed, &[]).len(), 4);
		assert!(Validation::select_panel(TaskType::DataAnalysis, 3, seed, &[]).is_empty());
	});
}

#[test]
fn draws_follow_bond_times_reputation() {
	build_and_execute(|| {
		// 1 has ten times 2's bond; 3 has 1's bond but a tenth of the reputation; 4 has none
		certified_validator(1, 500);
		certified_validator(2, 50);
		certified_validator(3, 500);
		certified_validator(4, 500);
		MockReputation::set(3, Perbill::from_percent(10));
		MockReputation::set(4, Perbill::zero());
		let mut firsts = [0u32; 5];
		for n in 0..3_000u32 {
			let seed = H256::from_low_u64_be(u64::from(n));
			firsts[Validation::select_panel(CODE, 1, seed, &[])[0].0 as usize] += 1;
		}
		// weights 500 : 50 : 50 : 0 → about 83 %, 8 %, 8 %, never
		assert_eq!(firsts[4], 0, "zero reputation is never drawn");
		assert!((2_350..2_650).contains(&firsts[1]), "{firsts:?}");
		assert!((150..350).contains(&firsts[2]) && (150..350).contains(&firsts[3]), "{firsts:?}");
	});
}

mod rounds;
