//! Disputes: the bond, the appeal panel drawn a block later, who pays it (the losing side),
//! the first panel's pay, and the council when no appeal panel can sit.

use frame_support::{assert_noop, assert_ok};
use sp_runtime::DispatchError;
use tos_primitives::SolutionFate;

use super::*;
use crate::{Error, Event, Penalty, RoundPhase, Rounds};

const APPEAL: [u64; 7] = [4, 5, 6, 7, 8, 10, 11];

/// A first panel of 1, 2, 3 scores the first solution `first`; seven more validators are
/// certified for an appeal. Returns at the provisional result (block 5).
fn provisional(first: u8) {
	for who in 1..=3 {
		certified_validator(who, 100);
	}
	assert_eq!(begin(3), vec![1, 2, 3]);
	for who in APPEAL {
		certified_validator(who, 100);
	}
	judge_round(|_| vec![j(first, 50), j(40, 30)]);
	assert!(matches!(
		Rounds::<Test>::get(TASK).unwrap().phase,
		RoundPhase::Provisional { until: 9 }
	));
	events();
}

#[test]
fn an_appeal_that_overturns_returns_the_bond_and_the_wrong_judges_pay_the_appeal() {
	build_and_execute(|| {
		provisional(30);
		// the bond: 5 % of the 1 000 reward, at least 50
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		assert_eq!(dispute_held(20), 50);
		assert!(events().contains(&Event::Disputed { task_id: TASK, disputer: 20, bond: 50 }));
		assert_eq!(MockTasks::phases(), vec![(TASK, "provisional"), (TASK, "disputed")]);
		// the appeal panel is drawn in the next block, not in the dispute's
		assert!(panel().is_empty());
		assert!(matches!(Rounds::<Test>::get(TASK).unwrap().phase, RoundPhase::Draw { at: 6 }));
		run_to(6);
		assert_eq!(panel(), APPEAL.to_vec(), "seven not yet drawn: 2 × 3 + 1");
		let before: Vec<u64> = APPEAL.iter().map(|w| free(*w)).collect();
		let treasury = free(99);
		judge_round(|_| vec![j(80, 50), j(40, 30)]);
		let events = events();
		assert!(events.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!((dispute_held(20), free(20)), (0, 1_000), "the bond is back");
		// each first judge was 50 points off: 20 % of its 100, 60 in all, shared by the appeal
		// panel — 60 / 7 = 8 each, the remainder of 4 to the treasury
		for who in 1..=3 {
			assert!(events.contains(&Event::ValidatorPenalised {
				task_id: TASK,
				validator: who,
				slashed: 20,
				reason: Penalty::Overturned
			}));
			assert_eq!(held(who), 80);
		}
		let gains: Vec<u64> = APPEAL.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![8; 7]);
		assert_eq!(free(99) - treasury, 4);
		// the final result is the appeal's; the first judges are paid by their accuracy
		// against it: nothing
		let outcome = outcome();
		assert_eq!(outcome.solutions[0].score, sc(80, 50));
		assert_eq!(
			outcome.validators.iter().map(|v| v.validator).collect::<Vec<_>>(),
			vec![1, 2, 3]
		);
		// (75 % accurate, but a score outside the band of the final result: no pay)
		assert!(outcome.validators.iter().all(|v| v.accuracy.get() == 75 && v.pay_weight == 0));
	});
}

#[test]
fn appeal_members_who_copied_the_overturned_result_are_flagged_and_unpaid() {
	build_and_execute(|| {
		provisional(30);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		run_to(6);
		let before: Vec<u64> = APPEAL.iter().map(|w| free(*w)).collect();
		// 10 and 11 copy the provisional result without looking; the other five look
		judge_round(|who| {
			if who >= 10 {
				vec![j(30, 50), j(40, 30)]
			} else {
				vec![j(80, 50), j(40, 30)]
			}
		});
		let events = events();
		assert!(events.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		for copier in [10, 11] {
			assert!(events.contains(&Event::ValidatorFlagged { task_id: TASK, validator: copier }));
		}
		// the 60 slashed from the first judges go to the five who looked, 12 each; the two
		// who copied get nothing (before, each was paid for its 75 % accuracy)
		let gains: Vec<u64> = APPEAL.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![12, 12, 12, 12, 12, 0, 0]);
	});
}

#[test]
fn an_appeal_that_only_restores_a_framed_solution_overturns_and_the_framers_pay() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3), vec![1, 2, 3]);
		for who in APPEAL {
			certified_validator(who, 100);
		}
		// 1 and 2 score honestly but call the first solution's fingerprint false, to exclude it
		let framed = Judgement { fingerprint_ok: false, ..j(80, 50) };
		judge_round(|who| match who {
			1 | 2 => vec![framed, j(40, 30)],
			_ => vec![j(80, 50), j(40, 30)],
		});
		let first = Rounds::<Test>::get(TASK).unwrap().provisional.unwrap();
		assert_eq!(first.fates[0], tos_primitives::SolutionFate::FalseFingerprint);
		events();
		// its miner disputes; the appeal panel looks: the same scores, the fingerprint fine
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(SOLVERS[0]), TASK));
		run_to(6);
		judge_round(|_| vec![j(80, 50), j(40, 30)]);
		let events = events();
		// no score moved, but a fate did: overturned, and the miner's bond comes back
		assert!(events.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!((dispute_held(SOLVERS[0]), free(SOLVERS[0])), (0, 1_000));
		// the two whose verdict was reversed pay the appeal panel; the third does not
		for who in [1, 2] {
			assert!(events.contains(&Event::ValidatorPenalised {
				task_id: TASK,
				validator: who,
				slashed: 20,
				reason: Penalty::Overturned
			}));
			assert!(events.contains(&Event::ValidatorFlagged { task_id: TASK, validator: who }));
		}
		assert_eq!(held(3), 100);
		let outcome = outcome();
		assert_eq!(outcome.solutions[0].fate, tos_primitives::SolutionFate::Judged { group: 0 });
		let pay: Vec<u128> = outcome.validators.iter().map(|v| v.pay_weight).collect();
		assert_eq!(pay, vec![0, 0, 100 * 100], "a reversed verdict is unpaid, like a far score");
		// the fraud layer counts the round against the two (and hears the appeal panel too)
		let mut judged = MockFraud::judged();
		judged.sort();
		assert_eq!(judged[..3], [(1, true), (2, true), (3, false)]);
		assert!(judged[3..].iter().all(|(v, flagged)| APPEAL.contains(v) && !flagged));
	});
}

#[test]
fn an_appeal_that_upholds_pays_the_appeal_panel_from_the_disputers_bond() {
	build_and_execute(|| {
		provisional(70);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		run_to(6);
		let before: Vec<u64> = APPEAL.iter().map(|w| free(*w)).collect();
		let treasury = free(99);
		judge_round(|_| vec![j(72, 50), j(40, 30)]);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		// 50 to seven equally accurate members: 7 each, 1 to the treasury
		assert_eq!(dispute_held(PUBLISHER), 0);
		assert_eq!(free(PUBLISHER), 1_000 - 50);
		let gains: Vec<u64> = APPEAL.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![7; 7]);
		assert_eq!(free(99) - treasury, 1);
		// the first panel is paid from the escrow, as without the dispute: 2 points off on one
		// score of four, (13/15)² = 75 % there, 93 % in all
		let outcome = outcome();
		assert_eq!(outcome.solutions[0].score, sc(72, 50));
		assert!(
			outcome.validators.iter().all(|v| v.pay_weight == 93 * 100),
			"{:?}",
			outcome.validators
		);
		assert!((1..=3).all(|who| held(who) == 100), "nobody slashed");
	});
}

#[test]
fn copying_a_result_the_appeal_upholds_earns_no_more_than_looking() {
	build_and_execute(|| {
		provisional(70);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		run_to(6);
		let before: Vec<u64> = APPEAL.iter().map(|w| free(*w)).collect();
		// 11 copies the provisional 70/50 and 40/30 without looking; the six who look see
		// 72–78 (their noise): the copy is the nearest to the appeal's tally
		judge_round(|who| {
			if who == 11 {
				vec![j(70, 50), j(40, 30)]
			} else {
				vec![j(72 + (who % 4) as u8 * 2, 50), j(40, 30)]
			}
		});
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		// the 50 by seat alone, as every member is within the margin: 7 each (by accuracy the
		// copier would have had the most)
		let gains: Vec<u64> = APPEAL.iter().zip(before).map(|(w, b)| free(*w) - b).collect();
		assert_eq!(gains, vec![7; 7]);
	});
}

#[test]
fn each_dispute_lost_in_a_row_doubles_the_next_bond_until_a_day_passes() {
	build_and_execute(|| {
		provisional(70);
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 50);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		run_to(6);
		judge_round(|_| vec![j(72, 50), j(40, 30)]);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		// lost: the next dispute costs twice as much, the next after another loss four times
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 100);
		Validation::note_dispute_lost(&PUBLISHER);
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 200);
		// a thousandfold at most
		for _ in 0..20 {
			Validation::note_dispute_lost(&PUBLISHER);
		}
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 50 << crate::MAX_DISPUTE_DOUBLINGS);
		// nobody else pays for it, and a day without a lost dispute forgets them
		assert_eq!(Validation::dispute_bond(&20, 1_000), 50);
		let last = System::block_number();
		run_to(last + u64::from(crate::DISPUTE_MEMORY));
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 50 << crate::MAX_DISPUTE_DOUBLINGS);
		run_to(last + u64::from(crate::DISPUTE_MEMORY) + 1);
		assert_eq!(Validation::dispute_bond(&PUBLISHER, 1_000), 50);
	});
}

#[test]
fn a_dispute_won_or_never_heard_does_not_raise_the_next_bond() {
	build_and_execute(|| {
		provisional(30);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		run_to(6);
		judge_round(|_| vec![j(80, 50), j(40, 30)]);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!(Validation::dispute_bond(&20, 1_000), 50);
		assert!(crate::LostDisputes::<Test>::get(20).is_none());
	});
}

#[test]
fn a_dispute_the_council_upholds_against_raises_the_next_bond() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(21), TASK));
		run_to(6);
		// the council agrees with the first panel: the bond goes, the next one doubles
		assert_ok!(Validation::council_judge(
			RuntimeOrigin::root(),
			TASK,
			vec![j(10, 10), j(10, 10)].try_into().unwrap()
		));
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		assert_eq!(free(21), 1_000 - 50);
		assert_eq!(Validation::dispute_bond(&21, 1_000), 100);
	});
}

#[test]
fn an_appeal_nobody_can_sit_on_goes_to_the_council() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(21), TASK));
		run_to(6);
		assert!(events().contains(&Event::ReferredToCouncil { task_id: TASK, until: 16 }));
		// the council finds the first solution good: overturned, the bond back
		assert_ok!(Validation::council_judge(
			RuntimeOrigin::root(),
			TASK,
			vec![j(80, 60), j(10, 10)].try_into().unwrap()
		));
		let seen = events();
		assert!(seen.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!((dispute_held(21), free(21)), (0, 1_000));
		assert_eq!(outcome().solutions[0].score, sc(80, 60));
		// the three judges were 70 points off: slashed as an appeal panel would have them
		// (20 % of their 100), to the treasury
		for judge in 1..=3 {
			assert!(seen.contains(&Event::ValidatorPenalised {
				task_id: TASK,
				validator: judge,
				slashed: 20,
				reason: Penalty::Overturned
			}));
			assert_eq!(held(judge), 80);
		}
	});
}

#[test]
fn a_verdict_the_council_reverses_costs_those_who_cast_it_their_pay_and_a_slash() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		// 1 and 2 frame the best solution: honest scores, its fingerprint called false; 3 is
		// honest. The first panel excludes it
		judge_round(|who| {
			let mut framed = j(80, 60);
			framed.fingerprint_ok = who == 3;
			vec![framed, j(40, 30)]
		});
		let first = Rounds::<Test>::get(TASK).unwrap().provisional.unwrap();
		assert_eq!(first.fates[0], SolutionFate::FalseFingerprint);
		let treasury = free(Treasury::get());
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(SOLVERS[0]), TASK));
		run_to(6);
		// the council restores it, scores unchanged: the fate alone overturns the result
		assert_ok!(Validation::council_judge(
			RuntimeOrigin::root(),
			TASK,
			vec![j(80, 60), j(40, 30)].try_into().unwrap()
		));
		let seen = events();
		assert!(seen.contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!(dispute_held(SOLVERS[0]), 0, "the miner's bond comes back");
		let mut penalised: Vec<u64> = seen
			.iter()
			.filter_map(|e| match e {
				Event::ValidatorPenalised { validator, reason: Penalty::Overturned, .. } => {
					Some(*validator)
				},
				_ => None,
			})
			.collect();
		penalised.sort();
		assert_eq!(penalised, vec![1, 2], "the framers, not the honest judge");
		assert_eq!((held(1), held(2), held(3)), (80, 80, 100));
		assert_eq!(free(Treasury::get()) - treasury, 40);
		// and they are flagged and unpaid; the honest judge is paid
		let paid = outcome().validators;
		assert!(paid.iter().all(|v| v.validator == 3 || v.pay_weight == 0));
		assert!(paid.iter().any(|v| v.validator == 3 && v.pay_weight > 0));
	});
}

#[test]
fn when_the_council_does_not_hear_an_appeal_the_first_result_stands_and_the_bond_returns() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(21), TASK));
		run_to(16);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		assert_eq!(dispute_held(21), 0);
		assert_eq!(free(21), 1_000);
		assert_eq!(outcome().solutions[0].score, sc(10, 10));
		// nobody heard it: it counts against nobody
		assert_eq!(Validation::dispute_bond(&21, 1_000), 50);
	});
}

#[test]
fn dispute_errors() {
	build_and_execute(|| {
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::UnknownRound
		);
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin_with(3, &[9, 20], &[]);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::NotDisputable
		);
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		assert_noop!(Validation::dispute(RuntimeOrigin::none(), TASK), DispatchError::BadOrigin);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(1), TASK),
			Error::<Test>::NotAParticipant
		);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(9), TASK),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK),
			Error::<Test>::AlreadyDisputed
		);
	});
}

#[test]
fn disputes_close_with_their_window() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		run_to(8);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::AlreadyDisputed
		);
		run_to(9);
		assert!(
			MockTasks::outcomes().is_empty(),
			"a disputed result is not final at the window's end"
		);
	});
}

#[test]
fn the_dispute_bond_scales_with_the_reward() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		Validation::begin_validation(ValidationRequest {
			task_id: TASK,
			task_type: CODE,
			publisher: &PUBLISHER,
			reward: 1_900,
			solvers: &SOLVERS,
			copies: &[],
			panel_size: 3,
			validation_blocks: 4,
		});
		judge_round(|_| vec![j(10, 10), j(10, 10)]);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		assert_eq!(dispute_held(20), 95, "5 % of 1 900");
	});
}
