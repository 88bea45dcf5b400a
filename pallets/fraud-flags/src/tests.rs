//! The detectors, reports, slash arithmetic and bans.

use frame_support::{assert_noop, assert_ok, traits::fungible::InspectHold};
use sp_core::H256;
use sp_runtime::{DispatchError, Perbill};
use tos_primitives::{Fingerprint, FraudKind, FraudOracle, RevealedSolution, Score, TaskType};

use crate::{mock::*, CollusionRecords, Error, Event, FraudParams, HoldReason, Offences};

const CODE: TaskType = TaskType::CodeGeneration;

fn s(n: u8) -> Score {
	Score::new(n).unwrap()
}

fn solution(
	miner: u64,
	committed_at: u64,
	hash: u8,
	fingerprint: [u8; 32],
) -> RevealedSolution<u64, u64> {
	RevealedSolution {
		miner,
		committed_at,
		solution_hash: H256::repeat_byte(hash),
		fingerprint: Fingerprint(fingerprint),
	}
}

/// Runs the hook that applies queued punishments (two a block in the mock).
fn apply_queued() {
	use frame_support::traits::Hooks;
	Fraud::on_initialize(System::block_number());
}

fn slashed(events: &[Event<Test>]) -> Vec<(u64, FraudKind, u64, u64)> {
	events
		.iter()
		.filter_map(|e| match e {
			Event::Slashed { who, kind, amount, to_reporter } => {
				Some((*who, *kind, *amount, *to_reporter))
			},
			_ => None,
		})
		.collect()
}

#[test]
fn a_commitment_sooner_than_the_minimum_solve_time_is_pre_computation() {
	build_and_execute(|| {
		assert_ok!(Fraud::set_min_solve_time(RuntimeOrigin::root(), CODE, 5));
		events();
		assert!(!Fraud::check_commit(1, CODE, &3, 5), "at the minimum: fine");
		assert!(!Fraud::check_commit(1, TaskType::DataAnalysis, &3, 0), "no minimum for this type");
		assert!(events().is_empty());
		let treasury = free(TREASURY);
		assert!(Fraud::check_commit(1, CODE, &3, 4));
		assert_eq!(MockPenalties::stake(3), 1_000, "punished by the hook, not at once");
		apply_queued();
		let events = events();
		assert!(matches!(
			events[0],
			Event::Flagged { who: 3, kind: FraudKind::PreComputation, task_id: Some(1), .. }
		));
		// 30 % of the 1 000 at stake, all to the treasury
		assert_eq!(slashed(&events), vec![(3, FraudKind::PreComputation, 300, 0)]);
		assert_eq!(free(TREASURY) - treasury, 300);
		assert_eq!(MockPenalties::stake(3), 700);
		assert_eq!(MockPenalties::frauds(), vec![3]);
	});
}

#[test]
fn copies_and_near_copies_of_an_earlier_commitment_are_plagiarism() {
	build_and_execute(|| {
		let original = [0b1010_1010; 32];
		let mut near = original;
		near[0] ^= 0b1111; // 4 bits off
		let mut far = original;
		far[..2].copy_from_slice(&[0b0101_0101, 0b0101_0101]); // 16 bits off
		let solutions = [
			solution(1, 5, 1, original),
			// the same hash, committed later
			solution(2, 6, 1, [0; 32]),
			// a fingerprint 4 bits from 1's, committed later
			solution(3, 7, 3, near),
			// 16 bits away: its own work
			solution(4, 7, 4, far),
		];
		assert_eq!(Fraud::check_solutions(9, &solutions), vec![2, 3]);
		apply_queued();
		let events = events();
		assert_eq!(
			slashed(&events),
			vec![(2, FraudKind::Plagiarism, 800, 0), (3, FraudKind::Plagiarism, 800, 0)]
		);
		// the evidence names the original
		let evidence =
			sp_runtime::traits::BlakeTwo256::hash_of(&(9u64, &1u64, H256::repeat_byte(1)));
		assert!(events.contains(&Event::Flagged {
			who: 2,
			kind: FraudKind::Plagiarism,
			task_id: Some(9),
			evidence
		}));
		// the same solution in the same block: who copied cannot be told, both are flagged
		events_cleared();
		let twins = [solution(5, 3, 7, [1; 32]), solution(6, 3, 7, [2; 32])];
		assert_eq!(Fraud::check_solutions(10, &twins), vec![5, 6]);
	});
}

fn events_cleared() {
	events();
}

use sp_runtime::traits::Hash as _;

#[test]
fn a_validator_scoring_a_miner_far_above_consensus_again_and_again_is_collusion() {
	build_and_execute(|| {
		// within the 25-point margin: nothing recorded
		assert!(!Fraud::check_score(1, &7, &3, s(75), s(50)));
		assert!(CollusionRecords::<Test>::get(7, 3).is_none());
		assert!(!Fraud::check_score(1, &7, &3, s(80), s(50)));
		assert!(!Fraud::check_score(2, &7, &3, s(90), s(40)));
		assert_eq!(CollusionRecords::<Test>::get(7, 3), Some((2, 1)));
		// another miner is another record
		assert!(!Fraud::check_score(2, &7, &4, s(90), s(40)));
		events();
		let treasury = free(TREASURY);
		assert!(Fraud::check_score(3, &7, &3, s(100), s(50)), "the third time flags both");
		apply_queued();
		assert_eq!(
			slashed(&events()),
			vec![(7, FraudKind::Collusion, 1_000, 0), (3, FraudKind::Collusion, 1_000, 0)]
		);
		assert_eq!(free(TREASURY) - treasury, 2_000);
		assert!(CollusionRecords::<Test>::get(7, 3).is_none());
		// outside the 10-block window the count starts again
		System::set_block_number(20);
		assert!(!Fraud::check_score(4, &7, &4, s(90), s(40)));
		assert_eq!(CollusionRecords::<Test>::get(7, 4), Some((1, 20)));
	});
}

#[test]
fn a_confirmed_report_slashes_the_target_and_rewards_the_reporter() {
	build_and_execute(|| {
		let evidence = H256::repeat_byte(5);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Plagiarism,
			evidence
		));
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &1), 50);
		assert_eq!(
			events(),
			vec![Event::ReportFiled {
				report_id: 0,
				reporter: 1,
				target: 2,
				kind: FraudKind::Plagiarism,
				evidence
			}]
		);
		let (reporter, treasury) = (free(1), free(TREASURY));
		assert_ok!(Fraud::confirm(RuntimeOrigin::root(), 0));
		// 80 % of 1 000: 10 % of that to the reporter, the rest to the treasury; bond back
		assert_eq!(free(1) - reporter, 80 + 50);
		assert_eq!(free(TREASURY) - treasury, 720);
		assert_eq!(Balances::balance_on_hold(&HoldReason::ReportBond.into(), &1), 0);
		let events = events();
		assert_eq!(slashed(&events), vec![(2, FraudKind::Plagiarism, 800, 80)]);
		assert!(events.contains(&Event::Flagged {
			who: 2,
			kind: FraudKind::Plagiarism,
			task_id: None,
			evidence
		}));
		assert!(events.contains(&Event::ReportConfirmed { report_id: 0 }));
		assert_noop!(Fraud::confirm(RuntimeOrigin::root(), 0), Error::<Test>::UnknownReport);
	});
}

#[test]
fn a_dismissed_report_loses_the_reporters_bond() {
	build_and_execute(|| {
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Collusion,
			H256::zero()
		));
		let (reporter, treasury) = (free(1), free(TREASURY));
		assert_ok!(Fraud::dismiss(RuntimeOrigin::root(), 0));
		assert_eq!(free(1), reporter);
		assert_eq!(free(TREASURY) - treasury, 50);
		assert_eq!(MockPenalties::stake(2), 1_000, "the target keeps everything");
		assert!(events().contains(&Event::ReportDismissed { report_id: 0, bond: 50 }));
		assert_noop!(Fraud::dismiss(RuntimeOrigin::root(), 0), Error::<Test>::UnknownReport);
	});
}

#[test]
fn repeat_offenders_are_banned() {
	build_and_execute(|| {
		assert_ok!(Fraud::set_min_solve_time(RuntimeOrigin::root(), CODE, 5));
		assert!(Fraud::check_commit(1, CODE, &3, 0));
		apply_queued();
		assert!(MockPenalties::bans().is_empty(), "a first offence is not banned");
		System::set_block_number(7);
		assert!(Fraud::check_commit(2, CODE, &3, 0));
		apply_queued();
		assert_eq!(MockPenalties::bans(), vec![(3, 107)]);
		assert!(events().contains(&Event::Banned { who: 3, until: 107 }));
		assert_eq!(Offences::<Test>::get(3), 2);
		// the second slash takes 30 % of what was left
		assert_eq!(MockPenalties::stake(3), 1_000 - 300 - 210);
	});
}

#[test]
fn errors() {
	build_and_execute(|| {
		assert_noop!(
			Fraud::report_fraud(RuntimeOrigin::signed(1), 1, FraudKind::Plagiarism, H256::zero()),
			Error::<Test>::SelfReport
		);
		assert_noop!(
			Fraud::report_fraud(RuntimeOrigin::signed(42), 1, FraudKind::Plagiarism, H256::zero()),
			Error::<Test>::InsufficientBalance
		);
		assert_noop!(
			Fraud::report_fraud(RuntimeOrigin::none(), 1, FraudKind::Plagiarism, H256::zero()),
			DispatchError::BadOrigin
		);
		assert_ok!(Fraud::report_fraud(
			RuntimeOrigin::signed(1),
			2,
			FraudKind::Plagiarism,
			H256::zero()
		));
		assert_noop!(Fraud::confirm(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
		assert_noop!(Fraud::dismiss(RuntimeOrigin::signed(1), 0), DispatchError::BadOrigin);
		assert_noop!(Fraud::confirm(RuntimeOrigin::root(), 5), Error::<Test>::UnknownReport);
		assert_noop!(
			Fraud::set_min_solve_time(RuntimeOrigin::signed(1), CODE, 3),
			DispatchError::BadOrigin
		);
		let params = Fraud::params();
		assert_noop!(Fraud::set_params(RuntimeOrigin::signed(1), params), DispatchError::BadOrigin);
		for bad in [
			FraudParams { hamming_threshold: 257, ..params },
			FraudParams { collusion_margin: 101, ..params },
			FraudParams { collusion_threshold: 0, ..params },
			FraudParams { collusion_window: 0, ..params },
			FraudParams { ban_after: 0, ..params },
		] {
			assert_noop!(
				Fraud::set_params(RuntimeOrigin::root(), bad),
				Error::<Test>::InvalidParams
			);
		}
		let changed = FraudParams { plagiarism_slash: Perbill::from_percent(50), ..params };
		assert_ok!(Fraud::set_params(RuntimeOrigin::root(), changed));
		assert_eq!(Fraud::params(), changed);
	});
}

#[test]
fn queued_punishments_are_applied_a_few_per_block_in_order() {
	build_and_execute(|| {
		assert_ok!(Fraud::set_min_solve_time(RuntimeOrigin::root(), CODE, 5));
		for miner in 1..=5 {
			assert!(Fraud::check_commit(1, CODE, &miner, 0));
		}
		let punished = || (1..=5).filter(|m| MockPenalties::stake(*m) < 1_000).collect::<Vec<_>>();
		assert!(punished().is_empty());
		apply_queued();
		assert_eq!(punished(), vec![1, 2]);
		apply_queued();
		assert_eq!(punished(), vec![1, 2, 3, 4]);
		apply_queued();
		assert_eq!(punished(), vec![1, 2, 3, 4, 5]);
		assert_eq!(crate::PunishmentQueue::<Test>::get(), (5, 5));
		apply_queued();
		assert_eq!(MockPenalties::stake(5), 700, "each punished once");
	});
}
