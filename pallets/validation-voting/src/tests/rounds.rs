//! Judging: commit–reveal, the tally (outliers set aside, capped seats), pay weights,
//! silent members, refills, the council when no panel can judge.

use frame_support::{assert_noop, assert_ok};
use sp_core::H256;
use sp_runtime::DispatchError;
use tos_primitives::{ReputationDimension, Score, SolutionFate, ValidationOutcome};

use super::*;
use crate::{ActivePanels, Error, Event, Penalty, RoundPhase, Rounds, ScoreCommits, ScoreReveals};

fn outcome() -> ValidationOutcome<u64> {
	let mut outcomes = MockTasks::outcomes();
	assert_eq!(outcomes.len(), 1, "one final result");
	let (task, mut outcome) = outcomes.remove(0);
	assert_eq!(task, TASK);
	outcome.validators.sort_by_key(|v| v.validator);
	outcome
}

fn accuracy_recorded(who: u64) -> Vec<u8> {
	MockReputation::take()
		.into_iter()
		.filter(|(w, _)| *w == who)
		.filter_map(|(_, o)| o.get(ReputationDimension::ValidationAccuracy).map(|s| s.get()))
		.collect()
}

fn own(i: u32) -> SolutionFate {
	SolutionFate::Judged { group: i }
}

#[test]
fn a_panel_commits_reveals_and_reaches_a_provisional_then_final_consensus() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3), vec![1, 2, 3]);
		let judgements = |who| match who {
			1 => vec![j(80, 60), j(40, 20)],
			2 => vec![j(74, 55), j(40, 30)],
			_ => vec![j(86, 65), j(50, 20)],
		};
		for who in 1..=3 {
			commit(who, &judgements(who));
		}
		// reveals open only once the commit window closes
		assert_noop!(reveal(1, &judgements(1)), Error::<Test>::NotRevealPhase);
		run_to(3);
		for who in 1..=3 {
			assert_ok!(reveal(who, &judgements(who)));
		}
		events();
		run_to(5);
		// medians 80/60 and 40/20; nobody further than 12 from them; means rounded down
		let provisional = vec![sc(80, 60), sc(43, 23)];
		assert!(events().contains(&Event::ProvisionalResult {
			task_id: TASK,
			scores: provisional.clone(),
			dispute_until: 9
		}));
		assert_eq!(MockTasks::phases(), vec![(TASK, "provisional")]);
		assert!(MockFraud::judged().is_empty(), "the fraud layer hears of the final result only");
		run_to(9);
		let mut judged = MockFraud::judged();
		judged.sort();
		assert_eq!(judged, vec![(1, false), (2, false), (3, false)]);
		let outcome = outcome();
		assert_eq!(outcome.solutions.iter().map(|s| s.score).collect::<Vec<_>>(), provisional);
		assert_eq!(
			outcome.solutions.iter().map(|s| s.fate).collect::<Vec<_>>(),
			vec![own(0), own(1)]
		);
		assert!(outcome.judged);
		// accuracy is convex: 1 is 0/0 and 3/3 off (100 + 100 + 64 + 64) / 4 = 82; equal seats
		// of 100 each, so the pay weight is accuracy × 100
		let accuracy: Vec<(u64, u8, u128)> = outcome
			.validators
			.iter()
			.map(|v| (v.validator, v.accuracy.get(), v.pay_weight))
			.collect();
		assert_eq!(accuracy[0], (1, 82, 8_200));
		assert!(accuracy[1].1 < 82 && accuracy[2].1 < 82, "{accuracy:?}");
		assert_eq!(accuracy_recorded(1), vec![82]);
		// everything cleared; the members may withdraw again
		assert!(Rounds::<Test>::get(TASK).is_none());
		assert_eq!(ScoreCommits::<Test>::iter_prefix(TASK).count(), 0);
		assert_eq!(ScoreReveals::<Test>::iter_prefix(TASK).count(), 0);
		assert!((1..=3).all(|who| ActivePanels::<Test>::get(who).is_none()));
	});
}

#[test]
fn a_panel_has_at_least_min_panel_distinct_members() {
	build_and_execute(|| {
		for who in 1..=5 {
			certified_validator(who, 100);
		}
		// the publisher asked for one: three sit
		assert_eq!(begin(1).len(), 3);
		assert_eq!(Rounds::<Test>::get(TASK).unwrap().size, 3);
	});
}

#[test]
fn nobody_judges_a_task_they_published_or_solved() {
	build_and_execute(|| {
		for who in [1, 2, 3, 20, 21, 22] {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3), vec![1, 2, 3]);
	});
}

#[test]
fn an_outlier_is_flagged_unpaid_and_its_scores_set_aside() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		begin(4);
		// 4 favours the second solver on innovation, and only there
		judge_round(|who| match who {
			4 => vec![j(70, 50), j(40, 95)],
			_ => vec![j(70, 50), j(40, 30)],
		});
		assert!(events().contains(&Event::ProvisionalResult {
			task_id: TASK,
			scores: vec![sc(70, 50), sc(40, 30)],
			dispute_until: 9
		}));
		run_to(9);
		assert!(events().contains(&Event::ValidatorFlagged { task_id: TASK, validator: 4 }));
		let mut judged = MockFraud::judged();
		judged.sort();
		assert_eq!(judged, vec![(1, false), (2, false), (3, false), (4, true)]);
		let outcome = outcome();
		assert_eq!(outcome.validators[3].pay_weight, 0, "flagged: no pay");
		assert_eq!(outcome.validators[0].pay_weight, 100 * 100);
		// the favoured miner is judged on the others' scores, and nothing else happens to it
		assert_eq!(outcome.solutions[1].score, sc(40, 30));
		assert_eq!(outcome.solutions[1].fate, own(1));
	});
}

#[test]
fn a_member_leaning_towards_a_solver_is_set_aside_flagged_and_unpaid_and_every_deviation_is_told() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		begin(4);
		// the fraud layer has seen 4 favour the second solver, round after round
		MockFraud::set_leaning(4, SOLVERS[1]);
		// this round it adds 9 points — far inside the outlier margin, but not heard
		judge_round(|who| match who {
			4 => vec![j(70, 50), j(45, 34)],
			_ => vec![j(70, 50), j(40, 30)],
		});
		assert!(events().contains(&Event::ProvisionalResult {
			task_id: TASK,
			scores: vec![sc(70, 50), sc(40, 30)],
			dispute_until: 9
		}));
		run_to(9);
		assert!(events().contains(&Event::ValidatorFlagged { task_id: TASK, validator: 4 }));
		let mut judged = MockFraud::judged();
		judged.sort();
		assert_eq!(judged, vec![(1, false), (2, false), (3, false), (4, true)]);
		let outcome = outcome();
		assert_eq!(outcome.validators[3].pay_weight, 0, "leaning: no pay");
		assert_eq!(outcome.validators[2].pay_weight, 100 * 100);
		// each member's deviations from the final result, per miner, go to the fraud layer
		let mut told = MockFraud::deviations();
		told.sort();
		assert_eq!(
			told,
			vec![
				(1, vec![(SOLVERS[0], 0), (SOLVERS[1], 0)]),
				(2, vec![(SOLVERS[0], 0), (SOLVERS[1], 0)]),
				(3, vec![(SOLVERS[0], 0), (SOLVERS[1], 0)]),
				(4, vec![(SOLVERS[0], 0), (SOLVERS[1], 9)]),
			]
		);
	});
}

#[test]
fn a_whales_seat_carries_no_more_than_its_share() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		<Balances as frame_support::traits::fungible::Mutate<_>>::set_balance(&5, 10_000);
		certified_validator(5, 9_000);
		begin(5);
		// the whale (90 × any other's stake) scores its favourite 100 and the other 0
		judge_round(|who| match who {
			5 => vec![j(0, 0), j(100, 100)],
			_ => vec![j(70, 50), j(40, 30)],
		});
		assert!(events().contains(&Event::ProvisionalResult {
			task_id: TASK,
			scores: vec![sc(70, 50), sc(40, 30)],
			dispute_until: 9
		}));
		// its seat was cut to a quarter of the panel: 400 of the others, 133 for it
		let round = Rounds::<Test>::get(TASK).unwrap();
		let seats = Validation::seat_weights(&round.panel);
		let whale = round.panel.iter().position(|(v, _)| *v == 5).unwrap();
		assert_eq!(seats[whale], 133);
	});
}

#[test]
fn a_member_who_does_not_reveal_loses_accuracy_and_a_slice_of_bond() {
	build_and_execute(|| {
		for who in 1..=4 {
			certified_validator(who, 100);
		}
		begin(4);
		for who in 1..=4 {
			commit(who, &[j(70, 50), j(40, 30)]);
		}
		run_to(3);
		for who in 1..=3 {
			assert_ok!(reveal(who, &[j(70, 50), j(40, 30)]));
		}
		MockReputation::take();
		let treasury = Balances::free_balance(99);
		run_to(5);
		assert!(events().contains(&Event::ValidatorPenalised {
			task_id: TASK,
			validator: 4,
			slashed: 10,
			reason: Penalty::NoReveal
		}));
		assert_eq!(held(4), 90);
		assert_eq!(Balances::free_balance(99) - treasury, 10);
		assert_eq!(accuracy_recorded(4), vec![0]);
		// three of four revealed: the quorum (3) holds, the tally stands
		assert!(matches!(Rounds::<Test>::get(TASK).unwrap().phase, RoundPhase::Provisional { .. }));
	});
}

#[test]
fn a_panel_short_of_its_quorum_is_refilled_and_the_reveals_kept() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		commit(1, &[j(70, 50), j(40, 30)]);
		commit(2, &[j(72, 52), j(41, 30)]);
		run_to(3);
		assert_ok!(reveal(1, &[j(70, 50), j(40, 30)]));
		// 2 committed but did not reveal, 3 did nothing; certified meanwhile: 4 and 5
		certified_validator(4, 100);
		certified_validator(5, 100);
		run_to(5);
		let events = events();
		assert_eq!(
			events
				.iter()
				.filter(|e| matches!(
					e,
					Event::ValidatorPenalised { reason: Penalty::NoReveal, .. }
				))
				.count(),
			2
		);
		// 1 stays, 4 and 5 are drawn, a new commit window opens
		assert_eq!(panel(), vec![1, 4, 5]);
		assert!(events
			.iter()
			.any(|e| matches!(e, Event::PanelSelected { new, .. } if new.len() == 2)));
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(1), TASK, H256::zero()),
			Error::<Test>::AlreadyCommitted
		);
		// the new members commit and reveal; 1's reveal stands
		for who in [4, 5] {
			commit(who, &[j(70, 50), j(40, 30)]);
		}
		run_to(7);
		for who in [4, 5] {
			assert_ok!(reveal(who, &[j(70, 50), j(40, 30)]));
		}
		run_to(9);
		assert!(matches!(Rounds::<Test>::get(TASK).unwrap().phase, RoundPhase::Provisional { .. }));
		// the silent are never drawn again, and are not paid
		run_to(13);
		let outcome = outcome();
		assert_eq!(
			outcome.validators.iter().map(|v| v.validator).collect::<Vec<_>>(),
			vec![1, 4, 5]
		);
	});
}

#[test]
fn without_enough_validators_the_council_judges_while_the_escrow_waits() {
	build_and_execute(|| {
		certified_validator(1, 100);
		certified_validator(2, 100);
		// two can sit, a panel needs three
		assert!(begin(3).is_empty());
		assert!(events().contains(&Event::ReferredToCouncil { task_id: TASK, until: 11 }));
		run_to(10);
		assert!(MockTasks::outcomes().is_empty(), "nothing settles while the council may judge");
		let mut copy = j(80, 60);
		copy.copy_of = Some(0);
		let judgements = vec![j(80, 60), copy];
		assert_noop!(
			Validation::council_judge(
				RuntimeOrigin::signed(1),
				TASK,
				judgements.clone().try_into().unwrap()
			),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::council_judge(
				RuntimeOrigin::root(),
				TASK,
				vec![j(80, 60)].try_into().unwrap()
			),
			Error::<Test>::InvalidScores
		);
		assert_ok!(Validation::council_judge(
			RuntimeOrigin::root(),
			TASK,
			judgements.try_into().unwrap()
		));
		let outcome = outcome();
		assert!(outcome.judged);
		assert!(outcome.validators.is_empty());
		// the council's verdicts count: the second solution copies the first
		assert_eq!(outcome.solutions[1].fate, own(0));
		assert!(events().contains(&Event::CopiesGrouped { task_id: TASK, miners: vec![20, 21] }));
		assert_noop!(
			Validation::council_judge(
				RuntimeOrigin::root(),
				TASK,
				vec![j(1, 1), j(1, 1)].try_into().unwrap()
			),
			Error::<Test>::UnknownRound
		);
	});
}

#[test]
fn a_council_that_lets_its_deadline_pass_is_replaced_by_the_scores_on_chain() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		assert_eq!(begin(3), vec![1, 2, 3]);
		// only 1 judges; nobody is left to refill the panel, so the council is asked
		commit(1, &[j(80, 60), j(20, 10)]);
		run_to(3);
		assert_ok!(reveal(1, &[j(80, 60), j(20, 10)]));
		run_to(5);
		let RoundPhase::Council { until } = Rounds::<Test>::get(TASK).unwrap().phase else {
			panic!("referred")
		};
		// the council lets its deadline pass: the one reveal on chain is the best evidence,
		// and the task is judged by it — not settled unjudged, not refunded
		run_to(until);
		let outcome = outcome();
		assert!(outcome.judged);
		assert_eq!(outcome.solutions[0].score, sc(80, 60));
		assert_eq!(outcome.solutions[1].score, sc(20, 10));
		assert_eq!(outcome.validators.len(), 1);
		assert_eq!(outcome.validators[0].validator, 1);
		assert!(outcome.validators[0].pay_weight > 0, "the one who judged is paid");
	});
}

#[test]
fn a_council_that_lets_its_deadline_pass_leaves_the_task_unjudged() {
	build_and_execute(|| {
		begin(3);
		run_to(11);
		let outcome = outcome();
		assert!(!outcome.judged);
		assert!(outcome.solutions.iter().all(|s| s.score == Default::default()));
	});
}

#[test]
fn score_errors() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		let good = [j(70, 50), j(40, 30)];
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(1), TASK, H256::zero()),
			Error::<Test>::UnknownRound
		);
		assert_noop!(reveal(1, &good), Error::<Test>::UnknownRound);
		begin(3);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::none(), TASK, H256::zero()),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(4), TASK, H256::zero()),
			Error::<Test>::NotOnPanel
		);
		commit(1, &good);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(1), TASK, H256::zero()),
			Error::<Test>::AlreadyCommitted
		);
		commit(3, &good);
		run_to(3);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(2), TASK, H256::zero()),
			Error::<Test>::NotCommitPhase
		);
		assert_noop!(reveal(2, &good), Error::<Test>::NoCommitment);
		assert_noop!(reveal(4, &good), Error::<Test>::NotOnPanel);
		assert_noop!(reveal(1, &good[..1]), Error::<Test>::InvalidScores);
		let mut self_copy = good;
		self_copy[1].copy_of = Some(1);
		assert_noop!(reveal(1, &self_copy), Error::<Test>::InvalidScores);
		let mut nowhere = good;
		nowhere[0].copy_of = Some(7);
		assert_noop!(reveal(1, &nowhere), Error::<Test>::InvalidScores);
		let mut too_high = good;
		too_high[0].quality = codec_score(101);
		assert_noop!(reveal(1, &too_high), Error::<Test>::InvalidScores);
		assert_noop!(reveal(1, &[j(71, 50), j(40, 30)]), Error::<Test>::CommitmentMismatch);
		assert_ok!(reveal(1, &good));
		assert_noop!(reveal(1, &good), Error::<Test>::AlreadyRevealed);
		run_to(5);
		assert_noop!(reveal(3, &good), Error::<Test>::NotRevealPhase);
	});
}

/// A score byte above 100, as a malformed extrinsic could carry it.
fn codec_score(value: u8) -> Score {
	use codec::Decode;
	Score::decode(&mut &[value][..]).unwrap()
}

#[test]
fn a_panel_member_cannot_withdraw_before_the_result_is_final() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		System::set_block_number(6);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::StillOnPanel
		);
		System::set_block_number(1);
		judge_round(|_| vec![j(70, 50), j(40, 30)]);
		run_to(9);
		assert_ok!(Validation::withdraw_unbonded(RuntimeOrigin::signed(1)));
	});
}

#[test]
fn deadlines_beyond_a_blocks_capacity_are_never_lost() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		// five rounds at once, two deadlines handled per block
		for task in 0..5u64 {
			Validation::begin_validation(ValidationRequest {
				task_id: task,
				task_type: CODE,
				publisher: &PUBLISHER,
				reward: 1_000,
				solvers: &SOLVERS,
				copies: &[],
				panel_size: 3,
				validation_blocks: 4,
			});
		}
		run_to(40);
		// nobody judged: every one went to the council and its deadline passed; none lost
		let outcomes = MockTasks::outcomes();
		let mut tasks: Vec<_> = outcomes.iter().map(|(t, _)| *t).collect();
		tasks.sort();
		assert_eq!(tasks, vec![0, 1, 2, 3, 4]);
		assert!(outcomes.iter().all(|(_, o)| !o.judged));
	});
}

#[test]
fn a_type_whose_honest_judges_disagree_widely_learns_their_noise_and_does_not_flag_them() {
	build_and_execute(|| {
		for who in 1..=5 {
			certified_validator(who, 100);
		}
		let governance = Validation::params().outlier_margin;
		assert_eq!(crate::JudgingNoise::<Test>::get(CODE), 0, "nothing learnt yet");
		assert_eq!(Validation::outlier_margin(CODE), governance);
		begin(5);
		// five experts who disagree by up to 20 points on every score: more than the
		// governance's margin from the median, as honest noise of σ ≈ 12 would
		let offsets: [[i16; 4]; 5] = [
			[-18, 7, 12, -4],
			[9, -15, -6, 17],
			[2, 19, -11, -8],
			[-7, -3, 20, 11],
			[14, -9, -2, -19],
		];
		let scores = |who: u64| {
			let o = offsets[who as usize - 1];
			let at = |base: i16, d: i16| (base + d) as u8;
			vec![j(at(60, o[0]), at(50, o[1])), j(at(40, o[2]), at(30, o[3]))]
		};
		judge_round(scores);
		run_to(9);
		let noise = crate::JudgingNoise::<Test>::get(CODE);
		assert!(noise > 5 * 256, "learnt a noise of {} points", noise / 256);
		assert!(Validation::outlier_margin(CODE) > 20, "{}", Validation::outlier_margin(CODE));
		let mut judged = MockFraud::judged();
		judged.sort();
		assert_eq!(judged, (1..=5).map(|v| (v, false)).collect::<Vec<_>>(), "nobody flagged");
		assert!(outcome().validators.iter().all(|v| v.pay_weight > 0), "everyone paid");
	});
}
