//! Judging: score commit–reveal, consensus, penalties, disputes and appeals.

use frame_support::{
	assert_noop, assert_ok,
	traits::fungible::{Inspect, InspectHold},
};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{
	ReputationDimension, Score, SolutionScore, TaskId, TaskValidation, ValidationOutcome,
	ValidationRequest, ValidatorResult,
};

use super::{certified_validator, CODE};
use crate::{
	mock::*, score_commitment, Error, Event, HoldReason, Params, RoundPhase, Rounds, ScoreCommits,
	ScoreReveals, ValidationParams, Validators,
};

const PUBLISHER: u64 = 22;
const SOLVERS: [u64; 2] = [20, 21];
const TASK: TaskId = 7;

fn sc(quality: u8, innovation: u8) -> SolutionScore {
	SolutionScore {
		quality: Score::new(quality).unwrap(),
		innovation: Score::new(innovation).unwrap(),
	}
}

fn salt(who: u64) -> H256 {
	H256::from_low_u64_be(who * 1_000 + 1)
}

/// Hands task `TASK` with two solutions to validation at block 1: commit until 3, reveal until
/// 5, provisional until 9.
fn begin(panel_size: u32) -> Vec<u64> {
	Validation::begin_validation(ValidationRequest {
		task_id: TASK,
		task_type: CODE,
		publisher: &PUBLISHER,
		solvers: &SOLVERS,
		panel_size,
		validation_blocks: 4,
	});
	panel()
}

fn panel() -> Vec<u64> {
	Rounds::<Test>::get(TASK).unwrap().panel.iter().map(|(v, _)| *v).collect()
}

fn commit(who: u64, scores: &[SolutionScore]) {
	let hash = score_commitment(scores, &salt(who), &who);
	assert_ok!(Validation::commit_scores(RuntimeOrigin::signed(who), TASK, hash));
}

fn reveal(who: u64, scores: &[SolutionScore]) -> sp_runtime::DispatchResult {
	Validation::reveal_scores(
		RuntimeOrigin::signed(who),
		TASK,
		scores.to_vec().try_into().unwrap(),
		salt(who),
	)
}

fn run_to(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}

fn free(who: u64) -> u64 {
	Balances::balance(&who)
}

fn outcome() -> ValidationOutcome<u64> {
	let mut outcomes = MockTasks::outcomes();
	assert_eq!(outcomes.len(), 1, "one final result");
	let (task, mut outcome) = outcomes.remove(0);
	assert_eq!(task, TASK);
	outcome.validators.sort_by_key(|v| v.validator);
	outcome
}

fn vr(validator: u64, accuracy: u8, weight: u128) -> ValidatorResult<u64> {
	ValidatorResult { validator, accuracy: Score::new(accuracy).unwrap(), weight }
}

fn accuracy_recorded(who: u64) -> Vec<u8> {
	MockReputation::take()
		.into_iter()
		.filter(|(w, _)| *w == who)
		.filter_map(|(_, o)| o.get(ReputationDimension::ValidationAccuracy).map(|s| s.get()))
		.collect()
}

#[test]
fn a_panel_commits_reveals_and_reaches_a_provisional_then_final_consensus() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		let mut members = begin(3);
		members.sort();
		assert_eq!(members, vec![1, 2, 3]);
		let scores = |who| match who {
			1 => [sc(80, 60), sc(40, 20)],
			2 => [sc(70, 50), sc(40, 30)],
			_ => [sc(90, 70), sc(50, 20)],
		};
		for who in 1..=3 {
			commit(who, &scores(who));
		}
		// reveals open only once the commit window closes
		assert_noop!(reveal(1, &scores(1)), Error::<Test>::NotRevealPhase);
		run_to(3);
		for who in 1..=3 {
			assert_ok!(reveal(who, &scores(who)));
		}
		run_to(5);
		// medians 80/60 and 40/20; nothing outside the 15-point band; means rounded down
		let consensus = vec![sc(80, 60), sc(43, 23)];
		assert!(events().contains(&Event::ProvisionalResult {
			task_id: TASK,
			scores: consensus.clone(),
			dispute_until: 9
		}));
		assert_eq!(MockTasks::phases(), vec![(TASK, "provisional")]);
		assert!(MockTasks::outcomes().is_empty(), "not final during the dispute window");
		run_to(9);
		let outcome = outcome();
		assert_eq!(outcome.solutions, vec![(20, consensus[0]), (21, consensus[1])]);
		// 1: (100 + 100 + 97 + 97) / 4; 2: (90 + 90 + 97 + 93) / 4; 3: (90 + 90 + 93 + 97) / 4
		assert_eq!(outcome.validators, vec![vr(1, 98, 100), vr(2, 92, 100), vr(3, 92, 100)]);
		// reputation: each validator's accuracy, each miner's quality and innovation
		let recorded = MockReputation::take();
		assert!(recorded.contains(&(
			20,
			tos_primitives::OutcomeScores::only(
				ReputationDimension::Quality,
				Score::new(80).unwrap()
			)
			.with(ReputationDimension::Innovation, Score::new(60).unwrap())
		)));
		assert_eq!(recorded.len(), 5);
		// the round is gone with its votes
		assert!(Rounds::<Test>::get(TASK).is_none());
		assert_eq!(ScoreCommits::<Test>::iter_prefix(TASK).count(), 0);
		assert_eq!(ScoreReveals::<Test>::iter_prefix(TASK).count(), 0);
	});
}

#[test]
fn a_member_who_does_not_reveal_loses_accuracy_and_a_slice_of_bond() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		for who in 1..=3 {
			commit(who, &[sc(60, 60), sc(60, 60)]);
		}
		run_to(3);
		assert_ok!(reveal(1, &[sc(60, 60), sc(60, 60)]));
		assert_ok!(reveal(2, &[sc(60, 60), sc(60, 60)]));
		let treasury = free(99);
		run_to(5);
		assert!(events().contains(&Event::ValidatorPenalised {
			task_id: TASK,
			validator: 3,
			slashed: 10
		}));
		assert_eq!(free(99), treasury + 10, "10 % of the bond went to the treasury");
		assert_eq!(Validators::<Test>::get(3).unwrap().bond, 90);
		assert_eq!(accuracy_recorded(3), vec![0]);
		run_to(9);
		let outcome = outcome();
		assert_eq!(outcome.validators, vec![vr(1, 100, 100), vr(2, 100, 100)]);
		assert_eq!(outcome.solutions, vec![(20, sc(60, 60)), (21, sc(60, 60))]);
	});
}

#[test]
fn an_unbonding_member_who_does_not_reveal_is_slashed_from_what_it_unbonds() {
	build_and_execute(|| {
		certified_validator(1, 100);
		begin(1);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		run_to(5);
		assert_eq!(Validators::<Test>::get(1).unwrap().unbonding.map(|(a, _)| a), Some(90));
		run_to(9);
		assert!(outcome().validators.is_empty());
	});
}

/// The first panel (one member) scores everything 10; returns it.
fn provisional_tens() -> u64 {
	for who in 1..=4 {
		certified_validator(who, 100);
	}
	let first = begin(1)[0];
	commit(first, &[sc(10, 10), sc(10, 10)]);
	run_to(3);
	assert_ok!(reveal(first, &[sc(10, 10), sc(10, 10)]));
	run_to(5);
	first
}

#[test]
fn an_appeal_that_moves_the_result_replaces_it_and_returns_the_bond() {
	build_and_execute(|| {
		let first = provisional_tens();
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		assert_eq!(Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &20), 50);
		let appeal = panel();
		assert_eq!(appeal.len(), 3, "2 × 1 + 1 members, none from the first panel");
		assert!(!appeal.contains(&first));
		assert_eq!(MockTasks::phases(), vec![(TASK, "provisional"), (TASK, "disputed")]);
		// the first panel can no longer vote
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(first), TASK, H256::zero()),
			Error::<Test>::NotOnPanel
		);
		for who in &appeal {
			commit(*who, &[sc(80, 50), sc(70, 40)]);
		}
		run_to(7);
		for who in &appeal {
			assert_ok!(reveal(*who, &[sc(80, 50), sc(70, 40)]));
		}
		let before = free(20);
		run_to(9);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: true }));
		assert_eq!(free(20), before + 50, "the disputer's bond is back");
		let outcome = outcome();
		assert_eq!(outcome.solutions, vec![(20, sc(80, 50)), (21, sc(70, 40))]);
		// the first panel's accuracy against the appeal: (30 + 60 + 40 + 70) / 4
		let mut expected = vec![vr(first, 50, 100)];
		expected.extend(appeal.iter().map(|v| vr(*v, 100, 100)));
		expected.sort_by_key(|v| v.validator);
		assert_eq!(outcome.validators, expected);
		assert_eq!(accuracy_recorded(first), vec![50]);
	});
}

#[test]
fn an_appeal_that_confirms_the_result_takes_the_disputers_bond() {
	build_and_execute(|| {
		provisional_tens();
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(PUBLISHER), TASK));
		let appeal = panel();
		for who in &appeal {
			// within the 10-point overturn margin
			commit(*who, &[sc(20, 15), sc(5, 10)]);
		}
		run_to(7);
		for who in &appeal {
			assert_ok!(reveal(*who, &[sc(20, 15), sc(5, 10)]));
		}
		let (treasury, publisher) = (free(99), free(PUBLISHER));
		run_to(9);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		assert_eq!(free(99), treasury + 50);
		assert_eq!(free(PUBLISHER), publisher);
		assert_eq!(Balances::balance_on_hold(&HoldReason::DisputeBond.into(), &PUBLISHER), 0);
		// the appeal's consensus is the final one all the same
		assert_eq!(outcome().solutions, vec![(20, sc(20, 15)), (21, sc(5, 10))]);
	});
}

#[test]
fn without_certified_validators_every_solution_scores_zero() {
	build_and_execute(|| {
		assert!(begin(3).is_empty());
		run_to(5);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::NoAppealPanel
		);
		run_to(9);
		let outcome = outcome();
		assert_eq!(outcome.solutions, vec![(20, sc(0, 0)), (21, sc(0, 0))]);
		assert!(outcome.validators.is_empty());
	});
}

#[test]
fn a_minority_of_the_weight_cannot_push_consensus_past_the_clip_band() {
	// honest validators hold 300 of the weight; the coalition up to 290 (always less than half)
	for (coalition_bond, attack) in [(50u64, 100u8), (145, 100), (145, 0), (100, 0), (120, 100)] {
		build_and_execute(|| {
			for who in 1..=3 {
				certified_validator(who, 100);
			}
			for who in 4..=5 {
				certified_validator(who, coalition_bond);
			}
			begin(5);
			let honest = |who: u64| sc(48 + who as u8 * 2, 50);
			let scores = |who: u64| if who <= 3 { honest(who) } else { sc(attack, attack) };
			for who in 1..=5 {
				commit(who, &[scores(who), scores(who)]);
			}
			run_to(3);
			for who in 1..=5 {
				assert_ok!(reveal(who, &[scores(who), scores(who)]));
			}
			run_to(9);
			let result = outcome().solutions[0].1;
			// honest scores 50, 52, 54 (quality) and 50 (innovation); band 15
			assert!(
				(35..=69).contains(&result.quality.get()),
				"{coalition_bond} {attack}: {result:?}"
			);
			assert!(
				(35..=65).contains(&result.innovation.get()),
				"{coalition_bond} {attack}: {result:?}"
			);
		});
	}
	// without the clip (a band of 100) the same coalition moves it further
	build_and_execute(|| {
		Params::<Test>::mutate(|p| p.as_mut().unwrap().clip_band = 100);
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		for who in 4..=5 {
			certified_validator(who, 145);
		}
		begin(5);
		let scores = |who: u64| if who <= 3 { sc(50, 50) } else { sc(100, 100) };
		for who in 1..=5 {
			commit(who, &[scores(who), scores(who)]);
		}
		run_to(3);
		for who in 1..=5 {
			assert_ok!(reveal(who, &[scores(who), scores(who)]));
		}
		run_to(9);
		// (300 × 50 + 290 × 100) / 590
		assert_eq!(outcome().solutions[0].1, sc(74, 74));
	});
}

#[test]
fn score_errors() {
	build_and_execute(|| {
		for who in 1..=2 {
			certified_validator(who, 100);
		}
		assert_ok!(Validation::apply_validator(RuntimeOrigin::signed(3), super::code(), 100));
		let scores = [sc(50, 50), sc(50, 50)];
		let hash = score_commitment(&scores, &salt(1), &1);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(1), TASK, hash),
			Error::<Test>::UnknownRound
		);
		begin(2);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::none(), TASK, hash),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(3), TASK, hash),
			Error::<Test>::NotOnPanel
		);
		commit(1, &scores);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(1), TASK, hash),
			Error::<Test>::AlreadyCommitted
		);
		run_to(3);
		assert_noop!(
			Validation::commit_scores(RuntimeOrigin::signed(2), TASK, hash),
			Error::<Test>::NotCommitPhase
		);
		assert_noop!(reveal(2, &scores), Error::<Test>::NoCommitment);
		assert_noop!(reveal(3, &scores), Error::<Test>::NotOnPanel);
		assert_noop!(reveal(1, &scores[..1]), Error::<Test>::InvalidScores);
		let too_high = SolutionScore { quality: Score::MAX, innovation: codec_score(101) };
		assert_noop!(reveal(1, &[too_high, scores[1]]), Error::<Test>::InvalidScores);
		assert_noop!(reveal(1, &[sc(51, 50), sc(50, 50)]), Error::<Test>::CommitmentMismatch);
		assert_noop!(
			Validation::reveal_scores(
				RuntimeOrigin::signed(1),
				TASK,
				scores.to_vec().try_into().unwrap(),
				salt(2)
			),
			Error::<Test>::CommitmentMismatch
		);
		assert_noop!(
			Validation::reveal_scores(
				RuntimeOrigin::signed(1),
				TASK + 1,
				scores.to_vec().try_into().unwrap(),
				salt(1)
			),
			Error::<Test>::UnknownRound
		);
		assert_ok!(reveal(1, &scores));
		assert_noop!(reveal(1, &scores), Error::<Test>::AlreadyRevealed);
		run_to(5);
		assert_noop!(reveal(1, &scores), Error::<Test>::NotRevealPhase);
	});
}

/// A score byte above 100, as a malformed extrinsic could carry it.
fn codec_score(value: u8) -> Score {
	use codec::Decode;
	Score::decode(&mut &[value][..]).unwrap()
}

#[test]
fn dispute_errors() {
	build_and_execute(|| {
		for who in 1..=2 {
			certified_validator(who, 100);
		}
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::UnknownRound
		);
		begin(1);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::NotDisputable
		);
		run_to(5);
		assert_noop!(Validation::dispute(RuntimeOrigin::none(), TASK), DispatchError::BadOrigin);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(1), TASK),
			Error::<Test>::NotAParticipant
		);
		// 9 has no balance for the bond; make it a solver of another task to get that far
		Rounds::<Test>::mutate(TASK, |r| {
			r.as_mut().unwrap().solvers.try_push(9).unwrap();
		});
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(9), TASK),
			Error::<Test>::InsufficientBalance
		);
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(21), TASK),
			Error::<Test>::NotDisputable
		);
		// a second dispute is refused even while the appeal's result is provisional-like
		Rounds::<Test>::mutate(TASK, |r| {
			r.as_mut().unwrap().phase = RoundPhase::Provisional { until: 100 };
		});
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(21), TASK),
			Error::<Test>::AlreadyDisputed
		);
	});
}

#[test]
fn disputes_close_with_their_window() {
	build_and_execute(|| {
		certified_validator(1, 100);
		certified_validator(2, 100);
		begin(1);
		run_to(9);
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(20), TASK),
			Error::<Test>::UnknownRound
		);
		assert_eq!(MockTasks::outcomes().len(), 1);
	});
}

#[test]
fn params_are_governed_and_bounded() {
	build_and_execute(|| {
		let params = ValidationParams {
			clip_band: 20,
			non_reveal_slash: Perbill::from_percent(50),
			dispute_blocks: 8,
			dispute_bond: 7,
			overturn_margin: 5,
		};
		assert_noop!(
			Validation::set_params(RuntimeOrigin::signed(1), params),
			DispatchError::BadOrigin
		);
		for bad in [
			ValidationParams { clip_band: 101, ..params },
			ValidationParams { overturn_margin: 101, ..params },
			ValidationParams { dispute_blocks: 0, ..params },
		] {
			assert_noop!(
				Validation::set_params(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParams
			);
		}
		assert_ok!(Validation::set_params(RuntimeOrigin::root(), params));
		assert_eq!(Validation::params(), params);
		assert_eq!(events(), vec![Event::ParamsUpdated]);
	});
}

#[test]
fn a_panel_member_cannot_withdraw_before_the_result_is_final() {
	build_and_execute(|| {
		certified_validator(1, 100);
		begin(1);
		assert_ok!(Validation::unbond(RuntimeOrigin::signed(1)));
		// say the bond unlocks at block 4, before the panel tallies at block 5
		run_to(4);
		Validators::<Test>::mutate(1, |v| {
			v.as_mut().unwrap().unbonding.as_mut().unwrap().1 = 4;
		});
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::StillOnPanel
		);
		// the tally slashes the silent member; it may leave once the result is final
		run_to(5);
		assert_noop!(
			Validation::withdraw_unbonded(RuntimeOrigin::signed(1)),
			Error::<Test>::StillOnPanel
		);
		run_to(9);
		assert_ok!(Validation::withdraw_unbonded(RuntimeOrigin::signed(1)));
		assert_eq!(free(1), 1_000 - 10);
	});
}

#[test]
fn nobody_judges_a_task_they_published_or_solved() {
	build_and_execute(|| {
		// the publisher and both solvers are certified validators too
		for who in [PUBLISHER, SOLVERS[0], SOLVERS[1], 1] {
			certified_validator(who, 100);
		}
		assert_eq!(begin(4), vec![1]);
		run_to(5);
		// nor an appeal of it: nobody is left
		assert_noop!(
			Validation::dispute(RuntimeOrigin::signed(SOLVERS[0]), TASK),
			Error::<Test>::NoAppealPanel
		);
	});
}

#[test]
fn an_appeal_nobody_on_it_judges_leaves_the_first_result_and_returns_the_bond() {
	build_and_execute(|| {
		provisional_tens();
		assert_ok!(Validation::dispute(RuntimeOrigin::signed(20), TASK));
		let appeal = panel();
		for who in &appeal {
			commit(*who, &[sc(90, 90), sc(90, 90)]);
		}
		let before = free(20);
		run_to(9);
		assert!(events().contains(&Event::AppealDecided { task_id: TASK, overturned: false }));
		assert_eq!(free(20), before + 50, "the disputer could not be heard: its bond is back");
		let outcome = outcome();
		assert_eq!(outcome.solutions, vec![(20, sc(10, 10)), (21, sc(10, 10))]);
		assert_eq!(outcome.validators.len(), 1, "the first panel's member");
		// the silent appeal members were penalised
		for who in appeal {
			assert_eq!(Validators::<Test>::get(who).unwrap().bond, 90);
		}
	});
}

#[test]
fn deadlines_beyond_a_blocks_capacity_are_never_lost() {
	build_and_execute(|| {
		certified_validator(1, 100);
		// 40 rounds whose commit windows all close at block 3; two deadlines fit a block
		for task in 100..140 {
			Validation::begin_validation(ValidationRequest {
				task_id: task,
				task_type: CODE,
				publisher: &PUBLISHER,
				solvers: &SOLVERS,
				panel_size: 1,
				validation_blocks: 4,
			});
		}
		run_to(3);
		let revealing = || {
			Rounds::<Test>::iter()
				.filter(|(_, r)| matches!(r.phase, RoundPhase::Reveal { .. }))
				.count()
		};
		assert_eq!(revealing(), 2);
		run_to(12);
		assert_eq!(revealing(), 20, "two a block, oldest first");
		// every round finishes in the end, none dropped
		run_to(200);
		assert_eq!(Rounds::<Test>::iter().count(), 0);
		assert_eq!(MockTasks::outcomes().len(), 40);
		assert!(!crate::ActivePanels::<Test>::contains_key(1));
	});
}

#[test]
fn a_solution_the_collusion_detector_flags_leaves_the_outcome() {
	build_and_execute(|| {
		for who in 1..=3 {
			certified_validator(who, 100);
		}
		begin(3);
		// validator 3 gives 20's solution 100 where the others give 20 (the mock flags that)
		let scores =
			|who| if who == 3 { [sc(100, 100), sc(60, 60)] } else { [sc(20, 20), sc(60, 60)] };
		for who in 1..=3 {
			commit(who, &scores(who));
		}
		run_to(3);
		for who in 1..=3 {
			assert_ok!(reveal(who, &scores(who)));
		}
		run_to(9);
		let outcome = outcome();
		// the consensus was 25 (100 clipped to 35): the mock flags validator 3 and miner 20,
		// whose solution is neither judged nor paid
		assert_eq!(outcome.solutions, vec![(21, sc(60, 60))]);
	});
}
